VERIFY_SRCS_virtq := lib/virtq.c
# The contracts and loop invariants WP proves are hidden from EVA
# (VERIFY_EVA): they state relations EVA's domains cannot decide.
VERIFY_EVA_virtq := -eva-split-return auto \
	-cpp-extra-args-per-file tests/verify/virtq.c:-DVERIFY_EVA,lib/virtq.c:-DVERIFY_EVA
VERIFY_WP_virtq := virtq_layout virtq_init virtq_give virtq_take virtq_broken align_up stop
VERIFY_WP_MIN_virtq := 185
