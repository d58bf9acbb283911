/*
 * acpi_test: the ACPI reader the loader and the kernel share (lib/acpi.c).
 *
 * Builds firmware tables in a buffer that stands for physical memory (at
 * MEM_BASE; the map function refuses anything outside it, as the kernel's
 * would refuse an unmapped range): RSDPs of both revisions, an RSDT and an
 * XSDT, a MADT with every structure type the kernel reads, an MCFG. Then
 * checks what is found and decoded, and that damage is refused with its
 * reason: bad signatures and checksums, lengths too short, too long or
 * running past memory, truncated MADT structures and MCFG entries; and
 * the SPCR's console UART.
 * Finally it flips random bits in an exactly-sized heap copy and reads
 * everything, so ASan sees any read outside memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <acpi.h>

#define MEM_BASE 0x100000u
#define MEM_SIZE 8192u
#define HEADER 36
#define CHECKSUM 9
#define RSDP_V1 20
#define RSDP_V2 36
#define MADT_ENTRIES 44
#define MCFG_ENTRIES 44

struct memory {
	uint8_t *bytes;
	uint32_t size;
	uint32_t used;
};

static uint8_t ram[MEM_SIZE];
static struct memory mem;

static const void *map(uint64_t phys, uint64_t length, void *ctx)
{
	const struct memory *m = ctx;

	if (phys < MEM_BASE || phys - MEM_BASE > m->size || length > m->size - (phys - MEM_BASE))
		return NULL;
	return m->bytes + (phys - MEM_BASE);
}

static void reset_memory(void)
{
	memset(ram, 0, sizeof(ram));
	mem = (struct memory){ ram, MEM_SIZE, 0 };
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* Room for `length` bytes in memory, 16-byte aligned; its physical address. */
static uint64_t reserve(uint32_t length, uint8_t **at)
{
	uint32_t off = (mem.used + 15) & ~15u;

	assert_true(off + length <= MEM_SIZE);
	mem.used = off + length;
	*at = ram + off;
	return MEM_BASE + off;
}

/* A table: its header (signature, length, checksum) and `body` after it. */
static uint64_t add_table(const char *signature, const uint8_t *body, uint32_t body_length)
{
	uint8_t *t;
	uint64_t phys = reserve(HEADER + body_length, &t);

	memcpy(t, signature, 4);
	put32(t + 4, HEADER + body_length);
	t[8] = 1;
	memcpy(t + 10, "CAMBIO", 6);
	if (body_length)
		memcpy(t + HEADER, body, body_length);
	t[CHECKSUM] = (uint8_t)-sum(t, HEADER + body_length);
	return phys;
}

static uint8_t *at(uint64_t phys)
{
	return ram + (phys - MEM_BASE);
}

static void refresh_checksum(uint64_t phys)
{
	uint8_t *t = at(phys);
	uint32_t length;

	memcpy(&length, t + 4, 4); /* the host is little-endian, like ACPI */
	t[CHECKSUM] = 0;
	t[CHECKSUM] = (uint8_t)-sum(t, length);
}

static uint64_t add_rsdt(const uint64_t *tables, unsigned n)
{
	uint8_t body[64];

	for (unsigned i = 0; i < n; i++)
		put32(body + 4 * i, (uint32_t)tables[i]);
	return add_table("RSDT", body, 4 * n);
}

static uint64_t add_xsdt(const uint64_t *tables, unsigned n)
{
	uint8_t body[128];

	for (unsigned i = 0; i < n; i++)
		put64(body + 8 * i, tables[i]);
	return add_table("XSDT", body, 8 * n);
}

/* An RSDP: revision 0 (20 bytes) when there is no XSDT, else 2 (36). */
static uint64_t add_rsdp(uint64_t rsdt, uint64_t xsdt)
{
	uint8_t *r;
	uint32_t length = xsdt ? RSDP_V2 : RSDP_V1;
	uint64_t phys = reserve(length, &r);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "CAMBIO", 6);
	r[15] = xsdt ? 2 : 0;
	put32(r + 16, (uint32_t)rsdt);
	if (xsdt) {
		put32(r + 20, RSDP_V2);
		put64(r + 24, xsdt);
	}
	r[8] = (uint8_t)-sum(r, RSDP_V1);
	if (xsdt)
		r[32] = (uint8_t)-sum(r, RSDP_V2);
	return phys;
}

