/*
 * console: the PL011 console's address (console.c).
 */
#ifndef CAMBIOS_AARCH64_CONSOLE_H
#define CAMBIOS_AARCH64_CONSOLE_H

#include <stdint.h>

/* Moves the console to the PL011 at `phys` (already mapped as device
 * memory) and sets it up, once the old one has sent what it held. */
void console_use_uart(uint64_t phys);

#endif
