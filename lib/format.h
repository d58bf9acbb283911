/*
 * format: the printf engine shared by the kernel, the loader and host tools.
 *
 * It owns no buffer and no device: every character goes to a caller-given
 * sink, so the same code serves a UART, a UEFI console and a string buffer.
 * Freestanding: no libc, no allocation, no floating point.
 *
 * Conversions: %s %c %d %i %u %x %X %o %p %% with the length modifiers
 * hh h l ll z t j, flags '-' '0' '+' ' ' '#', a width and a precision (both
 * may be '*'). %p prints 0x and 16 hex digits. A conversion it does not know
 * is printed verbatim, so a wrong format string shows up in the output
 * instead of silently eating arguments.
 */
#ifndef CAMBIOS_LIB_FORMAT_H
#define CAMBIOS_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_fn)(char c, void *ctx);

/* Formats `fmt` into `sink`; returns the number of characters emitted. */
size_t format_emit(format_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: writes at most size-1 characters and a NUL (when
 * size > 0); returns the length the full output would have had. */
size_t format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t format_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
