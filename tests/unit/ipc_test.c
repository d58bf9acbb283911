/*
 * ipc_test: IPC, the interceptor and capabilities (kernel/ipc, kernel/cap)
 * over a real process table on host memory.
 *
 * Directed tests name each rule; a long randomised run then checks every
 * operation against the shadow model in tests/support/ipc_model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cap.h>
#include <interceptor.h>
#include <ipc.h>

#include "../support/host_world.h"
#include "../support/ipc_model.h"

static const kpid_t kernel1 = PID_MAKE(0, 1), kernel2 = PID_MAKE(0, 2);
static const struct principal bootstrap = { .key = { 0xb0, 0x07, 0x57 } };
static kpid_t user; /* no capabilities, no Principal */

static int boot(void **state)
{
	(void)state;
	if (host_world_boot_processes() != 0)
		return -1;
	ipc_init();
	cap_init();
	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT; slot++) {
		if (process_bind_principal(PID_MAKE(0, slot), &bootstrap) != K_OK)
			return -1;
	}
	if (process_create("user", &user) != K_OK)
		return -1;
	/* Kernel process 1 answers on endpoint 1, kernel process 2 on 2. */
	if (ipc_register(kernel1, 1) != K_OK || ipc_register(kernel2, 2) != K_OK)
		return -1;
	return 0;
}

static void send_text(kpid_t from, uint32_t reply, uint32_t to, const char *text, kerr_t want)
{
	assert_int_equal(ipc_send(from, reply, to, text, strlen(text)), want);
}

static void expect_text(kpid_t receiver, uint32_t endpoint, const char *text)
{
	struct ipc_message m;

	assert_int_equal(ipc_receive(receiver, endpoint, &m), K_OK);
	assert_int_equal(m.length, strlen(text));
	assert_memory_equal(m.payload, text, m.length);
}

static void messages_arrive_in_order_stamped_by_the_kernel(void **state)
{
	struct ipc_message m;

	(void)state;
	send_text(kernel1, 1, 2, "one", K_OK);
	send_text(kernel1, 1, 2, "two", K_OK);
	send_text(kernel1, IPC_NO_ENDPOINT, 2, "three", K_OK);
	assert_int_equal(ipc_queued(2), 3);
	assert_int_equal(ipc_receive(kernel2, 2, &m), K_OK);
	assert_true(m.has_principal);
	assert_memory_equal(&m.sender, &bootstrap, sizeof(bootstrap));
	assert_int_equal(m.reply_endpoint, 1);
	assert_int_equal(m.to_endpoint, 2);
	assert_memory_equal(m.payload, "one", 3);
	expect_text(kernel2, 2, "two");
	assert_int_equal(ipc_receive(kernel2, 2, &m), K_OK);
	assert_int_equal(m.reply_endpoint, IPC_NO_ENDPOINT);
	assert_int_equal(ipc_receive(kernel2, 2, &m), K_EAGAIN);
}

static void the_payload_is_copied_at_send(void **state)
{
	char buf[] = "original";

	(void)state;
	assert_int_equal(ipc_send(kernel1, 1, 2, buf, strlen(buf)), K_OK);
	memset(buf, 'X', sizeof(buf));
	expect_text(kernel2, 2, "original");
}

static void a_full_queue_refuses_and_loses_nothing(void **state)
{
	struct ipc_message m;

	(void)state;
	for (uint8_t i = 0; i < IPC_QUEUE_DEPTH; i++)
		assert_int_equal(ipc_send(kernel1, 1, 2, &i, 1), K_OK);
	uint8_t extra = 0xff;
	assert_int_equal(ipc_send(kernel1, 1, 2, &extra, 1), K_EFULL);
	assert_int_equal(ipc_queued(2), IPC_QUEUE_DEPTH);
	for (uint8_t i = 0; i < IPC_QUEUE_DEPTH; i++) {
		assert_int_equal(ipc_receive(kernel2, 2, &m), K_OK);
		assert_int_equal(m.payload[0], i);
	}
	assert_int_equal(ipc_queued(2), 0);
}

