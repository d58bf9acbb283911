/*
 * user: address spaces, user mode and system calls (self-test group).
 *
 * Builds a process (its address space has the kernel half shared), maps the
 * user_programs block at USER_CODE read+execute and a 64 KiB stack below
 * USER_STACK_TOP, enters user mode (ring 3 / EL0), and checks:
 *  - the system-call program's verdict (it checks every answer itself);
 *  - that faults in user mode end only the program, with no handler
 *    installed: writing its own code page, reading kernel memory, reading
 *    address 0;
 *  - that W^X holds (a writable+executable mapping is refused);
 *  - that destroying the process gives back every frame.
 */
#include <selftest.h>

#include <arch.h>
#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <printk.h>
#include <process.h>
#include <timer.h>
#include <user.h>
#include <user_programs.h>
#include <vm.h>

#define USER_CODE 0x400000ULL
#define USER_STACK_TOP 0x800000ULL
#define USER_STACK_SIZE (64 * 1024ULL)

static uint64_t programs_size(void)
{
	return (uint64_t)(user_programs_end - user_programs_start);
}

/* Maps the programs read+execute at USER_CODE: written through the HHDM
 * while the page is still only the kernel's business. */
static kerr_t map_programs(struct address_space *as)
{
	uint64_t size = (programs_size() + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
	kerr_t err = vm_map_zeroed(as, USER_CODE, size, 0);

	for (uint64_t off = 0; err == K_OK && off < programs_size(); off += VM_PAGE_SIZE) {
		uint64_t pa, n = programs_size() - off;
		unsigned flags;
		err = vm_translate(as, USER_CODE + off, &pa, &flags);
		if (err == K_OK) {
			memcpy(phys_to_virt(pa), user_programs_start + off, n < VM_PAGE_SIZE ? n : VM_PAGE_SIZE);
			arch_sync_code(phys_to_virt(pa), VM_PAGE_SIZE);
		}
	}
	if (err == K_OK)
		err = vm_protect(as, USER_CODE, size, VM_EXEC);
	return err;
}

/* Runs one program as a fresh process; returns how it ended, and whether
 * every frame came back once the process was destroyed. */
static struct user_outcome run_program(const uint8_t *entry, bool *frames_returned)
{
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };
	uint64_t free_before = frame_free_count();
	kpid_t pid;

	if (process_create("selftest-user", &pid) != K_OK)
		return outcome;
	struct address_space *as = process_address_space(pid);
	if (map_programs(as) == K_OK &&
	    vm_map_zeroed(as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, VM_WRITE) == K_OK)
		outcome = process_run(pid, USER_CODE + (uint64_t)(entry - user_programs_start),
				      USER_STACK_TOP);
	*frames_returned = process_destroy(pid) == K_OK && frame_free_count() == free_before;
	return outcome;
}

static void check_program(const char *name, const uint8_t *entry, enum user_end end)
{
	bool frames_returned = false;
	struct user_outcome outcome = run_program(entry, &frames_returned);
	bool ok = outcome.end == end && (end != USER_END_EXITED || outcome.exit_code == 0);

	if (!ok)
		println("  %s: ended %d with code %lld, expected %d", name, (int)outcome.end,
			(long long)outcome.exit_code, (int)end);
	selftest_check(ok && frames_returned, name);
}

/* The kernel runs with interrupts masked, so a tick counted while the
 * spinning program ran was taken in user mode -- and the program still
 * finished, so the interrupted state came back intact. */
static void check_interrupted_program(void)
{
	bool frames_returned = false;
	uint64_t before = timer_ticks();
	struct user_outcome outcome = run_program(user_program_spin, &frames_returned);
	uint64_t ticks = timer_ticks() - before;

	println("user: %llu timer interrupts taken in user mode while a program spun",
		(unsigned long long)ticks);
	selftest_check(outcome.end == USER_END_EXITED && outcome.exit_code == 0 && ticks > 0 &&
			       frames_returned,
		       "user.timer_interrupts_user_mode");
}

static bool write_execute_refused(void)
{
	struct address_space as;
	paddr_t frame;
	bool ok;

	if (vm_space_create(&as) != K_OK || frame_alloc(&frame) != K_OK)
		return false;
	ok = vm_map(&as, USER_CODE, frame, VM_PAGE_SIZE, VM_WRITE | VM_EXEC) == K_EPERM;
	ok &= vm_map(&as, USER_CODE, frame, VM_PAGE_SIZE, VM_WRITE) == K_OK;
	ok &= vm_protect(&as, USER_CODE, VM_PAGE_SIZE, VM_WRITE | VM_EXEC) == K_EPERM;
	ok &= vm_map(&as, 0xffffffff80000000ULL, frame, VM_PAGE_SIZE, 0) == K_EINVAL;
	vm_space_destroy(&as); /* frees the frame with the mapping */
	return ok;
}

void selftest_user(void)
{
	check_program("user.syscalls", user_program_syscalls, USER_END_EXITED);
	check_program("user.write_code_page_faults", user_program_write_code, USER_END_FAULTED);
	check_program("user.read_kernel_faults", user_program_read_kernel, USER_END_FAULTED);
	check_program("user.read_null_faults", user_program_read_null, USER_END_FAULTED);
	check_interrupted_program();
	selftest_check(write_execute_refused(), "vm.write_execute_refused");
}
