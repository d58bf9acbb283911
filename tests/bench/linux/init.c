/*
 * init: the Linux side of `make bench-guest` -- the first and only program
 * of the initramfs scripts/bench_guest.py builds for Debian's Linux 6.1,
 * booted in the same QEMU machine as CambiOS (q35, -icount shift=0).
 *
 * It times the operations user/bench/bench.c times, with Linux's nearest
 * equivalents, and prints them the same way, counted by the same counter
 * (include/counter.h: the TSC, one tick per guest instruction under
 * icount):
 *
 *   linux-bench: counter-hz <ticks per second of guest time>
 *   linux-bench: <operation> <rounds> <ticks>
 *   linux-bench: failed <what> <errno>
 *   linux-bench: done
 *
 * then powers the machine off (an init must never exit). Every process
 * stays on CPU 0, like the CambiOS programs on their one CPU.
 */
#include <counter.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define WARMUP 64
#define NULL_ROUNDS 20000
#define YIELD_ROUNDS 4000
#define PIPE_ROUNDS 2000
#define SPAWN_ROUNDS 100
#define PIPE_BYTES 256

/* The tiny program forked and executed (tests/bench/linux/exit.c). */
static const char exit_program[] = "/exit";

static void report(const char *what, long rounds, uint64_t ticks)
{
	printf("linux-bench: %s %ld %llu\n", what, rounds, (unsigned long long)ticks);
	fflush(stdout);
}

/* Says what failed and stops the machine: nothing after it would mean much. */
static void fail(const char *what)
{
	printf("linux-bench: failed %s %d\n", what, errno);
	fflush(stdout);
	reboot(RB_POWER_OFF);
	_exit(1);
}

static void bench_null_syscall(void)
{
	for (int i = 0; i < WARMUP; i++)
		(void)getppid();
	uint64_t start = counter_read();
	for (int i = 0; i < NULL_ROUNDS; i++)
		(void)getppid();
	report("null-syscall", NULL_ROUNDS, counter_read() - start);
}

/* Ends a helper child and collects it. */
static void end_child(pid_t child)
{
	if (kill(child, SIGKILL) != 0 || waitpid(child, NULL, 0) != child)
		fail("end-child");
}

/* The partner yields until it is killed, so it is always there to take
 * the CPU, and counts its yields in a shared page. Linux's fair scheduler
 * does not hand the CPU over at every sched_yield (in a test run the
 * partner yielded about 1,800 times against our 4,000), so a pair -- one
 * yield in each process, the CPU there and back -- is counted by the
 * partner's yields inside the timed window, and the yields of ours that
 * kept the CPU are charged to the pairs. */
static void bench_yield_pair(void)
{
	const int shared = MAP_SHARED | MAP_ANONYMOUS;
	// cppcheck-suppress invalidFunctionArg ; MAP_ANONYMOUS maps no file: fd -1, as mmap(2) says
	volatile long *partner_yields = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, shared, -1, 0);
	if (partner_yields == MAP_FAILED)
		fail("mmap");
	pid_t child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		for (;;) {
			(void)sched_yield();
			(*partner_yields)++;
		}
	}
	for (int i = 0; i < WARMUP; i++)
		(void)sched_yield();
	long before = *partner_yields;
	uint64_t start = counter_read();
	for (int i = 0; i < YIELD_ROUNDS; i++)
		(void)sched_yield();
	uint64_t ticks = counter_read() - start;
	long pairs = *partner_yields - before;
	end_child(child);
	printf("linux-bench: yields %d %ld\n", YIELD_ROUNDS, pairs);
	report("yield-pair", pairs, ticks);
}

static void transfer(int fd, char *buf, int writing)
{
	size_t done = 0;

	while (done < PIPE_BYTES) {
		ssize_t n = writing ? write(fd, buf + done, PIPE_BYTES - done) :
				      read(fd, buf + done, PIPE_BYTES - done);
		if (n <= 0)
			fail(writing ? "write" : "read");
		done += (size_t)n;
	}
}

/* The child answers every 256 bytes with the same bytes until its pipe
 * closes; one round trip is a write and a blocking read each way. */
static void pipe_echo(int in, int out)
{
	char buf[PIPE_BYTES];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n <= 0)
			_exit(0);
		if (write(out, buf, (size_t)n) != n)
			_exit(1);
	}
}

static void pipe_round_trip(int to, int from, char *buf)
{
	transfer(to, buf, 1);
	transfer(from, buf, 0);
}

static void bench_pipe(void)
{
	int to[2], from[2];
	char buf[PIPE_BYTES];

	memset(buf, 0x5a, sizeof(buf));
	if (pipe(to) != 0 || pipe(from) != 0)
		fail("pipe");
	pid_t child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		close(to[1]);
		close(from[0]);
		pipe_echo(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	for (int i = 0; i < WARMUP; i++)
		pipe_round_trip(to[1], from[0], buf);
	uint64_t start = counter_read();
	for (int i = 0; i < PIPE_ROUNDS; i++)
		pipe_round_trip(to[1], from[0], buf);
	uint64_t ticks = counter_read() - start;
	close(to[1]);
	close(from[0]);
	if (waitpid(child, NULL, 0) != child)
		fail("wait-echo");
	report("ipc-256", PIPE_ROUNDS, ticks);
}

static void fork_exec_wait(void)
{
	static char *const argv[] = { (char *)exit_program, NULL };
	static char *const envp[] = { NULL };
	int status = 0;
	pid_t child = fork();

	if (child < 0)
		fail("fork");
	if (child == 0) {
		execve(exit_program, argv, envp);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("exec-exit");
}

static void bench_spawn(void)
{
	for (int i = 0; i < WARMUP / 8; i++)
		fork_exec_wait();
	uint64_t start = counter_read();
	for (int i = 0; i < SPAWN_ROUNDS; i++)
		fork_exec_wait();
	report("spawn-wait", SPAWN_ROUNDS, counter_read() - start);
}

int main(void)
{
	cpu_set_t cpu0;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) != 0)
		fail("affinity");
	printf("linux-bench: counter-hz %llu\n", (unsigned long long)counter_hz());
	bench_null_syscall();
	bench_yield_pair();
	bench_pipe();
	bench_spawn();
	printf("linux-bench: done\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
