/*
 * ipc_bench: the kernel-side cost of one IPC send + receive pair, with the
 * interceptor and the capability checks on, as the kernel builds them
 * (lock-order tracking included when CONFIG_LOCK_DEBUG is on, the kernel's
 * default).
 *
 * Kernel process 1 sends to endpoint 2, owned by kernel process 2, which
 * receives (the identity-aware receive, as services use it). Figures for
 * 16- and 256-byte payloads:
 *   ns/pair        wall-clock mean over many pairs (host, noisy)
 *   instr/pair     user-mode instructions of one pair, counted exactly by
 *                  single-stepping (tests/bench/instructions.c)
 * For scale, the same run times a Linux pipe write + read of the same size
 * (a system call each way; not the same work, but the nearest everyday
 * IPC). Nothing is asserted.
 */
#define _POSIX_C_SOURCE 200809L

#include <cap.h>
#include <ipc.h>
#include <lock_debug.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../support/host_world.h"
#include "bench_clock.h"
#include "instructions.h"

#define SENDER PID_MAKE(0, 1)
#define RECEIVER PID_MAKE(0, 2)
#define TIMED_PAIRS 200000
#define COUNTED_PAIRS 8

static void fail(const char *what, kerr_t err)
{
	fprintf(stderr, "ipc_bench: %s: %s\n", what, kerr_name(err));
	exit(1);
}

static void boot(void)
{
	if (host_world_boot_processes() != 0)
		fail("host world", K_ENOMEM);
	ipc_init();
	cap_init();
	kerr_t err = ipc_register(SENDER, 1);
	if (err == K_OK)
		err = ipc_register(RECEIVER, 2);
	if (err != K_OK)
		fail("register", err);
}

struct pairs {
	size_t length;
	unsigned count;
};

static void run_pairs(void *arg)
{
	const struct pairs *p = arg;
	uint8_t payload[IPC_PAYLOAD_MAX] = { 1, 2, 3 };
	uint8_t buf[IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX];
	size_t written;

	for (unsigned i = 0; i < p->count; i++) {
		kerr_t err = ipc_send(SENDER, 1, 2, payload, p->length);
		if (err == K_OK)
			err = ipc_receive_with_identity(RECEIVER, 2, buf, sizeof(buf), &written);
		if (err != K_OK)
			fail("send/receive", err);
	}
}

static double pipe_ns_per_pair(size_t length, unsigned count)
{
	char buf[IPC_PAYLOAD_MAX] = { 0 };
	int fds[2];

	if (pipe(fds) != 0)
		return -1;
	double start = bench_now();
	for (unsigned i = 0; i < count; i++) {
		if (write(fds[1], buf, length) != (ssize_t)length ||
		    read(fds[0], buf, length) != (ssize_t)length)
			break;
	}
	double ns = (bench_now() - start) * 1e9 / count;
	close(fds[0]);
	close(fds[1]);
	return ns;
}

static void measure(size_t length)
{
	struct pairs warm = { length, 1000 }, timed = { length, TIMED_PAIRS };
	struct pairs counted = { length, COUNTED_PAIRS };

	run_pairs(&warm);
	double start = bench_now();
	run_pairs(&timed);
	double ns = (bench_now() - start) * 1e9 / TIMED_PAIRS;
	long long instructions = count_instructions(run_pairs, &counted);
	printf("  %3zu-byte payload: %7.1f ns/pair", length, ns);
	if (instructions >= 0)
		printf(", %6lld instr/pair", instructions / COUNTED_PAIRS);
	else
		printf(", instructions not counted (ptrace unavailable)");
	printf("   | Linux pipe write+read: %7.1f ns/pair\n", pipe_ns_per_pair(length, TIMED_PAIRS));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	boot();
	printf("IPC send + identity receive, interceptor and capabilities checked"
	       " (lock-order tracking %s):\n", CONFIG_LOCK_DEBUG ? "on" : "off");
	measure(16);
	measure(256);
	return 0;
}
