/*
 * console_input: bytes typed at the serial console, for ConsoleRead.
 *
 * The arch's console UART interrupts on every byte it receives (COM1's
 * IRQ 4 through the I/O APIC; the PL011's SPI on the GIC); its handler
 * drains the UART into a ring of CONSOLE_INPUT_SIZE bytes here and wakes
 * the readers. ConsoleRead blocks until at least one byte is in the ring
 * and takes what is there, up to what it asked for.
 *
 * No line discipline: raw bytes, in the order received, no echo, no
 * editing, no translation of CR or LF. When the ring is full the bytes
 * that do not fit are dropped (the newest, not the unread oldest), and
 * counted: console_input_dropped(). Readers of several processes share
 * the one ring; each byte goes to exactly one of them.
 *
 * Locking: the ring's lock is at level LOCK_CONSOLE (10, interrupt-safe:
 * the UART's handler takes it). The readers block with reason BLOCK_IRQ
 * and the console's own line as its argument, which no process can wait
 * on (the router reserves it).
 */
#ifndef CAMBIOS_CONSOLE_INPUT_H
#define CAMBIOS_CONSOLE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_INPUT_SIZE 256

/* The console's receive line (the BLOCK_IRQ argument of its readers);
 * the arch says which, once, when it enables the UART's interrupt. */
void console_input_start(unsigned line);

/* From the UART's interrupt handler: bytes received, kept or dropped;
 * then the readers are woken. */
void console_input_push(const uint8_t *bytes, size_t count);

/* Blocks until at least one byte is there, then moves up to `max`
 * (>= 1) into `out`; returns how many. Not in an interrupt handler. */
size_t console_input_read(uint8_t *out, size_t max);

/* Bytes dropped because the ring was full, since boot. */
uint64_t console_input_dropped(void);

#endif
