/*
 * idt: the interrupt descriptor table with all 32 CPU exceptions.
 *
 * Every exception vector gets an interrupt gate (interrupts stay masked in
 * the handler) to its stub in trap_entry.S. Double fault, NMI and machine
 * check switch to their own IST stacks. The breakpoint gate has DPL 3 so an
 * `int3` in user code is a breakpoint, not a protection fault.
 * Interrupts: vector 32 (the APIC timer), 33-96 (device interrupts, GSI
 * 0-63 through the I/O APIC), 97-160 (MSI-X vectors, msi.c), 0xe0 (the
 * reschedule IPI, ipi.h) and 0xf0-0xff (the masked PICs' and the APIC's
 * spurious interrupts) go through the same common path.
 */
#include <msi.h>
#include <stdint.h>

#include "descriptors.h"
#include "interrupts.h"
#include "ioapic.h"
#include "segments.h"

#define IDT_ENTRIES 256
#define EXCEPTION_VECTORS 32
#define GATE_INTERRUPT 0x8e   /* present, DPL 0, 64-bit interrupt gate */
#define GATE_INTERRUPT_USER 0xee /* the same, callable from DPL 3 */
#define VECTOR_NMI 2
#define VECTOR_BREAKPOINT 3
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t trap_stubs[EXCEPTION_VECTORS];
/* Vector 32, the device vectors, the MSI vectors, the reschedule IPI, the
 * TLB shootdown IPI, then PIC_VECTOR_BASE..0xff (trap_entry.S). */
#define STUB_IPI (1 + IOAPIC_LINES + IRQ_MSI_LINES)
#define STUB_IPI_TLB (STUB_IPI + 1)
#define INTERRUPT_STUBS (STUB_IPI_TLB + 1 + 16)
extern const uint64_t interrupt_stubs[INTERRUPT_STUBS];

static struct idt_gate idt[IDT_ENTRIES];

static void idt_set_gate(unsigned vector, uint64_t handler, uint8_t type, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = (uint16_t)handler,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type = type,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_high = (uint32_t)(handler >> 32),
	};
}

static uint8_t ist_for(unsigned vector)
{
	switch (vector) {
	case VECTOR_DOUBLE_FAULT: return IST_DOUBLE_FAULT;
	case VECTOR_NMI: return IST_NMI;
	case VECTOR_MACHINE_CHECK: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < EXCEPTION_VECTORS; v++) {
		uint8_t type = v == VECTOR_BREAKPOINT ? GATE_INTERRUPT_USER : GATE_INTERRUPT;
		idt_set_gate(v, trap_stubs[v], type, ist_for(v));
	}
	idt_set_gate(VECTOR_TIMER, interrupt_stubs[0], GATE_INTERRUPT, 0);
	for (unsigned i = 0; i < IOAPIC_LINES; i++)
		idt_set_gate(IOAPIC_VECTOR_BASE + i, interrupt_stubs[1 + i], GATE_INTERRUPT, 0);
	for (unsigned i = 0; i < IRQ_MSI_LINES; i++)
		idt_set_gate(MSI_VECTOR_BASE + i, interrupt_stubs[1 + IOAPIC_LINES + i],
			     GATE_INTERRUPT, 0);
	idt_set_gate(VECTOR_IPI_RESCHEDULE, interrupt_stubs[STUB_IPI], GATE_INTERRUPT, 0);
	idt_set_gate(VECTOR_IPI_TLB_SHOOTDOWN, interrupt_stubs[STUB_IPI_TLB], GATE_INTERRUPT, 0);
	for (unsigned i = STUB_IPI_TLB + 1; i < INTERRUPT_STUBS; i++)
		idt_set_gate(PIC_VECTOR_BASE + i - STUB_IPI_TLB - 1, interrupt_stubs[i], GATE_INTERRUPT,
			     0);
	idt_load();
}

void idt_load(void)
{
	struct idt_pointer ptr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
