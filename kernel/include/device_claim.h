/*
 * device_claim: which process holds which PCI function.
 *
 * A process holds a function exclusively from the first time it uses one
 * of the function's resources -- MapMmio of a memory BAR, PortIo on an I/O
 * BAR -- until it ends. Programs written for the original CambiOS have no
 * claim call, so the claim is made implicitly by that first use; a
 * function another live process holds is refused (SYS_EPERM), so two
 * drivers never program one device. When the holder ends -- as its
 * program exits or faults (run.c), and again when its process is
 * destroyed (process_destroy, for a process that never ran or a host
 * test) -- every hold it had is released and each device is
 * quiesced -- bus mastering off (pci_host_quiesce) -- before anyone else
 * can claim it, so DMA the dead driver started cannot write into memory
 * that now belongs to someone else.
 *
 * Functions are named by their index in pci_host_table(), which is fixed
 * after boot. Holds are by pid, generation included: a stale pid never
 * holds anything a reused slot's process would inherit.
 *
 * Lock: one spinlock at LOCK_DEVICE_CLAIM (lock_order.h), taken inside
 * each function below and never held on return.
 */
#ifndef CAMBIOS_DEVICE_CLAIM_H
#define CAMBIOS_DEVICE_CLAIM_H

#include <kerr.h>
#include <pci.h>
#include <process.h>
#include <stdbool.h>

/* Makes `pid` the holder of function `function` if nobody holds it; K_OK
 * also when `pid` already holds it. *fresh (if not NULL) says whether
 * this call made the claim. K_EPERM when another process holds it
 * (nothing changes); K_EINVAL for a function past the table or PID_NONE.
 * A fresh claim prints one line saying who took the function. */
__must_check kerr_t device_claim(unsigned function, kpid_t pid, bool *fresh);

/* Undoes a fresh claim whose first use failed before it reached the
 * device (MapMmio out of memory): the function is free again, not
 * quiesced -- the holder never touched it. Nothing happens unless `pid`
 * holds it. */
void device_unclaim_fresh(unsigned function, kpid_t pid);

/* The holder of `function`, or PID_NONE. */
kpid_t device_holder(unsigned function);

/* Releases every function `pid` holds, quiescing each; returns how many.
 * Prints one line per function released. */
unsigned device_release_all(kpid_t pid);

#endif
