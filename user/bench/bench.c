/*
 * bench: what the kernel's basic operations cost, in guest instructions
 * (`make bench-guest`, scripts/bench_guest.py).
 *
 * Run under QEMU with -icount shift=0, where the counter of include/
 * counter.h advances with guest instructions, so a figure is the number of
 * instructions one operation takes on this machine model -- repeatable,
 * unlike time on a shared emulator. Each operation runs WARMUP times
 * first (so the other boot programs, which greet and exit, are out of the
 * way and every path has been taken once), then ROUNDS times between two
 * counter reads. The program only reports; the script converts ticks to
 * instructions (it knows CNTFRQ from "counter-hz"), divides and judges
 * nothing. Lines it prints:
 *
 *   bench: counter-hz <ticks per second of guest time>
 *   bench: first-instruction <counter at this program's first instruction>
 *   bench: cpus <this program's CPU> <the peer's CPU>   (two CPUs only)
 *   bench: <operation> <rounds> <ticks>
 *   bench: failed <operation> <result>      (then it exits 1)
 *   bench: done
 *
 * The partners are this same module spawned again. A copy that finds
 * BENCH_ENDPOINT taken is a partner; the first one also gets
 * PEER_ENDPOINT and becomes the IPC peer (it answers each message with
 * when it had it and on which CPU it runs), any later one only yields.
 * The peer is spawned first. Where Spawn places it on another CPU (the
 * script's second boot, with two CPUs) bench measures the cross-CPU
 * operations only; on one CPU it measures the rest.
 */
#include <abi/endpoints.h>
#include <counter.h>
#include <stdbool.h>

#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("bench");

/* This program's reply endpoint; a second copy cannot register it. */
#define BENCH_ENDPOINT 30
/* The IPC peer's endpoint (the first copy's). */
#define PEER_ENDPOINT 29
#define IPC_BYTES 256
#define OBJECT_BYTES 4096
#define HASH_BYTES 32

/* Rounds per operation: enough that a tick (10 M instructions apart) or
 * the AArch64 counter's 16-instruction step is lost in the average. */
#define WARMUP 64
#define NULL_ROUNDS 20000
#define YIELD_ROUNDS 4000
#define IPC_ROUNDS 2000
#define WAKE_ROUNDS 2000
#define OBJECT_ROUNDS 200
#define SPAWN_ROUNDS 100

/* The counter at this program's first instruction, stored by bench_start
 * (below) before anything else runs; the linker makes bench_start the
 * entry point (mk/bench-guest.mk), which then goes on to user/lib's
 * _start. */
uint64_t bench_first_counter;

#if defined(__x86_64__)
__asm__(".text\n"
	".global bench_start\n"
	"bench_start:\n"
	"	rdtsc\n"
	"	shlq $32, %rdx\n"
	"	orq %rdx, %rax\n"
	"	movq %rax, bench_first_counter(%rip)\n"
	"	jmp _start\n");
#elif defined(__aarch64__)
__asm__(".text\n"
	".global bench_start\n"
	"bench_start:\n"
	"	mrs x0, cntvct_el0\n"
	"	adrp x1, bench_first_counter\n"
	"	str x0, [x1, :lo12:bench_first_counter]\n"
	"	b _start\n");
#endif

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static size_t append(char *buf, size_t at, const char *s)
{
	for (size_t i = 0; s[i] && at < SYS_PRINT_MAX - 1; i++)
		buf[at++] = s[i];
	return at;
}

/* A signed number in decimal (the results of failed calls are negative). */
static size_t append_number(char *buf, size_t at, int64_t value)
{
	char digits[24];
	size_t n = 0;
	uint64_t v = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (value < 0)
		digits[n++] = '-';
	while (n && at < SYS_PRINT_MAX - 1)
		buf[at++] = digits[--n];
	return at;
}

/* Prints "bench: <what> <a> <b>\n"; a or b negative means "leave out". */
static void report(const char *what, int64_t a, int64_t b)
{
	char line[SYS_PRINT_MAX];
	size_t n = append(line, 0, "bench: ");

	n = append(line, n, what);
	if (a >= 0) {
		n = append(line, n, " ");
		n = append_number(line, n, a);
	}
	if (b >= 0) {
		n = append(line, n, " ");
		n = append_number(line, n, b);
	}
	line[n++] = '\n';
	(void)sys_print(line, n);
}

static void fail(const char *what, int64_t result)
{
	char line[SYS_PRINT_MAX];
	size_t n = append(line, 0, "bench: failed ");

	n = append(line, n, what);
	n = append(line, n, " ");
	n = append_number(line, n, result);
	line[n++] = '\n';
	(void)sys_print(line, n);
	sys_exit(1);
}

static int64_t spawn(const char *role)
{
	return sys_call(SYS_SPAWN, (uint64_t)(uintptr_t)role, length(role), 0);
}

