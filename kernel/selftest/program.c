/*
 * program: the first signed boot module, run in user mode (self-test group
 * for the program loader).
 *
 * hello.elf -- built by the project, signed with the bootstrap key,
 * accepted by the SignedBinaryVerifier -- is loaded into a new process by
 * the W^X ELF loader and run until it exits; destroying the process gives
 * back every frame. Run again under an interceptor whose pre-syscall hook
 * refuses that process's console writes, it cannot print and says so with
 * its exit code. The symbol-table module, signed but not a program, is
 * refused by the loader with nothing allocated.
 */
#include <selftest.h>

#include <abi/syscall.h>
#include <frame.h>
#include <interceptor.h>
#include <printk.h>
#include <process.h>
#include <program.h>
#include <verifier.h>

#define HELLO_ROLE "hello"
#define SYMBOLS_ROLE "kernel-symbols"

struct user_outcome selftest_run_module(const struct verified_module *m)
{
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };
	struct program_image image;
	const char *reason = NULL;
	kpid_t pid;

	if (process_create(m->name, &pid) != K_OK)
		return outcome;
	struct address_space *as = process_address_space(pid);
	kerr_t err = program_load(as, m->body, m->body_len, &image, &reason);
	if (err == K_OK) {
		println("program: %s loaded into pid %u: entry %#lx, %u segments in %lu pages, "
			"stack below %#lx", m->name, PID_SLOT(pid), (unsigned long)image.entry,
			image.segments, (unsigned long)image.pages, (unsigned long)image.stack_top);
		outcome = process_run(pid, image.entry, image.stack_top);
		if (outcome.end == USER_END_EXITED)
			println("program: %s exited with code %lld", m->name,
				(long long)outcome.exit_code);
		else
			println("program: %s was ended by a fault", m->name);
	} else {
		println("program: %s refused (%s)", m->name, reason);
	}
	if (process_destroy(pid) != K_OK)
		outcome.end = USER_END_NOT_RUN;
	return outcome;
}

static bool exited_with(struct user_outcome outcome, int64_t code)
{
	return outcome.end == USER_END_EXITED && outcome.exit_code == code;
}

static bool hello_runs(void)
{
	const struct verified_module *hello = verifier_find(HELLO_ROLE);
	uint64_t free_before = frame_free_count();

	if (!hello) {
		println("program: no accepted module with the role \"%s\"", HELLO_ROLE);
		return false;
	}
	return exited_with(selftest_run_module(hello), 0) && frame_free_count() == free_before;
}

/* An interceptor that refuses SYS_PRINT to user processes, and only that:
 * for IPC it applies the default rules. */
static kerr_t no_print_for_processes(kpid_t caller, uint64_t number)
{
	return caller != PID_NONE && number == SYS_PRINT ? K_EPERM : K_OK;
}

static kerr_t default_send(const struct ipc_send_request *r)
{
	return interceptor_default.on_send(r);
}

static kerr_t default_receive(const struct ipc_receive_request *r)
{
	return interceptor_default.on_receive(r);
}

static const struct interceptor silencer = {
	.name = "silencer",
	.on_send = default_send,
	.on_receive = default_receive,
	.on_syscall = no_print_for_processes,
};

static bool hello_silenced_by_the_interceptor(void)
{
	const struct verified_module *hello = verifier_find(HELLO_ROLE);

	if (!hello)
		return false;
	interceptor_install(&silencer);
	struct user_outcome outcome = selftest_run_module(hello); /* exits 1 when it cannot print */
	interceptor_install(NULL);
	return exited_with(outcome, 1);
}

static bool data_module_refused(void)
{
	const struct verified_module *symbols = verifier_find(SYMBOLS_ROLE);
	uint64_t free_before = frame_free_count();
	struct program_image image;
	const char *reason = NULL;
	kpid_t pid;

	if (!symbols || process_create("not-a-program", &pid) != K_OK)
		return false;
	kerr_t err = program_load(process_address_space(pid), symbols->body, symbols->body_len,
				  &image, &reason);
	println("program: %s refused as a program (%s)", symbols->name, reason ? reason : "-");
	return process_destroy(pid) == K_OK && err == K_EINVAL &&
	       frame_free_count() == free_before;
}

void selftest_program(void)
{
	selftest_check(hello_runs(), "program.hello_runs");
	selftest_check(hello_silenced_by_the_interceptor(), "program.syscall_hook_denies");
	selftest_check(data_module_refused(), "program.data_module_refused");
}
