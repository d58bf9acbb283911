/*
 * net_link: the UDP/IP stack's side of the link to the virtio-net driver
 * (abi/net.h), as checks and bookkeeping with no system calls, so the
 * host tests and a fuzz target can play every driver, honest or not.
 *
 * The driver is not trusted. Its NET_MSG_UP must be exactly a struct
 * net_up with the geometry of abi/net.h (NET_RX_SLOTS, NET_TX_SLOTS,
 * NET_SLOT_SIZE, an MTU of at most 1500, a unicast MAC), and the channel
 * it names, once attached, must be what ChannelInfo says: active, both
 * sides writing, created by the driver's own process (the generation),
 * mapped where the attach put it, and at least as large as the slots.
 * Every later message is checked against what the link holds: its size,
 * its slot number, its length inside the slot and the channel
 * (channel_range_ok), and whether that slot is the other side's to give --
 * an RX slot the stack already holds, or a TX slot it never gave, is a
 * protocol violation, reported and ignored.
 */
#ifndef CAMBIOS_LIB_NET_LINK_H
#define CAMBIOS_LIB_NET_LINK_H

#include <abi/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

_Static_assert(NET_RX_SLOTS <= 32 && NET_TX_SLOTS <= 32, "slot sets are 32-bit masks");

enum net_link_verdict {
	NET_LINK_OK = 0,
	NET_LINK_MSG_SIZE,    /* not the size of its struct */
	NET_LINK_GEOMETRY,    /* slots, slot size or MTU other than abi/net.h's */
	NET_LINK_MAC,         /* a multicast or all-zero MAC */
	NET_LINK_CHANNEL,     /* ChannelInfo disagrees: state, role, creator, address, size */
	NET_LINK_DOWN,        /* no link to use the message with */
	NET_LINK_SLOT,        /* slot number out of range */
	NET_LINK_LENGTH,      /* length 0, past the frame maximum or the channel */
	NET_LINK_NOT_THEIRS,  /* a slot the driver does not hold (given twice) */
	NET_LINK_VERDICTS,
};

struct net_link {
	bool up;
	uint32_t generation;
	uint64_t channel;
	uint8_t *base;     /* where the channel is mapped in this process */
	uint64_t size;     /* its bytes, from ChannelInfo */
	uint8_t mac[6];
	uint32_t rx_held;  /* RX slots the driver has handed us and not had back */
	uint32_t tx_free;  /* TX slots we may write */
};

/* Reads a NET_MSG_UP of `len` bytes into *up, checking its size and what
 * it announces. */
enum net_link_verdict net_link_check_up(const uint8_t *msg, size_t len, struct net_up *up);

/* Checks ChannelInfo's record (CHANNEL_INFO_LEN bytes) of the channel
 * `up` named, attached at `address`; on NET_LINK_OK, *size is its bytes. */
enum net_link_verdict net_link_check_channel(const uint8_t *info, size_t len,
					     const struct net_up *up, uint64_t address,
					     uint64_t *size);

/* The link is up on a checked channel: every TX slot free, no RX slot held. */
void net_link_attach(struct net_link *l, const struct net_up *up, uint8_t *base, uint64_t size);

/* The driver is gone: forget the channel and every slot (never touch it again). */
void net_link_down(struct net_link *l);

/* A NET_MSG_RX (or TX_DONE) of `len` bytes read into *m. */
enum net_link_verdict net_link_read_slot_msg(const uint8_t *msg, size_t len,
					     struct net_slot_msg *m);

/* A received frame: where it lies in the channel. Marks the slot held
 * until net_link_rx_done. */
enum net_link_verdict net_link_rx(struct net_link *l, const struct net_slot_msg *m,
				  const uint8_t **frame, size_t *len);

/* The stack hands RX slot `slot` back (it was held). */
void net_link_rx_done(struct net_link *l, uint32_t slot);

/* The driver gives TX slot m->slot back. */
enum net_link_verdict net_link_tx_done(struct net_link *l, const struct net_slot_msg *m);

/* A free TX slot, taken, and where to write it (NET_SLOT_SIZE bytes);
 * false when none is free or the link is down. */
bool net_link_tx_take(struct net_link *l, uint32_t *slot, uint8_t **where);

/* A taken TX slot given back unsent (the driver would not take it). */
void net_link_tx_untake(struct net_link *l, uint32_t slot);

/* How many TX slots are free. */
unsigned net_link_tx_free(const struct net_link *l);

const char *net_link_verdict_name(enum net_link_verdict v);

#endif
