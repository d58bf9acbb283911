/*
 * acpi: the RSDP, the root table, table lookup, the MADT and the MCFG
 * (see acpi.h).
 *
 * Layouts (ACPI 6.5, chapter 5.2): the RSDP is 20 bytes in ACPI 1.0
 * (signature "RSD PTR ", checksum over those 20, revision at 15, the
 * RSDT's 32-bit address at 16); from revision 2 it is `length` bytes (at
 * 20, 36 today) with the XSDT's 64-bit address at 24 and a second checksum
 * over the whole. Every table starts with a 36-byte header: signature,
 * length at 4, and all its bytes sum to zero. The RSDT and XSDT list
 * tables by address after their header, 4 and 8 bytes each. The MADT has
 * the local APIC address and flags after its header, then structures of
 * (type, length, ...); the MCFG has 8 reserved bytes, then 16-byte ECAM
 * entries.
 *
 * A range is read only after the caller's map function accepted it, and
 * every offset into a table is compared with the table's checked length
 * first, so a damaged table ends a walk instead of being read past.
 */
#include "acpi.h"

#include <kstring.h>

#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_SIGNATURE_LENGTH 8
#define RSDP_V1_LENGTH 20
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24
#define RSDP_V2_LENGTH 36
#define RSDP_MAX_LENGTH 4096 /* an extended RSDP past a page is damage */
#define RSDP_FIRST_WITH_XSDT 2

#define HEADER_LENGTH_FIELD 4
#define RSDT_ENTRY_SIZE 4
#define XSDT_ENTRY_SIZE 8

#define MADT_LOCAL_APIC_FIELD 36
#define MADT_FLAGS_FIELD 40
#define MADT_ENTRIES 44
#define MADT_ENTRY_MIN_LENGTH 2

/* Structure lengths (the shortest layout we accept) and field offsets. */
#define LOCAL_APIC_LENGTH 8
#define LOCAL_APIC_UID 2
#define LOCAL_APIC_ID 3
#define LOCAL_APIC_FLAGS 4
#define X2APIC_LENGTH 16
#define X2APIC_ID 4
#define X2APIC_FLAGS 8
#define X2APIC_UID 12
#define IO_APIC_LENGTH 12
#define IO_APIC_ID 2
#define IO_APIC_ADDRESS 4
#define IO_APIC_GSI_BASE 8
#define OVERRIDE_LENGTH 10
#define OVERRIDE_BUS 2
#define OVERRIDE_SOURCE 3
#define OVERRIDE_GSI 4
#define OVERRIDE_FLAGS 8
#define INTI_POLARITY_MASK 0x3u
#define INTI_TRIGGER_SHIFT 2
#define INTI_TRIGGER_MASK 0x3u
#define APIC_ADDRESS_LENGTH 12
#define APIC_ADDRESS_FIELD 4
#define GICC_LENGTH 76 /* ACPI 5.1: through MPIDR; 6.x appends fields we do not read */
#define GICC_CPU_INTERFACE 4
#define GICC_UID 8
#define GICC_FLAGS 12
#define GICC_BASE 32
#define GICC_GICR_BASE 60
#define GICC_MPIDR 68
#define GICD_LENGTH 24
#define GICD_ID 4
#define GICD_BASE 8
#define GICD_VERSION 20
#define GICR_LENGTH 16
#define GICR_BASE 4
#define GICR_RANGE_LENGTH 12
#define GIC_ITS_LENGTH 20 /* type, length, 2 reserved, ID, base, 4 reserved */
#define GIC_ITS_ID 4
#define GIC_ITS_BASE 8

#define MCFG_ENTRIES 44
#define MCFG_ENTRY_SIZE 16
#define MCFG_BASE 0
#define MCFG_SEGMENT 8
#define MCFG_START_BUS 10
#define MCFG_END_BUS 11

#define SPCR_INTERFACE_TYPE 36
#define SPCR_ADDRESS_SPACE 40 /* the base address's Generic Address Structure */
#define SPCR_ADDRESS 44
#define SPCR_MIN_LENGTH 52
#define SPCR_INTERRUPT_TYPE 52
#define SPCR_GSI 54
#define SPCR_GSI_END 58

uint16_t acpi_u16(const uint8_t *p)
{
	return (uint16_t)((uint32_t)p[0] | (uint32_t)p[1] << 8);
}

uint32_t acpi_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t acpi_u64(const uint8_t *p)
{
	return (uint64_t)acpi_u32(p) | (uint64_t)acpi_u32(p + 4) << 32;
}

static bool checksum_ok(const uint8_t *p, uint32_t length)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* `length` bytes at `phys` through the caller's map, or NULL. Address 0
 * never holds a table: it is how firmware writes "none". */