/* ---------------------------------------------------------------- MADT */

struct builder {
	uint8_t bytes[512];
	uint32_t length;
};

static uint8_t *entry(struct builder *b, uint8_t type, uint8_t length)
{
	uint8_t *e = b->bytes + b->length;

	memset(e, 0, length);
	e[0] = type;
	e[1] = length;
	b->length += length;
	return e;
}

static void madt_start(struct builder *b, uint32_t local_apic)
{
	memset(b, 0, sizeof(*b));
	put32(b->bytes, local_apic);
	put32(b->bytes + 4, 1); /* PCAT_COMPAT */
	b->length = 8;
}

/* What q35 has, plus an override of the local APIC address and a GICv3
 * set: one of every structure the kernel reads. */
static uint64_t add_full_madt(void)
{
	struct builder b;
	uint8_t *e;

	madt_start(&b, 0xfee00000u);
	e = entry(&b, 0, 8); /* local APIC: UID 0, APIC ID 0, enabled */
	put32(e + 4, 1);
	e = entry(&b, 0, 8); /* UID 1, APIC ID 2, online capable */
	e[2] = 1;
	e[3] = 2;
	put32(e + 4, 2);
	e = entry(&b, 9, 16); /* x2APIC 0x100, UID 7 */
	put32(e + 4, 0x100);
	put32(e + 8, 1);
	put32(e + 12, 7);
	e = entry(&b, 1, 12); /* I/O APIC 3 at 0xfec00000, GSI 0 */
	e[2] = 3;
	put32(e + 4, 0xfec00000u);
	put32(e + 8, 0);
	e = entry(&b, 1, 12); /* a second one at GSI 24 */
	e[2] = 4;
	put32(e + 4, 0xfec01000u);
	put32(e + 8, 24);
	e = entry(&b, 2, 10); /* ISA IRQ 0 -> GSI 2, bus defaults */
	e[3] = 0;
	put32(e + 4, 2);
	e = entry(&b, 2, 10); /* ISA IRQ 9 -> GSI 9, active low, level */
	e[3] = 9;
	put32(e + 4, 9);
	put16(e + 8, 0xf);
	e = entry(&b, 2, 10); /* ISA IRQ 5 -> GSI 5, active high, edge */
	e[3] = 5;
	put32(e + 4, 5);
	put16(e + 8, 0x5);
	e = entry(&b, 5, 12); /* the 64-bit local APIC address */
	put64(e + 4, 0x1234fee00000ull);
	e = entry(&b, 11, 80); /* GICC: interface 1, UID 1, enabled */
	put32(e + 4, 1);
	put32(e + 8, 1);
	put32(e + 12, 1);
	put64(e + 32, 0x08010000u);
	put64(e + 60, 0x080a0000u);
	put64(e + 68, 0x80000001ull);
	e = entry(&b, 12, 24); /* GICD at 0x08000000, GICv3 */
	put64(e + 8, 0x08000000u);
	e[20] = 3;
	e = entry(&b, 14, 16); /* GICR range */
	put64(e + 4, 0x080a0000u);
	put32(e + 12, 0xf60000u);
	e = entry(&b, 15, 20); /* GIC ITS 0 at QEMU virt's 0x08080000 */
	put64(e + 8, 0x08080000u);
	e = entry(&b, 15, 19); /* one byte short of an ITS structure */
	return add_table("APIC", b.bytes, b.length);
}

static uint64_t add_mcfg(void)
{
	uint8_t body[8 + 3 * 16] = { 0 };
	uint8_t *e = body + 8;

	put64(e, 0xb0000000u); /* q35: segment 0, buses 0-255 */
	e[11] = 0xff;
	e += 16;
	put64(e, 0x4000000000ull);
	put16(e + 8, 1);
	e[10] = 0x10;
	e[11] = 0x1f;
	e += 16;
	put64(e, 0xc0000000u); /* a bus range that runs backwards */
	e[10] = 5;
	e[11] = 4;
	return add_table("MCFG", body, sizeof(body));
}

