/*
 * output: what user programs print, as the console shows it.
 *
 * A program must never be able to pass for the kernel: a log reader (or a
 * test harness) that trusts "module x: accepted" or "selftest: 9 passed"
 * must be sure the kernel said it. So program output is shown only in
 * whole lines of its own, each starting with the program's name and pid:
 *     [hello.elf:3] Hello from a signed boot module!
 * Kernel lines never start with '[', so no program line can match a
 * pattern anchored at the start of a kernel line. Bytes are made harmless
 * on the way: printable ASCII is kept, a backslash is doubled, and every
 * other byte (control characters -- carriage return, escape sequences,
 * backspace -- and non-ASCII) is shown as \xNN. A line is held until its
 * newline arrives (or it reaches OUTPUT_LINE_MAX shown characters, or the
 * program ends), so kernel lines are never spliced into a program's.
 *
 * The held line belongs to the process's slot and is reset when a new
 * process takes the slot. Only the CPU running the process writes it
 * (until the scheduler exists, one program runs at a time).
 */
#ifndef CAMBIOS_OUTPUT_H
#define CAMBIOS_OUTPUT_H

#include <process.h>
#include <stddef.h>

#define OUTPUT_LINE_MAX 160 /* shown characters per console line, prefix excluded */

/* Adds `len` bytes printed by `pid`; prints every line they complete. */
void output_write(kpid_t pid, const char *bytes, size_t len);

/* Prints what `pid` left without a newline (at its end). */
void output_flush(kpid_t pid);

#endif
