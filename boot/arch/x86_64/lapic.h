/*
 * lapic: the few local-APIC operations AP start-up needs, in xAPIC mode.
 *
 * The registers are memory-mapped at the base IA32_APIC_BASE names (0xfee00000
 * on every PC). The loader only touches them through the firmware's identity
 * map (before and right after ExitBootServices), so a register's address is
 * simply base + offset. x2APIC (MSR access) is deliberately not supported:
 * the kernel asks for xAPIC, and smp.c refuses politely if the firmware left
 * the APIC in x2APIC mode.
 */
#ifndef CAMBIOS_BOOT_X86_LAPIC_H
#define CAMBIOS_BOOT_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_X2APIC (1ULL << 10)     /* EXTD: x2APIC mode on */
#define APIC_BASE_ENABLE (1ULL << 11)     /* the APIC is globally enabled */
#define APIC_BASE_ADDRESS 0x000ffffffffff000ULL

#define LAPIC_REG_ID 0x20
#define LAPIC_REG_ICR_LOW 0x300
#define LAPIC_REG_ICR_HIGH 0x310
#define LAPIC_ID_SHIFT 24 /* xAPIC ID: bits 31:24 of the ID register */

/* ICR low: delivery mode, level, and the (read-only) delivery status. */
#define ICR_DELIVERY_INIT 0x500
#define ICR_DELIVERY_STARTUP 0x600
#define ICR_LEVEL_ASSERT 0x4000
#define ICR_SEND_PENDING 0x1000
#define ICR_DEST_SHIFT 24 /* ICR high: destination APIC ID in bits 31:24 */
#define ICR_INIT (ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT)       /* 0x4500 */
#define ICR_STARTUP (ICR_DELIVERY_STARTUP | ICR_LEVEL_ASSERT) /* 0x4600 | vector */

/* A sent IPI is accepted within microseconds; this only stops a broken APIC
 * from hanging the boot. */
#define ICR_IDLE_SPINS 1000000u

static inline uint32_t lapic_read(uint64_t base, uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(base + reg);
}

static inline void lapic_write(uint64_t base, uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(base + reg) = value;
}

static inline uint32_t lapic_id(uint64_t base)
{
	return lapic_read(base, LAPIC_REG_ID) >> LAPIC_ID_SHIFT;
}

/* Waits until the previous IPI has left; false if it never does. */
static inline bool lapic_wait_idle(uint64_t base)
{
	for (uint32_t spins = 0; spins < ICR_IDLE_SPINS; spins++) {
		if (!(lapic_read(base, LAPIC_REG_ICR_LOW) & ICR_SEND_PENDING))
			return true;
		cpu_pause();
	}
	return false;
}

/* Sends one IPI: the high half names the target, writing the low half
 * sends it. */
static inline bool lapic_send_ipi(uint64_t base, uint32_t apic_id, uint32_t icr_low)
{
	if (!lapic_wait_idle(base))
		return false;
	lapic_write(base, LAPIC_REG_ICR_HIGH, apic_id << ICR_DEST_SHIFT);
	lapic_write(base, LAPIC_REG_ICR_LOW, icr_low);
	return lapic_wait_idle(base);
}

#endif
