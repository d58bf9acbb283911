/*
 * assert_reason: the unit tests' check that something was refused with a
 * reason that says why (include after <cmocka.h>).
 */
#ifndef CAMBIOS_TEST_ASSERT_REASON_H
#define CAMBIOS_TEST_ASSERT_REASON_H

#include <string.h>

/* Fails the test unless `reason` is set and contains `fragment`. */
static inline void assert_reason(const char *reason, const char *fragment)
{
	assert_non_null(reason);
	if (!strstr(reason, fragment))
		print_message("reason \"%s\" lacks \"%s\"\n", reason, fragment);
	assert_non_null(strstr(reason, fragment));
}

#endif
