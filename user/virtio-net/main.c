/*
 * virtio-net: the network device's driver, a user-space service at
 * ENDPOINT_VIRTIO_NET (20), the same code on x86_64 and AArch64.
 *
 * It brings the machine's modern virtio-net device up (net_dev.c, on
 * user/lib/virtio_pci), offers its frames to the UDP/IP stack at
 * ENDPOINT_UDP (21) through a shared channel (stack_link.c,
 * include/abi/net.h), and then sleeps until the device interrupts or the
 * stack sends something, looking at both each time it wakes.
 *
 * Every image runs it: on a machine without a virtio-net device it says
 * so in one line and exits 0. Started again after it ended, it resets the
 * device first, so a new instance needs nothing from the old one (the
 * kernel gives back its claim, MSI-X vectors and channel when it ends).
 */
#include <abi/endpoints.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"
#include "net_dev.h"
#include "stack_link.h"

CAMBIOS_MODULE_ROLE("virtio-net");

/* WaitIrqOrMessage's answers (system call 78). */
#define WOKEN_BY_IRQ 0
#define WOKEN_BY_MESSAGE 1

static void say_up(const struct net_dev *d)
{
	struct line l;

	l.len = 0;
	put(&l, "virtio-net: ");
	put_byte(&l, d->pci.dev.rec[DEVICE_INFO_BUS]);
	put(&l, ":");
	put_byte(&l, d->pci.dev.rec[DEVICE_INFO_SLOT]);
	put(&l, ".");
	put_dec(&l, d->pci.dev.rec[DEVICE_INFO_FUNCTION]);
	put(&l, " up: MAC ");
	for (unsigned i = 0; i < 6; i++) {
		if (i)
			put(&l, ":");
		put_byte(&l, d->mac[i]);
	}
	put(&l, ", queues rx ");
	put_dec(&l, d->rx.size);
	put(&l, " tx ");
	put_dec(&l, d->tx.size);
	put(&l, ", MSI-X line ");
	put_dec(&l, d->line);
	say(&l);
}

static void say_failed(const char *step, const char *why)
{
	struct line l;

	l.len = 0;
	put(&l, "virtio-net: ");
	put(&l, step);
	put(&l, why);
	say(&l);
}

/* Sleeps until the device's line fires or a message waits on our
 * endpoint; then everything either may have brought is taken -- both
 * queues and every message, whichever woke us, since an interrupt that
 * came while we were busy waits masked in the device until the next
 * wait, and finds nothing new then, which is harmless. */
static int serve(struct net_dev *d, struct stack_link *s)
{
	for (;;) {
		int64_t woke = sys_call(SYS_WAIT_IRQ_OR_MESSAGE, (uint64_t)d->line,
					ENDPOINT_VIRTIO_NET, 0);
		if (woke != WOKEN_BY_IRQ && woke != WOKEN_BY_MESSAGE) {
			struct line l = { .len = 0 };
			put(&l, "virtio-net: WaitIrqOrMessage failed (");
			put_dec(&l, woke);
			put(&l, "); stopping");
			say(&l);
			return 3;
		}
		if (woke == WOKEN_BY_IRQ)
			d->count.interrupts++;
		net_dev_receive(d, stack_link_deliver, s);
		net_dev_reclaim(d);
		stack_link_drain(s);
	}
}

int main(void)
{
	static struct net_dev dev;
	static struct stack_link link;

	const char *why = net_dev_start(&dev);
	if (why == virtio_pci_none) {
		say1("virtio-net: no virtio-net device on this machine; nothing to drive");
		return 0;
	}
	if (why) {
		say_failed("device not brought up: ", why);
		return 1;
	}
	say_up(&dev);
	if (sys_register_endpoint(ENDPOINT_VIRTIO_NET) != 0) {
		say1("virtio-net: endpoint 20 is taken; another driver runs");
		return 2;
	}
	why = stack_link_start(&link, &dev);
	if (why) {
		say_failed("no channel for the stack: ", why);
		return 2;
	}
	return serve(&dev, &link);
}
