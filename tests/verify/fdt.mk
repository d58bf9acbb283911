VERIFY_SRCS_fdt := lib/fdt.c
# Split return states keep "found, output filled" apart from the refusals;
# a low slevel keeps the nested walks (a map entry's phandle lookup walks
# the tree) within the time budget, and is enough for 0 alarms.
VERIFY_EVA_fdt := -eva-split-return auto -eva-slevel 8
# fdt_open's contract is what the harness's structure and strings blocks
# stand on. Its goals go through the blob's void * -> uint8_t * and
# uint8_t * -> char * casts, which WP's default (Typed) memory model
# refuses; Typed+cast accepts casts between pointers to types of one size.
VERIFY_WP_fdt := fdt_be32 fdt_total_size fdt_open
VERIFY_WP_OPTS_fdt := -wp-model Typed+cast
VERIFY_WP_MIN_fdt := 66