static void no_capability_no_message(void **state)
{
	struct ipc_message m;

	(void)state;
	send_text(user, IPC_NO_ENDPOINT, 2, "hi", K_EPERM);
	assert_int_equal(ipc_queued(2), 0);
	assert_int_equal(cap_grant(user, 2, CAP_SEND), K_OK);
	send_text(user, IPC_NO_ENDPOINT, 2, "hi", K_OK);
	/* Receiving needs CAP_RECEIVE and ownership, each on its own. */
	assert_int_equal(ipc_receive(user, 2, &m), K_EPERM);
	assert_int_equal(cap_grant(user, 2, CAP_RECEIVE), K_OK);
	assert_int_equal(ipc_receive(user, 2, &m), K_EPERM);
	assert_int_equal(ipc_register(user, 2), K_EEXIST);
	assert_int_equal(ipc_queued(2), 1);
	/* A revoked right stops the next send. */
	assert_int_equal(cap_revoke(kernel1, user, 2, CAP_SEND), K_OK);
	send_text(user, IPC_NO_ENDPOINT, 2, "again", K_EPERM);
	assert_int_equal(ipc_queued(2), 1);
}

static void the_default_interceptor_enforces_structure(void **state)
{
	uint8_t big[IPC_PAYLOAD_MAX + 1] = { 0 };
	struct ipc_message m;

	(void)state;
	assert_string_equal(interceptor_current()->name, "structural");
	send_text(kernel1, 1, IPC_ENDPOINTS, "x", K_EINVAL);
	send_text(kernel1, IPC_ENDPOINTS, 2, "x", K_EINVAL);
	assert_int_equal(ipc_send(kernel1, 1, 2, big, sizeof(big)), K_EINVAL);
	assert_int_equal(ipc_send(kernel1, 1, 2, big, IPC_PAYLOAD_MAX), K_OK);
	send_text(kernel1, IPC_NO_ENDPOINT, 1, "to myself", K_EPERM); /* self-send */
	assert_int_equal(ipc_receive(kernel2, IPC_ENDPOINTS, &m), K_EINVAL);
	assert_int_equal(ipc_queued(1), 0);
}

/* An interceptor that allows everything, and one that denies everything,
 * counting the calls: neither changes what the capability check decides. */
static unsigned hook_calls;

static kerr_t allow_send(const struct ipc_send_request *r)
{
	(void)r;
	hook_calls++;
	return K_OK;
}

static kerr_t allow_receive(const struct ipc_receive_request *r)
{
	(void)r;
	hook_calls++;
	return K_OK;
}

static kerr_t deny_send(const struct ipc_send_request *r)
{
	(void)r;
	hook_calls++;
	return K_EBUSY;
}

static kerr_t deny_receive(const struct ipc_receive_request *r)
{
	(void)r;
	hook_calls++;
	return K_EBUSY;
}

static kerr_t any_syscall(kpid_t caller, uint64_t number)
{
	(void)caller;
	(void)number;
	return K_OK;
}

static const struct interceptor permissive = { "permissive", allow_send, allow_receive, any_syscall };
static const struct interceptor closed = { "closed", deny_send, deny_receive, any_syscall };
static const struct interceptor deaf = { "deaf", allow_send, deny_receive, any_syscall };

static kerr_t receive_later(const struct ipc_receive_request *r)
{
	(void)r;
	return K_EAGAIN;
}

/* An interceptor may answer anything, "try again" included, for an
 * endpoint that does not exist. */
static const struct interceptor patient = { "patient", allow_send, receive_later, any_syscall };

static void interceptor_and_capabilities_are_independent(void **state)
{
	struct ipc_message m;

	(void)state;
	interceptor_install(&permissive);
	hook_calls = 0;
	send_text(user, IPC_NO_ENDPOINT, 2, "no cap", K_EPERM);  /* allowed, yet no cap */
	send_text(kernel1, 1, IPC_ENDPOINTS + 5, "range", K_EPERM); /* no cap beyond range */
	assert_int_equal(ipc_receive(user, 2, &m), K_EPERM);
	assert_int_equal(hook_calls, 3);
	send_text(kernel1, 1, 1, "self", K_OK); /* only the interceptor forbade it */
	expect_text(kernel1, 1, "self");

	interceptor_install(&closed);
	hook_calls = 0;
	send_text(kernel1, 1, 2, "all rights", K_EBUSY);
	assert_int_equal(ipc_receive(kernel2, 2, &m), K_EBUSY);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(ipc_queued(2), 0);

	interceptor_install(NULL);
	assert_ptr_equal(interceptor_current(), &interceptor_default);
}

