/*
 * channel: shared-memory channels between two processes (abi/channel.h).
 *
 * The kernel side of system calls 28-32. A channel is CHANNEL_PAGES_MAX
 * pages at most of zeroed, physically contiguous frames, mapped in the
 * creator at once and in the peer when it attaches, at the same address in
 * both: channel slot i has its own window in [CHANNEL_AREA_BASE,
 * CHANNEL_AREA_END), a guard page after it, so no channel can run into
 * another and nothing else is ever mapped there.
 *
 * Ending one -- Close, Revoke, or either process ending -- unmaps it from
 * both address spaces, each unmap flushed from every CPU's TLB, so no
 * program can touch it again. Its frames go back to the allocator later:
 * the kernel itself may still be copying through them on behalf of the
 * other process (a copy resolves a user page to its HHDM address first,
 * and a receiver blocked in RecvMsg keeps the one of its buffer). So each
 * side that had it mapped and did not end it must first be seen quiescent
 * -- in a channel call of its own that succeeds, or ending -- and then
 * its frames are freed. Until then the record stays, reporting how the channel ended
 * (CHANNEL_STATE_CLOSED / _REVOKED) to ChannelInfo.
 *
 * Lock: LOCK_CHANNEL, held across the mappings (it takes the process table,
 * the frame allocator and TLB shootdowns under it); never taken under
 * another lock.
 */
#ifndef CAMBIOS_CHANNEL_H
#define CAMBIOS_CHANNEL_H

#include <abi/channel.h>
#include <identity.h>
#include <kerr.h>
#include <process.h>
#include <stdint.h>

#define CHANNEL_MAX 32
/* Records one process may have created and not yet seen freed: a process
 * cannot take the whole table. */
#define CHANNEL_PER_CREATOR 8

#define CHANNEL_AREA_BASE 0x60000000ULL
#define CHANNEL_SLOT_SIZE ((CHANNEL_PAGES_MAX + 1ULL) * VM_PAGE_SIZE)
#define CHANNEL_AREA_END (CHANNEL_AREA_BASE + CHANNEL_MAX * CHANNEL_SLOT_SIZE)

/* A new channel of `pages` pages from `creator` for the first process
 * speaking for `peer` to attach, mapped in the creator (read-only if the
 * role makes it the reader). K_EINVAL for a bad role or pages 0 or beyond
 * CHANNEL_PAGES_ABI_MAX; K_ENOMEM beyond CHANNEL_PAGES_MAX or without
 * frames; K_EFULL with the table, or the creator's share of it, full;
 * K_ENOENT for a dead creator. Nothing changes on an error. */
__must_check kerr_t channel_create(kpid_t creator, uint64_t pages, const struct principal *peer,
				   uint64_t role, uint64_t *id, uint64_t *va);

/* Maps channel `id` in `caller`, which becomes its one peer. K_ENOENT for
 * an id that names no channel awaiting attach (or one already ended);
 * K_EPERM for its creator, a caller not speaking for the named Principal,
 * or a channel that already has its peer. */
__must_check kerr_t channel_attach(kpid_t caller, uint64_t id, uint64_t *va);

/* Ends channel `id`: its creator or its peer only (K_EPERM), K_ENOENT if
 * it has ended already. */
__must_check kerr_t channel_close(kpid_t caller, uint64_t id);

/* Ends channel `id` for a process speaking for the bootstrap Principal
 * (K_EPERM for anyone else). */
__must_check kerr_t channel_revoke(kpid_t caller, uint64_t id);

/* The CHANNEL_INFO_LEN-byte record of channel `id` (abi/channel.h), for
 * its creator and its peer (K_EPERM for others); an ended channel reads
 * CLOSED or REVOKED until its record is freed. */
__must_check kerr_t channel_info(kpid_t caller, uint64_t id, uint8_t out[CHANNEL_INFO_LEN]);

/* `pid` is ending (its own thread calls this, before its address space
 * goes): every channel it created or attached ends and is unmapped from
 * both sides, and whatever waited for it to be quiescent is freed. */
void channel_process_ended(kpid_t pid);

/* Records in use, ended ones not yet freed included (tests). */
unsigned channel_records_in_use(void);

/* Host tests: forget every record (their frames and mappings go with the
 * host world's reset). */
void channel_reset(void);

#endif
