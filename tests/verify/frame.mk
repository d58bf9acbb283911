VERIFY_SRCS_frame := kernel/mm/frame.c kernel/lib/kerr.c tests/verify/stubs/frame_kernel.c
VERIFY_EVA_frame := -eva-split-return auto -eva-slevel-function verify_ctz_u64_0:70