/* RSDT (v1) or XSDT (v2) listing a MADT and an MCFG. */
static uint64_t build_machine(bool v2)
{
	uint64_t tables[2];

	reset_memory();
	tables[0] = add_full_madt();
	tables[1] = add_mcfg();
	if (!v2)
		return add_rsdp(add_rsdt(tables, 2), 0);
	return add_rsdp(add_rsdt(tables, 1), add_xsdt(tables, 2));
}

/* ---------------------------------------------------------------- tests */

static void v1_rsdp_reaches_tables_through_the_rsdt(void **state)
{
	struct acpi a;
	struct acpi_table t;

	(void)state;
	uint64_t rsdp = build_machine(false);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_false(a.xsdt);
	assert_int_equal(a.revision, 0);
	assert_int_equal(acpi_find(&a, "APIC", &t), ACPI_OK);
	assert_memory_equal(t.bytes, "APIC", 4);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_OK);
	assert_int_equal(t.length, HEADER + 8 + 3 * 16);
	assert_int_equal(acpi_find(&a, "FACP", &t), ACPI_NOT_FOUND);
}

static void v2_rsdp_prefers_the_xsdt(void **state)
{
	struct acpi a;
	struct acpi_table t;

	(void)state;
	uint64_t rsdp = build_machine(true); /* the RSDT lists only the MADT */
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_true(a.xsdt);
	assert_int_equal(a.revision, 2);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_OK);
}

static void a_broken_xsdt_falls_back_to_the_rsdt(void **state)
{
	struct acpi a;
	struct acpi_table t;

	(void)state;
	reset_memory();
	uint64_t madt = add_full_madt();
	uint64_t xsdt = add_xsdt(&madt, 1);
	uint64_t rsdp = add_rsdp(add_rsdt(&madt, 1), xsdt);
	at(xsdt)[HEADER] ^= 1; /* checksum now wrong */
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_false(a.xsdt);
	assert_int_equal(acpi_find(&a, "APIC", &t), ACPI_OK);

	/* Without an RSDT to fall back on, the XSDT's fault is reported. */
	put32(at(rsdp) + 16, 0);
	at(rsdp)[8] = 0;
	at(rsdp)[8] = (uint8_t)-sum(at(rsdp), RSDP_V1);
	at(rsdp)[32] = 0;
	at(rsdp)[32] = (uint8_t)-sum(at(rsdp), RSDP_V2);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_CHECKSUM);
}

static void bad_rsdps_are_refused(void **state)
{
	struct acpi a;

	(void)state;
	uint64_t rsdp = build_machine(true);
	uint8_t *r = at(rsdp);

	assert_int_equal(acpi_open(&a, 0, map, &mem), ACPI_UNREADABLE);
	assert_int_equal(acpi_open(&a, MEM_BASE + MEM_SIZE - 10, map, &mem), ACPI_UNREADABLE);
	r[0] = 'X';
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_SIGNATURE);
	r[0] = 'R';
	r[9] ^= 1; /* inside both checksums */
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_CHECKSUM);
	r[9] ^= 1;
	r[33] ^= 1; /* only the extended checksum covers it */
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_CHECKSUM);
	r[33] ^= 1;
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	put32(r + 20, 30); /* an extended RSDP shorter than its fields */
	r[32] = 0;
	r[32] = (uint8_t)-sum(r, RSDP_V2);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_LENGTH);
	put32(r + 20, MEM_SIZE); /* longer than memory */
	r[32] = 0;
	r[32] = (uint8_t)-sum(r, RSDP_V2);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_LENGTH);
}

