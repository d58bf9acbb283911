/*
 * console: COM1, a 16550-compatible UART at I/O port 0x3F8.
 *
 * Polled output at 115200 8N1 with the FIFOs on; no interrupts (the IDT does
 * not exist yet). Transmit waits for "transmit holding register empty"
 * (LSR bit 5) with a bound, so a missing UART cannot hang the kernel.
 */
#include <arch.h>

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
#define LSR_THR_EMPTY 0x20
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
