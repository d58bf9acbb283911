/*
 * symbols: address-to-name lookup over the kernel.sym module (symbols.h).
 *
 * The text is untrusted in the sense that it comes from the boot disk: a
 * malformed line is skipped, never read past the end of the buffer.
 */
#include <symbols.h>

#include <printk.h>

static const char *table_text;
static size_t table_len;

void symbols_set_table(const char *text, size_t len)
{
	table_text = text;
	table_len = text ? len : 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses one "address name" line in [p, end). False if malformed. */
static bool parse_line(const char *p, const char *end, uint64_t *addr, const char **name,
		       size_t *name_len)
{
	uint64_t value = 0;
	int digits = 0;

	for (; p < end && hex_digit(*p) >= 0 && digits < 16; p++, digits++)
		value = value << 4 | (uint64_t)hex_digit(*p);
	if (digits == 0 || p == end || *p != ' ')
		return false;
	p++;
	if (p == end)
		return false;
	*addr = value;
	*name = p;
	*name_len = (size_t)(end - p);
	return true;
}

bool symbols_lookup(uint64_t addr, const char **name, size_t *name_len, uint64_t *offset)
{
	const char *p = table_text, *end;
	bool found = false;
	uint64_t best = 0;

	if (!p)
		return false;
	end = p + table_len;
	while (p < end) {
		const char *eol = p;
		uint64_t sym_addr;
		const char *sym_name;
		size_t sym_len;

		while (eol < end && *eol != '\n')
			eol++;
		if (parse_line(p, eol, &sym_addr, &sym_name, &sym_len) && sym_addr <= addr &&
		    (!found || sym_addr >= best)) {
			found = true;
			best = sym_addr;
			*name = sym_name;
			*name_len = sym_len;
		}
		p = eol + 1;
	}
	if (found)
		*offset = addr - best;
	return found;
}

void symbols_print(uint64_t addr)
{
	const char *name;
	size_t len;
	uint64_t offset;

	if (symbols_lookup(addr, &name, &len, &offset))
		printk("%.*s+0x%llx", (int)len, name, (unsigned long long)offset);
	else
		printk("?");
}
