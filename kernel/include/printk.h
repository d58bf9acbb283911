/*
 * printk: formatted output to the boot console.
 *
 * Works from the moment arch_console_init() has run. Output from several
 * CPUs is serialised line by line by the console lock, which sits outside
 * (below) every other lock: it is taken last and nothing is taken while it
 * is held. "\n" is sent as "\r\n" so a plain terminal shows clean lines.
 */
#ifndef CAMBIOS_PRINTK_H
#define CAMBIOS_PRINTK_H

#include <stdarg.h>

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* printk of one line: appends the newline. */
#define println(...) printk_line(__VA_ARGS__)
void printk_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Used by panic: take the console even if a CPU died holding it. */
void printk_force_unlock(void);

#endif
