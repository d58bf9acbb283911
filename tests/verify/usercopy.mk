VERIFY_SRCS_usercopy := kernel/mm/usercopy.c lib/span.c tests/verify/stubs/usercopy_world.c
VERIFY_EVA_usercopy := -eva-split-return auto
# With span.c's copies, whose contracts the ipc target's EVA run takes.
# span.c's uint8_t pieces meet Frama-C's char * memcpy/memset contracts:
# the Typed+cast memory model follows those casts (as for fdt).
VERIFY_WP_usercopy := check_user_access user_check_writable no_span user_span_full \
	fits share_of span_write_pieces span_read_pieces span_zero_pieces span_copy
VERIFY_WP_OPTS_usercopy := -wp-model Typed+cast
VERIFY_WP_MIN_usercopy := 183
