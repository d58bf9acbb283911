VERIFY_SRCS_syscall_args :=
VERIFY_WP_syscall_args := channel_range_ok net_slot_number_ok net_frame_length_ok
VERIFY_WP_MIN_syscall_args := 18
