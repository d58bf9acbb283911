/*
 * cmdline: reading the kernel command line handed over by the loader.
 *
 * The command line is a space-separated list of words (`cmdline:` in
 * limine.conf). Portable and allocation-free; unit-tested on the host.
 */
#ifndef CAMBIOS_CMDLINE_H
#define CAMBIOS_CMDLINE_H

#include <stdbool.h>

/* True if `word` appears in `cmdline` as a whole space-separated word.
 * A NULL command line contains nothing. */
bool cmdline_has_word(const char *cmdline, const char *word);

#endif
