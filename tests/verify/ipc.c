/*
 * ipc (verify harness): the IPC endpoint queues, the interceptor and the
 * capability checks they make, driven through every sequence of
 * operations over the real process table.
 *
 * What callers hand IPC from outside is unknown here: pids (any 64-bit
 * value: system calls pass user-chosen pids and endpoints through),
 * endpoints, reply endpoints, rights, payload bytes and lengths, and the
 * shapes of the user buffers the system calls resolve into spans (one
 * piece or two, each of any length). A loop of nondeterministic
 * operations -- sends, receives (plain, identity, into spans, leaving
 * waiters), registrations, grants and revokes, processes made, bound to
 * any Principal, ended (their programs first: ipc_owner_ended) and
 * destroyed, the whole table reset, another interceptor installed --
 * reaches every state of the 32 rings of 16 messages, full, wrapped and
 * empty, and of their waiters, with every pid live, dead or stale.
 *
 * Buffer caps: payloads come from buffers of PAYLOAD_CAP bytes and
 * receives go to buffers of RECV_CAP bytes. Each is above what the code
 * ever copies (IPC_PAYLOAD_MAX, and the prefix plus IPC_PAYLOAD_MAX), so
 * every length the code treats differently -- below, at and above each
 * limit -- is covered; a longer buffer changes nothing but its size.
 *
 * The interceptor: besides the default, a policy that allows or denies
 * anything (its answers are unknown) can be installed, so ipc.c's own
 * bounds are shown to hold whatever policy is in force.
 */
#include <__fc_builtin.h>
#include <cap.h>
#include <interceptor.h>
#include <ipc.h>
#include <process.h>

#define PAYLOAD_CAP (IPC_PAYLOAD_MAX + 64)
#define RECV_CAP (IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX + 64)
#define WAITERS 2

static uint8_t payload[2][PAYLOAD_CAP];
static uint8_t received[2][RECV_CAP];
static uint8_t wait_buffers[WAITERS][2][RECV_CAP];
static struct ipc_waiter waiters[WAITERS];
static struct ipc_message message;

static kpid_t any_pid(void)
{
	kpid_t pid;

	Frama_C_make_unknown((char *)&pid, sizeof(pid));
	return pid;
}

static uint32_t any_u32(void)
{
	return Frama_C_unsigned_int_interval(0, UINT32_MAX);
}

static kerr_t any_verdict(void)
{
	return (kerr_t)Frama_C_int_interval(K_OK, K_EAGAIN);
}

static kerr_t any_send_policy(const struct ipc_send_request *r)
{
	(void)r;
	return any_verdict();
}

static kerr_t any_receive_policy(const struct ipc_receive_request *r)
{
	(void)r;
	return any_verdict();
}

static kerr_t any_syscall_policy(kpid_t caller, uint64_t number)
{
	(void)caller;
	(void)number;
	return any_verdict();
}

static const struct interceptor any_policy = {
	.name = "unknown",
	.on_send = any_send_policy,
	.on_receive = any_receive_policy,
	.on_syscall = any_syscall_policy,
};

/* A receive span over `buffers`: one piece or two, each of any length up
 * to its buffer (a user buffer that crosses a page is two). The second
 * piece's pointer is set even when its length is 0 (what span_of() leaves
 * NULL): a waiter keeps its span across the loop, and EVA, merging a
 * waiter's spans, would otherwise pair a NULL with a length. Nothing reads
 * a piece of length 0. */
static struct span any_span(uint8_t buffers[2][RECV_CAP])
{
	struct span s = span_of(buffers[0], Frama_C_size_t_interval(0, RECV_CAP));

	s.part[1] = buffers[1];
	s.len[1] = Frama_C_nondet(0, 1) ? Frama_C_size_t_interval(0, RECV_CAP) : 0;
	return s;
}

static void fresh_payload(void)
{
	Frama_C_make_unknown((char *)payload, sizeof(payload));
}

/* A send of a span: one piece (span_of(): no second pointer) or two,
 * each of any length up to its buffer. The shapes are separate calls, so
 * EVA never pairs a NULL second piece with a length. */
static void send_span(void)
{
	struct span one = span_of(payload[0], Frama_C_size_t_interval(0, PAYLOAD_CAP));
	struct span two = one;
	struct thread *handed_to;

	two.part[1] = payload[1];
	two.len[1] = Frama_C_size_t_interval(0, PAYLOAD_CAP);
	fresh_payload();
	switch (Frama_C_int_interval(0, 3)) {
	case 0:
		(void)ipc_send_span(any_pid(), any_u32(), any_u32(), &one);
		break;
	case 1:
		(void)ipc_send_span(any_pid(), any_u32(), any_u32(), &two);
		break;
	case 2:
		(void)ipc_send_span_to(any_pid(), any_u32(), any_u32(), &one, &handed_to);
		break;
	default:
		(void)ipc_send_span_to(any_pid(), any_u32(), any_u32(), &two, &handed_to);
		break;
	}
}

