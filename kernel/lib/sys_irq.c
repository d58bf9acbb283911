/*
 * sys_irq: WaitIrq and ConsoleRead, the two system calls that sleep until
 * hardware says something.
 *
 * WaitIrq(line): `line` is the original's "irq": a GSI on x86_64, a GIC
 * INTID on AArch64 (32 + the SPI number in the device tree; QEMU virt's
 * PCI INTA-INTD arrive on 35-38). The first process to wait on a line
 * holds it until it exits; the interrupt router (irq.h) keeps the line
 * masked except while its holder waits, and masks it again when the
 * interrupt comes, before the caller is woken. Results: 0 after the
 * interrupt; SYS_EINVAL for a line no device interrupt arrives on;
 * SYS_EPERM for one of the kernel's lines (timer, console), one another
 * process holds, or one masked for good after an interrupt storm (also
 * the result of the wait during which the storm was seen); SYS_EAGAIN
 * when another thread of the caller already waits on it. The caller is
 * pinned to its CPU, and the line delivered there (irq.h). A line that
 * carries the INTx of a PCI function another process holds
 * (device_claim.h) is refused too (SYS_EPERM): that device's interrupts
 * are its driver's. (A function nobody holds yet does not stop a waiter:
 * the line then belongs to whoever waits first, as for ISA lines.)
 *
 * WaitIrqOrMessage(line, endpoint): WaitIrq's wait, but it also ends when
 * a message is queued on `endpoint` (one the caller owns, else SYS_EPERM;
 * SYS_EINVAL past the endpoints): 0 after the interrupt (also when both
 * came), 1 when a message waits -- left queued, for TryRecvMsg -- and the
 * line's wait withdrawn (masked again; the next wait arms it). A driver
 * that must answer both its device and its clients waits this way
 * without spinning.
 *
 * EnableMsix(index, entry): routes MSI-X vector `entry` of PCI function
 * `index` (DeviceInfo's numbering) to a line only the caller may wait on
 * (msix.h), and returns it (IRQ_MSI_BASE and up). It claims the function
 * as MapMmio does. SYS_EINVAL for a function without MSI-X (or with a
 * broken capability or unassigned table BAR) or an entry past its table;
 * SYS_EPERM for a function another process holds; SYS_ENOMEM when every
 * MSI line is in use; SYS_EAGAIN while another thread of the caller
 * enables the same entry; SYS_ENOSYS when the machine cannot deliver
 * MSIs. The same entry asked for again gives the same line.
 *
 * ConsoleRead(buf, len): raw bytes typed at the serial console
 * (console_input.h): blocks until at least one is there, then copies up
 * to len of them. len 1..CONSOLE_INPUT_SIZE, else SYS_EINVAL; the buffer
 * is checked before anything is taken, so a bad pointer (SYS_EFAULT)
 * loses no input.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <console_input.h>
#include <current.h>
#include <device_claim.h>
#include <ipc.h>
#include <irq_wait.h>
#include <msix.h>
#include <pci_host.h>
#include <usercopy.h>

/* Whether `line` carries the INTx of a PCI function that a process other
 * than `self` holds. */
static bool line_of_a_device_held_elsewhere(unsigned line, kpid_t self)
{
	const struct pci_table *table = pci_host_table();
	unsigned at;

	for (unsigned i = 0; i < table->count; i++) {
		kpid_t holder = device_holder(i);
		if (holder != PID_NONE && holder != self &&
		    arch_irq_pci_line(&table->functions[i], &at) && at == line)
			return true;
	}
	return false;
}

/* What a wait on a line gives user space. */
static int64_t wait_result(kerr_t err)
{
	switch (err) {
	case K_OK: return 0;
	case K_EPERM:
	case K_EBUSY: return SYS_EPERM;
	case K_EEXIST: return SYS_EAGAIN;
	default: return SYS_EINVAL;
	}
}

/* 0 if `self` may wait on `line`, else the error. */
static int64_t check_line(uint64_t line, kpid_t self)
{
	if (line >= IRQ_LINES)
		return SYS_EINVAL;
	if (line_of_a_device_held_elsewhere((unsigned)line, self))
		return SYS_EPERM;
	return 0;
}

int64_t sys_wait_irq(const struct syscall_frame *f)
{
	kpid_t self = process_current();
	int64_t bad = check_line(f->arg[0], self);

	return bad ? bad : wait_result(irq_wait((unsigned)f->arg[0], self));
}

int64_t sys_wait_irq_or_message(const struct syscall_frame *f)
{
	uint64_t endpoint = f->arg[1];
	kpid_t self = process_current(), owner;
	bool message;
	int64_t bad = check_line(f->arg[0], self);

	if (bad)
		return bad;
	if (endpoint >= IPC_ENDPOINTS)
		return SYS_EINVAL;
	if (ipc_owner((uint32_t)endpoint, &owner) != K_OK || owner != self)
		return SYS_EPERM; /* only its own endpoint's messages may wake it */
	kerr_t err = irq_wait_or_message((unsigned)f->arg[0], self, (uint32_t)endpoint, &message);
	if (err == K_OK && message)
		return 1;
	return wait_result(err);
}

int64_t sys_enable_msix(const struct syscall_frame *f)
{
	uint64_t index = f->arg[0], entry = f->arg[1];
	unsigned line;

	if (index >= PCI_MAX_FUNCTIONS || entry >= PCI_MSIX_MAX_ENTRIES)
		return SYS_EINVAL;
	switch (msix_enable((unsigned)index, (unsigned)entry, process_current(), &line)) {
	case K_OK: return line;
	case K_EPERM: return SYS_EPERM;
	case K_ENOMEM: return SYS_ENOMEM;
	case K_EBUSY: return SYS_EAGAIN;
	case K_ENOENT: return SYS_ENOSYS;
	default: return SYS_EINVAL;
	}
}

int64_t sys_console_read(const struct syscall_frame *f)
{
	uint8_t buf[CONSOLE_INPUT_SIZE];
	uint64_t user = f->arg[0], len = f->arg[1];

	if (len == 0 || len > CONSOLE_INPUT_SIZE)
		return SYS_EINVAL;
	if (user_check_writable(user, len) != K_OK)
		return SYS_EFAULT;
	size_t n = console_input_read(buf, len);
	/* The caller's own thread blocked: nothing of its space changed. */
	if (copy_to_user(user, buf, n) != K_OK)
		return SYS_EFAULT;
	return (int64_t)n;
}
