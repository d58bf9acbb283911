VERIFY_SRCS_objstore := kernel/objstore/objstore.c tests/verify/stubs/crypto.c \
	tests/verify/stubs/objstore_heap.c tests/verify/stubs/kernel.c
# The contracts and loop invariants WP proves in objstore.c are hidden
# from EVA (VERIFY_EVA): it cannot decide their quantified relations, and
# it checks the code's own safety without them.
# Precision 2 (fewer states kept apart than 3, no gauges domain) clears
# the file as well as precision 3 does, in a third of the time.
VERIFY_EVA_objstore := -eva-precision 2 -eva-split-return auto -eva-slevel-function objstore_put:20 \
	-eva-plevel 300 \
	-cpp-extra-args-per-file kernel/objstore/objstore.c:-DVERIFY_EVA
VERIFY_WP_objstore := find free_slot count_objects objstore_put objstore_get objstore_stat \
	objstore_delete objstore_list objstore_count
VERIFY_WP_OPTS_objstore := -wp-model Typed+cast
VERIFY_WP_MIN_objstore := 94