static int64_t wait_task(int64_t pid)
{
	return sys_call(SYS_WAIT_TASK, (uint64_t)pid, 0, 0);
}

static void bench_null_syscall(void)
{
	for (int i = 0; i < WARMUP; i++)
		(void)sys_getpid();
	uint64_t start = counter_read();
	for (int i = 0; i < NULL_ROUNDS; i++)
		(void)sys_getpid();
	report("null-syscall", NULL_ROUNDS, (int64_t)(counter_read() - start));
}

/* The partner yields exactly as often as bench does: every yield of
 * bench's hands the CPU to the partner, whose next yield hands it back,
 * so after the last pair the partner is done and only has to exit. */
#define PARTNER_YIELDS (WARMUP + YIELD_ROUNDS)

static int partner(void)
{
	for (int i = 0; i < PARTNER_YIELDS; i++)
		(void)sys_yield();
	return 0;
}

static void bench_yield_pair(void)
{
	int64_t pid = spawn("bench");

	if (pid <= 0)
		fail("spawn-partner", pid);
	for (int i = 0; i < WARMUP; i++)
		(void)sys_yield();
	uint64_t start = counter_read();
	for (int i = 0; i < YIELD_ROUNDS; i++)
		(void)sys_yield();
	uint64_t ticks = counter_read() - start;
	int64_t code = wait_task(pid);
	if (code != 0)
		fail("partner", code);
	report("yield-pair", YIELD_ROUNDS, (int64_t)ticks);
}

/* One round trip: 256 bytes to the echo service, the same 256 back. */
static void ipc_round_trip(const uint8_t *out, uint8_t *in)
{
	int64_t n = sys_write(ENDPOINT_ECHO, out, IPC_BYTES);

	if (n != IPC_BYTES)
		fail("write", n);
	n = sys_recv_msg(BENCH_ENDPOINT, in, SYS_MSG_PREFIX + IPC_BYTES);
	if (n != SYS_MSG_PREFIX + IPC_BYTES)
		fail("recv", n);
}

static void bench_ipc(void)
{
	static uint8_t out[IPC_BYTES], in[SYS_MSG_PREFIX + IPC_BYTES];

	for (int i = 0; i < IPC_BYTES; i++)
		out[i] = (uint8_t)i;
	for (int i = 0; i < WARMUP; i++)
		ipc_round_trip(out, in);
	uint64_t start = counter_read();
	for (int i = 0; i < IPC_ROUNDS; i++)
		ipc_round_trip(out, in);
	report("ipc-256", IPC_ROUNDS, (int64_t)(counter_read() - start));
}


/*
 * The IPC peer. Messages both ways are IPC_BYTES long and begin with a
 * struct peer_message; the peer reads the counter as soon as its receive
 * returns, so bench can tell how long a message took from the send to a
 * running receiver.
 */
struct peer_message {
	uint64_t counter; /* to the peer: just before the send; back: on receipt */
	uint64_t cpu;     /* back: the peer's CPU */
	uint64_t stop;    /* to the peer: answer, then exit */
};

static int peer(void)
{
	static uint8_t in[SYS_MSG_PREFIX + IPC_BYTES], out[IPC_BYTES];
	struct peer_message ask, answer = { .cpu = (uint64_t)sys_get_cpu() };

	for (;;) {
		int64_t n = sys_recv_msg(PEER_ENDPOINT, in, sizeof(in));

		answer.counter = counter_read();
		if (n != (int64_t)sizeof(in))
			return 2;
		__builtin_memcpy(&ask, in + SYS_MSG_PREFIX, sizeof(ask));
		if (ask.stop)
			answer.cpu = (uint64_t)sys_get_cpu();
		__builtin_memcpy(out, &answer, sizeof(answer));
		if (sys_write(BENCH_ENDPOINT, out, IPC_BYTES) != IPC_BYTES)
			return 3;
		if (ask.stop)
			return 0;
	}
}

/* One message to the peer and its answer. */
static struct peer_message ask_peer(uint64_t stop)
{
	static uint8_t out[IPC_BYTES], in[SYS_MSG_PREFIX + IPC_BYTES];
	struct peer_message ask = { .stop = stop }, answer;

	ask.counter = counter_read();
	__builtin_memcpy(out, &ask, sizeof(ask));
	int64_t n = sys_write(PEER_ENDPOINT, out, IPC_BYTES);
	if (n != IPC_BYTES)
		fail("peer-write", n);
	n = sys_recv_msg(BENCH_ENDPOINT, in, sizeof(in));
	if (n != (int64_t)sizeof(in))
		fail("peer-recv", n);
	__builtin_memcpy(&answer, in + SYS_MSG_PREFIX, sizeof(answer));
	answer.counter -= ask.counter;
	return answer;
}

