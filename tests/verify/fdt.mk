VERIFY_SRCS_fdt := lib/fdt.c
# Split return states keep "found, output filled" apart from the refusals;
# a low slevel keeps the nested walks (a map entry's phandle lookup walks
# the tree) within the time budget, and is enough for 0 alarms.
# The walks' contracts and loop invariants, which WP proves, are hidden
# from EVA (VERIFY_EVA), which checks the code alone.
VERIFY_EVA_fdt := -eva-split-return auto -eva-slevel 8 \
	-cpp-extra-args-per-file lib/fdt.c:-DVERIFY_EVA,tests/verify/fdt.c:-DVERIFY_EVA
# fdt_open's contract is what the harness's structure and strings blocks
# stand on. Its goals go through the blob's void * -> uint8_t * and
# uint8_t * -> char * casts, which WP's default (Typed) memory model
# refuses; Typed+cast accepts casts between pointers to types of one size.
# The walks (root, first child, next sibling, parent, child by name) hand
# out FDT_NO_NODE or an offset whose token lies inside the structure
# block, so a node passed back to the reader is one it could have found.
VERIFY_WP_fdt := fdt_be32 fdt_total_size fdt_open align4 struct_cell token_at skip_token \
	node_from fdt_root fdt_first_child fdt_next_sibling fdt_parent has_unit_address \
	node_name_matches fdt_find_child
VERIFY_WP_OPTS_fdt := -wp-model Typed+cast
VERIFY_WP_MIN_fdt := 290
