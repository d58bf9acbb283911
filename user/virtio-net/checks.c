/*
 * checks: the checks on the stack's messages and the device's frame
 * lengths (see slot_msg.h).
 */
#include "checks.h"

#include <abi/endpoints.h>
#include <abi/ipc.h>
#include <abi/net.h>

#define VIRTIO_NET_HEADER 12u /* with VERSION_1 (virtio 1.x, 5.1.6) */

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum stack_verdict check_slot(const struct stack_msg *m)
{
	if (!net_slot_number_ok(m->type, m->slot))
		return STACK_MSG_SLOT;
	/* RX_DONE's length means nothing: never refused for it, so a slot
	 * always comes back. */
	if (m->type == NET_MSG_TX && !net_frame_length_ok(m->length))
		return STACK_MSG_LENGTH;
	return STACK_MSG_OK;
}

enum stack_verdict check_stack_msg(const uint8_t *msg, int64_t len, struct stack_msg *out)
{
	*out = (struct stack_msg){ 0 };
	if (len < IPC_IDENTITY_PREFIX || le32_at(msg + IPC_PREFIX_REPLY_ENDPOINT) != ENDPOINT_UDP)
		return STACK_MSG_SENDER;
	/* Only now: a length near INT64_MIN would overflow the subtraction. */
	const uint8_t *p = msg + IPC_IDENTITY_PREFIX;
	int64_t payload = len - IPC_IDENTITY_PREFIX;
	if (payload < 4)
		return STACK_MSG_SIZE;
	out->type = le32_at(p);
	if (out->type == NET_MSG_HELLO)
		return payload == sizeof(struct net_msg) ? STACK_MSG_OK : STACK_MSG_SIZE;
	if (out->type != NET_MSG_RX_DONE && out->type != NET_MSG_TX)
		return STACK_MSG_TYPE;
	if (payload != sizeof(struct net_slot_msg))
		return STACK_MSG_SIZE;
	out->slot = le32_at(p + 4);
	out->length = le32_at(p + 8);
	return check_slot(out);
}

uint32_t check_rx_used(uint32_t used)
{
	if (used < VIRTIO_NET_HEADER || !net_frame_length_ok(used - VIRTIO_NET_HEADER))
		return 0;
	return used - VIRTIO_NET_HEADER;
}
