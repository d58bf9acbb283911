VERIFY_SRCS_objstore := kernel/objstore/objstore.c tests/verify/stubs/crypto.c \
	tests/verify/stubs/objstore_heap.c tests/verify/stubs/kernel.c
VERIFY_EVA_objstore := -eva-split-return auto -eva-slevel-function objstore_put:20 -eva-plevel 300
VERIFY_WP_objstore := objstore_get objstore_stat
VERIFY_WP_MIN_objstore := 16
