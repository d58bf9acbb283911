/*
 * checks: what the stack's messages and the device's frame lengths say,
 * checked before the driver acts on any of it (include/abi/net.h: neither
 * side trusts the other; the device is not trusted either). The checks
 * have no side effects and know nothing of the channel or the device, so
 * the host tests give them every bad input (tests/unit/vnet_checks_test.c);
 * the driver then acts on a message that passed, knowing its slot and
 * length are in range.
 */
#ifndef CAMBIOS_VIRTIO_NET_CHECKS_H
#define CAMBIOS_VIRTIO_NET_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

enum stack_verdict {
	STACK_MSG_OK = 0,
	STACK_MSG_SENDER,  /* not from the stack's endpoint */
	STACK_MSG_SIZE,    /* too short for a type, or the wrong size for its type */
	STACK_MSG_TYPE,    /* not HELLO, RX_DONE or TX */
	STACK_MSG_SLOT,    /* a slot number past its area */
	STACK_MSG_LENGTH,  /* a TX whose length is no Ethernet frame (its slot is valid) */
};

struct stack_msg {
	uint32_t type;   /* NET_MSG_HELLO, NET_MSG_RX_DONE or NET_MSG_TX */
	uint32_t slot;
	uint32_t length;
};

/* Decodes one message as RecvMsg gave it (`len` bytes: the identity
 * prefix, then the payload) into *out. On STACK_MSG_OK every field is in
 * range; on STACK_MSG_LENGTH the type and slot are, so the driver can give
 * the slot back. *out's fields not yet read are 0. */
enum stack_verdict check_stack_msg(const uint8_t *msg, int64_t len, struct stack_msg *out);

/* The frame in a receive buffer the device used for `used` bytes (the
 * virtio-net header, then the frame): its length, or 0 when that is no
 * Ethernet frame this driver passes on. */
uint32_t check_rx_used(uint32_t used);

#endif
