/*
 * kstring: the handful of memory and string routines freestanding code needs.
 *
 * The compiler may emit calls to memcpy/memset/memmove/memcmp on its own
 * (struct copies, zeroing), so the kernel and the loader must provide them
 * under exactly these names. Host builds use libc's and never link this file.
 */
#ifndef CAMBIOS_LIB_KSTRING_H
#define CAMBIOS_LIB_KSTRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
