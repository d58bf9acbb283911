/*
 * console: COM1, a 16550-compatible UART at I/O port 0x3F8.
 *
 * Polled output at 115200 8N1 with the FIFOs on. Transmit waits for
 * "transmit holding register empty" (LSR bit 5) with a bound, so a missing
 * UART cannot hang the kernel. Input is interrupt-driven once the I/O APIC
 * is up (console_rx_start): "received data available" raises IRQ 4, and
 * the handler drains the receive FIFO into console_input.c's ring. IRQ 4
 * is edge-triggered, so the handler empties the FIFO completely: a byte
 * left behind would raise no new edge.
 */
#include <arch.h>
#include <console_input.h>
#include <x86_64/insn.h>

#include "interrupts.h"

#include <x86_64/insn.h>

#define COM1 0x3f8
#define UART_DATA 0      /* THR/RBR; divisor low with DLAB */
#define UART_IER 1       /* interrupt enable; divisor high with DLAB */
#define UART_FCR 2       /* FIFO control */
#define UART_LCR 3       /* line control */
#define UART_MCR 4       /* modem control */
#define UART_LSR 5       /* line status */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IER_RX_AVAILABLE 0x01
#define UART_IIR 2       /* interrupt identification (read) */
#define RX_DRAIN_LIMIT 64 /* bytes per interrupt: a FIFO's worth and more */
#define BAUD_DIVISOR 1   /* 115200 = 115200 / 1 */
#define TX_SPIN_LIMIT 100000

void arch_console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, BAUD_DIVISOR & 0xff);
	outb(COM1 + UART_IER, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void arch_console_putc(char c)
{
	for (int spins = 0; spins < TX_SPIN_LIMIT; spins++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_rx_start(void)
{
	(void)inb(COM1 + UART_DATA); /* whatever was typed before: its interrupt is gone */
	outb(COM1 + UART_IER, IER_RX_AVAILABLE);
}

void console_rx_interrupt(void)
{
	uint8_t bytes[RX_DRAIN_LIMIT];
	size_t n = 0;

	(void)inb(COM1 + UART_IIR);
	while (n < RX_DRAIN_LIMIT && (inb(COM1 + UART_LSR) & LSR_DATA_READY))
		bytes[n++] = inb(COM1 + UART_DATA);
	console_input_push(bytes, n);
}
