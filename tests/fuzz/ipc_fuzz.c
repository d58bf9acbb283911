/*
 * ipc_fuzz: libFuzzer target driving the IPC manager, the interceptor and
 * the capability manager with arbitrary operation sequences.
 *
 * Every 8 bytes are one operation (send, receive, identity receive,
 * register, unregister, grant, delegate, revoke, process death and
 * rebirth) run by the shadow model in tests/support/ipc_model.c, which
 * predicts each verdict and checks every message, stamp, right and queue.
 * A disagreement aborts; crashes and sanitizer reports are findings too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../support/ipc_model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The kernel's boot lines (printk goes to stdout on the host) would
	 * repeat for every input; libFuzzer and the model report on stderr. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ipc_model_boot() != 0 || ipc_model_run(data, size) != 0)
		abort();
	return 0;
}
