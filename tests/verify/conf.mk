VERIFY_SRCS_conf := boot/conf.c
# The contracts and loop invariants WP proves are hidden from EVA
# (VERIFY_EVA): EVA cannot decide their quantified relations, and it checks
# the code's own safety without them.
VERIFY_EVA_conf := -eva-split-return auto -eva-precision 1 -eva-slevel-function main:200 \
	-cpp-extra-args-per-file boot/conf.c:-DVERIFY_EVA,tests/verify/conf.c:-DVERIFY_EVA
VERIFY_WP_conf := message_char message_text message_unsigned message_end path_error_with \
	conf_resolve_path
VERIFY_WP_MIN_conf := 167