static void endpoints_belong_to_their_registrant(void **state)
{
	kpid_t other;
	kpid_t owner;

	(void)state;
	assert_int_equal(ipc_owner(2, &owner), K_OK);
	assert_int_equal(owner, kernel2);
	assert_int_equal(ipc_register(kernel1, 2), K_EEXIST);
	assert_int_equal(ipc_register(kernel2, 2), K_OK); /* again: harmless */
	assert_int_equal(ipc_unregister(kernel1, 2), K_EPERM);
	/* A reply endpoint must be the sender's own. */
	send_text(kernel1, 2, 2, "forged reply", K_EPERM);
	assert_int_equal(ipc_register(user, 7), K_EPERM); /* needs CAP_RECEIVE */

	/* The owner dies: sends fail, and the next owner starts clean. */
	assert_int_equal(cap_grant(user, 7, CAP_RECEIVE), K_OK);
	assert_int_equal(ipc_register(user, 7), K_OK);
	send_text(kernel1, 1, 7, "for the first owner", K_OK);
	assert_int_equal(process_destroy(user), K_OK);
	send_text(kernel1, 1, 7, "to a dead owner", K_ENOENT);
	assert_int_equal(ipc_owner(7, &owner), K_ENOENT);
	assert_int_equal(process_create("next", &other), K_OK);
	assert_int_equal(PID_SLOT(other), PID_SLOT(user));
	assert_int_equal(cap_rights(other, 7), 0); /* nothing inherited */
	assert_int_equal(cap_grant(other, 7, CAP_RECEIVE), K_OK);
	assert_int_equal(ipc_register(other, 7), K_OK);
	assert_int_equal(ipc_queued(7), 0);

	/* Unregistering discards the queue; mail to an unowned endpoint
	 * waits for its first owner. */
	send_text(kernel1, 1, 7, "dropped with the endpoint", K_OK);
	assert_int_equal(ipc_unregister(other, 7), K_OK);
	assert_int_equal(ipc_queued(7), 0);
	send_text(kernel1, 1, 7, "waiting", K_OK);
	assert_int_equal(ipc_register(other, 7), K_OK);
	expect_text(other, 7, "waiting");
}

static void identity_receive_writes_the_prefix(void **state)
{
	uint8_t buf[IPC_IDENTITY_PREFIX + 4];
	size_t written = 0;

	(void)state;
	send_text(kernel1, 1, 2, "payload", K_OK);
	assert_int_equal(ipc_receive_with_identity(kernel2, 2, buf, IPC_IDENTITY_PREFIX - 1, &written),
			 K_EINVAL);
	assert_int_equal(ipc_queued(2), 1); /* refused before dequeuing */
	assert_int_equal(ipc_receive_with_identity(kernel2, 2, buf, sizeof(buf), &written), K_OK);
	assert_int_equal(written, sizeof(buf)); /* "payload" truncated to 4 */
	assert_memory_equal(buf, bootstrap.key, PRINCIPAL_LEN);
	assert_int_equal(buf[32] | buf[33] << 8 | buf[34] << 16 | buf[35] << 24, 1);
	assert_memory_equal(buf + IPC_IDENTITY_PREFIX, "payl", 4);

	/* A sender without a Principal: the stamp says so (all zeros). */
	static const uint8_t zeros[PRINCIPAL_LEN];
	struct ipc_message m;
	assert_int_equal(cap_grant(user, 2, CAP_SEND), K_OK);
	send_text(user, IPC_NO_ENDPOINT, 2, "anon", K_OK);
	assert_int_equal(ipc_receive(kernel2, 2, &m), K_OK);
	assert_false(m.has_principal);
	assert_memory_equal(m.sender.key, zeros, PRINCIPAL_LEN);
}

/* Two CPUs (host threads) send while a third receives: per sender the
 * order holds, and every accepted message arrives exactly once. */
#define CONCURRENT_MESSAGES 20000

