/*
 * elf (verify harness): the ELF checks, the load plan and the module-role
 * note reader over a file of unknown bytes and any size up to 4 KiB.
 *
 * Every public entry point of lib/elf.c gets what its callers can hand it:
 * the loader a kernel file from the boot volume, the kernel a module body
 * (any bytes, any length, 0 included), the fuzzer any rules; lib/
 * module_role.c's role line reader, which the kernel runs on modules that
 * are not ELF files, gets the same bytes. The machine
 * and the rules are unknown too. The size is one interval, not one
 * analysis per size.
 *
 * Why 4 KiB is enough: the cap only sizes the analysis's buffer. The code
 * reads the 64-byte header and program headers of 56 bytes each; within
 * 4 KiB a file holds 72 of them, more than either limit the code enforces
 * (ELF_MAX_SEGMENTS and ELF_MAX_NOTE_HEADERS, 16 each), and every offset,
 * count and size it reads from the file is an unknown 64-bit value, so the
 * overflow and out-of-file paths are all taken. Nothing in the code
 * depends on the file being small.
 */
#include <__fc_builtin.h>
#include <elf.h>

#define MAX_FILE 4096

static uint8_t file[MAX_FILE];

int main(void)
{
	struct elf_plan plan;
	struct elf_rules rules;
	char role[MODULE_ROLE_MAX + 1];
	uint64_t line_len;
	uint64_t size = Frama_C_size_t_interval(0, MAX_FILE);
	uint16_t machine = (uint16_t)Frama_C_unsigned_int_interval(0, UINT16_MAX);

	Frama_C_make_unknown((char *)file, MAX_FILE);
	Frama_C_make_unknown((char *)&rules, sizeof(rules));
	rules.write_xor_execute = Frama_C_nondet(0, 1);

	(void)elf_has_magic(file, size);
	(void)elf_check(file, size, &rules, &plan);
	(void)elf_check_kernel(file, size, machine, &plan);
	(void)elf_check_user(file, size, machine, &plan);
	(void)elf_module_role(file, size, role);
	(void)module_role_line(file, size, role, &line_len);
	return 0;
}
