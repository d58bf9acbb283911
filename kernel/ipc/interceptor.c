/*
 * interceptor: the default structural interceptor and the slot that holds
 * the one in force (see interceptor.h).
 */
#include <interceptor.h>

#include <ipc.h>
#include <stdatomic.h>

static bool endpoint_valid(uint32_t endpoint)
{
	return endpoint < IPC_ENDPOINTS;
}

static kerr_t structural_send(const struct ipc_send_request *r)
{
	if (!endpoint_valid(r->to_endpoint) ||
	    (r->reply_endpoint != IPC_NO_ENDPOINT && !endpoint_valid(r->reply_endpoint)))
		return K_EINVAL;
	if (r->length > IPC_PAYLOAD_MAX)
		return K_EINVAL;
	if (r->to_owned && r->to_owner == r->sender)
		return K_EPERM; /* a self-send */
	return K_OK;
}

static kerr_t structural_receive(const struct ipc_receive_request *r)
{
	return endpoint_valid(r->endpoint) ? K_OK : K_EINVAL;
}

static kerr_t allow_syscall(kpid_t caller, uint64_t number)
{
	(void)caller;
	(void)number;
	return K_OK;
}

const struct interceptor interceptor_default = {
	.name = "structural",
	.on_send = structural_send,
	.on_receive = structural_receive,
	.on_syscall = allow_syscall,
};

const struct interceptor *_Atomic interceptor_in_force = &interceptor_default;

void interceptor_install(const struct interceptor *i)
{
	atomic_store_explicit(&interceptor_in_force, i ? i : &interceptor_default,
			      memory_order_release);
}