static const uint8_t *map_range(const struct acpi *a, uint64_t phys, uint64_t length)
{
	if (phys == 0 || length == 0 || phys > UINT64_MAX - length)
		return NULL;
	return a->map(phys, length, a->map_ctx);
}

/* A structure at `phys` that gives its own length at `length_field`: the
 * first `min_length` bytes, then the whole length, which must lie in
 * [min_length, max_length] and sum to zero. */
static enum acpi_status map_checked(const struct acpi *a, uint64_t phys, uint32_t length_field,
				    uint32_t min_length, uint32_t max_length,
				    struct acpi_table *out)
{
	const uint8_t *head = map_range(a, phys, min_length);
	const uint8_t *whole;
	uint32_t length;

	if (!head)
		return ACPI_UNREADABLE;
	length = acpi_u32(head + length_field);
	if (length < min_length || length > max_length)
		return ACPI_BAD_LENGTH;
	whole = map_range(a, phys, length);
	if (!whole)
		return ACPI_UNREADABLE;
	if (!checksum_ok(whole, length))
		return ACPI_BAD_CHECKSUM;
	out->bytes = whole;
	out->length = length;
	return ACPI_OK;
}

/* The table at `phys`, checked: its header, then all its length. */
static enum acpi_status map_table(const struct acpi *a, uint64_t phys, struct acpi_table *out)
{
	return map_checked(a, phys, HEADER_LENGTH_FIELD, ACPI_HEADER_LENGTH, ACPI_MAX_TABLE_LENGTH,
			   out);
}

static enum acpi_status open_root(struct acpi *a, uint64_t phys, const char *signature)
{
	struct acpi_table root;
	enum acpi_status s = map_table(a, phys, &root);

	if (s != ACPI_OK)
		return s;
	if (memcmp(root.bytes, signature, ACPI_SIGNATURE_LENGTH) != 0)
		return ACPI_BAD_SIGNATURE;
	a->root = root.bytes;
	a->root_length = root.length;
	a->xsdt = signature[0] == 'X';
	return ACPI_OK;
}

/* Revision 2 and up: the extended RSDP, checked whole, gives the XSDT. */
static enum acpi_status read_xsdt_address(const struct acpi *a, uint64_t rsdp_phys,
					  uint64_t *xsdt)
{
	struct acpi_table rsdp;
	enum acpi_status s = map_checked(a, rsdp_phys, RSDP_LENGTH, RSDP_V2_LENGTH,
					 RSDP_MAX_LENGTH, &rsdp);

	if (s == ACPI_OK)
		*xsdt = acpi_u64(rsdp.bytes + RSDP_XSDT);
	return s;
}

enum acpi_status acpi_open(struct acpi *a, uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	const uint8_t *rsdp;
	uint64_t xsdt = 0;
	enum acpi_status s;

	*a = (struct acpi){ .map = map, .map_ctx = ctx };
	rsdp = map_range(a, rsdp_phys, RSDP_V1_LENGTH);
	if (!rsdp)
		return ACPI_UNREADABLE;
	if (memcmp(rsdp, RSDP_SIGNATURE, RSDP_SIGNATURE_LENGTH) != 0)
		return ACPI_BAD_SIGNATURE;
	if (!checksum_ok(rsdp, RSDP_V1_LENGTH))
		return ACPI_BAD_CHECKSUM;
	a->revision = rsdp[RSDP_REVISION];
	uint32_t rsdt = acpi_u32(rsdp + RSDP_RSDT);
	if (a->revision >= RSDP_FIRST_WITH_XSDT) {
		s = read_xsdt_address(a, rsdp_phys, &xsdt);
		if (s != ACPI_OK)
			return s;
	}
	if (xsdt) {
		s = open_root(a, xsdt, "XSDT");
		if (s == ACPI_OK || !rsdt)
			return s;
	}
	return open_root(a, rsdt, "RSDT");
}

/* The address in entry `index` of the root table; false past its end.
 * Each kind of entry is checked against the end with its own size, right
 * before it is read. */
static bool root_entry(const struct acpi *a, uint32_t index, uint64_t *phys)
{
	uint64_t off;

	if (a->xsdt) {
		off = ACPI_HEADER_LENGTH + (uint64_t)index * XSDT_ENTRY_SIZE;
		if (off + XSDT_ENTRY_SIZE > a->root_length)
			return false;
		*phys = acpi_u64(a->root + off);
	} else {
		off = ACPI_HEADER_LENGTH + (uint64_t)index * RSDT_ENTRY_SIZE;
		if (off + RSDT_ENTRY_SIZE > a->root_length)
			return false;
		*phys = acpi_u32(a->root + off);
	}
	return true;
}

enum acpi_status acpi_find(const struct acpi *a, const char signature[ACPI_SIGNATURE_LENGTH],
			   struct acpi_table *out)
{
	enum acpi_status result = ACPI_NOT_FOUND;
	uint64_t phys;

