/*
 * apic: the x86_64 interrupt controllers and the periodic tick.
 *
 * The legacy 8259 PICs are remapped to vectors 0xf0-0xff (clear of the
 * CPU exceptions) and masked: every interrupt now comes through the local
 * APIC. The local APIC timer runs at a bus-derived rate nobody tells us,
 * so it is measured against the PIT, whose 1,193,182 Hz is fixed: count
 * APIC ticks between two PIT clock edges at least 1 ms apart, scale to
 * 10 ms, and the periodic timer reloads with that count for 100 Hz.
 *
 * The window opens early (arch_timer_calibration_begin, before the boot
 * verifies its modules) and closes here, so the boot's own work fills it
 * instead of a busy wait; only what is missing of the 1 ms is waited for.
 * A window longer than the PIT's 55 ms range is seen (the channel's OUT
 * pin has gone high) and measured again.
 *
 * The APIC's address is the one devices.c found (the ACPI MADT, checked
 * against the CPU's IA32_APIC_BASE); its registers are reached through the
 * HHDM. The HHDM maps them write-back, but the firmware's MTRRs make the
 * range uncacheable, and an
 * MTRR UC type wins over a WB page (Intel SDM vol. 3, 11.5.2.2), so every
 * access reaches the device.
 */
#include <arch.h>
#include <console_input.h>
#include <cpu.h>
#include <hhdm.h>
#include <ipi.h>
#include <irq_wait.h>
#include <panic.h>
#include <printk.h>
#include <thread.h>
#include <timer.h>
#include <x86_64/insn.h>

#include "devices.h"
#include "interrupts.h"
#include "ioapic.h"

#define MSR_APIC_BASE 0x1bu
#define COM1_IRQ 4 /* ISA */
#define APIC_BASE_ENABLE (1ULL << 11)
#define CPUID_1_EDX_APIC (1u << 9)

/* Local APIC registers (byte offsets). */
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LOW 0x300  /* writing it sends the IPI */
#define LAPIC_ICR_HIGH 0x310 /* the destination's APIC ID in bits 31:24 */
#define ICR_DELIVERY_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_SPIN_LIMIT 1000000
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define DIVIDE_BY_16 0x3u

/* 8259 PIC ports and initialisation words. */
#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01

/* PIT: channel 0 in mode 0 (interrupt on terminal count), polled. */
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_LOHI_MODE0 0x30
#define PIT_CH0_LATCH 0x00
#define PIT_READ_BACK_CH0_STATUS 0xe2 /* read-back: status only, channel 0 */
#define PIT_STATUS_OUT (1u << 7)
#define PIT_HZ 1193182u
#define PIT_START_COUNT 0xffffu
/* The shortest calibration window: 1 ms of the PIT keeps the error far
 * under 1% (see calibration_finish). */
#define CALIBRATION_PIT_TICKS (PIT_HZ / 1000u)
/* The rate is reported, and the reload derived, per 10 ms. */
#define CALIBRATION_REPORT_MS 10u

static volatile uint32_t *lapic; /* the same address on every CPU: each sees its own */
static uint32_t timer_reload;    /* measured once, on the BSP */

/* The open calibration window: both counters where it began. */
static struct {
	bool open;
	uint16_t pit_start;
	uint32_t apic_start;
} window;

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t value)
{
	lapic[reg / 4] = value;
}

/* A write to an unused port: a short delay the old PICs need. */
static void io_wait(void)
{
	outb(0x80, 0);
}

static void pic_remap_and_mask(void)
{
	static const uint8_t words[][2] = {
		{ ICW1_INIT_ICW4, ICW1_INIT_ICW4 },                 /* start initialisation */
		{ PIC_VECTOR_BASE, PIC_VECTOR_BASE + 8 },          /* vector offsets */
		{ 1u << 2, 2 },                                    /* cascade on IRQ 2 */
		{ ICW4_8086, ICW4_8086 },
	};

	outb(PIC1_COMMAND, words[0][0]);
	io_wait();
	outb(PIC2_COMMAND, words[0][1]);
	io_wait();
	for (unsigned i = 1; i < 4; i++) {
		outb(PIC1_DATA, words[i][0]);
		io_wait();
		outb(PIC2_DATA, words[i][1]);
		io_wait();
	}
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

/* Turns this CPU's local APIC on (`lapic` already points at the page). */
static void lapic_enable_this_cpu(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0); /* accept every priority */
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	cpu_this()->hw_id = lapic_read(LAPIC_ID) >> 24;
}

