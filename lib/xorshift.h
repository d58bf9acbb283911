/*
 * xorshift: a small, fast, reproducible pseudo-random generator for
 * randomised tests and self-tests (same seed, same sequence, on every
 * machine). Not for anything that needs unpredictability.
 */
#ifndef CAMBIOS_XORSHIFT_H
#define CAMBIOS_XORSHIFT_H

#include <stdint.h>

/* Advances *state (never zero) and returns the next value. */
static inline uint64_t xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
