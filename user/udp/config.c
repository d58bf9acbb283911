/*
 * config: the build's addresses (see config.h). The make variables arrive
 * as comma-separated bytes, e.g. -DNET_ADDRESS=10,0,2,15, so a malformed
 * one fails to compile rather than becoming some other address.
 */
#include "config.h"

#ifndef NET_ADDRESS
#define NET_ADDRESS 10, 0, 2, 15
#endif
#ifndef NET_PREFIX
#define NET_PREFIX 24
#endif
#ifndef NET_GATEWAY
#define NET_GATEWAY 10, 0, 2, 2
#endif
#ifndef SNTP_SERVER
#define SNTP_SERVER 10, 0, 2, 2
#endif
#ifndef SNTP_PORT
#define SNTP_PORT 123
#endif

_Static_assert(NET_PREFIX >= 1 && NET_PREFIX <= 30, "NET_PREFIX: 1..30 bits");
_Static_assert(SNTP_PORT >= 1 && SNTP_PORT <= 65535, "SNTP_PORT: 1..65535");

void config_get(struct stack_config *out)
{
	static const uint8_t address[4] = { NET_ADDRESS }, gateway[4] = { NET_GATEWAY },
			     server[4] = { SNTP_SERVER };
	uint32_t mask = ~0u << (32 - NET_PREFIX);

	for (int i = 0; i < 4; i++) {
		out->address[i] = address[i];
		out->gateway[i] = gateway[i];
		out->sntp_server[i] = server[i];
		out->netmask[i] = (uint8_t)(mask >> (24 - 8 * i));
	}
	out->sntp_port = SNTP_PORT;
}
