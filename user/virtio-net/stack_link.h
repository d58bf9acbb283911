/*
 * stack_link: the driver's side of include/abi/net.h -- the channel of RX
 * and TX slots it shares with the UDP/IP stack at ENDPOINT_UDP, and the
 * messages about them.
 *
 * The driver creates the channel (NET_CHANNEL_PAGES, both sides write)
 * for its own Principal: every boot module speaks for the bootstrap
 * Principal today, the stack included. It announces it with NET_MSG_UP,
 * or, when no stack is registered yet, waits for the stack's
 * NET_MSG_HELLO. An RX slot is the driver's until it is lent with
 * NET_MSG_RX, and the stack's until NET_MSG_RX_DONE gives it back; TX
 * slots are the stack's but for the copy NET_MSG_TX asks for, answered by
 * NET_MSG_TX_DONE. Everything the stack sends is checked (sender, size,
 * type, slot, length); a violation is one line and is otherwise ignored.
 *
 * Back-pressure: a slot message the stack's full queue has no room for
 * waits in an outbox (lib/slot_outbox.h), in order, and goes after the
 * stack's next message, which wakes the driver. Only when every RX slot
 * is lent or waiting is a received frame dropped (and counted).
 *
 * When the stack ends the kernel ends the channel, unmapping it from the
 * driver too: before each copy the driver asks ChannelInfo that it is
 * still there, and on the stack's next HELLO makes a new one.
 */
#ifndef CAMBIOS_VIRTIO_NET_STACK_LINK_H
#define CAMBIOS_VIRTIO_NET_STACK_LINK_H

#include <abi/net.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../lib/slot_outbox.h"
#include "net_dev.h"

struct stack_link {
	struct net_dev *dev;
	int64_t channel;             /* its id; negative when there is none */
	uint8_t *base;               /* where it is mapped for us */
	bool announced;              /* NET_MSG_UP reached endpoint 21 */
	bool rx_lent[NET_RX_SLOTS];  /* lent to the stack, awaiting RX_DONE */
	struct slot_outbox out;      /* NET_MSG_RX / TX_DONE not yet delivered */
	uint64_t violations;
};

/* A channel for the stack, announced (or the wait for HELLO said). */
const char *stack_link_start(struct stack_link *s, struct net_dev *dev);

/* A received frame: into a free RX slot and announced, or dropped. */
void stack_link_deliver(void *ctx, const uint8_t *frame, uint32_t len);

/* Takes every message waiting on ENDPOINT_VIRTIO_NET, then sends what
 * the outbox holds as far as the stack's queue takes it. */
void stack_link_drain(struct stack_link *s);

#endif
