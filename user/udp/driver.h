/*
 * driver: the stack's side of the link to the virtio-net driver
 * (ENDPOINT_VIRTIO_NET), with the system calls it takes -- HELLO, the
 * channel attached and checked on NET_MSG_UP, received frames copied out
 * of their slots and handed back, frames written into free TX slots.
 * lib/net_link does every check; this file does the calls and reports.
 *
 * When the driver goes away (a send to it fails with SYS_ENOENT, a
 * channel that is no longer active, or a NET_MSG_UP of another
 * generation) it prints one line, forgets the link -- never touching the
 * old channel again: the kernel has unmapped it -- counts the outage and
 * waits for the next NET_MSG_UP.
 */
#ifndef CAMBIOS_UDP_DRIVER_H
#define CAMBIOS_UDP_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/net_link.h"
#include "../../lib/slot_outbox.h"
#include "stack.h"

struct driver {
	struct net_link link;
	struct stack *stack;
	unsigned complaints; /* refused driver messages reported so far */
	struct slot_outbox out; /* RX_DONE / TX waiting for room in the driver's queue */
};

/* Sends NET_MSG_HELLO; false when endpoint 20's owner has ended
 * (SYS_ENOENT). An endpoint nobody has registered yet takes the message
 * into its queue, so a driver that starts later finds it waiting. */
bool driver_hello(struct driver *d);

/* A message whose sender's reply endpoint is ENDPOINT_VIRTIO_NET. */
void driver_message(struct driver *d, const uint8_t *msg, size_t len);

/* stack_ops.send_frame: one frame into a free TX slot and NET_MSG_TX. */
bool driver_send_frame(struct driver *d, const uint8_t *frame, size_t len);

#endif
