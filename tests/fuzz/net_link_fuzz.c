/*
 * net_link_fuzz: libFuzzer target for lib/net_link -- a driver that says
 * anything. The input is a run of messages, each a length byte and that
 * many bytes, played the way user/udp/driver.c plays them: a NET_MSG_UP
 * checked (and, if good, its channel checked against a ChannelInfo record
 * the next bytes make up, then attached), NET_MSG_RX slots read and handed
 * back, NET_MSG_TX_DONE slots returned, and a TX slot taken after every
 * message. Whatever comes, every frame pointer lies inside the channel and
 * its RX area, every TX slot handed out lies in the TX area and is not
 * held twice, and the link's masks never name a slot past its count.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <abi/channel.h>
#include <net_link.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHANNEL_BYTES ((uint64_t)NET_CHANNEL_PAGES * 4096)
static uint8_t channel[CHANNEL_BYTES];

static void check(const struct net_link *l, uint32_t taken)
{
	if (l->rx_held >> (NET_RX_SLOTS - 1) >> 1 || l->tx_free >> (NET_TX_SLOTS - 1) >> 1)
		abort();
	if (l->tx_free & taken) /* a slot both free and in our hands */
		abort();
}

/* Whether the link was (re)attached. The record's peer address is set to
 * where our channel lies (no input could guess a pointer; the address
 * check has its unit test). */
static bool up(struct net_link *l, const uint8_t *msg, size_t len, const uint8_t *bytes,
	       size_t info_len)
{
	struct net_up u;
	uint64_t size = 0, address = (uint64_t)(uintptr_t)channel;
	uint8_t info[CHANNEL_INFO_LEN] = { 0 };

	memcpy(info, bytes, info_len);
	for (int i = 0; i < 8; i++)
		info[CHANNEL_INFO_PEER_VA + i] = (uint8_t)(address >> (8 * i));
	if (net_link_check_up(msg, len, &u) != NET_LINK_OK)
		return false;
	if (u.rx_slots != NET_RX_SLOTS || u.tx_slots != NET_TX_SLOTS || u.slot_size != NET_SLOT_SIZE)
		abort();
	if (net_link_check_channel(info, info_len, &u, address, &size) != NET_LINK_OK)
		return false;
	if (size < (uint64_t)(NET_RX_SLOTS + NET_TX_SLOTS) * NET_SLOT_SIZE)
		abort();
	/* The real channel is the size the fake record claims only up to
	 * our buffer: a larger claim is cut to what exists. */
	net_link_attach(l, &u, channel, size < CHANNEL_BYTES ? size : CHANNEL_BYTES);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_link l;
	uint32_t taken = 0;

	net_link_down(&l);
	for (size_t at = 0; at < size;) {
		size_t len = data[at++];
		if (len > size - at)
			len = size - at;
		uint8_t *msg = malloc(len ? len : 1);
		if (!msg)
			return 0;
		memcpy(msg, data + at, len);
		at += len;
		uint32_t type = len >= 4 ? msg[0] : 0;
		struct net_slot_msg m;
		if (type == NET_MSG_UP) {
			size_t info_len = size - at < CHANNEL_INFO_LEN ? size - at : CHANNEL_INFO_LEN;
			if (up(&l, msg, len, data + at, info_len))
				taken = 0; /* a new link: every TX slot free again */
		} else if (net_link_read_slot_msg(msg, len, &m) == NET_LINK_OK) {
			const uint8_t *frame = NULL;
			size_t flen = 0;
			if (type == NET_MSG_RX && net_link_rx(&l, &m, &frame, &flen) == NET_LINK_OK) {
				if (frame < channel || flen == 0 || flen > NET_FRAME_MAX ||
				    frame + flen > channel + (uint64_t)NET_RX_SLOTS * NET_SLOT_SIZE)
					abort();
				net_link_rx_done(&l, m.slot);
			} else if (type == NET_MSG_TX_DONE && net_link_tx_done(&l, &m) == NET_LINK_OK) {
				if (!(taken & (1u << m.slot)))
					abort(); /* freed a slot we did not hold */
				taken &= ~(1u << m.slot);
			}
		}
		free(msg);
		uint32_t slot;
		uint8_t *where;
		if (net_link_tx_take(&l, &slot, &where)) {
			if (slot >= NET_TX_SLOTS || (taken & (1u << slot)) ||
			    where != channel + (uint64_t)(NET_RX_SLOTS + slot) * NET_SLOT_SIZE)
				abort();
			taken |= 1u << slot;
			memset(where, 0xee, NET_SLOT_SIZE); /* ASan: the whole slot is ours */
		}
		check(&l, taken);
	}
	return 0;
}
