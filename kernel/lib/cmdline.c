/*
 * cmdline: whole-word search in the kernel command line (see cmdline.h).
 */
#include <cmdline.h>

#include <stddef.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* True if the word starting at `p` equals `word` and ends there. */
static bool word_matches(const char *p, const char *word)
{
	while (*word && *p == *word) {
		p++;
		word++;
	}
	return *word == '\0' && (*p == '\0' || is_space(*p));
}

/* The word starting at `p`, if it is `key` followed by a decimal number
 * that ends the word: its value in *value. */
static bool number_after(const char *p, const char *key, uint64_t *value)
{
	uint64_t n = 0;
	bool digits = false;

	while (*key && *p == *key) {
		p++;
		key++;
	}
	if (*key)
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false; /* too big: not a number we can hold */
		n = n * 10 + (uint64_t)(*p - '0');
		digits = true;
	}
	if (!digits || (*p && !is_space(*p)))
		return false;
	*value = n;
	return true;
}

bool cmdline_number(const char *cmdline, const char *key, uint64_t *value)
{
	bool found = false;

	if (!cmdline || !key || !*key)
		return false;
	for (const char *p = cmdline; *p;) {
		while (is_space(*p))
			p++;
		found |= *p && number_after(p, key, value); /* the last one counts */
		while (*p && !is_space(*p))
			p++;
	}
	return found;
}

bool cmdline_has_word(const char *cmdline, const char *word)
{
	if (!cmdline || !word || !*word)
		return false;
	for (const char *p = cmdline; *p;) {
		while (is_space(*p))
			p++;
		if (*p && word_matches(p, word))
			return true;
		while (*p && !is_space(*p))
			p++;
	}
	return false;
}
