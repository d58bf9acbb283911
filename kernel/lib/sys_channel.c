/*
 * sys_channel: 28 ChannelCreate, 29 ChannelAttach, 30 ChannelClose,
 * 31 ChannelRevoke and 32 ChannelInfo (abi/channel.h; the work is in
 * channel.c).
 *
 * Every pointer is checked before the channel changes, so a bad one
 * leaves nothing behind: the peer's Principal is copied in first, and
 * where a result goes is checked writable before it is made.
 */
#include <abi/syscall.h>
#include <channel.h>
#include <current.h>
#include <syscall.h>
#include <usercopy.h>

/* (pages, peer_principal[32], role, out_vaddr or 0) -> channel id */
int64_t sys_channel_create(const struct syscall_frame *f)
{
	uint64_t pages = f->arg[0], role = f->arg[2], out = f->arg[3];
	kpid_t self = process_current();
	struct principal peer;
	uint64_t id, va;

	if (copy_from_user(&peer, f->arg[1], sizeof(peer)) != K_OK)
		return SYS_EFAULT;
	if (out && user_check_writable(out, sizeof(va)) != K_OK)
		return SYS_EFAULT;
	kerr_t err = channel_create(self, pages, &peer, role, &id, &va);
	if (err != K_OK)
		return syscall_error(err);
	if (out && copy_to_user(out, &va, sizeof(va)) != K_OK) { /* checked above: cannot */
		(void)channel_close(self, id);
		return SYS_EFAULT;
	}
	return (int64_t)id;
}

/* (id) -> the address it is mapped at */
int64_t sys_channel_attach(const struct syscall_frame *f)
{
	uint64_t va;
	kerr_t err = channel_attach(process_current(), f->arg[0], &va);

	return err == K_OK ? (int64_t)va : syscall_error(err);
}

/* (id) -> 0 */
int64_t sys_channel_close(const struct syscall_frame *f)
{
	kerr_t err = channel_close(process_current(), f->arg[0]);

	return err == K_OK ? 0 : syscall_error(err);
}

/* (id) -> 0 */
int64_t sys_channel_revoke(const struct syscall_frame *f)
{
	kerr_t err = channel_revoke(process_current(), f->arg[0]);

	return err == K_OK ? 0 : syscall_error(err);
}

/* (id, out, len >= CHANNEL_INFO_LEN) -> CHANNEL_INFO_LEN */
int64_t sys_channel_info(const struct syscall_frame *f)
{
	uint64_t out = f->arg[1];
	uint8_t info[CHANNEL_INFO_LEN];

	if (f->arg[2] < CHANNEL_INFO_LEN)
		return SYS_EINVAL;
	if (user_check_writable(out, sizeof(info)) != K_OK)
		return SYS_EFAULT;
	kerr_t err = channel_info(process_current(), f->arg[0], info);
	if (err != K_OK)
		return syscall_error(err);
	return copy_to_user(out, info, sizeof(info)) == K_OK ? CHANNEL_INFO_LEN : SYS_EFAULT;
}
