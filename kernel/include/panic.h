/*
 * panic: the end of the road for a broken kernel invariant.
 *
 * panic() prints the reason and the source location, tells every other CPU
 * to halt, and halts the calling CPU. It is for kernel bugs and impossible
 * hardware states only: bad input from a user or a module gets an error
 * code, never a panic.
 */
#ifndef CAMBIOS_PANIC_H
#define CAMBIOS_PANIC_H

#include <stdbool.h>

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(const char *file, int line, const char *fmt, ...);

/* True once some CPU has panicked: CPUs spinning in a wait loop check it
 * and halt themselves. */
bool panic_in_progress(void);

#endif