static void bad_tables_are_refused_with_their_reason(void **state)
{
	struct acpi a;
	struct acpi_table t;
	uint64_t tables[3];

	(void)state;
	reset_memory();
	tables[0] = add_table("SSDT", (const uint8_t *)"x", 1);
	tables[1] = add_mcfg();
	tables[2] = add_table("SPCR", (const uint8_t *)"y", 1);
	uint64_t rsdp = add_rsdp(add_rsdt(tables, 3), 0);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);

	at(tables[1])[HEADER] ^= 1;
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_BAD_CHECKSUM);
	put32(at(tables[1]) + 4, HEADER - 1);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_BAD_LENGTH);
	put32(at(tables[1]) + 4, ACPI_MAX_TABLE_LENGTH + 1);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_BAD_LENGTH);
	put32(at(tables[1]) + 4, MEM_SIZE); /* runs past the end of memory */
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_UNREADABLE);
	/* The others are untouched. */
	assert_int_equal(acpi_find(&a, "SPCR", &t), ACPI_OK);
	assert_int_equal(acpi_find(&a, "SSDT", &t), ACPI_OK);
}

static void a_good_copy_after_a_bad_one_is_found(void **state)
{
	struct acpi a;
	struct acpi_table t;
	uint64_t tables[2];

	(void)state;
	reset_memory();
	tables[0] = add_mcfg();
	tables[1] = add_mcfg();
	at(tables[0])[HEADER + 8] ^= 1;
	uint64_t rsdp = add_rsdp(0, add_xsdt(tables, 2));
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_OK);
	assert_ptr_equal(t.bytes, at(tables[1]));
}

static void root_tables_are_checked(void **state)
{
	struct acpi a;
	struct acpi_table t;
	uint64_t tables[2];

	(void)state;
	reset_memory();
	tables[0] = add_mcfg();
	tables[1] = 0; /* a null entry is skipped */
	uint64_t rsdt = add_rsdt(tables, 2);
	uint64_t rsdp = add_rsdp(rsdt, 0);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_OK);

	/* A trailing partial entry is not read. */
	put32(at(rsdt) + 4, HEADER + 6);
	refresh_checksum(rsdt);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_OK);
	put32(at(rsdt) + 4, HEADER + 3);
	refresh_checksum(rsdt);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_NOT_FOUND);

	memcpy(at(rsdt), "XSDT", 4); /* not what the RSDP promised */
	refresh_checksum(rsdt);
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_BAD_SIGNATURE);
	assert_int_equal(acpi_find(&a, "MCFG", &t), ACPI_NOT_FOUND);
}