	if (!a->root)
		return ACPI_NOT_FOUND;
	for (uint32_t index = 0; root_entry(a, index, &phys); index++) {
		const uint8_t *header = map_range(a, phys, ACPI_SIGNATURE_LENGTH);

		if (!header || memcmp(header, signature, ACPI_SIGNATURE_LENGTH) != 0)
			continue;
		result = map_table(a, phys, out);
		/* For the analysis (Frama-C's EVA): a found table's state is kept
		 * apart from the failures', whose `out` is untouched. */
		/*@ split result == ACPI_OK; */
		if (result == ACPI_OK)
			return ACPI_OK;
	}
	return result;
}

const char *acpi_status_name(enum acpi_status s)
{
	switch (s) {
	case ACPI_OK: return "ok";
	case ACPI_NOT_FOUND: return "not found";
	case ACPI_BAD_SIGNATURE: return "bad signature";
	case ACPI_BAD_CHECKSUM: return "bad checksum";
	case ACPI_BAD_LENGTH: return "bad length";
	case ACPI_UNREADABLE: return "unreadable";
	}
	return "invalid";
}

/* ---------------------------------------------------------------- MADT */

bool acpi_madt_header(const struct acpi_table *madt, uint32_t *local_apic, uint32_t *flags)
{
	if (madt->length < MADT_ENTRIES)
		return false;
	*local_apic = acpi_u32(madt->bytes + MADT_LOCAL_APIC_FIELD);
	*flags = acpi_u32(madt->bytes + MADT_FLAGS_FIELD);
	return true;
}

void acpi_madt_begin(struct acpi_madt_iter *it, const struct acpi_table *madt)
{
	it->madt = madt;
	it->offset = MADT_ENTRIES;
}

bool acpi_madt_next(struct acpi_madt_iter *it, struct acpi_madt_entry *out)
{
	const struct acpi_table *madt = it->madt;
	uint32_t left;

	if ((uint64_t)it->offset + MADT_ENTRY_MIN_LENGTH > madt->length)
		return false;
	left = madt->length - it->offset;
	out->type = madt->bytes[it->offset];
	out->length = madt->bytes[it->offset + 1];
	if (out->length < MADT_ENTRY_MIN_LENGTH || out->length > left) {
		it->offset = madt->length; /* the rest cannot be trusted */
		return false;
	}
	out->bytes = madt->bytes + it->offset;
	it->offset += out->length;
	return true;
}

/*@ requires \valid_read(e);
    assigns \result \from e->type, e->length, type, length;
    ensures \result <==> e->type == type && e->length >= length; */
static bool entry_is(const struct acpi_madt_entry *e, enum acpi_madt_type type, uint8_t length)
{
	return e->type == (uint8_t)type && e->length >= length;
}

bool acpi_madt_local_apic_address(const struct acpi_table *madt, uint64_t *address)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	uint32_t field, flags;

	if (!acpi_madt_header(madt, &field, &flags))
		return false;
	*address = field;
	acpi_madt_begin(&it, madt);
	for (uint32_t at = it.offset; acpi_madt_next(&it, &e); at = it.offset) {
		/* The field is read at its offset in the table, checked against
		 * the table's end here rather than through the entry's length. */
		uint64_t field_at = (uint64_t)at + APIC_ADDRESS_FIELD;

		if (entry_is(&e, ACPI_MADT_LOCAL_APIC_ADDRESS, APIC_ADDRESS_LENGTH) &&
		    field_at + sizeof(uint64_t) <= madt->length)
			*address = acpi_u64(madt->bytes + field_at);
	}
	return *address != 0;
}

bool acpi_madt_local_apic(const struct acpi_madt_entry *e, struct acpi_local_apic *out)
{
	if (entry_is(e, ACPI_MADT_LOCAL_APIC, LOCAL_APIC_LENGTH)) {
		out->uid = e->bytes[LOCAL_APIC_UID];
		out->apic_id = e->bytes[LOCAL_APIC_ID];
		out->flags = acpi_u32(e->bytes + LOCAL_APIC_FLAGS);
		return true;
	}
	if (entry_is(e, ACPI_MADT_LOCAL_X2APIC, X2APIC_LENGTH)) {
		out->uid = acpi_u32(e->bytes + X2APIC_UID);
		out->apic_id = acpi_u32(e->bytes + X2APIC_ID);
		out->flags = acpi_u32(e->bytes + X2APIC_FLAGS);
		return true;
	}
	return false;
}

bool acpi_madt_io_apic(const struct acpi_madt_entry *e, struct acpi_io_apic *out)
{
	if (!entry_is(e, ACPI_MADT_IO_APIC, IO_APIC_LENGTH))
		return false;
	out->id = e->bytes[IO_APIC_ID];
	out->address = acpi_u32(e->bytes + IO_APIC_ADDRESS);
	out->gsi_base = acpi_u32(e->bytes + IO_APIC_GSI_BASE);
	return true;
}

