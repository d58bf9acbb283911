/*
 * echo: a service that answers every message with the same bytes, sent
 * to the sender's reply endpoint (ENDPOINT_ECHO). Other programs and the
 * tests use it as the simplest peer; a message without a reply endpoint
 * is dropped. It blocks in RecvMsg between messages, costing no CPU.
 */
#include <abi/endpoints.h>

#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("echo");

#define NO_REPLY_ENDPOINT 0xffffffffu

static const char started[] = "echo: serving endpoint 28\n";

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + SYS_PRINT_MAX];

	if (sys_register_endpoint(ENDPOINT_ECHO) != 0)
		return 1;
	(void)sys_print(started, sizeof(started) - 1);
	for (;;) {
		int64_t n = sys_recv_msg(ENDPOINT_ECHO, msg, sizeof(msg));
		if (n < SYS_MSG_PREFIX)
			return 2;
		uint32_t from = sys_msg_from(msg);
		if (from != NO_REPLY_ENDPOINT)
			(void)sys_write(from, msg + SYS_MSG_PREFIX, (size_t)(n - SYS_MSG_PREFIX));
	}
}