static void madt_structures_of_every_type_decode(void **state)
{
	struct acpi a;
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_local_apic cpu;
	struct acpi_io_apic io;
	struct acpi_interrupt_override iso;
	struct acpi_gicc gicc;
	struct acpi_gicd gicd;
	struct acpi_gicr gicr;
	struct acpi_gic_its its;
	uint32_t local_apic, flags;
	unsigned count = 0;

	(void)state;
	assert_int_equal(acpi_open(&a, build_machine(true), map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "APIC", &madt), ACPI_OK);
	assert_true(acpi_madt_header(&madt, &local_apic, &flags));
	assert_int_equal(local_apic, 0xfee00000u);
	assert_int_equal(flags, 1);

	acpi_madt_begin(&it, &madt);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_local_apic(&e, &cpu));
	assert_int_equal(cpu.apic_id, 0);
	assert_int_equal(cpu.flags, ACPI_CPU_ENABLED);
	assert_false(acpi_madt_io_apic(&e, &io)); /* another type */
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_local_apic(&e, &cpu));
	assert_int_equal(cpu.uid, 1);
	assert_int_equal(cpu.apic_id, 2);
	assert_int_equal(cpu.flags, ACPI_CPU_ONLINE_CAPABLE);
	assert_true(acpi_madt_next(&it, &e));
	assert_int_equal(e.type, ACPI_MADT_LOCAL_X2APIC);
	assert_true(acpi_madt_local_apic(&e, &cpu));
	assert_int_equal(cpu.apic_id, 0x100);
	assert_int_equal(cpu.uid, 7);

	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_io_apic(&e, &io));
	assert_int_equal(io.id, 3);
	assert_int_equal(io.address, 0xfec00000u);
	assert_int_equal(io.gsi_base, 0);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_io_apic(&e, &io));
	assert_int_equal(io.gsi_base, 24);

	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_interrupt_override(&e, &iso));
	assert_int_equal(iso.bus, 0);
	assert_int_equal(iso.source, 0);
	assert_int_equal(iso.gsi, 2);
	assert_int_equal(iso.polarity, ACPI_POLARITY_BUS);
	assert_int_equal(iso.trigger, ACPI_TRIGGER_BUS);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_interrupt_override(&e, &iso));
	assert_int_equal(iso.source, 9);
	assert_int_equal(iso.polarity, ACPI_POLARITY_LOW);
	assert_int_equal(iso.trigger, ACPI_TRIGGER_LEVEL);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_interrupt_override(&e, &iso));
	assert_int_equal(iso.polarity, ACPI_POLARITY_HIGH);
	assert_int_equal(iso.trigger, ACPI_TRIGGER_EDGE);

	assert_true(acpi_madt_next(&it, &e));
	assert_int_equal(e.type, ACPI_MADT_LOCAL_APIC_ADDRESS);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_gicc(&e, &gicc));
	assert_int_equal(gicc.cpu_interface, 1);
	assert_int_equal(gicc.uid, 1);
	assert_int_equal(gicc.flags, ACPI_CPU_ENABLED);
	assert_int_equal(gicc.gicc_base, 0x08010000u);
	assert_int_equal(gicc.gicr_base, 0x080a0000u);
	assert_int_equal(gicc.mpidr, 0x80000001ull);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_gicd(&e, &gicd));
	assert_int_equal(gicd.base, 0x08000000u);
	assert_int_equal(gicd.version, 3);
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_gicr(&e, &gicr));
	assert_int_equal(gicr.base, 0x080a0000u);
	assert_int_equal(gicr.length, 0xf60000u);
	assert_false(acpi_madt_gic_its(&e, &its)); /* another type */
	assert_true(acpi_madt_next(&it, &e));
	assert_true(acpi_madt_gic_its(&e, &its));
	assert_int_equal(its.id, 0);
	assert_int_equal(its.base, 0x08080000u);
	assert_true(acpi_madt_next(&it, &e));
	assert_int_equal(e.type, ACPI_MADT_GIC_ITS);
	assert_false(acpi_madt_gic_its(&e, &its)); /* too short */
	assert_false(acpi_madt_next(&it, &e));

	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e))
		count++;
	assert_int_equal(count, 14);
}

static void the_local_apic_address_override_wins(void **state)
{
	struct acpi_table madt;
	struct builder b;
	uint64_t address;

	(void)state;
	reset_memory();
	madt_start(&b, 0xfee00000u);
	entry(&b, 0, 8);
	madt.bytes = at(add_table("APIC", b.bytes, b.length));
	madt.length = HEADER + b.length;
	assert_true(acpi_madt_local_apic_address(&madt, &address));
	assert_int_equal(address, 0xfee00000u);

	put64(entry(&b, 5, 12) + 4, 0x1234fee00000ull);
	madt.bytes = at(add_table("APIC", b.bytes, b.length));
	madt.length = HEADER + b.length;
	assert_true(acpi_madt_local_apic_address(&madt, &address));
	assert_int_equal(address, 0x1234fee00000ull);

	madt_start(&b, 0); /* neither: no local APIC */
	madt.bytes = at(add_table("APIC", b.bytes, b.length));
	madt.length = HEADER + b.length;
	assert_false(acpi_madt_local_apic_address(&madt, &address));
}

/* A MADT of `b`'s structures, as its own heap buffer of exactly that size
 * (no checksum: these tests hand the table over directly). */
static struct acpi_table exact_madt(const struct builder *b)
{
	uint8_t *t = calloc(1, HEADER + b->length);

	assert_non_null(t);
	memcpy(t, "APIC", 4);
	memcpy(t + HEADER, b->bytes, b->length);
	return (struct acpi_table){ t, HEADER + b->length };
}

/* How many structures a walk over `madt` yields; frees the table. */
static unsigned count_and_free(struct acpi_table madt)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	unsigned seen = 0;

	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e))
		seen++;
	free((void *)madt.bytes);
	return seen;
}

