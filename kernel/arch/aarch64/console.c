/*
 * console: the PL011 UART the firmware's console uses.
 *
 * It starts at QEMU virt's documented address (the kernel speaks before
 * it can read the firmware's tables); devices.c moves it with
 * console_use_uart() if the tables name another.
 *
 * Polled output, 115200 8N1 with FIFOs (QEMU ignores the divisors but real
 * PL011s with a 24 MHz clock need exactly these). Reached through the HHDM
 * alias that early_map_mmio() mapped as device memory. Transmit waits for
 * room in the FIFO (FR.TXFF) with a bound, so a wedged UART cannot hang the
 * kernel.
 *
 * Input is interrupt-driven once the GIC is up (console_rx_start): the
 * receive and receive-timeout interrupts (the latter for bytes that sit in
 * the FIFO below its trigger level) raise the UART's SPI, and the handler
 * drains the FIFO into console_input.c's ring.
 */
#include <arch.h>
#include <console_input.h>
#include <hhdm.h>

#include "console.h"
#include "interrupts.h"
#include "mmio.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IBRD 0x24
#define UART_FBRD 0x28
#define UART_LCRH 0x2c
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define UART_MIS 0x40
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define IMSC_RX (1u << 4)  /* receive FIFO at its trigger level */
#define IMSC_RT (1u << 6)  /* receive timeout: bytes waiting below the trigger level */
#define RX_CHUNK 64          /* bytes pushed to the ring at a time */
#define RX_DRAIN_LIMIT 1024  /* bytes taken in one interrupt at most */
#define FR_TXFF (1u << 5)
#define LCRH_FEN (1u << 4)
#define LCRH_WLEN_8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define ICR_ALL 0x7ff
#define SPIN_LIMIT 100000

static uint64_t uart_phys = VIRT_PL011_BASE;

static uintptr_t uart_base(void)
{
	return (uintptr_t)phys_to_virt(uart_phys);
}

static void uart_wait_while(uint32_t flag)
{
	for (int spins = 0; spins < SPIN_LIMIT; spins++) {
		if (!(mmio_read32(uart_base() + UART_FR) & flag))
			return;
	}
}

void arch_console_init(void)
{
	uintptr_t base = uart_base();

	mmio_write32(base + UART_CR, 0);
	uart_wait_while(FR_BUSY);
	mmio_write32(base + UART_IMSC, 0);
	mmio_write32(base + UART_ICR, ICR_ALL);
	mmio_write32(base + UART_IBRD, 13); /* 24 MHz / (16 * 115200) = 13.02 */
	mmio_write32(base + UART_FBRD, 1);
	mmio_write32(base + UART_LCRH, LCRH_WLEN_8 | LCRH_FEN);
	mmio_write32(base + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void arch_console_putc(char c)
{
	uart_wait_while(FR_TXFF);
	mmio_write32(uart_base() + UART_DR, (uint8_t)c);
}

void console_use_uart(uint64_t phys)
{
	uart_wait_while(FR_BUSY); /* what the old one holds goes out first */
	uart_phys = phys;
	arch_console_init();
}

void console_rx_start(void)
{
	uintptr_t base = uart_base();

	mmio_write32(base + UART_ICR, IMSC_RX | IMSC_RT);
	mmio_write32(base + UART_IMSC, IMSC_RX | IMSC_RT);
}

void console_rx_interrupt(void)
{
	uintptr_t base = uart_base();
	uint8_t bytes[RX_CHUNK];
	size_t total = 0, n;

	/* Clear first, then drain until the FIFO is empty. QEMU's PL011
	 * raises its receive interrupt only as the FIFO goes from empty to
	 * one byte (it has no receive timeout), so a byte left behind --
	 * by a drain that stopped early, or whose status a clear after the
	 * drain threw away -- would never interrupt again, and input would
	 * stall for good. The bound keeps a UART that never reads empty
	 * from holding the CPU. */
	mmio_write32(base + UART_ICR, IMSC_RX | IMSC_RT);
	do {
		n = 0;
		while (n < RX_CHUNK && !(mmio_read32(base + UART_FR) & FR_RXFE))
			bytes[n++] = (uint8_t)mmio_read32(base + UART_DR);
		console_input_push(bytes, n);
		total += n;
	} while (n == RX_CHUNK && total < RX_DRAIN_LIMIT);
}
