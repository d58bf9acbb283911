/*
 * sys_wallclock: 39 SetWallclock and 40 GetWallclock, the original
 * CambiOS's numbers (wallclock.h).
 *
 * SetWallclock(unix_seconds) -> 0 sets the time of day. Who may: a
 * process speaking for the bootstrap Principal (SYS_EPERM otherwise) --
 * the boot's own services, among them the UDP/IP service whose SNTP
 * client sets it; the original gave the right by a capability to the
 * service by name, and this kernel has no named capabilities yet. A time
 * before 2000 or after 9999 is SYS_EINVAL and changes nothing.
 * GetWallclock() -> seconds since 1970-01-01 UTC, or SYS_ENOENT while
 * nobody has set it.
 */
#include <abi/syscall.h>
#include <current.h>
#include <identity.h>
#include <kstring.h>
#include <process.h>
#include <syscall.h>
#include <timer.h>
#include <wallclock.h>

int64_t sys_set_wallclock(const struct syscall_frame *f)
{
	if (!syscall_speaks_for_bootstrap(process_current()))
		return SYS_EPERM;
	return wallclock_set((int64_t)f->arg[0], timer_ticks()) == K_OK ? 0 : SYS_EINVAL;
}

int64_t sys_get_wallclock(const struct syscall_frame *f)
{
	int64_t seconds;
	uint32_t hundredths;

	(void)f;
	if (wallclock_get(timer_ticks(), &seconds, &hundredths) != K_OK)
		return SYS_ENOENT;
	return seconds;
}
