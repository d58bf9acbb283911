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
 *   bench: <operation> <rounds> <ticks>
 *   bench: failed <operation> <result>      (then it exits 1)
 *   bench: done
 *
 * The yield partner is this same module spawned again: a copy that finds
 * BENCH_ENDPOINT taken knows it is the partner and only yields.
 */
#include <abi/endpoints.h>
#include <counter.h>
#include <stdbool.h>

#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("bench");

/* This program's reply endpoint; a second copy cannot register it. */
#define BENCH_ENDPOINT 30
#define IPC_BYTES 256
#define OBJECT_BYTES 4096
#define HASH_BYTES 32

/* Rounds per operation: enough that a tick (10 M instructions apart) or
 * the AArch64 counter's 16-instruction step is lost in the average. */
#define WARMUP 64
#define NULL_ROUNDS 20000
#define YIELD_ROUNDS 4000
#define IPC_ROUNDS 2000
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
		return partner();
	report("counter-hz", (int64_t)counter_hz(), -1);
	report("first-instruction", (int64_t)first, -1);
	bench_null_syscall();
	bench_yield_pair();
	bench_ipc();
	bench_objects();
	bench_spawn();
	report("done", -1, -1);
	return 0;
}