static void truncated_madt_structures_are_not_read(void **state)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_local_apic cpu;
	struct acpi_gicc gicc;
	struct acpi_io_apic io;
	struct acpi_interrupt_override iso;
	struct acpi_gicd gicd;
	struct acpi_gicr gicr;
	struct builder b;
	uint32_t lapic, flags;

	(void)state;
	madt_start(&b, 0xfee00000u);
	entry(&b, 0, 6);   /* a local APIC too short for its flags */
	entry(&b, 11, 60); /* a GICC cut before its MPIDR */
	entry(&b, 1, 8);
	entry(&b, 2, 8);
	entry(&b, 9, 12);
	entry(&b, 12, 20);
	entry(&b, 14, 12);
	entry(&b, 0, 8);   /* and a whole one */
	struct acpi_table madt = exact_madt(&b);
	unsigned decoded = 0, seen = 0;
	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e)) {
		seen++;
		decoded += acpi_madt_local_apic(&e, &cpu) + acpi_madt_gicc(&e, &gicc) +
			   acpi_madt_io_apic(&e, &io) + acpi_madt_interrupt_override(&e, &iso) +
			   acpi_madt_gicd(&e, &gicd) + acpi_madt_gicr(&e, &gicr);
	}
	assert_int_equal(seen, 8);
	assert_int_equal(decoded, 1);
	free((void *)madt.bytes);

	/* A zero length ends the walk; so does a structure past the end. */
	madt_start(&b, 0);
	entry(&b, 0, 8);
	entry(&b, 0, 8)[1] = 0;
	entry(&b, 0, 8);
	assert_int_equal(count_and_free(exact_madt(&b)), 1);

	madt_start(&b, 0);
	entry(&b, 0, 8);
	entry(&b, 11, 80);
	b.length -= 10; /* the GICC's tail is past the table */
	assert_int_equal(count_and_free(exact_madt(&b)), 1);

	/* Too short for the MADT's own fields: no header, no structures. */
	b.length = 4;
	madt = exact_madt(&b);
	assert_false(acpi_madt_header(&madt, &lapic, &flags));
	acpi_madt_begin(&it, &madt);
	assert_false(acpi_madt_next(&it, &e));
	free((void *)madt.bytes);
}

static void mcfg_entries_decode(void **state)
{
	struct acpi a;
	struct acpi_table mcfg;
	struct acpi_mcfg_entry e;

	(void)state;
	assert_int_equal(acpi_open(&a, build_machine(false), map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "MCFG", &mcfg), ACPI_OK);
	assert_int_equal(acpi_mcfg_count(&mcfg), 3);
	assert_true(acpi_mcfg_entry(&mcfg, 0, &e));
	assert_int_equal(e.base, 0xb0000000u);
	assert_int_equal(e.segment, 0);
	assert_int_equal(e.start_bus, 0);
	assert_int_equal(e.end_bus, 255);
	assert_true(acpi_mcfg_entry(&mcfg, 1, &e));
	assert_int_equal(e.base, 0x4000000000ull);
	assert_int_equal(e.segment, 1);
	assert_int_equal(e.start_bus, 0x10);
	assert_int_equal(e.end_bus, 0x1f);
	assert_false(acpi_mcfg_entry(&mcfg, 2, &e)); /* runs backwards */
	assert_false(acpi_mcfg_entry(&mcfg, 3, &e));

	mcfg.length -= 1; /* the last entry is cut short: not counted */
	assert_int_equal(acpi_mcfg_count(&mcfg), 2);
	mcfg.length = 40; /* not even the reserved bytes */
	assert_int_equal(acpi_mcfg_count(&mcfg), 0);
	assert_false(acpi_mcfg_entry(&mcfg, 0, &e));
}

