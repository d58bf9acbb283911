/*
 * ipc_process.h (verify stub): the harness's handle on ipc_process.c's
 * model of the process table.
 */
#ifndef CAMBIOS_VERIFY_IPC_PROCESS_H
#define CAMBIOS_VERIFY_IPC_PROCESS_H

#include <identity.h>
#include <stdbool.h>
#include <stdint.h>

/* Slot `slot` now publishes pid_plus_one (0: free) and speaks for
 * `principal` if `bound`. */
void ipc_process_set(uint32_t slot, uint64_t pid_plus_one, bool bound,
		     const struct principal *principal);

#endif
