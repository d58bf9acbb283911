/* ping: sends PINGS numbered messages to the echo service and checks each
 * answer -- the right number, every byte, from the echo endpoint, in
 * order -- so a lost, duplicated, reordered or altered message shows.
 * Exits 0 when all came back; otherwise 10 + the step that failed. */
#include "hostile.h"

#include <abi/endpoints.h>

CAMBIOS_MODULE_ROLE("ping");

#define PINGS 10000
#define REPLY_ENDPOINT 29
#define PAYLOAD 24

static void number(uint8_t *p, uint32_t seq)
{
	for (int i = 0; i < PAYLOAD; i++)
		p[i] = (uint8_t)(seq >> (8 * (i % 4))) ^ (uint8_t)i;
}

int main(void)
{
	static uint8_t sent[PAYLOAD], got[SYS_MSG_PREFIX + PAYLOAD];

	if (sys_register_endpoint(REPLY_ENDPOINT) != 0)
		return 10;
	for (uint32_t seq = 0; seq < PINGS; seq++) {
		number(sent, seq);
		if (sys_write(ENDPOINT_ECHO, sent, PAYLOAD) != PAYLOAD)
			return 11;
		if (sys_recv_msg(REPLY_ENDPOINT, got, sizeof(got)) != SYS_MSG_PREFIX + PAYLOAD)
			return 12;
		if (sys_msg_from(got) != ENDPOINT_ECHO)
			return 13;
		for (int i = 0; i < PAYLOAD; i++) {
			if (got[SYS_MSG_PREFIX + i] != sent[i])
				return 14;
		}
	}
	return 0;
}
