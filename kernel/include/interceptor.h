/*
 * interceptor: the zero-trust gate every IPC operation passes.
 *
 * One interface with hooks on send, on receive and before each system call;
 * each hook may deny by returning an error, which the caller gets back
 * unchanged. The interceptor is independent of capabilities: IPC consults
 * both, and passing one never skips the other.
 *
 * The default interceptor, installed by ipc_init(), enforces structural
 * rules only: the endpoints are in range (K_EINVAL), the payload is at most
 * IPC_PAYLOAD_MAX bytes (K_EINVAL), and a process may not send to an
 * endpoint it owns itself (K_EPERM: a self-send is a loop, never a
 * message). Its system-call hook allows everything, and the system-call
 * entry paths rely on that: while the default is in force they decide its
 * "allow" themselves, without calling the hook (syscall.c, the arch entry
 * code). Another policy for system calls is another interceptor.
 *
 * The system-call hook runs before every system call is decoded, with the
 * calling process (PID_NONE for code that runs outside any process); a
 * denial is returned to user space as the matching SYS_E* error.
 *
 * Hooks run with LOCK_IPC held: they must be quick, must not block, and may
 * take only locks after LOCK_IPC in the order.
 */
#ifndef CAMBIOS_INTERCEPTOR_H
#define CAMBIOS_INTERCEPTOR_H

#include <kerr.h>
#include <process.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipc_send_request {
	kpid_t sender;
	uint32_t reply_endpoint; /* may be IPC_NO_ENDPOINT */
	uint32_t to_endpoint;
	size_t length;
	bool to_owned;           /* the target has a live owner ... */
	kpid_t to_owner;          /* ... this one */
};

struct ipc_receive_request {
	kpid_t receiver;
	uint32_t endpoint;
};

struct interceptor {
	const char *name;
	/* K_OK allows; any other value denies and is returned to the caller. */
	kerr_t (*on_send)(const struct ipc_send_request *r);
	kerr_t (*on_receive)(const struct ipc_receive_request *r);
	kerr_t (*on_syscall)(kpid_t caller, uint64_t number);
};

/* The slot holding the interceptor in force (interceptor.c); read only
 * through interceptor_current(). */
extern const struct interceptor *_Atomic interceptor_in_force;

/* The interceptor in force (the default until another is installed).
 * Inline: every system call and every IPC operation asks, and an
 * out-of-line call cost more than the load it wraps. */
static inline const struct interceptor *interceptor_current(void)
{
	return atomic_load_explicit(&interceptor_in_force, memory_order_acquire);
}

/* Puts `i` in force; NULL restores the default. Every hook must be set. */
void interceptor_install(const struct interceptor *i);

/* The default, structural interceptor. */
extern const struct interceptor interceptor_default;

#endif
