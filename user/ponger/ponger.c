/*
 * ponger: the answering half of the cross-CPU ping-pong (pingpong.h).
 * Every number must be the one after the last: a lost message shows as a
 * gap, a duplicated one as a repeat. After the last it says how it went
 * and exits 0, or 1 at the first wrong number.
 */
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/pingpong.h"

CAMBIOS_MODULE_ROLE("ponger");

static void report(const char *what, uint64_t seq)
{
	struct line l;

	l.len = 0;
	put(&l, "ponger: ");
	put(&l, what);
	put_dec(&l, (int64_t)seq);
	put(&l, " on CPU ");
	put_dec(&l, sys_get_cpu());
	say(&l);
}

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + sizeof(struct pingpong_message)];
	struct pingpong_message in, out;

	if (sys_register_endpoint(ENDPOINT_PONGER) != 0)
		return 2;
	report("serving endpoint 29, process ", (uint64_t)sys_getpid());
	for (uint64_t expected = 0; expected < PINGPONG_MESSAGES; expected++) {
		int64_t n = sys_recv_msg(ENDPOINT_PONGER, msg, sizeof(msg));
		if (n != (int64_t)sizeof(msg))
			return 3;
		__builtin_memcpy(&in, msg + SYS_MSG_PREFIX, sizeof(in));
		if (in.seq != expected) {
			report(in.seq < expected ? "repeated message " : "lost message ", expected);
			return 1;
		}
		out.seq = in.seq;
		out.cpu = (uint64_t)sys_get_cpu();
		if (sys_write(sys_msg_from(msg), &out, sizeof(out)) != (int64_t)sizeof(out))
			return 4;
	}
	report("every message once and in order: ", PINGPONG_MESSAGES);
	return 0;
}