struct sender_job {
	kpid_t pid;
	uint32_t reply;
};

static void *sender_thread(void *arg)
{
	const struct sender_job *job = arg;

	for (uint32_t seq = 0; seq < CONCURRENT_MESSAGES;) {
		kerr_t err = ipc_send(job->pid, job->reply, 2, &seq, sizeof(seq));
		if (err == K_OK)
			seq++;
		else if (err != K_EFULL)
			return (void *)1;
	}
	return NULL;
}

static void concurrent_senders_lose_nothing(void **state)
{
	struct sender_job jobs[2] = { { kernel1, 1 }, { PID_MAKE(0, 0), IPC_NO_ENDPOINT } };
	pthread_t threads[2];
	uint32_t next[2] = { 0, 0 };
	struct ipc_message m;

	(void)state;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, sender_thread, &jobs[i]), 0);
	while (next[0] < CONCURRENT_MESSAGES || next[1] < CONCURRENT_MESSAGES) {
		kerr_t err = ipc_receive(kernel2, 2, &m);
		if (err == K_EAGAIN)
			continue;
		assert_int_equal(err, K_OK);
		int who = m.reply_endpoint == 1 ? 0 : 1;
		uint32_t seq;
		memcpy(&seq, m.payload, sizeof(seq));
		assert_int_equal(seq, next[who]);
		next[who]++;
	}
	for (int i = 0; i < 2; i++) {
		void *result;
		assert_int_equal(pthread_join(threads[i], &result), 0);
		assert_null(result);
	}
	assert_int_equal(ipc_queued(2), 0);
}

/* ------------------------------------------------------------ hand-off */

#define WAIT_BUF (IPC_IDENTITY_PREFIX + 8)
#define UNTOUCHED 0xee

struct waiting {
	uint8_t buf[WAIT_BUF];
	struct span dst;
	struct ipc_waiter w;
	size_t written;
};

/* `receiver` finds `endpoint` empty and leaves a waiter on it. */
static void start_waiting(struct waiting *wt, kpid_t receiver, uint32_t endpoint, size_t room)
{
	memset(wt->buf, UNTOUCHED, sizeof(wt->buf));
	wt->dst = span_of(wt->buf, room);
	atomic_init(&wt->w.delivered, false);
	wt->written = 0;
	assert_int_equal(ipc_receive_span(receiver, endpoint, &wt->dst, &wt->written, &wt->w),
			 K_EAGAIN);
}

/* A receiver woken for another reason looks again while, on another CPU,
 * a send hands its standing waiter a message: the second look must
 * return that message, not stand a fresh (empty) waiter in its place. */
static void a_second_look_returns_what_was_handed_over_meanwhile(void **state)
{
	struct waiting wt;
	size_t written = 0;

	(void)state;
	start_waiting(&wt, kernel2, 2, WAIT_BUF);
	send_text(kernel1, 1, 2, "hello", K_OK); /* handed over */
	assert_int_equal(ipc_receive_span(kernel2, 2, &wt.dst, &written, &wt.w), K_OK);
	assert_int_equal(written, IPC_IDENTITY_PREFIX + 5);
	assert_true(atomic_load(&wt.w.delivered));
	assert_memory_equal(wt.buf + IPC_IDENTITY_PREFIX, "hello", 5);
	/* No waiter stands: the next message is queued, not handed over. */
	send_text(kernel1, 1, 2, "again", K_OK);
	assert_int_equal(ipc_queued(2), 1);
}

static void a_waiter_gets_the_next_message_directly(void **state)
{
	struct waiting wt;

	(void)state;
	start_waiting(&wt, kernel2, 2, WAIT_BUF);
	send_text(kernel1, 1, 2, "hello", K_OK);
	assert_true(atomic_load(&wt.w.delivered));
	assert_int_equal(wt.w.written, IPC_IDENTITY_PREFIX + 5);
	assert_int_equal(ipc_queued(2), 0);
	/* The identity prefix is the kernel's stamp, as from the ring. */
	assert_memory_equal(wt.buf, bootstrap.key, PRINCIPAL_LEN);
	assert_memory_equal(wt.buf + PRINCIPAL_LEN, "\x01\x00\x00\x00", 4);
	assert_memory_equal(wt.buf + IPC_IDENTITY_PREFIX, "hello", 5);
	/* Nothing past the message: zeroing the rest is the receiver's. */
	assert_int_equal(wt.buf[IPC_IDENTITY_PREFIX + 5], UNTOUCHED);
	/* The waiter is used up: the next message is queued. */
	send_text(kernel1, 1, 2, "again", K_OK);
	assert_int_equal(ipc_queued(2), 1);
	expect_text(kernel2, 2, "again");
}

