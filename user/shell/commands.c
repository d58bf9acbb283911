/*
 * commands: the shell's command table. One entry per command -- its
 * name, its arguments, one line on what it does, how many words it
 * takes, its function -- drives both `help` and the dispatch, so a
 * command cannot exist without being listed. The word count is checked
 * here, before the command runs, and answered with the usage line; each
 * command checks what its words say.
 */
#include <kstring.h>
#include <line_editor.h>

#include "shell.h"

#define ANY_WORDS 0xffffffffu /* free text: any number of words */

struct command {
	const char *name;
	const char *args;
	const char *what;
	unsigned min_words; /* the command's name included */
	unsigned max_words;
	void (*run)(const struct shell_line *l);
};

static void cmd_help(const struct shell_line *cl);

static const struct command commands[] = {
	{ "help", "", "every command, one line each", 1, 1, cmd_help },
	{ "ps", "", "processes: pid, name, state, CPU, Principal", 1, 1, cmd_ps },
	{ "mem", "", "frames free, kernel heap, objects in the store", 1, 1, cmd_mem },
	{ "cpus", "", "each CPU: ticks, idle, switches, queues, what runs", 1, 1, cmd_cpus },
	{ "stats", "", "uptime, processes, heap and interrupt counts, IPIs", 1, 1, cmd_stats },
	{ "spawn", "NAME", "start boot module NAME; prints its pid", 2, 2, cmd_spawn },
	{ "kill", "PID", "end process PID", 2, 2, cmd_kill },
	{ "ls", "", "the names in fs-service", 1, 1, cmd_ls },
	{ "put", "NAME TEXT", "store TEXT as NAME in fs-service", 3, ANY_WORDS, cmd_put },
	{ "cat", "NAME", "show NAME's content", 2, 2, cmd_cat },
	{ "rm", "NAME", "delete NAME", 2, 2, cmd_rm },
	{ "sign", "NAME", "BLAKE3 of NAME, signed by the key-store", 2, 2, cmd_sign },
	{ "net", "", "the UDP/IP stack: address, MAC, counters", 1, 1, cmd_net },
	{ "udp", "send HOST PORT TEXT", "send TEXT as one UDP datagram to HOST:PORT", 5,
	  ANY_WORDS, cmd_udp },
	{ "date", "", "the time of day (UTC), as the network's SNTP answer set it", 1, 1,
	  cmd_date },
};

#define COMMANDS (sizeof(commands) / sizeof(commands[0]))

_Static_assert(LINE_EDITOR_MAX == 120, "main.c's refusal names the limit");

const char *shell_arg(const struct shell_line *l, unsigned i, size_t *len)
{
	*len = i < l->words.count ? l->words.len[i] : 0;
	return i < l->words.count ? l->text + l->words.start[i] : "";
}

const char *shell_rest(const struct shell_line *l, unsigned i, size_t *len)
{
	if (i >= l->words.count) {
		*len = 0;
		return "";
	}
	*len = l->words.end - l->words.start[i];
	return l->text + l->words.start[i];
}

static void say_usage(const struct command *c)
{
	struct line l = { .len = 0 };

	put(&l, "shell: usage: ");
	put(&l, c->name);
	if (c->args[0]) {
		put(&l, " ");
		put(&l, c->args);
	}
	say(&l);
}

static void cmd_help(const struct shell_line *cl)
{
	(void)cl;
	for (size_t i = 0; i < COMMANDS; i++) {
		struct line l = { .len = 0 };
		char usage[40];
		size_t n = strlen(commands[i].name);

		memcpy(usage, commands[i].name, n);
		usage[n] = '\0';
		if (commands[i].args[0] && n + 1 + strlen(commands[i].args) < sizeof(usage)) {
			usage[n] = ' ';
			memcpy(usage + n + 1, commands[i].args, strlen(commands[i].args) + 1);
		}
		put(&l, "  ");
		out_put_padded(&l, usage, 26);
		put(&l, commands[i].what);
		say(&l);
	}
}

static const struct command *find(const struct shell_line *l)
{
	for (size_t i = 0; i < COMMANDS; i++)
		if (shell_word_is(l->text, &l->words, 0, commands[i].name))
			return &commands[i];
	return NULL;
}

static void say_unknown(const struct shell_line *l)
{
	struct line out = { .len = 0 };
	size_t len;
	const char *word = shell_arg(l, 0, &len);

	put(&out, "shell: unknown command \"");
	out_put_n(&out, word, len);
	put(&out, "\"; try help");
	say(&out);
}

void shell_run(const char *text, size_t len)
{
	struct shell_line l = { .text = text };

	shell_split(text, len, &l.words);
	if (l.words.total == 0)
		return;
	const struct command *c = find(&l);
	if (!c) {
		say_unknown(&l);
		return;
	}
	if (l.words.total < c->min_words || l.words.total > c->max_words) {
		say_usage(c);
		return;
	}
	c->run(&l);
}
