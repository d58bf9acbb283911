/*
 * drops: the counters and their names (see drops.h).
 */
#include "drops.h"

void drops_count(struct drops *d, unsigned reason)
{
	if (reason == INET_DROP_NONE || reason >= DROP_REASONS)
		return; /* not a drop: a caller's mistake, not worth a count */
	d->count[reason]++;
	d->total++;
}

const char *drops_name(unsigned reason)
{
	static const char *const names[DROP_REASONS - INET_DROP_REASONS] = {
		"not our mac", "not our ip", "ttl", "bad source", "arp not ours", "icmp type", "no port",
		"arp unresolved", "arp queue full", "tx busy", "link down", "program size",
		"program busy", "sntp", "driver", "message",
	};

	if (reason < INET_DROP_REASONS)
		return inet_drop_name((enum inet_drop)reason);
	return reason < DROP_REASONS ? names[reason - INET_DROP_REASONS] : "unknown";
}
