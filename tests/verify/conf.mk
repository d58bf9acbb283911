VERIFY_SRCS_conf := boot/conf.c
# The contracts and loop invariants WP proves are hidden from EVA
# (VERIFY_EVA): EVA cannot decide their quantified relations, and it checks
# the code's own safety without them.
VERIFY_EVA_conf := -eva-split-return auto -eva-precision 1 -eva-slevel-function main:200 \
	-cpp-extra-args-per-file boot/conf.c:-DVERIFY_EVA,tests/verify/conf.c:-DVERIFY_EVA
# conf_parse's contract (a parse that succeeds names a kernel and at most
# CONF_MAX_MODULES modules; one that fails leaves a NUL-terminated reason)
# stands on its helpers' contracts, each proven here: the parser's state
# between lines (parser_ok) holds after every line, every failure leaves a
# reason, and the expansion writes only inside its output and the error
# buffer.
VERIFY_WP_conf := message_char message_text message_unsigned message_end path_error_with \
	conf_resolve_path fail_with lower bounded_len key_equals line_equals macro_lookup \
	expand_char expand_reference expand parse_uint define_macro open_entry apply_global \
	copy_value apply_entry_key parse_key_value parse_line check_entry read_line \
	parser_start conf_reset conf_parse
VERIFY_WP_MIN_conf := 1026