/* Spawns the peer; returns its process number and, through cpu, its CPU. */
static int64_t start_peer(uint64_t *cpu)
{
	int64_t pid = spawn("bench");

	if (pid <= 0)
		fail("spawn-peer", pid);
	*cpu = ask_peer(0).cpu;
	return pid;
}

/* Ends the peer, checking that neither side changed CPU meanwhile (the
 * figures would mean something else). */
static void stop_peer(int64_t pid, uint64_t my_cpu, uint64_t peer_cpu)
{
	uint64_t now = ask_peer(1).cpu;

	if (now != peer_cpu)
		fail("peer-moved", (int64_t)now);
	if ((uint64_t)sys_get_cpu() != my_cpu)
		fail("bench-moved", sys_get_cpu());
	int64_t code = wait_task(pid);
	if (code != 0)
		fail("peer", code);
}

/* The same 256-byte round trip as ipc-256, with the peer instead of echo. */
static void bench_peer_round_trip(const char *name)
{
	for (int i = 0; i < WARMUP; i++)
		(void)ask_peer(0);
	uint64_t start = counter_read();
	for (int i = 0; i < IPC_ROUNDS; i++)
		(void)ask_peer(0);
	report(name, IPC_ROUNDS, (int64_t)(counter_read() - start));
}

/* From just before a send to the waiting peer running with the message:
 * the peer is always blocked in its receive when bench sends, since
 * bench only sends after the peer's answer to the message before. */
static void bench_wake_up(const char *name)
{
	uint64_t ticks = 0;

	for (int i = 0; i < WARMUP; i++)
		(void)ask_peer(0);
	for (int i = 0; i < WAKE_ROUNDS; i++)
		ticks += ask_peer(0).counter;
	report(name, WAKE_ROUNDS, (int64_t)ticks);
}

#define P(x) ((uint64_t)(uintptr_t)(x))

/* Put + get of one 4 KiB object, timed; the delete that keeps the store
 * (256 objects) from filling is left out of the time. */
static uint64_t object_round(const uint8_t *content, uint8_t *back)
{
	static uint8_t hash[HASH_BYTES];
	uint64_t start = counter_read();
	int64_t r = sys_call(SYS_OBJ_PUT, P(content), OBJECT_BYTES, P(hash));

	if (r != 0)
		fail("objput", r);
	r = sys_call(SYS_OBJ_GET, P(hash), P(back), OBJECT_BYTES);
	uint64_t ticks = counter_read() - start;
	if (r != OBJECT_BYTES)
		fail("objget", r);
	r = sys_call(SYS_OBJ_DELETE, P(hash), 0, 0);
	if (r != 0)
		fail("objdelete", r);
	return ticks;
}

static void bench_objects(void)
{
	static uint8_t content[OBJECT_BYTES], back[OBJECT_BYTES];
	uint64_t ticks = 0;

	for (int i = 0; i < OBJECT_BYTES; i++)
		content[i] = (uint8_t)(i * 7);
	for (int i = 0; i < WARMUP; i++)
		(void)object_round(content, back);
	for (int i = 0; i < OBJECT_ROUNDS; i++)
		ticks += object_round(content, back);
	report("objput-objget-4k", OBJECT_ROUNDS, (int64_t)ticks);
}

static void spawn_and_wait(void)
{
	int64_t pid = spawn("bench-exit");

	if (pid <= 0)
		fail("spawn", pid);
	int64_t code = wait_task(pid);
	if (code != 0)
		fail("wait", code);
}

static void bench_spawn(void)
{
	for (int i = 0; i < WARMUP / 8; i++)
		spawn_and_wait();
	uint64_t start = counter_read();
	for (int i = 0; i < SPAWN_ROUNDS; i++)
		spawn_and_wait();
	report("spawn-wait", SPAWN_ROUNDS, (int64_t)(counter_read() - start));
}

int main(void)
{
	uint64_t first = bench_first_counter;

	if (sys_register_endpoint(BENCH_ENDPOINT) != 0)
		return sys_register_endpoint(PEER_ENDPOINT) == 0 ? peer() : partner();
	report("counter-hz", (int64_t)counter_hz(), -1);
	report("first-instruction", (int64_t)first, -1);

	uint64_t my_cpu = (uint64_t)sys_get_cpu(), peer_cpu;
	int64_t peer_pid = start_peer(&peer_cpu);
	if (peer_cpu != my_cpu) {
		report("cpus", (int64_t)my_cpu, (int64_t)peer_cpu);
		bench_peer_round_trip("ipc-256-cross-cpu");
		bench_wake_up("wake-cross-cpu");
	} else {
		bench_null_syscall();
		bench_yield_pair();
		bench_ipc();
		bench_objects();
		bench_spawn();
		bench_wake_up("wake-same-cpu");
	}
	stop_peer(peer_pid, my_cpu, peer_cpu);
	report("done", -1, -1);
	return 0;
}
