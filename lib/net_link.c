/*
 * net_link: the driver link's checks and slots (see net_link.h).
 */
#include "net_link.h"

#include <abi/channel.h>

#define PAGE_SIZE 4096u
#define SLOT_BYTES ((uint64_t)(NET_RX_SLOTS + NET_TX_SLOTS) * NET_SLOT_SIZE)

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t all(uint32_t slots)
{
	return slots >= 32 ? 0xffffffffu : (1u << slots) - 1;
}

enum net_link_verdict net_link_check_up(const uint8_t *msg, size_t len, struct net_up *up)
{
	if (len != sizeof(*up))
		return NET_LINK_MSG_SIZE;
	/* Field by field: the message may sit at any alignment. */
	up->type = get32(msg);
	up->generation = get32(msg + 4);
	up->channel = get64(msg + 8);
	for (int i = 0; i < 6; i++)
		up->mac[i] = msg[16 + i];
	up->mtu = (uint16_t)(msg[22] | msg[23] << 8);
	up->rx_slots = get32(msg + 24);
	up->tx_slots = get32(msg + 28);
	up->slot_size = get32(msg + 32);
	up->reserved = get32(msg + 36);
	if (up->rx_slots != NET_RX_SLOTS || up->tx_slots != NET_TX_SLOTS ||
	    up->slot_size != NET_SLOT_SIZE || up->mtu == 0 || up->mtu > 1500)
		return NET_LINK_GEOMETRY;
	bool zero = true;
	for (int i = 0; i < 6; i++)
		zero = zero && up->mac[i] == 0;
	if (zero || (up->mac[0] & 1))
		return NET_LINK_MAC;
	return NET_LINK_OK;
}

enum net_link_verdict net_link_check_channel(const uint8_t *info, size_t len,
					     const struct net_up *up, uint64_t address,
					     uint64_t *size)
{
	if (len < CHANNEL_INFO_LEN)
		return NET_LINK_CHANNEL;
	uint64_t pages = get32(info + CHANNEL_INFO_PAGES);
	if (info[CHANNEL_INFO_STATE] != CHANNEL_STATE_ACTIVE ||
	    info[CHANNEL_INFO_ROLE] != CHANNEL_ROLE_BIDIRECTIONAL ||
	    get32(info + CHANNEL_INFO_CREATOR) != up->generation ||
	    get64(info + CHANNEL_INFO_PEER_VA) != address || address == 0 ||
	    pages > CHANNEL_PAGES_ABI_MAX || pages * PAGE_SIZE < SLOT_BYTES)
		return NET_LINK_CHANNEL;
	*size = pages * PAGE_SIZE;
	return NET_LINK_OK;
}

void net_link_attach(struct net_link *l, const struct net_up *up, uint8_t *base, uint64_t size)
{
	*l = (struct net_link){
		.up = true, .generation = up->generation, .channel = up->channel,
		.base = base, .size = size, .rx_held = 0, .tx_free = all(NET_TX_SLOTS),
	};
	for (int i = 0; i < 6; i++)
		l->mac[i] = up->mac[i];
}

void net_link_down(struct net_link *l)
{
	*l = (struct net_link){ .up = false };
}

enum net_link_verdict net_link_read_slot_msg(const uint8_t *msg, size_t len,
					     struct net_slot_msg *m)
{
	if (len != sizeof(*m))
		return NET_LINK_MSG_SIZE;
	m->type = get32(msg);
	m->slot = get32(msg + 4);
	m->length = get32(msg + 8);
	return NET_LINK_OK;
}

enum net_link_verdict net_link_rx(struct net_link *l, const struct net_slot_msg *m,
				  const uint8_t **frame, size_t *len)
{
	if (!l->up)
		return NET_LINK_DOWN;
	if (!net_slot_number_ok(NET_MSG_RX, m->slot))
		return NET_LINK_SLOT;
	uint64_t offset = (uint64_t)m->slot * NET_SLOT_SIZE;
	if (!net_frame_length_ok(m->length) ||
	    !channel_range_ok(offset, m->length, l->size))
		return NET_LINK_LENGTH;
	if (l->rx_held & (1u << m->slot))
		return NET_LINK_NOT_THEIRS;
	l->rx_held |= 1u << m->slot;
	*frame = l->base + offset;
	*len = m->length;
	return NET_LINK_OK;
}

void net_link_rx_done(struct net_link *l, uint32_t slot)
{
	if (slot < NET_RX_SLOTS)
		l->rx_held &= ~(1u << slot);
}

enum net_link_verdict net_link_tx_done(struct net_link *l, const struct net_slot_msg *m)
{
	if (!l->up)
		return NET_LINK_DOWN;
	if (!net_slot_number_ok(NET_MSG_TX_DONE, m->slot))
		return NET_LINK_SLOT;
	if (m->length != 0)
		return NET_LINK_LENGTH;
	if (l->tx_free & (1u << m->slot))
		return NET_LINK_NOT_THEIRS;
	l->tx_free |= 1u << m->slot;
	return NET_LINK_OK;
}

bool net_link_tx_take(struct net_link *l, uint32_t *slot, uint8_t **where)
{
	if (!l->up || l->tx_free == 0)
		return false;
	uint32_t s = (uint32_t)__builtin_ctz(l->tx_free);
	uint64_t offset = (uint64_t)(NET_RX_SLOTS + s) * NET_SLOT_SIZE;
	if (!channel_range_ok(offset, NET_SLOT_SIZE, l->size))
		return false; /* checked at attach: cannot */
	l->tx_free &= ~(1u << s);
	*slot = s;
	*where = l->base + offset;
	return true;
}

void net_link_tx_untake(struct net_link *l, uint32_t slot)
{
	if (l->up && slot < NET_TX_SLOTS)
		l->tx_free |= 1u << slot;
}

unsigned net_link_tx_free(const struct net_link *l)
{
	return (unsigned)__builtin_popcount(l->tx_free);
}

const char *net_link_verdict_name(enum net_link_verdict v)
{
	static const char *const names[NET_LINK_VERDICTS] = {
		[NET_LINK_OK] = "ok", [NET_LINK_MSG_SIZE] = "message size",
		[NET_LINK_GEOMETRY] = "geometry", [NET_LINK_MAC] = "mac",
		[NET_LINK_CHANNEL] = "channel", [NET_LINK_DOWN] = "link down",
		[NET_LINK_SLOT] = "slot number", [NET_LINK_LENGTH] = "slot length",
		[NET_LINK_NOT_THEIRS] = "slot not theirs",
	};

	return (unsigned)v < NET_LINK_VERDICTS ? names[v] : "unknown";
}
