/*
 * slot_outbox: slot messages (abi/net.h) waiting for room in the other
 * side's endpoint queue -- shared by the virtio-net driver and the UDP/IP
 * stack, each of which keeps one for the messages it sends the other.
 *
 * An endpoint queues at most 16 messages. A slot message refused because
 * the queue is full must not be lost: a lost RX drops a frame already in
 * its slot, a lost RX_DONE or TX_DONE leaks a slot for good, a lost TX
 * drops a frame the stack meant to send. So it waits here, behind any
 * that wait already (the other side sees every message in the order it
 * was made), and goes when the queue has room again -- which the sender
 * learns from the other side's next message, since every message the
 * other side takes makes it answer sooner or later. Each slot has at most
 * one message on the way, so SLOT_OUTBOX_MAX (every slot's) is never
 * exceeded by an honest user. No system calls: the caller's `send` does
 * the writing, so the host tests can play a full queue.
 */
#ifndef CAMBIOS_LIB_SLOT_OUTBOX_H
#define CAMBIOS_LIB_SLOT_OUTBOX_H

#include <abi/net.h>
#include <stdbool.h>
#include <stdint.h>

#define SLOT_OUTBOX_MAX (NET_RX_SLOTS + NET_TX_SLOTS)

enum slot_send {
	SLOT_SENT,       /* delivered (or refused for good: not worth keeping) */
	SLOT_QUEUE_FULL, /* no room now: keep it, and what follows, for later */
	SLOT_PEER_GONE,  /* nobody there any more: drop everything */
};

struct slot_outbox {
	struct net_slot_msg msg[SLOT_OUTBOX_MAX];
	unsigned head, count;
	uint64_t held;   /* messages that had to wait, all told */
};

typedef enum slot_send (*slot_send_fn)(void *ctx, const struct net_slot_msg *m);

/* Empty, its count of held messages kept. */
void slot_outbox_clear(struct slot_outbox *o);

/* Sends what waits, oldest first, while `send` takes it. Returns
 * SLOT_PEER_GONE (the outbox emptied) when the other side is gone, else
 * SLOT_QUEUE_FULL if something still waits, SLOT_SENT if nothing does. */
enum slot_send slot_outbox_flush(struct slot_outbox *o, slot_send_fn send, void *ctx);

/* One more message: after those waiting, then a flush (its result). A
 * full outbox refuses it with SLOT_QUEUE_FULL and keeps what it has. */
enum slot_send slot_outbox_send(struct slot_outbox *o, const struct net_slot_msg *m,
				slot_send_fn send, void *ctx);

#endif
