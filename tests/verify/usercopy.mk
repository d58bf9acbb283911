VERIFY_SRCS_usercopy := kernel/mm/usercopy.c lib/span.c tests/verify/stubs/usercopy_world.c tests/verify/stubs/atomics.c
VERIFY_EVA_usercopy := -eva-split-return auto
VERIFY_WP_usercopy := check_user_access user_check_writable no_span user_span_full
VERIFY_WP_MIN_usercopy := 59
