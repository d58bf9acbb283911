VERIFY_SRCS_acpi := lib/acpi.c
# Split return states keep "table found, output filled" apart from the
# refusals; the split limit lets the harness's loops over every small
# table and structure length keep one state per length.
VERIFY_EVA_acpi := -eva-split-return auto -eva-split-limit 300
# acpi_madt_next's contract (every structure it hands out is readable for
# its length) is what the harness's exactly-sized structures stand on.
VERIFY_WP_acpi := acpi_u16 acpi_u32 acpi_u64 acpi_madt_header acpi_madt_begin acpi_madt_next \
	acpi_madt_local_apic acpi_madt_io_apic acpi_madt_interrupt_override acpi_madt_gicc \
	acpi_madt_gicd acpi_madt_gicr acpi_madt_gic_its acpi_mcfg_count acpi_mcfg_entry acpi_spcr \
	acpi_status_name
VERIFY_WP_MIN_acpi := 341
