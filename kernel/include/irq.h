/*
 * irq: the interrupt router -- which process owns which device interrupt
 * line, and what an interrupt on it does.
 *
 * A line is a number the architecture gives meaning to: on x86_64 a GSI
 * (the I/O APIC input, ISA IRQs after the MADT's overrides), on AArch64 a
 * GICv3 INTID (32 + the SPI number a device tree names). The arch declares
 * the lines it can deliver (irq_line_declare), each masked, and the lines
 * the kernel keeps for itself -- the timer, the console's receive line --
 * which are never given out (irq_line_reserve).
 *
 * Every device line goes through this state machine:
 *
 *   free --first wait by P--> owned by P, armed (unmasked, P blocked)
 *   armed --interrupt--> owned, fired (masked; P woken)
 *   armed --P withdraws (woken by a message)--> owned (masked, not fired)
 *   fired --P waits again--> armed (unmasked)
 *   owned --P exits (irq_release_owner)--> free (masked)
 *   armed --interrupt storm--> stormed (masked for good; P woken, told;
 *                               nobody may wait on it again, even after P exits)
 *
 * A line made for one process -- an MSI-X vector (msi.h) -- skips "free":
 * irq_line_grant() takes it from unrouted straight to owned, through a
 * chip of its own, and when its owner exits, or the grant is revoked, it
 * goes back to unrouted, so nobody else can ever wait on it.
 *
 * So a line is unmasked only while its owner waits, and masked while the
 * owner handles it: a level-triggered line that the device keeps asserted
 * cannot interrupt again until the owner has had its chance to quiet the
 * device and waits again. An interrupt on a line nobody waits for is
 * spurious: counted, the line masked, nothing else.
 *
 * Storms. A level-triggered line whose device is never quieted fires again
 * the moment it is unmasked. An interrupt that arrives within the storm
 * window (IRQ_STORM_WINDOW_US, measured from the unmask) of the owner's
 * wait counts as a refire "at once"; one that comes later shows the device
 * was quiet for a while (progress), and halves the count. At
 * IRQ_STORM_REFIRES the line is taken for a storm and masked for good;
 * its owner's wait fails (K_EBUSY) and the kernel reports the line on the
 * console. A device that legitimately interrupts within the window of
 * every unmask that many times in a row is taken for a storm too: its
 * driver should do more work per interrupt. Edge-triggered lines do not
 * refire by themselves and are never taken for storms.
 *
 * Which CPU. A line is delivered to the CPU its owner waits on: the
 * waiter's CPU comes with every wait, and when it is not the line's
 * (while the line is still masked) the chip steers the line there first.
 * A waiter is pinned to its CPU (irq_wait.c), so this happens on a
 * driver's first wait, and the interrupt then wakes it on its own CPU
 * without an IPI. Lines start out on the boot CPU (0); a chip that cannot
 * steer leaves them there. Where each interrupt was taken is recorded,
 * and one taken on another CPU than the line's is counted (`elsewhere`).
 *
 * Locking: one lock, LOCK_INTERRUPT_ROUTER (interrupt-safe: the interrupt
 * handlers take it), guards the table. irq_wait_done() is the scheduler's
 * try_once and runs with the scheduler lock held, which the order
 * (lock_order.h: the router above the scheduler) allows. Nothing here wakes or blocks a thread: the
 * caller does (irq_wait.c), after the lock is released.
 *
 * Portable and host-tested: the interrupt controller is reached through a
 * struct irq_chip, and time is the caller's counter.
 */
#ifndef CAMBIOS_IRQ_H
#define CAMBIOS_IRQ_H

#include <kerr.h>
#include <msi.h>
#include <process.h>
#include <stdbool.h>
#include <stdint.h>

/* Lines 0..IRQ_LINES-1: a GIC's INTIDs stop at 1019, and x86_64 lines are
 * GSIs well under that; MSI-X vectors follow from IRQ_MSI_BASE (msi.h). */
#define IRQ_LINES (IRQ_MSI_BASE + IRQ_MSI_LINES)

/* Storm detection (see above). */
#define IRQ_STORM_REFIRES 1000
#define IRQ_STORM_WINDOW_US 1000

/* What the router needs of the interrupt controller: mask and unmask one
 * line it declared, and steer a masked one to CPU `cpu` (cpu.h's index;
 * false if it cannot, and the line stays where it was; NULL: every line
 * stays on CPU 0). Called with the router's lock held (they may take no
 * lock of a lower level). */
struct irq_chip {
	void (*mask)(unsigned line);
	void (*unmask)(unsigned line);
	bool (*route)(unsigned line, unsigned cpu);
};

enum irq_state {
	IRQ_UNROUTED = 0, /* no device line the arch can deliver */
	IRQ_FREE,         /* routable, masked, nobody holds it */
	IRQ_KERNEL,       /* the kernel's own: never given out */
	IRQ_OWNED,        /* held by one process */
	IRQ_STORMED,      /* a storm was seen: masked for good */
};

