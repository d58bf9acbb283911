/*
 * acpi: ACPI table lookup and MADT iteration (see acpi.h).
 *
 * RSDP (revision >= 2) points to the XSDT with 64-bit entries; revision 0
 * has only the RSDT with 32-bit entries. Every table starts with a 36-byte
 * header: signature, length at +4, and the bytes sum to zero.
 */
#include "acpi.h"

#include <kstring.h>

#define HEADER_LENGTH 36
#define MADT_ENTRIES_OFFSET 44
#define MAX_TABLE_LENGTH (16u << 20)

uint16_t acpi_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
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

static const uint8_t *table_at(uint64_t phys)
{
	return (const uint8_t *)(uintptr_t)phys;
}

static bool table_valid(const uint8_t *t, uint32_t *length)
{
	if (!t)
		return false;
	*length = acpi_u32(t + 4);
	return *length >= HEADER_LENGTH && *length <= MAX_TABLE_LENGTH && checksum_ok(t, *length);
}

const uint8_t *acpi_find_table(const void *rsdp_ptr, const char signature[4], uint32_t *length)
{
	const uint8_t *rsdp = rsdp_ptr;
	const uint8_t *root;
	uint32_t root_length;
	bool xsdt;

	if (!rsdp || memcmp(rsdp, "RSD PTR ", 8) != 0 || !checksum_ok(rsdp, 20))
		return NULL;
	xsdt = rsdp[15] >= 2; /* revision 2+: the RSDP also points at an XSDT */
	root = table_at(xsdt ? acpi_u64(rsdp + 24) : acpi_u32(rsdp + 16));
	if (!table_valid(root, &root_length))
		return NULL;
	unsigned entry_size = xsdt ? 8 : 4;
	for (uint32_t off = HEADER_LENGTH; off + entry_size <= root_length; off += entry_size) {
		uint64_t phys = xsdt ? acpi_u64(root + off) : acpi_u32(root + off);
		const uint8_t *t = table_at(phys);

		if (t && !memcmp(t, signature, 4) && table_valid(t, length))
			return t;
	}
	return NULL;
}

void acpi_madt_walk(const uint8_t *madt, uint32_t length,
		    bool (*visit)(uint8_t type, const uint8_t *entry, uint8_t entry_length,
				  void *ctx),
		    void *ctx)
{
	uint32_t off = MADT_ENTRIES_OFFSET;

	while (off + 2 <= length) {
		uint8_t type = madt[off], entry_length = madt[off + 1];

		if (entry_length < 2 || off + entry_length > length)
			return;
		if (!visit(type, &madt[off], entry_length, ctx))
			return;
		off += entry_length;
	}
}
