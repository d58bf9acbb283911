/* blocker: takes endpoint BLOCKER_ENDPOINT and sleeps in RecvMsg on it for
 * ever (nobody writes to it). Kill must wake it to end it and give the
 * endpoint back (user/hostile/killer.c starts a second blocker after
 * the first, which must get the endpoint again). Exits 1 if it cannot
 * take the endpoint, 2 if a message ever arrives. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("blocker");

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + 16];

	if (sys_register_endpoint(BLOCKER_ENDPOINT) != 0)
		return 1;
	(void)sys_recv_msg(BLOCKER_ENDPOINT, msg, sizeof(msg));
	return 2;
}
