/*
 * slot_outbox: slot messages waiting for room (see slot_outbox.h).
 */
#include "slot_outbox.h"

void slot_outbox_clear(struct slot_outbox *o)
{
	o->head = 0;
	o->count = 0;
}

enum slot_send slot_outbox_flush(struct slot_outbox *o, slot_send_fn send, void *ctx)
{
	while (o->count) {
		enum slot_send r = send(ctx, &o->msg[o->head]);
		if (r == SLOT_QUEUE_FULL)
			return r;
		if (r == SLOT_PEER_GONE) {
			slot_outbox_clear(o);
			return r;
		}
		o->head = (o->head + 1) % SLOT_OUTBOX_MAX;
		o->count--;
	}
	return SLOT_SENT;
}

enum slot_send slot_outbox_send(struct slot_outbox *o, const struct net_slot_msg *m,
				slot_send_fn send, void *ctx)
{
	if (o->count == SLOT_OUTBOX_MAX)
		return SLOT_QUEUE_FULL;
	o->msg[(o->head + o->count) % SLOT_OUTBOX_MAX] = *m;
	o->count++;
	enum slot_send r = slot_outbox_flush(o, send, ctx);
	if (r == SLOT_QUEUE_FULL)
		o->held++; /* it waits: the newest, behind the rest */
	return r;
}
