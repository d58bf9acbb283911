/*
 * lock_order: the one global order in which kernel locks are taken.
 *
 * Rule: a CPU may take a lock only if its level is greater than the level
 * of every lock it already holds. Deadlock is then impossible, because no
 * two CPUs can each hold a lock the other waits for.
 *
 * The boot story initialises the subsystems in the seed's order -- process
 * table, IPC, capabilities, identity, object store -- which follows this
 * list except for the process table: it is created first because every
 * later subsystem keeps per-process state, yet its lock is taken last,
 * inside IPC and capability operations. Initialisation runs on one CPU
 * before any other starts, so its order cannot deadlock; the order of
 * acquisition is the one that matters, and it is this list.
 *
 * Every spinlock is declared with one of these levels next to its
 * definition; the list here is the only place the order is written down.
 * Locks marked (irq) are interrupt-safe: taken with interrupts disabled,
 * because an interrupt handler on the same CPU may want them.
 */
#ifndef CAMBIOS_LOCK_ORDER_H
#define CAMBIOS_LOCK_ORDER_H

enum lock_level {
	LOCK_LEVEL_NONE = 0,
	LOCK_SCHEDULER = 1,       /* (irq) a CPU's run queues and current task */
	LOCK_TIMER = 2,           /* (irq) a CPU's tick bookkeeping */
	LOCK_IPC = 3,             /* endpoint queues and owners; interceptor hooks run under it */
	LOCK_CAPABILITY = 4,      /* per-process capability tables */
	/* Shared-memory channels (channel.c): held across mapping and
	 * unmapping a channel in both of its processes, so it takes the
	 * process table, the frame allocator and TLB shootdowns under it. */
	LOCK_CHANNEL = 5,
	LOCK_PROCESS_TABLE = 6,   /* process descriptors, address spaces */
	/* Which process holds which PCI function (device_claim.h). Above the
	 * process table, so process exit may release holds with the table
	 * locked; below the interrupt router, so a call that needs a claim
	 * and an interrupt route (WaitIrq) can check the one and take the
	 * other without a window in which the claim is released. Releasing
	 * writes the device's command register (bus mastering off), which
	 * takes no lock. */
	LOCK_DEVICE_CLAIM = 7,
	/* Which MSI-X vectors are whose (msix.c): held only to take,
	 * publish or free a slot, with nothing taken under it; the device,
	 * the arch and the router are programmed outside it. */
	LOCK_MSIX = 8,
	LOCK_FRAME_ALLOCATOR = 9, /* the physical frame bitmap */
	LOCK_INTERRUPT_ROUTER = 10, /* (irq) device interrupt lines and their owners (irq.c) */
	LOCK_OBJECT_STORE = 11,   /* the content-addressed object store */
	LOCK_KERNEL_HEAP = 12,    /* (irq) kmalloc's free lists: any code may allocate */
	LOCK_CONSOLE = 13,        /* (irq) serial output, and console input's ring
				   * (console_input.c); held briefly */
	LOCK_PCI_CONFIG = 14,     /* (irq) x86_64's configuration ports (pci_host.c): a leaf,
				   * nothing is taken under it, so it may be taken anywhere */
	LOCK_MSI_TRANSLATION = 15, /* (irq) AArch64's GICv3 ITS command queue and its
				   * device and LPI tables (its.c): a leaf taken by MSI
				   * setup; interrupts off only so that its holder, waiting
				   * on the ITS, is never preempted */
	/* (irq) The one TLB shootdown in flight (tlb.c): a leaf, taken by
	 * whoever changes a mapping another CPU may cache -- under any lock
	 * vm_unmap or vm_protect is called with, hence last in the order.
	 * Its holder waits for other CPUs with interrupts off; those spinning
	 * on a lock meanwhile serve its request from the spin (spinlock.c),
	 * so no lock held anywhere can hold it up. */
	LOCK_TLB_SHOOTDOWN = 16,
	LOCK_LEVEL_COUNT          /* not a level: how many there are (at most 32) */
};

#endif
