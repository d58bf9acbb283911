/*
 * pingpong: what user/pinger and user/ponger agree on -- a cross-CPU IPC
 * test (tests/boot/test_smp.py). The pinger sends PINGPONG_MESSAGES
 * sequence numbers, one at a time, to the ponger's endpoint; the ponger
 * answers each with the same number and the CPU it runs on. Each checks
 * that every number comes once and in order.
 */
#ifndef CAMBIOS_USER_PINGPONG_H
#define CAMBIOS_USER_PINGPONG_H

#include <stdint.h>

#define PINGPONG_MESSAGES 10000
#define ENDPOINT_PONGER 29
#define ENDPOINT_PINGER 30

struct pingpong_message {
	uint64_t seq;
	uint64_t cpu; /* the ponger's, in answers */
};

#endif
