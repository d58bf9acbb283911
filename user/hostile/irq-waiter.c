/* irq-waiter: a driver's whole interrupt path from user space. It learns
 * its device's line from the kernel self-test (a 4-byte little-endian
 * message on endpoint 30), sleeps in WaitIrq on it -- the first waiter,
 * so it holds the line -- and exits 0 when WaitIrq returns 0 (the self-test
 * raises the edu device's interrupt once the line is armed, and
 * acknowledges it at the device after this program ended; its exit gives
 * the line back). Exits 1-3 at the step that went wrong. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("irq-waiter");

#define LINE_ENDPOINT 30

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + 4];
	static const char woke[] = "irq-waiter: WaitIrq returned 0\n";

	if (sys_register_endpoint(LINE_ENDPOINT) != 0)
		return 1;
	if (sys_recv_msg(LINE_ENDPOINT, msg, sizeof(msg)) != (int64_t)sizeof(msg))
		return 2;
	const uint8_t *p = msg + SYS_MSG_PREFIX;
	uint32_t line = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			(uint32_t)p[3] << 24;
	if (sys_wait_irq(line) != 0)
		return 3;
	(void)sys_print(woke, sizeof(woke) - 1);
	return 0;
}