/* A receive into a span, without a waiter or with waiter `w` (whose
 * span's memory stays valid: static). */
static void receive_span(unsigned w)
{
	struct span dst = any_span(wait_buffers[w]);
	size_t written;

	(void)ipc_receive_span(any_pid(), any_u32(), &dst, &written,
			       Frama_C_nondet(0, 1) ? &waiters[w] : NULL);
}

/* The process table changes: a process made, bound to any Principal,
 * its program ended, destroyed -- any pid, live, stale or garbage -- or
 * every process gone and the kernel's made again. */
static void process_change(void)
{
	struct principal p;
	kpid_t pid;

	switch (Frama_C_int_interval(0, 4)) {
	case 0:
		(void)process_create("user", &pid);
		break;
	case 1:
		Frama_C_make_unknown((char *)&p, sizeof(p));
		(void)process_bind_principal(any_pid(), &p);
		break;
	case 2:
		ipc_owner_ended(any_pid());
		break;
	case 3:
		(void)process_destroy(any_pid());
		break;
	default:
		process_table_reset();
		(void)process_table_init();
		break;
	}
}

enum op {
	OP_PROCESS, OP_GRANT, OP_REVOKE, OP_INTERCEPTOR,
	OP_REGISTER, OP_UNREGISTER, OP_OWNER, OP_SEND, OP_SEND_NULL, OP_SEND_SPAN, OP_RECEIVE,
	OP_RECEIVE_IDENTITY, OP_RECEIVE_IDENTITY_NULL, OP_RECEIVE_SPAN, OP_RECEIVE_SPAN_2, OP_CANCEL_WAIT, OP_CANCEL_WAITS_OF, OP_QUEUED,
	OP_COUNT
};

static void one_operation(void)
{
	kpid_t pid;
	size_t written;

	switch (Frama_C_int_interval(0, OP_COUNT - 1)) {
	case OP_PROCESS:
		process_change();
		break;
	case OP_GRANT:
		(void)cap_grant(any_pid(), any_u32(), any_u32());
		break;
	case OP_REVOKE:
		(void)cap_revoke(any_pid(), any_pid(), any_u32(), any_u32());
		break;
	case OP_INTERCEPTOR:
		interceptor_install(Frama_C_nondet(0, 1) ? &any_policy : NULL);
		break;
	case OP_REGISTER:
		(void)ipc_register(any_pid(), any_u32());
		break;
	case OP_UNREGISTER:
		(void)ipc_unregister(any_pid(), any_u32());
		break;
	case OP_OWNER:
		(void)ipc_owner(any_u32(), &pid);
		break;
	case OP_SEND:
		fresh_payload();
		(void)ipc_send(any_pid(), any_u32(), any_u32(), payload[0],
			       Frama_C_size_t_interval(0, PAYLOAD_CAP));
		break;
	case OP_SEND_NULL: /* no buffer: refused unless the length is 0 */
		(void)ipc_send(any_pid(), any_u32(), any_u32(), NULL,
			       Frama_C_size_t_interval(0, PAYLOAD_CAP));
		break;
	case OP_SEND_SPAN:
		send_span();
		break;
	case OP_RECEIVE:
		(void)ipc_receive(any_pid(), any_u32(), &message);
		break;
	case OP_RECEIVE_IDENTITY:
		(void)ipc_receive_with_identity(any_pid(), any_u32(), received[0],
						Frama_C_size_t_interval(0, RECV_CAP), &written);
		break;
	case OP_RECEIVE_IDENTITY_NULL:
		(void)ipc_receive_with_identity(any_pid(), any_u32(), NULL,
						Frama_C_size_t_interval(0, RECV_CAP), &written);
		break;
	case OP_RECEIVE_SPAN:
		receive_span(0);
		break;
	case OP_RECEIVE_SPAN_2:
		receive_span(1);
		break;
	case OP_CANCEL_WAIT:
		ipc_cancel_wait(any_u32(), &waiters[Frama_C_nondet(0, 1)]);
		break;
	case OP_CANCEL_WAITS_OF:
		ipc_cancel_waits_of(any_pid());
		break;
	default:
		(void)ipc_queued(any_u32());
		break;
	}
}

int main(void)
{
	/* The kernel processes 0-2 live, as at boot. */
	if (process_table_init() != K_OK)
		return 1;
	for (unsigned w = 0; w < WAITERS; w++)
		waiters[w].dst = any_span(wait_buffers[w]);
	cap_init();
	ipc_init();
	while (Frama_C_nondet(0, 1))
		one_operation();
	return 0;
}
