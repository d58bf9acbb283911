/*
 * cmdline: reading the kernel command line handed over by the loader.
 *
 * The command line is a space-separated list of words (`cmdline:` in
 * limine.conf). Portable and allocation-free; unit-tested on the host.
 */
#ifndef CAMBIOS_CMDLINE_H
#define CAMBIOS_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

/* True if `word` appears in `cmdline` as a whole space-separated word.
 * A NULL command line contains nothing. */
bool cmdline_has_word(const char *cmdline, const char *word);

/* The number in a word `key<decimal digits>` (e.g. key "cambios.stats="
 * and the word "cambios.stats=2"): true with *value set when there is
 * one (the last, if several); false, *value untouched, when there is
 * none, or the digits are missing, followed by anything, or too big. */
bool cmdline_number(const char *cmdline, const char *key, uint64_t *value);

#endif
