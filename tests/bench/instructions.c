/*
 * instructions: see instructions.h.
 *
 * The child stops itself with SIGSTOP just before and just after calling
 * fn; the parent single-steps it from the first stop to the second. The
 * steps the stops themselves take are measured with an empty function and
 * subtracted.
 */
#define _GNU_SOURCE
#include "instructions.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void nothing(void *arg)
{
	(void)arg;
}

static long long single_step(void (*fn)(void *), void *arg)
{
	pid_t child = fork();
	int status;
	long long steps = 0;

	if (child < 0)
		return -1;
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(1);
		raise(SIGSTOP);
		fn(arg);
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
		waitpid(child, &status, 0);
		return -1;
	}
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) != 0 ||
		    waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
			steps = -1;
			break;
		}
		if (WSTOPSIG(status) == SIGSTOP)
			break;
		steps++;
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return steps;
}

long long count_instructions(void (*fn)(void *), void *arg)
{
	long long base = single_step(nothing, NULL);
	long long total = single_step(fn, arg);

	return base < 0 || total < 0 ? -1 : total - base;
}
