VERIFY_SRCS_inet := lib/inet.c
# Return states split on success (the payload is set only then); the
# splits in parse_ipv4 (header length, frame kind) kept through returns.
# The contracts and loop invariants WP proves are hidden from EVA
# (VERIFY_EVA): EVA's non-relational domains cannot decide relations such
# as i <= len, and it checks the code's own safety without them.
VERIFY_EVA_inet := -eva-split-return auto -eva-split-return-function parse_udp:0,parse_icmp:0 \
	-eva-interprocedural-splits \
	-cpp-extra-args-per-file tests/verify/inet.c:-DVERIFY_EVA,lib/inet.c:-DVERIFY_EVA
VERIFY_WP_inet := inet_parse inet_checksum inet_drop_name get16 put16 copy sum_words pseudo_header \
	parse_arp parse_icmp parse_udp parse_ipv4 parse_ethernet
VERIFY_WP_MIN_inet := 243