static void a_waiter_gets_what_fits_and_order_holds(void **state)
{
	struct waiting wt;
	size_t written = 0;

	(void)state;
	/* With a message queued there is nothing to wait for. */
	send_text(kernel1, IPC_NO_ENDPOINT, 2, "first", K_OK);
	wt.dst = span_of(wt.buf, WAIT_BUF);
	atomic_init(&wt.w.delivered, false);
	assert_int_equal(ipc_receive_span(kernel2, 2, &wt.dst, &written, &wt.w), K_OK);
	assert_int_equal(written, IPC_IDENTITY_PREFIX + 5);
	assert_memory_equal(wt.buf + PRINCIPAL_LEN, "\xff\xff\xff\xff", 4);
	assert_false(atomic_load(&wt.w.delivered));
	send_text(kernel1, 1, 2, "second", K_OK);
	assert_false(atomic_load(&wt.w.delivered));
	expect_text(kernel2, 2, "second");
	/* A short buffer gets the start of the payload. */
	start_waiting(&wt, kernel2, 2, IPC_IDENTITY_PREFIX + 3);
	send_text(kernel1, 1, 2, "truncated", K_OK);
	assert_int_equal(wt.w.written, IPC_IDENTITY_PREFIX + 3);
	assert_memory_equal(wt.buf + IPC_IDENTITY_PREFIX, "tru", 3);
	assert_int_equal(wt.buf[IPC_IDENTITY_PREFIX + 3], UNTOUCHED);
}

static void a_waiter_without_the_right_any_more_gets_nothing(void **state)
{
	struct waiting wt;
	kpid_t listener;

	(void)state;
	assert_int_equal(process_create("listener", &listener), K_OK);
	assert_int_equal(cap_grant(listener, 5, CAP_RECEIVE), K_OK);
	assert_int_equal(ipc_register(listener, 5), K_OK);
	start_waiting(&wt, listener, 5, WAIT_BUF);
	assert_int_equal(cap_revoke(kernel1, listener, 5, CAP_RECEIVE), K_OK);
	send_text(kernel1, 1, 5, "not for you", K_OK);
	assert_false(atomic_load(&wt.w.delivered));
	assert_int_equal(ipc_queued(5), 1);
	for (size_t i = 0; i < sizeof(wt.buf); i++)
		assert_int_equal(wt.buf[i], UNTOUCHED);
	/* Looking again is refused, and takes the waiter away. */
	assert_int_equal(ipc_receive_span(listener, 5, &wt.dst, &wt.written, &wt.w), K_EPERM);
	assert_int_equal(cap_grant(listener, 5, CAP_RECEIVE), K_OK);
	send_text(kernel1, 1, 5, "queued", K_OK);
	assert_false(atomic_load(&wt.w.delivered));
	assert_int_equal(ipc_queued(5), 2);
}

/* A waiter's own check stands only while nothing has changed: under a
 * new interceptor that forbids the receive the message waits in the
 * queue; a right taken from someone else costs a second check, passed. */
static void a_waiter_is_checked_again_after_a_policy_change(void **state)
{
	struct waiting wt;

	(void)state;
	start_waiting(&wt, kernel2, 2, WAIT_BUF);
	interceptor_install(&deaf);
	send_text(kernel1, 1, 2, "held back", K_OK);
	assert_false(atomic_load(&wt.w.delivered));
	assert_int_equal(ipc_queued(2), 1);
	interceptor_install(NULL);
	expect_text(kernel2, 2, "held back");

	assert_int_equal(cap_grant(user, 4, CAP_SEND), K_OK);
	start_waiting(&wt, kernel2, 2, WAIT_BUF);
	assert_int_equal(cap_revoke(kernel1, user, 4, CAP_SEND), K_OK);
	send_text(kernel1, 1, 2, "still yours", K_OK);
	assert_true(atomic_load(&wt.w.delivered));
	assert_memory_equal(wt.buf + IPC_IDENTITY_PREFIX, "still yours", 8);
}