/* What irq_dispatch() did with an interrupt. */
enum irq_outcome {
	IRQ_WAKE,     /* the owner waited: wake it (BLOCK_IRQ, line) */
	IRQ_SPURIOUS, /* nobody waited: counted and masked */
	IRQ_STORM,    /* this one made it a storm: wake the owner, report */
};

/* A line's state as the self-tests and reports see it. */
struct irq_line_info {
	enum irq_state state;
	bool level;       /* level-triggered (else edge) */
	bool armed;       /* unmasked, its owner waiting */
	kpid_t owner;     /* PID_NONE unless owned or stormed */
	uint64_t count;   /* interrupts delivered to the owner */
	uint64_t spurious;
	uint32_t refires; /* the storm count now */
	unsigned cpu;       /* the CPU the line is delivered to */
	unsigned taken_on;  /* the CPU that took its last interrupt */
	uint64_t elsewhere; /* interrupts taken on another CPU than `cpu` */
};

/* Starts afresh: every line unrouted, counters zero. `storm_window` is
 * IRQ_STORM_WINDOW_US in the units of the `now` the caller will pass. */
void irq_router_init(const struct irq_chip *chip, uint64_t storm_window);

/* The arch can deliver `line` (already masked at the controller); `level`:
 * level-triggered. K_EINVAL past IRQ_LINES, K_EEXIST if already declared. */
__must_check kerr_t irq_line_declare(unsigned line, bool level);

/* A declared line's trigger mode changes (a PCI line found on a pin
 * declared with the ISA default). K_EINVAL if it was never declared. */
__must_check kerr_t irq_line_set_level(unsigned line, bool level);

/* `line` is the kernel's: WaitIrq refuses it. K_EINVAL past IRQ_LINES,
 * K_EBUSY if a process holds it. */
__must_check kerr_t irq_line_reserve(unsigned line);

/* `pid` starts a wait on `line` at time `now` on CPU `cpu`: claims it if
 * free, resets the fired flag, steers it to `cpu` and unmasks it. With
 * `was_on`, the CPU the line was delivered to before is stored there (the
 * caller can tell a move; unchanged on an error). K_EINVAL for a line that is not
 * routable, K_EPERM for the kernel's lines and for one another process
 * holds, K_EBUSY for a line masked for good after a storm, K_EEXIST if
 * the line is already armed (the owner
 * has another thread waiting on it). */
__must_check kerr_t irq_wait_begin(unsigned line, kpid_t pid, uint64_t now, unsigned cpu,
				   unsigned *was_on);

/* Whether the wait begun on `line` is over: the interrupt came, the line
 * stormed, or it was released. */
bool irq_wait_done(unsigned line);

/* How the wait ended, once irq_wait_done(): K_OK for an interrupt,
 * K_EBUSY for a storm, K_ENOENT if the line no longer belongs to `pid`. */
__must_check kerr_t irq_wait_result(unsigned line, kpid_t pid);

/* `pid` gives up the wait begun on `line` (it woke for something else):
 * K_EAGAIN if no interrupt had come -- the line is masked again, the
 * wait withdrawn, and the next wait arms it afresh -- else what
 * irq_wait_result would say (K_OK: the interrupt came after all). */
__must_check kerr_t irq_wait_withdraw(unsigned line, kpid_t pid);

/* An interrupt on `line` at time `now`, taken on CPU `cpu` (from the
 * arch's handler, before its EOI): masks the line and says what to do. */
enum irq_outcome irq_dispatch(unsigned line, uint64_t now, unsigned cpu);

/* Every line `pid` holds goes back to free (masked); a stormed one stays
 * stormed, with no owner. A process's exit calls this. Returns how many. */
unsigned irq_release_owner(kpid_t pid);

/* Makes unrouted `line` one that only `pid` may wait on, masked and
 * unmasked through `line_chip` (an MSI-X vector's table entry), edge-
 * triggered. K_EINVAL past IRQ_LINES or for PID_NONE, K_EEXIST if the
 * line is routed already. */
__must_check kerr_t irq_line_grant(unsigned line, kpid_t pid, const struct irq_chip *line_chip);

/* A granted line goes back to unrouted, masked; a waiter on it is woken
 * by the caller (irq_wait_done says its wait is over, irq_wait_result
 * K_ENOENT). Nothing happens to a line that was not granted. */
void irq_line_revoke(unsigned line);

/* A line's state; false past IRQ_LINES. */
bool irq_line_info(unsigned line, struct irq_line_info *out);

/* The first line at or after *line that `pid` holds (owned or stormed):
 * true with *line and *out set, false when there is none. Quick while no
 * process holds any line. */
bool irq_next_held(kpid_t pid, unsigned *line, struct irq_line_info *out);

/* Interrupts that came in on lines nobody waited for, all lines. */
uint64_t irq_spurious_total(void);

#endif
