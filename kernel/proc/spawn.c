/*
 * spawn: boot modules become processes (see spawn.h).
 */
#include <spawn.h>

#include <cap.h>
#include <elf.h>
#include <identity.h>
#include <ipc.h>
#include <printk.h>
#include <sched_cpus.h>
#include <program.h>
#include <thread.h>

/* What every boot module gets, as in the original: send and receive on
 * every endpoint (no delegation or revocation), and the bootstrap
 * Principal -- the key that signed it -- as the identity its messages
 * carry. */
static kerr_t grant_boot_module_rights(kpid_t pid)
{
	kerr_t err = process_bind_principal(pid, identity_bootstrap());

	for (uint32_t ep = 0; ep < IPC_ENDPOINTS && err == K_OK; ep++)
		err = cap_grant(pid, ep, CAP_SEND | CAP_RECEIVE);
	return err;
}

/* spawn_module, and with `spread` the new thread goes to the CPU with
 * the least to run before it first runs. */
static kerr_t spawn(const struct verified_module *m, kpid_t *pid, bool spread)
{
	struct thread *t = NULL;
	struct program_image image;
	const char *reason = NULL;
	kerr_t err = process_create(m->name, pid);

	if (err != K_OK) {
		println("process - %s: not created (%s)", m->name, kerr_name(err));
		return err;
	}
	err = grant_boot_module_rights(*pid);
	if (err == K_OK)
		err = program_load(process_address_space(*pid), m->content, m->content_len, &image,
				   &reason);
	if (err == K_OK)
		err = thread_create_user(*pid, image.entry, image.stack_top, PRIORITY_NORMAL, true,
					 &t);
	else
		println("process %u %s: refused (%s)", PID_SLOT(*pid), m->name, reason);
	if (err != K_OK) {
		(void)process_destroy(*pid); /* all or nothing */
		return err;
	}
	if (spread)
		sched_place(t);
	(void)process_set_state(*pid, PROCESS_READY);
	println("process %u %s: ready, entry %#llx, %u segments in %llu pages, stack below %#llx",
		PID_SLOT(*pid), m->name, (unsigned long long)image.entry, image.segments,
		(unsigned long long)image.pages, (unsigned long long)image.stack_top);
	return K_OK;
}

kerr_t spawn_module(const struct verified_module *m, kpid_t *pid)
{
	return spawn(m, pid, false);
}

kerr_t spawn_module_anywhere(const struct verified_module *m, kpid_t *pid)
{
	return spawn(m, pid, true);
}

void spawn_boot_programs(void)
{
	const struct verified_module *m;
	unsigned started = 0;
	kpid_t pid;

	for (unsigned i = 0; (m = verifier_module(i)) != NULL; i++) {
		if (elf_has_magic(m->content, m->content_len) && spawn_module(m, &pid) == K_OK)
			started++;
	}
	println("spawn: %u boot module%s became processes", started, started == 1 ? "" : "s");
}
