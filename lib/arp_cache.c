/*
 * arp_cache: the neighbour table (see arp_cache.h).
 */
#include "arp_cache.h"

static bool same_ip(const uint8_t a[4], const uint8_t b[4])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static void copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static bool expired(const struct arp_entry *e, uint64_t now)
{
	/* A clock read before the stamp (never, from GetTime) counts as fresh. */
	return e->resolved && now > e->stamp && now - e->stamp >= ARP_CACHE_TTL;
}

static struct arp_entry *find(struct arp_cache *c, const uint8_t ip[4])
{
	for (size_t i = 0; i < ARP_CACHE_ENTRIES; i++)
		if (c->entry[i].used && same_ip(c->entry[i].ip, ip))
			return &c->entry[i];
	return NULL;
}

/* A free place, else the one with the oldest stamp. */
static struct arp_entry *place(struct arp_cache *c)
{
	struct arp_entry *oldest = &c->entry[0];

	for (size_t i = 0; i < ARP_CACHE_ENTRIES; i++) {
		if (!c->entry[i].used)
			return &c->entry[i];
		if (c->entry[i].stamp < oldest->stamp)
			oldest = &c->entry[i];
	}
	return oldest;
}

void arp_cache_init(struct arp_cache *c)
{
	*c = (struct arp_cache){ 0 };
}

bool arp_cache_lookup(struct arp_cache *c, const uint8_t ip[4], uint64_t now, uint8_t mac[6])
{
	struct arp_entry *e = find(c, ip);

	if (!e || !e->resolved)
		return false;
	if (expired(e, now)) {
		e->used = false;
		return false;
	}
	copy(mac, e->mac, 6);
	return true;
}

void arp_cache_learn(struct arp_cache *c, const uint8_t ip[4], const uint8_t mac[6],
		     uint64_t now)
{
	struct arp_entry *e = find(c, ip);

	if (!e)
		e = place(c);
	*e = (struct arp_entry){ .used = true, .resolved = true, .stamp = now };
	copy(e->ip, ip, 4);
	copy(e->mac, mac, 6);
}

enum arp_want arp_cache_want(struct arp_cache *c, const uint8_t ip[4], uint64_t now)
{
	struct arp_entry *e = find(c, ip);

	if (e && e->resolved && !expired(e, now))
		return ARP_WANT_WAIT; /* resolved after all: the caller looks again */
	if (!e || e->resolved) {
		if (!e)
			e = place(c);
		*e = (struct arp_entry){ .used = true, .stamp = now, .tries = 1 };
		copy(e->ip, ip, 4);
		return ARP_WANT_ASK;
	}
	if (now < e->stamp + ARP_RETRY)
		return ARP_WANT_WAIT;
	if (e->tries >= ARP_TRIES) {
		e->used = false;
		return ARP_WANT_GIVE_UP;
	}
	e->tries++;
	e->stamp = now;
	return ARP_WANT_ASK;
}

size_t arp_cache_live(const struct arp_cache *c, uint64_t now)
{
	size_t n = 0;

	for (size_t i = 0; i < ARP_CACHE_ENTRIES; i++)
		if (c->entry[i].used && c->entry[i].resolved && !expired(&c->entry[i], now))
			n++;
	return n;
}

uint64_t arp_cache_next_retry(const struct arp_cache *c)
{
	uint64_t next = 0;

	for (size_t i = 0; i < ARP_CACHE_ENTRIES; i++) {
		const struct arp_entry *e = &c->entry[i];
		if (e->used && !e->resolved && (next == 0 || e->stamp + ARP_RETRY < next))
			next = e->stamp + ARP_RETRY;
	}
	return next;
}
