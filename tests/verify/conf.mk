VERIFY_SRCS_conf := boot/conf.c
# The contracts and loop invariants WP proves are hidden from EVA
# (VERIFY_EVA): EVA cannot decide their quantified relations, and it checks
# the code's own safety without them.
VERIFY_EVA_conf := -eva-split-return auto -eva-precision 1 -eva-slevel-function main:200 \
	-cpp-extra-args-per-file boot/conf.c:-DVERIFY_EVA,tests/verify/conf.c:-DVERIFY_EVA
# The parser's helpers below conf_parse have contracts too (a failure
# leaves a NUL-terminated reason; an expansion writes only inside its
# output and apart from the parser fields it reads); conf_parse's own
# contract is not written yet.
VERIFY_WP_conf := message_char message_text message_unsigned message_end path_error_with \
	conf_resolve_path fail_with lower bounded_len key_is line_is macro_lookup expand_char \
	expand_reference expand parse_uint copy_value
VERIFY_WP_MIN_conf := 467
