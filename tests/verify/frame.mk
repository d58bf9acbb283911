VERIFY_SRCS_frame := kernel/mm/frame.c kernel/lib/kerr.c tests/verify/stubs/kernel.c
VERIFY_EVA_frame := -eva-split-return auto -eva-slevel-function verify_ctz_u64_0:70
VERIFY_WP_frame := range_end is_power_of_two frame_add_usable frame_reserve frame_init_from_memmap \
	frame_alloc frame_alloc_contiguous frame_free frame_free_contiguous
VERIFY_WP_MIN_frame := 44
