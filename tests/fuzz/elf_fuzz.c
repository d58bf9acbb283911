/*
 * elf_fuzz: libFuzzer target for ELF validation (lib/elf.c), the user
 * program loader (kernel/proc/program.c) and the module role readers (the
 * ELF note, elf_module_role, and a text module's first line,
 * lib/module_role.c).
 *
 * Every input is checked under the kernel's rules and a user program's.
 * An accepted plan must keep its promises: segments inside the file and
 * the allowed range, no overlap, no page shared by different permissions,
 * W^X for programs, the entry inside an executable segment. A program the
 * user rules accept is then loaded into a fresh process on host memory;
 * loading or refusing, destroying the process must give back every frame.
 * A role either reader returns is 1 to 31 characters of [a-z0-9._-]; a
 * refusal leaves it empty and has a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch.h>
#include <elf.h>
#include <frame.h>
#include <process.h>
#include <module_role.h>
#include <program.h>

#include "../support/host_world.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE 4096ULL

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout) || host_world_boot_processes() != 0)
		abort();
	return 0;
}

static void check_plan(const struct elf_plan *p, uint64_t size, const struct elf_rules *rules)
{
	bool entry_ok = false;

	for (unsigned i = 0; i < p->segment_count; i++) {
		const struct elf_segment *a = &p->segments[i];
		if (a->filesz > a->memsz || a->offset > size || a->filesz > size - a->offset)
			abort();
		if (a->vaddr < rules->min_vaddr || a->vaddr + a->memsz > rules->end_vaddr)
			abort();
		if (rules->write_xor_execute && (a->flags & ELF_PF_W) && (a->flags & ELF_PF_X))
			abort();
		if ((a->flags & ELF_PF_X) && p->entry >= a->vaddr && p->entry - a->vaddr < a->memsz)
			entry_ok = true;
		for (unsigned j = i + 1; j < p->segment_count; j++) {
			const struct elf_segment *b = &p->segments[j];
			if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
				abort();
			bool share = a->vaddr / PAGE <= (b->vaddr + b->memsz - 1) / PAGE &&
				     b->vaddr / PAGE <= (a->vaddr + a->memsz - 1) / PAGE;
			if (share && a->flags != b->flags)
				abort();
		}
	}
	if (!entry_ok)
		abort();
}

static void check_rules(const uint8_t *file, size_t size, const struct elf_rules *rules)
{
	struct elf_plan plan;
	const char *err = elf_check(file, size, rules, &plan);

	if (!err)
		check_plan(&plan, size, rules);
	else if (err[0] == '\0')
		abort();
}

static void load_as_program(const uint8_t *file, size_t size)
{
	uint64_t free_before = frame_free_count();
	struct program_image image;
	const char *reason;
	kpid_t pid;

	if (process_create("fuzzed", &pid) != K_OK)
		abort();
	kerr_t err = program_load(process_address_space(pid), file, size, &image, &reason);
	if (err != K_OK && (!reason || reason[0] == '\0'))
		abort();
	if (process_destroy(pid) != K_OK || frame_free_count() != free_before)
		abort();
}

static void check_role(const char *err, const char *role)
{
	const char *nul = memchr(role, '\0', MODULE_ROLE_MAX + 1);
	size_t len = nul ? (size_t)(nul - role) : 0;

	if (!nul)
		abort();
	if (err) {
		if (err[0] == '\0' || role[0] != '\0')
			abort();
		return;
	}
	if (len == 0 || len > MODULE_ROLE_MAX ||
	    strspn(role, "abcdefghijklmnopqrstuvwxyz0123456789._-") != len)
		abort();
}

static void read_roles(const uint8_t *file, size_t size)
{
	char role[MODULE_ROLE_MAX + 1];
	uint64_t line_len;
	const char *err;

	check_role(elf_module_role(file, size, role), role);
	err = module_role_line(file, size, role, &line_len);
	check_role(err, role);
	if (err ? line_len != 0 : line_len < MODULE_ROLE_LINE_PREFIX_LEN + 2 || line_len > size ||
				  file[line_len - 1] != '\n')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint16_t machines[] = { ELF_MACHINE_X86_64, ELF_MACHINE_AARCH64 };
	/* An exact-size copy: reading one byte past it trips ASan. */
	uint8_t *file = malloc(size ? size : 1);

	if (!file)
		return 0;
	memcpy(file, data, size);
	for (unsigned m = 0; m < 2; m++) {
		const struct elf_rules kernel = { machines[m], ELF_KERNEL_MIN_VADDR, UINT64_MAX, false };
		const struct elf_rules user = { machines[m], ELF_USER_MIN_VADDR, ELF_USER_END_VADDR, true };
		check_rules(file, size, &kernel);
		check_rules(file, size, &user);
	}
	load_as_program(file, size);
	read_roles(file, size);
	free(file);
	return 0;
}