static void a_cancelled_waiter_gets_nothing(void **state)
{
	struct waiting a, b;

	(void)state;
	start_waiting(&a, kernel2, 2, WAIT_BUF);
	ipc_cancel_wait(2, &a.w);
	send_text(kernel1, 1, 2, "one", K_OK);
	assert_false(atomic_load(&a.w.delivered));
	expect_text(kernel2, 2, "one");
	start_waiting(&b, kernel2, 2, WAIT_BUF);
	ipc_cancel_waits_of(kernel2);
	send_text(kernel1, 1, 2, "two", K_OK);
	assert_false(atomic_load(&b.w.delivered));
	assert_int_equal(ipc_queued(2), 1);
}

/* An interceptor's K_EAGAIN for an endpoint past the last one leaves no
 * waiter anywhere (there is no endpoint to hold it): the receive answers
 * K_EAGAIN and nothing is touched. make verify found this path reading
 * through a NULL endpoint. */
static void an_interceptors_again_for_no_endpoint_leaves_no_waiter(void **state)
{
	uint8_t buf[WAIT_BUF];
	struct ipc_waiter w;
	struct span dst = { .part = { buf, NULL }, .len = { sizeof(buf), 0 } };
	size_t written = 0;

	(void)state;
	atomic_init(&w.delivered, false);
	interceptor_install(&patient);
	assert_int_equal(ipc_receive_span(kernel2, IPC_ENDPOINTS, &dst, &written, &w), K_EAGAIN);
	assert_int_equal(ipc_receive_span(kernel2, UINT32_MAX, &dst, &written, &w), K_EAGAIN);
	interceptor_install(NULL);
	assert_false(atomic_load(&w.delivered));
	assert_int_equal(written, 0);
}

/* A program that has ended gives up its endpoints at once: senders get
 * K_ENOENT and another process may take them, though the process itself
 * is not destroyed yet (the reaper's job). */
static void an_ended_owners_endpoint_is_free_before_its_process_goes(void **state)
{
	kpid_t other;

	(void)state;
	assert_int_equal(process_create("other", &other), K_OK);
	assert_int_equal(cap_grant(other, 3, CAP_RECEIVE), K_OK);
	assert_int_equal(cap_grant(kernel1, 3, CAP_RECEIVE), K_OK);
	assert_int_equal(ipc_register(kernel1, 3), K_OK);
	assert_int_equal(ipc_register(other, 3), K_EEXIST);
	ipc_owner_ended(kernel1);
	assert_true(process_alive(kernel1));
	send_text(kernel2, IPC_NO_ENDPOINT, 3, "late", K_ENOENT);
	assert_int_equal(ipc_register(other, 3), K_OK);
	send_text(kernel2, IPC_NO_ENDPOINT, 3, "new owner", K_OK);
	expect_text(other, 3, "new owner");
}

