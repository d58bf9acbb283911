/*
 * sockets: the protocol programs speak to the stack (abi/net.h), and the
 * datagrams the stack hands them.
 *
 * Any process may send; the answer goes to the reply endpoint the kernel
 * stamped on the message (RecvMsg's prefix), never to one the message
 * names, and a message without one gets no answer. A port belongs to the
 * reply endpoint that bound it: another endpoint's BIND of it, or a
 * SENDTO from it, is refused (SYS_EPERM). The stack's own ports (the echo
 * service, the SNTP client's) are never given out. A SENDTO from port 0
 * takes an ephemeral port, bound to the sender from then on so that
 * answers reach it.
 *
 * Every message is checked whole before anything changes: its type, its
 * exact size (the header plus `length` inline bytes, at most
 * NET_INLINE_MAX), its ports. A malformed one is answered SYS_EINVAL and
 * counted.
 */
#include "stack.h"

#include <abi/ipc.h>

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

bool stack_port_reserved(uint16_t port)
{
	return port == STACK_ECHO_PORT || port == STACK_SNTP_LOCAL_PORT;
}

static struct binding *bound(struct stack *s, uint16_t port)
{
	for (size_t i = 0; i < STACK_BINDS; i++)
		if (s->binds[i].used && s->binds[i].port == port)
			return &s->binds[i];
	return NULL;
}

static struct binding *bind_new(struct stack *s, uint16_t port, uint32_t endpoint, bool ephemeral)
{
	for (size_t i = 0; i < STACK_BINDS; i++) {
		struct binding *b = &s->binds[i];
		if (!b->used) {
			*b = (struct binding){ .used = true, .ephemeral = ephemeral, .port = port,
					       .endpoint = endpoint };
			return b;
		}
	}
	return NULL;
}

static void reply(struct stack *s, uint32_t to, int32_t status)
{
	uint8_t out[sizeof(struct net_reply)];

	put32(out, NET_MSG_REPLY);
	put32(out + 4, (uint32_t)status);
	(void)s->ops.send_msg(s->ops.ctx, to, out, sizeof(out));
}

static int32_t bind_port(struct stack *s, uint32_t from, const uint8_t *msg, size_t len)
{
	if (len != sizeof(struct net_bind))
		return SYS_EINVAL;
	uint16_t port = get16(msg + 4);
	if (port == 0)
		return SYS_EINVAL;
	if (stack_port_reserved(port))
		return SYS_EPERM;
	struct binding *b = bound(s, port);
	if (b)
		return b->endpoint == from ? 0 : SYS_EPERM;
	return bind_new(s, port, from, false) ? 0 : SYS_ENOMEM;
}

/* The sender's ephemeral port, made on its first use. */
static uint16_t ephemeral(struct stack *s, uint32_t from)
{
	for (size_t i = 0; i < STACK_BINDS; i++)
		if (s->binds[i].used && s->binds[i].ephemeral && s->binds[i].endpoint == from)
			return s->binds[i].port;
	for (unsigned tries = 0; tries < 65536u - STACK_EPHEMERAL_FIRST; tries++) {
		uint16_t port = s->next_ephemeral;
		s->next_ephemeral = port == 65535 ? STACK_EPHEMERAL_FIRST : (uint16_t)(port + 1);
		if (!bound(s, port) && !stack_port_reserved(port))
			return bind_new(s, port, from, true) ? port : 0;
	}
	return 0;
}

static int32_t send_to(struct stack *s, uint32_t from, const uint8_t *msg, size_t len)
{
	if (len < sizeof(struct net_datagram))
		return SYS_EINVAL;
	uint32_t length = get32(msg + 12);
	uint16_t port = get16(msg + 8), local = get16(msg + 10);
	if (length > NET_INLINE_MAX || len != sizeof(struct net_datagram) + length || port == 0)
		return SYS_EINVAL;
	if (local == 0)
		local = ephemeral(s, from);
	else if (!bound(s, local) || bound(s, local)->endpoint != from)
		return SYS_EPERM;
	if (local == 0)
		return SYS_ENOMEM;
	return stack_send_udp(s, msg + 4, local, port, msg + sizeof(struct net_datagram), length);
}

static void status(struct stack *s, uint32_t from)
{
	struct net_status st;

	stack_status(s, &st);
	(void)s->ops.send_msg(s->ops.ctx, from, &st, sizeof(st));
	stack_report(s, true);
}

void stack_program_message(struct stack *s, uint32_t from, const uint8_t *msg, size_t len)
{
	uint32_t type = len >= 4 ? get32(msg) : 0;
	int32_t result;

	if (type == NET_MSG_STATUS && len == sizeof(struct net_msg)) {
		if (from != IPC_NO_ENDPOINT)
			status(s, from);
		else
			stack_report(s, true);
		return;
	}
	if (from == IPC_NO_ENDPOINT) {
		drops_count(&s->drops, DROP_MESSAGE); /* nowhere to answer, nobody to own a port */
		return;
	}
	if (type == NET_MSG_BIND)
		result = bind_port(s, from, msg, len);
	else if (type == NET_MSG_SENDTO)
		result = send_to(s, from, msg, len);
	else
		result = SYS_EINVAL;
	if (result == SYS_EINVAL)
		drops_count(&s->drops, DROP_MESSAGE);
	reply(s, from, result);
}

bool stack_deliver(struct stack *s, const struct inet_frame *f)
{
	struct binding *b = bound(s, f->dst_port);
	uint8_t out[sizeof(struct net_datagram) + NET_INLINE_MAX];

	if (!b)
		return false;
	if (f->payload_len > NET_INLINE_MAX) {
		drops_count(&s->drops, DROP_PROGRAM_SIZE);
		return true;
	}
	put32(out, NET_MSG_RECVFROM);
	for (int i = 0; i < INET_IP_LEN; i++)
		out[4 + i] = f->ip.src[i];
	put16(out + 8, f->src_port);
	put16(out + 10, f->dst_port);
	put32(out + 12, (uint32_t)f->payload_len);
	for (size_t i = 0; i < f->payload_len; i++)
		out[sizeof(struct net_datagram) + i] = f->payload[i];
	if (s->ops.send_msg(s->ops.ctx, b->endpoint, out,
			    sizeof(struct net_datagram) + f->payload_len) != 0)
		drops_count(&s->drops, DROP_PROGRAM_BUSY);
	return true;
}
