/*
 * console: loader output (see console.h).
 */
#include "console.h"

#include <format.h>
#include <stdarg.h>

#include "arch.h"
#include "uefi.h"

#define PREFIX "cambios-boot: "
#define CHUNK 128

struct conout_buffer {
	char16 text[CHUNK + 1];
	unsigned used;
};

static void conout_flush(struct conout_buffer *b)
{
	b->text[b->used] = 0;
	uefi_system_table->con_out->output_string(uefi_system_table->con_out, b->text);
	b->used = 0;
}

static void conout_sink(char c, void *ctx)
{
	struct conout_buffer *b = ctx;

	if (c == '\n') {
		b->text[b->used++] = '\r';
		if (b->used == CHUNK)
			conout_flush(b);
	}
	b->text[b->used++] = (char16)(unsigned char)c;
	if (b->used == CHUNK)
		conout_flush(b);
}

static void uart_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		arch_uart_putc('\r');
	arch_uart_putc(c);
}

static void print_line(const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	if (uefi_boot_services) {
		struct conout_buffer b = { .used = 0 };
		for (const char *p = PREFIX; *p; p++)
			conout_sink(*p, &b);
		format_emit(conout_sink, &b, fmt, copy);
		conout_sink('\n', &b);
		conout_flush(&b);
	} else {
		for (const char *p = PREFIX; *p; p++)
			uart_sink(*p, NULL);
		format_emit(uart_sink, NULL, fmt, copy);
		uart_sink('\n', NULL);
	}
	va_end(copy);
}

void console_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line(fmt, ap);
	va_end(ap);
}

void console_fatal(const char *fmt, ...)
{
	va_list ap;
	char message[256];

	va_start(ap, fmt);
	format_vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	console_print("error: %s", message);
	console_print("halted; fix the problem above and reboot");
	arch_halt();
}