static void spcr_gives_the_console_uart(void **state)
{
	struct acpi a;
	struct acpi_table t;
	struct acpi_spcr uart;
	uint8_t body[80] = { 0 };
	uint64_t spcr;

	(void)state;
	reset_memory();
	body[0] = ACPI_SPCR_PL011; /* QEMU virt's */
	body[4] = ACPI_ADDRESS_SPACE_MEMORY;
	body[5] = 32;
	put64(body + 8, 0x09000000u);
	body[16] = ACPI_SPCR_INTERRUPT_GIC; /* offset 52 of the table */
	body[18] = 33;                      /* its GSI, at 54: QEMU virt's PL011, SPI 1 */
	spcr = add_table("SPCR", body, sizeof(body));
	uint64_t rsdp = add_rsdp(0, add_xsdt(&spcr, 1));
	assert_int_equal(acpi_open(&a, rsdp, map, &mem), ACPI_OK);
	assert_int_equal(acpi_find(&a, "SPCR", &t), ACPI_OK);
	assert_true(acpi_spcr(&t, &uart));
	assert_int_equal(uart.interface_type, ACPI_SPCR_PL011);
	assert_int_equal(uart.address_space, ACPI_ADDRESS_SPACE_MEMORY);
	assert_int_equal(uart.address, 0x09000000u);
	assert_int_equal(uart.interrupt_type, ACPI_SPCR_INTERRUPT_GIC);
	assert_int_equal(uart.gsi, 33);
	t.length = 57; /* cut inside the interrupt: the address alone */
	assert_true(acpi_spcr(&t, &uart));
	assert_int_equal(uart.address, 0x09000000u);
	assert_int_equal(uart.interrupt_type, 0);
	assert_int_equal(uart.gsi, 0);
	t.length = 51; /* cut inside the address */
	assert_false(acpi_spcr(&t, &uart));
}

static void read_everything(const struct acpi *a)
{
	static const char *const signatures[] = { "APIC", "MCFG", "FACP", "RSDT" };
	struct acpi_table t;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_gicc gicc;
	struct acpi_local_apic cpu;
	struct acpi_mcfg_entry m;
	uint64_t address;

	for (unsigned i = 0; i < 4; i++)
		(void)acpi_find(a, signatures[i], &t);
	if (acpi_find(a, "APIC", &t) == ACPI_OK) {
		(void)acpi_madt_local_apic_address(&t, &address);
		acpi_madt_begin(&it, &t);
		while (acpi_madt_next(&it, &e)) {
			(void)acpi_madt_gicc(&e, &gicc);
			(void)acpi_madt_local_apic(&e, &cpu);
		}
	}
	if (acpi_find(a, "MCFG", &t) == ACPI_OK) {
		for (uint32_t i = 0; i < acpi_mcfg_count(&t); i++)
			(void)acpi_mcfg_entry(&t, i, &m);
	}
}

static void damaged_tables_never_read_out_of_memory(void **state)
{
	(void)state;
	srand(4321);
	for (int round = 0; round < 3000; round++) {
		uint64_t rsdp = build_machine(round % 2);
		uint32_t used = mem.used;
		uint8_t *copy = malloc(used);
		struct memory m = { copy, used, used };
		struct acpi a;

		memcpy(copy, ram, used);
		for (int flips = 1 + rand() % 4; flips > 0; flips--) {
			uint32_t where = (uint32_t)rand() % used;
			copy[where] ^= (uint8_t)(1u << (rand() % 8));
		}
		if (acpi_open(&a, rsdp, map, &m) == ACPI_OK)
			read_everything(&a);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v1_rsdp_reaches_tables_through_the_rsdt),
		cmocka_unit_test(v2_rsdp_prefers_the_xsdt),
		cmocka_unit_test(a_broken_xsdt_falls_back_to_the_rsdt),
		cmocka_unit_test(bad_rsdps_are_refused),
		cmocka_unit_test(bad_tables_are_refused_with_their_reason),
		cmocka_unit_test(a_good_copy_after_a_bad_one_is_found),
		cmocka_unit_test(root_tables_are_checked),
		cmocka_unit_test(madt_structures_of_every_type_decode),
		cmocka_unit_test(the_local_apic_address_override_wins),
		cmocka_unit_test(truncated_madt_structures_are_not_read),
		cmocka_unit_test(mcfg_entries_decode),
		cmocka_unit_test(spcr_gives_the_console_uart),
		cmocka_unit_test(damaged_tables_never_read_out_of_memory),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
