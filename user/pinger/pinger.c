/*
 * pinger: the asking half of the cross-CPU ping-pong (pingpong.h). It
 * waits for the ponger's endpoint, sends PINGPONG_MESSAGES numbers one at
 * a time, and checks that each answer carries the number just sent. It
 * reports its CPU and the ponger's (from the answers): with two or more
 * CPUs the boot's distribution puts them apart, so every message crosses
 * between CPUs and every answer wakes a thread blocked on the other one.
 */
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/pingpong.h"

CAMBIOS_MODULE_ROLE("pinger");

static void say_cpus(const char *what, uint64_t count, uint64_t ponger_cpu)
{
	struct line l;

	l.len = 0;
	put(&l, "pinger: ");
	put_dec(&l, (int64_t)count);
	put(&l, what);
	put_dec(&l, sys_get_cpu());
	put(&l, ", ponger on CPU ");
	put_dec(&l, (int64_t)ponger_cpu);
	say(&l);
}

/* Sends until the ponger's endpoint takes it (it may not be registered
 * yet when the pinger starts). */
static bool send(const struct pingpong_message *m)
{
	for (unsigned tries = 0; tries < 100000; tries++) {
		if (sys_write(ENDPOINT_PONGER, m, sizeof(*m)) == (int64_t)sizeof(*m))
			return true;
		(void)sys_yield();
	}
	return false;
}

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + sizeof(struct pingpong_message)];
	struct pingpong_message out, in = { 0, 0 };

	if (sys_register_endpoint(ENDPOINT_PINGER) != 0)
		return 2;
	for (uint64_t seq = 0; seq < PINGPONG_MESSAGES; seq++) {
		out.seq = seq;
		out.cpu = 0;
		if (!send(&out))
			return 3;
		if (sys_recv_msg(ENDPOINT_PINGER, msg, sizeof(msg)) != (int64_t)sizeof(msg))
			return 4;
		__builtin_memcpy(&in, msg + SYS_MSG_PREFIX, sizeof(in));
		if (in.seq != seq) {
			say_cpus(" answered in order, then a wrong one; on CPU ", seq, in.cpu);
			return 1;
		}
		if (seq == 0)
			say_cpus(" answer so far; on CPU ", 1, in.cpu);
	}
	say_cpus(" round trips, none lost or duplicated; on CPU ", PINGPONG_MESSAGES, in.cpu);
	return 0;
}
