/*
 * sys_principal: 11 BindPrincipal -- a process takes a Principal of its
 * own in place of the bootstrap Principal every boot module starts with.
 *
 * BindPrincipal(pid, public_key, 32, signature) -> 0. The original gave
 * this call to the bootstrap authority, to bind keys to other services;
 * here no process holds the bootstrap secret (the kernel has none to give),
 * so a service makes its own key and binds it to itself, proving it holds
 * the secret half: `signature` is Ed25519 by that key over
 * abi/principal.h's bind message (context, key, pid). Rules, each checked
 * before anything changes:
 *   - len must be 32 (SYS_EINVAL); bad pointers SYS_EFAULT;
 *   - pid must be the caller's own, as GetPid says (SYS_EPERM): a
 *     process binds no one else;
 *   - the caller must still speak for the bootstrap Principal (SYS_EPERM):
 *     a process binds once;
 *   - the key must not be the bootstrap Principal (SYS_EINVAL) nor one
 *     another live process speaks for (SYS_EPERM): nobody borrows an
 *     identity;
 *   - the signature must verify (SYS_EPERM).
 * From then on the kernel stamps the caller's messages, objects and
 * capabilities' owner with the new key. Its children, started by Spawn,
 * still start with the bootstrap Principal.
 */
#include <abi/principal.h>
#include <abi/syscall.h>
#include <crypto/ed25519.h>
#include <current.h>
#include <identity.h>
#include <kstring.h>
#include <printk.h>
#include <process.h>
#include <syscall.h>
#include <usercopy.h>

_Static_assert(BIND_PRINCIPAL_SIGNATURE_LEN == ED25519_SIGNATURE_LEN, "Ed25519 signatures");

/* The message a binding's signature covers (abi/principal.h). */
static void bind_message(const struct principal *key, uint64_t pid,
			 uint8_t out[BIND_PRINCIPAL_MESSAGE_LEN])
{
	/* The context's bytes without a NUL: the message has none. */
	static const uint8_t context[BIND_PRINCIPAL_CONTEXT_LEN] = BIND_PRINCIPAL_CONTEXT;

	memcpy(out, context, sizeof(context));
	memcpy(out + BIND_PRINCIPAL_CONTEXT_LEN, key->key, PRINCIPAL_LEN);
	for (unsigned i = 0; i < 8; i++)
		out[BIND_PRINCIPAL_CONTEXT_LEN + PRINCIPAL_LEN + i] = (uint8_t)(pid >> (8 * i));
}

static void say_bound(kpid_t self, const struct principal *key)
{
	char fingerprint[17];

	identity_fingerprint(key, fingerprint);
	println("identity: pid %u bound its own principal %s in place of the bootstrap principal",
		PID_SLOT(self), fingerprint);
}

int64_t sys_bind_principal(const struct syscall_frame *f)
{
	kpid_t self = process_current();
	uint8_t signature[BIND_PRINCIPAL_SIGNATURE_LEN], message[BIND_PRINCIPAL_MESSAGE_LEN];
	struct principal key;

	if (f->arg[2] != PRINCIPAL_LEN)
		return SYS_EINVAL;
	if (copy_from_user(&key, f->arg[1], sizeof(key)) != K_OK ||
	    copy_from_user(signature, f->arg[3], sizeof(signature)) != K_OK)
		return SYS_EFAULT;
	if (f->arg[0] != PID_SLOT(self))
		return SYS_EPERM;
	if (memcmp(&key, identity_bootstrap(), sizeof(key)) == 0)
		return SYS_EINVAL;
	bind_message(&key, f->arg[0], message);
	if (ed25519_verify(key.key, message, sizeof(message), signature) != ED25519_OK)
		return SYS_EPERM;
	kerr_t err = process_rebind_principal(self, identity_bootstrap(), &key);
	if (err != K_OK)
		return SYS_EPERM;
	say_bound(self, &key);
	return 0;
}