bool acpi_madt_interrupt_override(const struct acpi_madt_entry *e,
				  struct acpi_interrupt_override *out)
{
	uint16_t flags;

	if (!entry_is(e, ACPI_MADT_INTERRUPT_OVERRIDE, OVERRIDE_LENGTH))
		return false;
	flags = acpi_u16(e->bytes + OVERRIDE_FLAGS);
	out->bus = e->bytes[OVERRIDE_BUS];
	out->source = e->bytes[OVERRIDE_SOURCE];
	out->gsi = acpi_u32(e->bytes + OVERRIDE_GSI);
	out->polarity = (enum acpi_polarity)(flags & INTI_POLARITY_MASK);
	out->trigger = (enum acpi_trigger)((flags >> INTI_TRIGGER_SHIFT) & INTI_TRIGGER_MASK);
	return true;
}

bool acpi_madt_gicc(const struct acpi_madt_entry *e, struct acpi_gicc *out)
{
	if (!entry_is(e, ACPI_MADT_GICC, GICC_LENGTH))
		return false;
	out->cpu_interface = acpi_u32(e->bytes + GICC_CPU_INTERFACE);
	out->uid = acpi_u32(e->bytes + GICC_UID);
	out->flags = acpi_u32(e->bytes + GICC_FLAGS);
	out->gicc_base = acpi_u64(e->bytes + GICC_BASE);
	out->gicr_base = acpi_u64(e->bytes + GICC_GICR_BASE);
	out->mpidr = acpi_u64(e->bytes + GICC_MPIDR);
	return true;
}

bool acpi_madt_gicd(const struct acpi_madt_entry *e, struct acpi_gicd *out)
{
	if (!entry_is(e, ACPI_MADT_GICD, GICD_LENGTH))
		return false;
	out->id = acpi_u32(e->bytes + GICD_ID);
	out->base = acpi_u64(e->bytes + GICD_BASE);
	out->version = e->bytes[GICD_VERSION];
	return true;
}

bool acpi_madt_gicr(const struct acpi_madt_entry *e, struct acpi_gicr *out)
{
	if (!entry_is(e, ACPI_MADT_GICR, GICR_LENGTH))
		return false;
	out->base = acpi_u64(e->bytes + GICR_BASE);
	out->length = acpi_u32(e->bytes + GICR_RANGE_LENGTH);
	return true;
}

bool acpi_madt_gic_its(const struct acpi_madt_entry *e, struct acpi_gic_its *out)
{
	if (!entry_is(e, ACPI_MADT_GIC_ITS, GIC_ITS_LENGTH))
		return false;
	out->id = acpi_u32(e->bytes + GIC_ITS_ID);
	out->base = acpi_u64(e->bytes + GIC_ITS_BASE);
	return true;
}

/* ---------------------------------------------------------------- MCFG */

uint32_t acpi_mcfg_count(const struct acpi_table *mcfg)
{
	if (mcfg->length < MCFG_ENTRIES)
		return 0;
	return (mcfg->length - MCFG_ENTRIES) / MCFG_ENTRY_SIZE;
}

bool acpi_mcfg_entry(const struct acpi_table *mcfg, uint32_t index, struct acpi_mcfg_entry *out)
{
	const uint8_t *e;

	if (index >= acpi_mcfg_count(mcfg))
		return false;
	e = mcfg->bytes + MCFG_ENTRIES + (uint64_t)index * MCFG_ENTRY_SIZE;
	if (e[MCFG_END_BUS] < e[MCFG_START_BUS])
		return false;
	out->base = acpi_u64(e + MCFG_BASE);
	out->segment = acpi_u16(e + MCFG_SEGMENT);
	out->start_bus = e[MCFG_START_BUS];
	out->end_bus = e[MCFG_END_BUS];
	return true;
}

/* ---------------------------------------------------------------- SPCR */

bool acpi_spcr(const struct acpi_table *spcr, struct acpi_spcr *out)
{
	if (spcr->length < SPCR_MIN_LENGTH)
		return false;
	out->interface_type = spcr->bytes[SPCR_INTERFACE_TYPE];
	out->address_space = spcr->bytes[SPCR_ADDRESS_SPACE];
	out->address = acpi_u64(spcr->bytes + SPCR_ADDRESS);
	out->interrupt_type = 0;
	out->gsi = 0;
	if (spcr->length >= SPCR_GSI_END) {
		out->interrupt_type = spcr->bytes[SPCR_INTERRUPT_TYPE];
		out->gsi = acpi_u32(spcr->bytes + SPCR_GSI);
	}
	return true;
}