/* A user buffer across a page boundary is two pieces, on either side. */
static void two_piece_buffers_carry_the_message_across_the_seam(void **state)
{
	uint8_t low[20], high[WAIT_BUF - 20], in_a[3], in_b[IPC_PAYLOAD_MAX - 3];
	uint8_t expected[IPC_PAYLOAD_MAX];
	struct ipc_waiter w;
	struct span dst = { .part = { low, high }, .len = { sizeof(low), sizeof(high) } };
	struct span src = { .part = { in_a, in_b }, .len = { sizeof(in_a), sizeof(in_b) } };
	size_t written;

	(void)state;
	for (size_t i = 0; i < sizeof(expected); i++)
		expected[i] = (uint8_t)(i * 13 + 1);
	memcpy(in_a, expected, sizeof(in_a));
	memcpy(in_b, expected + sizeof(in_a), sizeof(in_b));
	atomic_init(&w.delivered, false);
	assert_int_equal(ipc_receive_span(kernel2, 2, &dst, &written, &w), K_EAGAIN);
	assert_int_equal(ipc_send_span(kernel1, 1, 2, &src), K_OK);
	assert_true(atomic_load(&w.delivered));
	assert_int_equal(w.written, WAIT_BUF);
	assert_memory_equal(low, bootstrap.key, sizeof(low));
	assert_memory_equal(high, bootstrap.key + sizeof(low), PRINCIPAL_LEN - sizeof(low));
	assert_memory_equal(high + (IPC_IDENTITY_PREFIX - sizeof(low)), expected, 8);
	/* The same bytes through the ring, out into two pieces again. */
	assert_int_equal(ipc_send_span(kernel1, 1, 2, &src), K_OK);
	memset(low, 0, sizeof(low));
	memset(high, 0, sizeof(high));
	assert_int_equal(ipc_receive_span(kernel2, 2, &dst, &written, NULL), K_OK);
	assert_int_equal(written, WAIT_BUF);
	assert_memory_equal(high + (IPC_IDENTITY_PREFIX - sizeof(low)), expected, 8);
	assert_true(span_zero(&dst, 10, sizeof(low)));
	assert_int_equal(low[9], bootstrap.key[9]);
	assert_int_equal(low[10] | low[19] | high[0] | high[9], 0);
	assert_int_equal(high[10], bootstrap.key[30]);
}

static void random_operations_match_the_model(void **state)
{
	uint8_t op[IPC_MODEL_OP_BYTES];

	(void)state;
	assert_int_equal(ipc_model_boot(), 0);
	srand(20261124);
	for (unsigned i = 0; i < 200000; i++) {
		for (unsigned b = 0; b < sizeof(op); b++)
			op[b] = (uint8_t)rand();
		assert_int_equal(ipc_model_step(op), 0);
	}
	/* The run must have exercised every path, not just the refusals. */
	const struct ipc_model_stats *s = ipc_model_stats();
	for (unsigned k = 0; k < MODEL_KINDS; k++)
		print_message("kind %u: %u of %u accepted\n", k, s->succeeded[k], s->ops[k]);
	print_message("full %u, self-sends %u, hand-offs %u\n", s->full, s->self_sends,
		      s->handoffs);
	for (unsigned k = 0; k < MODEL_KINDS; k++)
		assert_true(s->succeeded[k] > 0);
	assert_true(s->succeeded[MODEL_SEND] > 1000 && s->succeeded[MODEL_RECEIVE] > 1000);
	assert_true(s->full > 0 && s->self_sends > 0 && s->handoffs > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(messages_arrive_in_order_stamped_by_the_kernel, boot),
		cmocka_unit_test_setup(the_payload_is_copied_at_send, boot),
		cmocka_unit_test_setup(a_full_queue_refuses_and_loses_nothing, boot),
		cmocka_unit_test_setup(no_capability_no_message, boot),
		cmocka_unit_test_setup(the_default_interceptor_enforces_structure, boot),
		cmocka_unit_test_setup(interceptor_and_capabilities_are_independent, boot),
		cmocka_unit_test_setup(endpoints_belong_to_their_registrant, boot),
		cmocka_unit_test_setup(identity_receive_writes_the_prefix, boot),
		cmocka_unit_test_setup(concurrent_senders_lose_nothing, boot),
		cmocka_unit_test_setup(a_waiter_gets_the_next_message_directly, boot),
		cmocka_unit_test_setup(a_waiter_gets_what_fits_and_order_holds, boot),
		cmocka_unit_test_setup(a_waiter_without_the_right_any_more_gets_nothing, boot),
		cmocka_unit_test_setup(a_waiter_is_checked_again_after_a_policy_change, boot),
		cmocka_unit_test_setup(a_cancelled_waiter_gets_nothing, boot),
		cmocka_unit_test_setup(a_second_look_returns_what_was_handed_over_meanwhile, boot),
		cmocka_unit_test_setup(two_piece_buffers_carry_the_message_across_the_seam, boot),
		cmocka_unit_test_setup(an_interceptors_again_for_no_endpoint_leaves_no_waiter, boot),
		cmocka_unit_test_setup(an_ended_owners_endpoint_is_free_before_its_process_goes, boot),
		cmocka_unit_test(random_operations_match_the_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
