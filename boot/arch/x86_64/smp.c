/*
 * smp: x86_64 application-processor start-up (INIT-SIPI-SIPI).
 *
 * Not yet implemented: the MP request stays unanswered, which the protocol
 * allows and the kernel handles by running on the BSP alone.
 */
#include "../../arch.h"
#include "../../loader.h"

void arch_mp_prepare(struct loader *l)
{
	(void)l;
}

void arch_mp_start(struct loader *l)
{
	(void)l;
}
