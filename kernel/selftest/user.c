/*
 * user: address spaces, user mode and system calls (self-test group).
 *
 * Builds a real user address space (kernel half shared), maps the
 * user_programs block at USER_CODE read+execute and a 64 KiB stack below
 * USER_STACK_TOP, enters user mode (ring 3 / EL0), and checks:
 *  - the system-call program's verdict (it checks every answer itself);
 *  - that faults in user mode are reported and end only the program:
 *    writing its own code page, reading kernel memory, reading address 0;
 *  - that W^X holds (a writable+executable mapping is refused);
 *  - that destroying the address space gives back every frame.
 */
#include <selftest.h>

#include <arch.h>
#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <printk.h>
#include <timer.h>
#include <trap.h>
#include <user.h>
#include <user_programs.h>
#include <vm.h>

#define USER_CODE 0x400000ULL
#define USER_STACK_TOP 0x800000ULL
#define USER_STACK_SIZE (64 * 1024ULL)

/* The user-fault hook while a self-test program runs: the report has been
 * printed by trap_report; end the program, not the kernel. */
static bool end_faulting_program(struct trap_info *t)
{
	trap_report(t);
	println("  (user fault: program ended, kernel continues)");
	arch_user_return(USER_RUN_FAULTED);
}

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

/* Runs one program in a fresh address space; returns its exit value (or
 * USER_RUN_FAULTED), and whether every frame came back. */
static int64_t run_program(const uint8_t *entry, bool *frames_returned)
{
	struct address_space as;
	uint64_t free_before = frame_free_count();
	int64_t result = INT64_MIN;

	if (vm_space_create(&as) != K_OK)
		return result;
	if (map_programs(&as) == K_OK &&
	    vm_map_zeroed(&as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, VM_WRITE) == K_OK)
		result = user_run(&as, USER_CODE + (uint64_t)(entry - user_programs_start),
				  USER_STACK_TOP);
	vm_space_destroy(&as);
	*frames_returned = frame_free_count() == free_before;
	return result;
}

static void check_program(const char *name, const uint8_t *entry, int64_t expected)
{
	bool frames_returned = false;
	int64_t result = run_program(entry, &frames_returned);

	if (result != expected)
		println("  %s: got %lld, expected %lld", name, (long long)result, (long long)expected);
	selftest_check(result == expected && frames_returned, name);
}

/* The kernel runs with interrupts masked, so a tick counted while the
 * spinning program ran was taken in user mode -- and the program still
 * finished, so the interrupted state came back intact. */
static void check_interrupted_program(void)
{
	bool frames_returned = false;
	uint64_t before = timer_ticks();
	int64_t result = run_program(user_program_spin, &frames_returned);
	uint64_t ticks = timer_ticks() - before;

	println("user: %llu timer interrupts taken in user mode while a program spun",
		(unsigned long long)ticks);
	selftest_check(result == 0 && ticks > 0 && frames_returned, "user.timer_interrupts_user_mode");
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
	trap_set_user_hook(end_faulting_program);
	check_program("user.syscalls", user_program_syscalls, 0);
	check_program("user.write_code_page_faults", user_program_write_code, USER_RUN_FAULTED);
	check_program("user.read_kernel_faults", user_program_read_kernel, USER_RUN_FAULTED);
	check_program("user.read_null_faults", user_program_read_null, USER_RUN_FAULTED);
	check_interrupted_program();
	trap_set_user_hook(NULL);
	selftest_check(write_execute_refused(), "vm.write_execute_refused");
}
