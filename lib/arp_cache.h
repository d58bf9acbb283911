/*
 * arp_cache: which Ethernet address answers for which IPv4 address, for
 * how long, and which addresses are being asked for -- the UDP/IP
 * service's neighbour table. Portable, no system calls: the caller passes
 * the time (the kernel's 10 ms ticks, GetTime) into every call.
 *
 * An entry learned from the wire lives ARP_CACHE_TTL ticks and is then
 * forgotten (looked up again on the next use). An address being resolved
 * is asked for at most ARP_TRIES times, ARP_RETRY ticks apart; after
 * that arp_cache_want() says to give up, so a peer that never answers
 * costs a bounded number of requests. A full table gives the oldest
 * entry's place to the newcomer.
 */
#ifndef CAMBIOS_LIB_ARP_CACHE_H
#define CAMBIOS_LIB_ARP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARP_CACHE_ENTRIES 16
#define ARP_CACHE_TTL 6000u /* 60 s of 10 ms ticks */
#define ARP_RETRY 100u      /* 1 s between requests for one address */
#define ARP_TRIES 3u

struct arp_entry {
	bool used, resolved;
	uint8_t ip[4], mac[6];
	uint64_t stamp; /* resolved: when learned; else: when last asked */
	unsigned tries; /* requests sent while unresolved */
};

struct arp_cache {
	struct arp_entry entry[ARP_CACHE_ENTRIES];
};

/* What to do about an address that has no live entry. */
enum arp_want {
	ARP_WANT_ASK,     /* send a request for it now */
	ARP_WANT_WAIT,    /* a request is out: wait for the answer */
	ARP_WANT_GIVE_UP, /* asked ARP_TRIES times without an answer */
};

void arp_cache_init(struct arp_cache *c);

/* The address `ip` resolves to, if a live entry says so. An entry past
 * its lifetime is forgotten here. */
bool arp_cache_lookup(struct arp_cache *c, const uint8_t ip[4], uint64_t now, uint8_t mac[6]);

/* Records that `ip` is at `mac` (an answer, or a request that names its
 * sender), starting its lifetime anew. */
void arp_cache_learn(struct arp_cache *c, const uint8_t ip[4], const uint8_t mac[6],
		     uint64_t now);

/* `ip` is needed and not resolved: whether to ask for it now, keep
 * waiting, or give up. ASK counts a request as sent; GIVE_UP forgets the
 * address, so the next want starts over. */
enum arp_want arp_cache_want(struct arp_cache *c, const uint8_t ip[4], uint64_t now);

/* How many resolved entries are live at `now`. */
size_t arp_cache_live(const struct arp_cache *c, uint64_t now);

/* The earliest tick at which an unresolved address must be asked for
 * again or given up, or 0 if nothing is being resolved. */
uint64_t arp_cache_next_retry(const struct arp_cache *c);

#endif
