VERIFY_SRCS_arcsig := lib/arcsig.c tests/verify/stubs/crypto.c
VERIFY_EVA_arcsig := -eva-split-return auto
VERIFY_WP_arcsig := arcsig_parse
VERIFY_WP_OPTS_arcsig := -wp-model Typed+cast
VERIFY_WP_MIN_arcsig := 33
