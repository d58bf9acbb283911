/*
 * symbols: turning kernel addresses into function names.
 *
 * The build writes the kernel's symbol table as a text boot module
 * (`kernel.sym`: one "hex-address name" line per function, sorted by
 * address), and the loader hands it over with the kernel. Lookups read that
 * text directly: no allocation and no parsing at boot, which matters
 * because the main user is the exception reporter, which must work when
 * the heap is broken. A linear scan over a few thousand lines is fast
 * enough for a path that runs once per crash.
 */
#ifndef CAMBIOS_SYMBOLS_H
#define CAMBIOS_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Uses `len` bytes of symbol text at `text` from now on (NULL: none). */
void symbols_set_table(const char *text, size_t len);

/* Finds the function containing `addr`: the symbol with the highest address
 * <= addr. On success sets *name (not NUL-terminated; *name_len bytes) and
 * *offset = addr - symbol address. */
bool symbols_lookup(uint64_t addr, const char **name, size_t *name_len, uint64_t *offset);

/* Prints "name+0xoff" for addr, or "?" when unknown. */
void symbols_print(uint64_t addr);

#endif