/* Fixed delivery, physical destination, edge: the ICR's two halves are
 * one operation, so no interrupt on this CPU may send between them. The
 * previous IPI's delivery is waited for first (bounded: QEMU and real
 * local APICs clear it at once). */
kerr_t arch_send_ipi(uint64_t hw_id, enum ipi_kind kind)
{
	static const uint8_t vector[IPI_KINDS] = {
		[IPI_RESCHEDULE] = VECTOR_IPI_RESCHEDULE,
		[IPI_TLB_SHOOTDOWN] = VECTOR_IPI_TLB_SHOOTDOWN,
	};
	if (kind >= IPI_KINDS)
		return K_EINVAL;
	arch_irqflags_t flags = arch_irq_save();

	for (unsigned i = 0; i < ICR_SPIN_LIMIT && lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING;
	     i++)
		arch_cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, (uint32_t)hw_id << 24);
	lapic_write(LAPIC_ICR_LOW, ICR_ASSERT | vector[kind]);
	arch_irq_restore(flags);
	return K_OK;
}

static void lapic_timer_periodic(uint32_t reload)
{
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, reload);
}

/* Points `lapic` at the local APIC and turns it on (both idempotent). */
static void lapic_setup(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (!(r[3] & CPUID_1_EDX_APIC))
		panic("interrupts: this CPU has no local APIC");
	lapic = phys_to_virt(devices_lapic_phys());
	lapic_enable_this_cpu();
}

/* COM1's receive interrupt: the console's input, a line of the kernel's. */
static void console_input_on(void)
{
	unsigned gsi = ioapic_isa_gsi(COM1_IRQ);

	console_input_start(gsi);
	console_rx_start();
	ioapic_unmask_kernel_line(gsi);
	println("interrupts: console input on COM1, GSI %u (the kernel's line)", gsi);
}

void arch_interrupts_init(void)
{
	pic_remap_and_mask();
	lapic_setup();
	println("interrupts: 8259 PIC remapped to 0x%x-0x%x and masked; local APIC %u at 0x%llx on",
		PIC_VECTOR_BASE, PIC_VECTOR_BASE + 15, lapic_read(LAPIC_ID) >> 24,
		(unsigned long long)virt_to_phys_hhdm((const void *)lapic));
	ioapic_init((uint8_t)(lapic_read(LAPIC_ID) >> 24));
	console_input_on();
}

/* Current count of PIT channel 0. */
static uint16_t pit_read(void)
{
	outb(PIT_COMMAND, PIT_CH0_LATCH);
	uint8_t lo = inb(PIT_CHANNEL0);
	return (uint16_t)(lo | inb(PIT_CHANNEL0) << 8);
}

/* Reads the PIT until its count changes, and returns the new count: the
 * moment just after a PIT clock edge. */
static uint16_t pit_wait_edge(void)
{
	uint16_t first = pit_read(), now;

	while ((now = pit_read()) == first)
		;
	return now;
}

/* Whether PIT channel 0 has reached its terminal count since it was
 * programmed: in mode 0 its OUT pin then stays high. */
static bool pit_wrapped(void)
{
	outb(PIT_COMMAND, PIT_READ_BACK_CH0_STATUS);
	return (inb(PIT_CHANNEL0) & PIT_STATUS_OUT) != 0;
}

void arch_timer_calibration_begin(void)
{
	/* The PIC first: the PIT's channel 0 is its line 0, which must not
	 * reach the CPU at the firmware's vector. */
	pic_remap_and_mask();
	lapic_setup();
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	outb(PIT_COMMAND, PIT_CH0_LOHI_MODE0);
	outb(PIT_CHANNEL0, (uint8_t)PIT_START_COUNT);
	outb(PIT_CHANNEL0, (uint8_t)(PIT_START_COUNT >> 8));
	lapic_write(LAPIC_TIMER_INITIAL, UINT32_MAX);
	window.pit_start = pit_wait_edge();
	window.apic_start = lapic_read(LAPIC_TIMER_CURRENT);
	window.open = true;
}

