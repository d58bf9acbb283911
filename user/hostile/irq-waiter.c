/* irq-waiter: a driver's whole interrupt path from user space. It learns
 * its device's line from the kernel self-test (a 4-byte little-endian
 * message on endpoint 30) and sleeps in WaitIrqOrMessage on the line and
 * that endpoint -- the first waiter, so it holds the line. The self-test
 * sends a message: the wait must end with 1 (a message, still queued),
 * which it takes. It then blocks in RecvMsg for the go-ahead (the line is
 * not armed meanwhile) and sleeps in WaitIrqOrMessage again; now the
 * self-test raises the edu device's interrupt, and the wait must end with
 * 0. (The self-test acknowledges it at the device after this program
 * ended; its exit gives the line back.) Exits 0, or 1-6 at the step that
 * went wrong. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("irq-waiter");

#define LINE_ENDPOINT 30

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + 4];
	static const char woke[] = "irq-waiter: WaitIrqOrMessage returned 1 (a message), then 0 "
				   "(the interrupt)\n";

	if (sys_register_endpoint(LINE_ENDPOINT) != 0)
		return 1;
	if (sys_recv_msg(LINE_ENDPOINT, msg, sizeof(msg)) != (int64_t)sizeof(msg))
		return 2;
	const uint8_t *p = msg + SYS_MSG_PREFIX;
	uint32_t line = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			(uint32_t)p[3] << 24;
	if (sys_call(SYS_WAIT_IRQ_OR_MESSAGE, line, LINE_ENDPOINT, 0) != 1)
		return 3;
	if (sys_call(SYS_TRY_RECV_MSG, LINE_ENDPOINT, (uint64_t)(uintptr_t)msg, sizeof(msg)) !=
	    (int64_t)sizeof(msg))
		return 4;
	if (sys_recv_msg(LINE_ENDPOINT, msg, sizeof(msg)) != (int64_t)sizeof(msg))
		return 5;
	if (sys_call(SYS_WAIT_IRQ_OR_MESSAGE, line, LINE_ENDPOINT, 0) != 0)
		return 6;
	(void)sys_print(woke, sizeof(woke) - 1);
	return 0;
}
