/*
 * ipc: messages between kernel processes in the booted kernel (self-test
 * group for the IPC manager, the interceptor and capabilities).
 *
 * Kernel process 1 writes to kernel process 2, which reads the message
 * with the identity-aware receive and prints who sent it: the bootstrap
 * Principal's fingerprint, stamped by the kernel, and the reply endpoint.
 * Then the two refusals the design promises: a process without a
 * capability cannot send, and nobody may send to their own endpoint -- in
 * both cases nothing is queued.
 */
#include <selftest.h>

#include <cap.h>
#include <identity.h>
#include <ipc.h>
#include <kstring.h>
#include <printk.h>
#include <process.h>

#define SENDER PID_MAKE(0, 1)
#define RECEIVER PID_MAKE(0, 2)
#define SENDER_ENDPOINT 1
#define RECEIVER_ENDPOINT 2

static const char greeting[] = "hello from kernel process 1";

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool stamped_exchange(void)
{
	uint8_t buf[IPC_IDENTITY_PREFIX + sizeof(greeting)];
	struct principal stamp;
	char fingerprint[17];
	size_t written = 0;

	kerr_t err = ipc_send(SENDER, SENDER_ENDPOINT, RECEIVER_ENDPOINT, greeting,
			      sizeof(greeting) - 1);
	if (err == K_OK)
		err = ipc_receive_with_identity(RECEIVER, RECEIVER_ENDPOINT, buf, sizeof(buf), &written);
	if (err != K_OK) {
		println("ipc: exchange failed (%s)", kerr_name(err));
		return false;
	}
	memcpy(stamp.key, buf, PRINCIPAL_LEN);
	identity_fingerprint(&stamp, fingerprint);
	size_t length = written - IPC_IDENTITY_PREFIX;
	println("ipc: pid 2 received \"%.*s\" on endpoint %d from principal %s, reply endpoint %u",
		(int)length, (const char *)buf + IPC_IDENTITY_PREFIX, RECEIVER_ENDPOINT, fingerprint,
		le32(buf + PRINCIPAL_LEN));
	return length == sizeof(greeting) - 1 &&
	       memcmp(buf + IPC_IDENTITY_PREFIX, greeting, length) == 0 &&
	       memcmp(&stamp, identity_bootstrap(), sizeof(stamp)) == 0 &&
	       le32(buf + PRINCIPAL_LEN) == SENDER_ENDPOINT;
}

static bool send_without_capability_denied(void)
{
	kpid_t stranger;

	if (process_create("stranger", &stranger) != K_OK)
		return false;
	kerr_t err = ipc_send(stranger, IPC_NO_ENDPOINT, RECEIVER_ENDPOINT, "let me in", 9);
	println("ipc: send from pid %u without a capability: %s, %u queued", PID_SLOT(stranger),
		kerr_name(err), ipc_queued(RECEIVER_ENDPOINT));
	bool ok = err == K_EPERM && ipc_queued(RECEIVER_ENDPOINT) == 0;
	return process_destroy(stranger) == K_OK && ok;
}

static bool self_send_denied(void)
{
	kerr_t err = ipc_send(SENDER, SENDER_ENDPOINT, SENDER_ENDPOINT, "echo", 4);

	println("ipc: self-send by pid 1 to its endpoint %d: %s by the interceptor, %u queued",
		SENDER_ENDPOINT, kerr_name(err), ipc_queued(SENDER_ENDPOINT));
	/* Kernel processes hold every right: only the interceptor refuses. */
	return err == K_EPERM && cap_check(SENDER, SENDER_ENDPOINT, CAP_SEND) == K_OK &&
	       ipc_queued(SENDER_ENDPOINT) == 0;
}

void selftest_ipc(void)
{
	bool registered = ipc_register(SENDER, SENDER_ENDPOINT) == K_OK &&
			  ipc_register(RECEIVER, RECEIVER_ENDPOINT) == K_OK;

	selftest_check(registered, "ipc.register");
	selftest_check(registered && stamped_exchange(), "ipc.stamped_exchange");
	selftest_check(registered && send_without_capability_denied(), "ipc.denied_without_capability");
	selftest_check(registered && self_send_denied(), "ipc.self_send_denied");
	(void)ipc_unregister(SENDER, SENDER_ENDPOINT);
	(void)ipc_unregister(RECEIVER, RECEIVER_ENDPOINT);
}
