/*
 * abi/net: the messages of the network services -- between the virtio-net
 * driver (ENDPOINT_VIRTIO_NET, 20) and the UDP/IP stack (ENDPOINT_UDP, 21),
 * and between the stack and the programs that use it.
 *
 * Every message starts with a u32 `type` (NET_MSG_*); all fields are
 * little-endian, naturally aligned, and each message is one fixed struct
 * (plus, for the socket messages, inline data up to its `length`).
 * Receivers check the type, the message's size and every offset, length
 * and slot number before they use them: neither side trusts the other.
 *
 * Frames (driver <-> stack) travel through a bidirectional shared-memory
 * channel (abi/channel.h) the driver creates for the stack's Principal:
 * NET_RX_SLOTS receive slots, then NET_TX_SLOTS transmit slots, each
 * NET_SLOT_SIZE bytes, a whole Ethernet frame without its FCS.
 *
 *   driver starts (or is asked by NET_MSG_HELLO)  -> NET_MSG_UP to 21
 *   stack attaches the channel
 *   a frame arrives: driver copies it to a free RX slot -> NET_MSG_RX to 21
 *   stack is done with it                          -> NET_MSG_RX_DONE to 20
 *   stack writes a frame into a free TX slot       -> NET_MSG_TX to 20
 *   driver has copied it out (the slot is free)    -> NET_MSG_TX_DONE to 21
 *
 * The driver gives an RX slot back to its pool only on RX_DONE, and the
 * stack a TX slot only on TX_DONE; a slot number the other side does not
 * hold is a protocol violation, reported and ignored. When the driver
 * ends, the kernel ends the channel from both sides: the stack's TX to 20
 * then fails (SYS_ENOENT), it reports the outage, forgets the slots and
 * waits for the next NET_MSG_UP.
 */
#ifndef CAMBIOS_ABI_NET_H
#define CAMBIOS_ABI_NET_H

#include <stdint.h>

/* ------------------------------------------------ driver <-> stack */

#define NET_SLOT_SIZE 2048u
#define NET_RX_SLOTS 32u
#define NET_TX_SLOTS 32u
#define NET_CHANNEL_PAGES ((NET_RX_SLOTS + NET_TX_SLOTS) * NET_SLOT_SIZE / 4096u)
#define NET_FRAME_MAX 1514u /* Ethernet header + 1500 bytes of payload */

enum net_msg_type {
	NET_MSG_HELLO = 1,   /* stack -> driver: announce yourself (no fields) */
	NET_MSG_UP = 2,      /* driver -> stack: struct net_up */
	NET_MSG_RX = 3,      /* driver -> stack: struct net_slot_msg */
	NET_MSG_RX_DONE = 4, /* stack -> driver: struct net_slot_msg (length 0) */
	NET_MSG_TX = 5,      /* stack -> driver: struct net_slot_msg */
	NET_MSG_TX_DONE = 6, /* driver -> stack: struct net_slot_msg (length 0) */

	/* ------------------------------ programs <-> stack (to 21) */
	NET_MSG_BIND = 16,     /* struct net_bind -> struct net_reply */
	NET_MSG_SENDTO = 17,   /* struct net_datagram (+ data) -> struct net_reply */
	NET_MSG_RECVFROM = 18, /* stack -> the bound program: struct net_datagram (+ data) */
	NET_MSG_STATUS = 19,   /* struct net_msg -> struct net_status */
	NET_MSG_REPLY = 20,    /* struct net_reply */
};

struct net_msg {
	uint32_t type;
};

struct net_up {
	uint32_t type;       /* NET_MSG_UP */
	uint32_t generation; /* the driver's process id: a new one is a restart */
	uint64_t channel;    /* the channel id to attach */
	uint8_t mac[6];
	uint16_t mtu;        /* 1500 */
	uint32_t rx_slots, tx_slots, slot_size;
	uint32_t reserved;
};

struct net_slot_msg {
	uint32_t type;
	uint32_t slot;   /* RX: 0..rx_slots-1; TX: 0..tx_slots-1 (counted from the TX area) */
	uint32_t length; /* bytes of the frame in the slot (RX, TX); 0 otherwise */
};

#define NET_ETH_HEADER 14u /* a frame is at least its Ethernet header */

/* The rules of a slot message's numbers, one definition for both ends
 * (the driver checks the stack's RX_DONE and TX, the stack the driver's
 * RX and TX_DONE): the slot lies in its area, and a frame (RX, TX) is a
 * whole Ethernet header up to NET_FRAME_MAX. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==>
            slot < (type == NET_MSG_TX || type == NET_MSG_TX_DONE ? NET_TX_SLOTS : NET_RX_SLOTS); */
static inline int net_slot_number_ok(uint32_t type, uint32_t slot)
{
	int in_tx_area = type == NET_MSG_TX || type == NET_MSG_TX_DONE;

	return slot < (in_tx_area ? NET_TX_SLOTS : NET_RX_SLOTS);
}

/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> NET_ETH_HEADER <= length <= NET_FRAME_MAX; */
static inline int net_frame_length_ok(uint32_t length)
{
	return length >= NET_ETH_HEADER && length <= NET_FRAME_MAX;
}

/* -------------------------------------------- programs <-> stack */

/* A datagram's data rides inline after the header, up to this much. */
#define NET_INLINE_MAX 200u

/* Results in struct net_reply.status: 0 or a SYS_E* value (abi/errors.h). */
struct net_bind {
	uint32_t type; /* NET_MSG_BIND */
	uint16_t port; /* 1..65535: datagrams to it go to the sender's reply endpoint */
	uint16_t reserved;
};

struct net_datagram {
	uint32_t type;     /* NET_MSG_SENDTO or NET_MSG_RECVFROM */
	uint32_t address;  /* IPv4 address, network order in a u32 as bytes a.b.c.d */
	uint16_t port;     /* SENDTO: destination; RECVFROM: the sender's */
	uint16_t local;    /* SENDTO: source port (0: any); RECVFROM: the bound port */
	uint32_t length;   /* bytes of data that follow, <= NET_INLINE_MAX */
	/* uint8_t data[length]; */
};

struct net_reply {
	uint32_t type;   /* NET_MSG_REPLY */
	int32_t status;  /* 0 or SYS_E* */
};

struct net_status {
	uint32_t type;        /* NET_MSG_REPLY */
	uint8_t link_up;      /* a driver is attached */
	uint8_t mac[6];
	uint8_t reserved;
	uint32_t address, netmask, gateway;
	uint64_t rx_frames, tx_frames;
	uint64_t dropped;     /* every drop, whatever its reason (the stack prints them by reason) */
	uint64_t arp_entries;
	uint64_t outages;     /* times the driver went away */
};

_Static_assert(sizeof(struct net_up) == 40, "net_up's layout is the ABI");
_Static_assert(sizeof(struct net_slot_msg) == 12, "net_slot_msg's layout is the ABI");
_Static_assert(sizeof(struct net_datagram) == 16, "net_datagram's layout is the ABI");
_Static_assert(sizeof(struct net_datagram) + NET_INLINE_MAX <= 256, "a datagram fits a message");
_Static_assert(sizeof(struct net_status) == 64, "net_status's layout is the ABI");

#endif
