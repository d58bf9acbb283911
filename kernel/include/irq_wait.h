/*
 * irq_wait: device interrupts in the running kernel -- the router
 * (irq.h) joined to the scheduler and the clock, and the hooks each
 * architecture's interrupt controller code provides.
 *
 * A thread waits for its line with irq_wait(): the thread is pinned to
 * its CPU, the router claims the line, steers it to that CPU and unmasks
 * it, and the thread blocks (BLOCK_IRQ, line) until the arch's handler
 * calls irq_interrupt(line) there, which masks the line and wakes it. Storms are reported on the console here. Time for the storm
 * window is the CPU's counter (counter.h).
 *
 * EOI discipline (both arches): the handler calls irq_interrupt(), which
 * masks the line at the controller, and only then signals end of
 * interrupt. A level-triggered line still asserted therefore cannot fire
 * again until its owner waits again, which unmasks it.
 */
#ifndef CAMBIOS_IRQ_WAIT_H
#define CAMBIOS_IRQ_WAIT_H

#include <irq.h>
#include <pci.h>

/* The router afresh, over `chip` (the arch's interrupt controller). */
void irq_init(const struct irq_chip *chip);

/* Process `pid` waits for `line` (WaitIrq): claims it the first time,
 * unmasks it, blocks until its interrupt. irq_wait_begin's errors, or
 * K_EBUSY when the line stormed while it waited. Not in an interrupt
 * handler. */
__must_check kerr_t irq_wait(unsigned line, kpid_t pid);

/* Process `pid` waits for `line` or for a message on `endpoint`, its
 * own, whichever comes first (WaitIrqOrMessage): as irq_wait, but the
 * thread blocks on the endpoint (BLOCK_MESSAGE), where a send wakes it
 * and so does the line's interrupt. *message says which: false for the
 * interrupt (it wins when both came), true for a message, which stays
 * queued, with the wait on the line withdrawn (irq_wait_withdraw). */
__must_check kerr_t irq_wait_or_message(unsigned line, kpid_t pid, uint32_t endpoint,
					bool *message);

/* An interrupt on device line `line`, from the arch's handler with
 * interrupts off, before its EOI. */
void irq_interrupt(unsigned line);

/* Prints, for each line process `pid` holds, how many interrupts it had
 * and on which CPU (as its program ends, before its lines are let go). */
void irq_report_held(kpid_t pid);

/* Arch (ioapic.c / gic.c): routes each PCI function's INTx pin to its
 * line (level-triggered, masked) and prints one line per function. */
void arch_irq_route_pci(const struct pci_table *table);

/* Arch: the line function `f`'s INTx pin arrives on; false if it has no
 * pin or the arch cannot tell. */
bool arch_irq_pci_line(const struct pci_function *f, unsigned *line);

#endif