/* APIC timer ticks (divide by 16) per 10 ms, over the window opened by
 * arch_timer_calibration_begin and closed here, at least
 * CALIBRATION_PIT_TICKS long. Both ends are sampled just after a PIT edge,
 * found by polling, so the polling latency (on real hardware a few
 * microseconds of port I/O per read) is paid at both ends and largely
 * cancels; what is left is at most one read's latency over the window. */
static uint32_t calibration_finish(void)
{
	if (!window.open || pit_wrapped())
		arch_timer_calibration_begin(); /* never opened, or over 55 ms */
	uint16_t pit_now;
	do
		pit_now = pit_read();
	while ((uint16_t)(window.pit_start - pit_now) < CALIBRATION_PIT_TICKS);
	uint32_t apic_end = lapic_read(LAPIC_TIMER_CURRENT);
	window.open = false;

	uint64_t pit_ticks = (uint16_t)(window.pit_start - pit_now);
	uint64_t apic_ticks = window.apic_start - apic_end;
	return (uint32_t)(apic_ticks * PIT_HZ / (pit_ticks * (1000 / CALIBRATION_REPORT_MS)));
}

void arch_timer_start(unsigned hz)
{
	uint32_t per_10ms = calibration_finish();
	uint32_t reload = (uint32_t)((uint64_t)per_10ms * (1000 / CALIBRATION_REPORT_MS) / hz);

	if (reload == 0)
		panic("timer: the local APIC timer did not count during PIT calibration");
	timer_reload = reload;
	lapic_timer_periodic(reload);
	println("timer: local APIC timer, %u ticks per %u ms against the PIT (divide 16), "
		"%u Hz on vector %u", per_10ms, CALIBRATION_REPORT_MS, hz, VECTOR_TIMER);
}

void lapic_start_ap(void)
{
	lapic_enable_this_cpu();
	lapic_timer_periodic(timer_reload);
}

/* A device vector: the console's line is the kernel's, every other goes
 * to the router, which masks it before the EOI (irq_wait.h). */
static void device_interrupt(unsigned gsi)
{
	if (gsi == ioapic_isa_gsi(COM1_IRQ))
		console_rx_interrupt();
	else
		irq_interrupt(gsi);
	lapic_write(LAPIC_EOI, 0);
}

void x86_interrupt(uint64_t vector)
{
	irq_enter();
	if (vector == VECTOR_TIMER) {
		timer_tick();
		sched_on_tick();
		lapic_write(LAPIC_EOI, 0);
	} else if (vector >= IOAPIC_VECTOR_BASE && vector < IOAPIC_VECTOR_BASE + IOAPIC_LINES) {
		device_interrupt((unsigned)(vector - IOAPIC_VECTOR_BASE));
	} else if (vector == VECTOR_IPI_RESCHEDULE) {
		ipi_receive(IPI_RESCHEDULE);
		lapic_write(LAPIC_EOI, 0);
	} else if (vector == VECTOR_IPI_TLB_SHOOTDOWN) {
		ipi_receive(IPI_TLB_SHOOTDOWN);
		lapic_write(LAPIC_EOI, 0);
	} else if (vector >= MSI_VECTOR_BASE && vector < MSI_VECTOR_BASE + IRQ_MSI_LINES) {
		/* Edge-triggered: the EOI only lets the next one in. */
		irq_interrupt(IRQ_MSI_BASE + (unsigned)(vector - MSI_VECTOR_BASE));
		lapic_write(LAPIC_EOI, 0);
	} else {
		/* Spurious vectors (the APIC's, or the masked PICs') take no
		 * EOI; counted as the router's spurious interrupts. */
		(void)irq_dispatch(IRQ_LINES, 0, 0);
	}
	irq_exit(); /* may switch threads: after the EOI */
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
