/*
 * abi/channel: shared-memory channels (system calls 28-32), shared by the
 * kernel and user programs; numbers, arguments and the ChannelInfo record
 * are the original CambiOS's.
 *
 * A channel is a run of pages one process creates and grants to exactly
 * one peer: the first process speaking for the named Principal to attach
 * (never the creator itself). Both map it at the same address, never
 * executable; the role says who may write. Close (either side), Revoke
 * (a process speaking for the bootstrap Principal) or the end of either
 * process unmaps it from both at once. Messages then carry an offset and a
 * length into it, which the receiver checks with channel_range_ok before it
 * reads a byte: the sender is not trusted to stay inside.
 *
 * ChannelInfo's record, CHANNEL_INFO_LEN bytes, little-endian:
 *   offset  0  state, u8 (CHANNEL_STATE_*)
 *   offset  1  role, u8 (CHANNEL_ROLE_*)
 *   offset  2  pages, u32
 *   offset  6  creator's process slot, u32
 *   offset 10  peer's process slot, u32 (CHANNEL_NO_PEER before attach)
 *   offset 14  creator's address, u64
 *   offset 22  peer's address, u64 (0 before attach)
 *   offset 30  physical address, u64: always 0 here -- no process is told
 *              where its memory lies (the original disclosed it)
 *   offset 38  the kernel's tick when it was created, u64
 */
#ifndef CAMBIOS_ABI_CHANNEL_H
#define CAMBIOS_ABI_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

/* Who writes. The other side maps it read-only. */
#define CHANNEL_ROLE_PRODUCER 0      /* the creator writes, the peer reads */
#define CHANNEL_ROLE_CONSUMER 1      /* the peer writes, the creator reads */
#define CHANNEL_ROLE_BIDIRECTIONAL 2 /* both write */

/* The original's bound on ChannelCreate's pages (SYS_EINVAL beyond). This
 * kernel grants at most CHANNEL_PAGES_MAX of them (SYS_ENOMEM beyond). */
#define CHANNEL_PAGES_ABI_MAX 65536u
#define CHANNEL_PAGES_MAX 256u /* 1 MiB */

#define CHANNEL_STATE_AWAITING_ATTACH 0
#define CHANNEL_STATE_ACTIVE 1
#define CHANNEL_STATE_REVOKED 3 /* by Revoke, or because a side ended */
#define CHANNEL_STATE_CLOSED 4  /* by Close */

#define CHANNEL_NO_PEER 0xffffffffu

#define CHANNEL_INFO_LEN 46
#define CHANNEL_INFO_STATE 0
#define CHANNEL_INFO_ROLE 1
#define CHANNEL_INFO_PAGES 2
#define CHANNEL_INFO_CREATOR 6
#define CHANNEL_INFO_PEER 10
#define CHANNEL_INFO_CREATOR_VA 14
#define CHANNEL_INFO_PEER_VA 22
#define CHANNEL_INFO_PHYS 30
#define CHANNEL_INFO_CREATED 38

/* Whether [offset, offset + len) lies inside a channel of `size` bytes,
 * without the sum ever overflowing: what a receiver asks of every offset
 * and length a message brings before it touches the channel. */
/*@ assigns \nothing;
    ensures \result <==> offset + len <= size; */
static inline bool channel_range_ok(uint64_t offset, uint64_t len, uint64_t size)
{
	return offset <= size && len <= size - offset;
}

#endif
