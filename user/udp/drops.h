/*
 * drops: every frame, datagram or message the stack does not use, counted
 * by reason. lib/inet's parse verdicts come first (same numbers), then the
 * stack's own. The counts are printed a line per reason (stack_report) on
 * NET_MSG_STATUS and, when they have changed, at most once a second as
 * the stack wakes; NET_MSG_STATUS also answers with their sum.
 */
#ifndef CAMBIOS_UDP_DROPS_H
#define CAMBIOS_UDP_DROPS_H

#include <stdint.h>

#include "../../lib/inet.h"

enum drop_reason {
	/* 1 .. INET_DROP_REASONS-1: enum inet_drop */
	DROP_NOT_OUR_MAC = INET_DROP_REASONS, /* Ethernet destination neither ours nor broadcast */
	DROP_NOT_OUR_IP,     /* IPv4 destination not ours (nor a broadcast, for UDP) */
	DROP_TTL,            /* TTL 0 */
	DROP_SOURCE,         /* IPv4 source zero, broadcast or multicast */
	DROP_ARP_NOT_OURS,   /* an ARP request for another address */
	DROP_ICMP_TYPE,      /* ICMP other than an echo request */
	DROP_NO_PORT,        /* UDP to a port nobody bound */
	DROP_ARP_UNRESOLVED, /* its next hop never answered ARP */
	DROP_ARP_QUEUE,      /* no room to hold it while ARP asked */
	DROP_TX_BUSY,        /* no free TX slot, or the driver refused it */
	DROP_LINK_DOWN,      /* held for ARP when the driver went away, or a frame with no link */
	DROP_PROGRAM_SIZE,   /* a datagram too long for a program's message */
	DROP_PROGRAM_BUSY,   /* the bound program's endpoint refused it */
	DROP_SNTP,           /* an SNTP reply that failed its checks */
	DROP_DRIVER,         /* a driver message that failed its checks */
	DROP_MESSAGE,        /* a malformed or unknown program message */
	DROP_REASONS,
};

struct drops {
	uint64_t count[DROP_REASONS];
	uint64_t total;
};

void drops_count(struct drops *d, unsigned reason);

/* The reason's name, as printed ("ip checksum", "no port"). */
const char *drops_name(unsigned reason);

#endif
