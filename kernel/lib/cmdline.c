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
