# verify.mk: `make verify`, machine-checked absence of runtime errors in the
# code that faces untrusted input (Frama-C's EVA), and the contracts of its
# public entry points (Frama-C's WP, through Why3 to CVC4).
#
# Each target is a harness, tests/verify/<name>.c, whose main() hands the
# code under proof unknown input of every shape its callers can produce, and
# a fragment, tests/verify/<name>.mk, that names the sources it links:
#
#   VERIFY_SRCS_<name> := lib/arcsig.c tests/verify/stubs/crypto.c
#   VERIFY_EVA_<name>  := -eva-split-return auto     (optional EVA options)
#   VERIFY_WP_<name>   := arcsig_parse               (optional: functions whose
#                                                      contracts WP proves)
#   VERIFY_WP_MIN_<name> := 29                       (goals proven so far)
#   VERIFY_WP_OPTS_<name> := -wp-model Typed+cast    (optional WP options)
#
# EVA must report 0 alarms, every property it meets proven, no warning (a
# function with neither code nor specification is one) and a main that
# returns; scripts/verify_check.py reads the log and decides. An alarm is
# removed by fixing the code or by an ACSL assertion that WP then proves,
# never by narrowing the harness. What stays assumed -- the stubs under
# tests/verify/stubs/ -- is listed with its reasons in
# tests/verify/ASSUMPTIONS.md.
#
# WP then proves the listed functions' contracts (ACSL, in the headers) and
# the assertions in them with the run-time-error goals (-wp-rte); the report
# says which goals are proven and which are not (scripts/verify_wp.py). The
# proven count is a ratchet: fewer than VERIFY_WP_MIN_<name> fails. CVC4 is
# found by `why3 config detect` into the build directory's own Why3
# configuration, so nothing outside the tree is read or written.

FRAMA_C := frama-c
verify_space := $(subst ,, )
VERIFY_DIR := $(HOST_BUILD)/verify
VERIFY_NAMES := $(patsubst tests/verify/%.c,%,$(wildcard tests/verify/*.c))
VERIFY_RUNS := $(addprefix verify-run-,$(VERIFY_NAMES))

-include $(wildcard tests/verify/*.mk)

# Frama-C parses with its own annotated C library (memcmp's contract, say)
# and the host's include paths; x86_64 sizes, as the kernels have.
VERIFY_CPPFLAGS := -Iinclude -Ilib -Ikernel/include -Ikernel/arch/host/include -Iboot \
	-include tests/verify/stubs/verify_prelude.h
VERIFY_COMMON := -c11 -machdep x86_64 -cpp-extra-args="$(VERIFY_CPPFLAGS)" \
	-kernel-warn-key annot:missing-spec=abort
VERIFY_EVA_COMMON := -eva -eva-precision 3 -eva-msg-key=-final-states
# CVC4 alone: with Z3 beside it (either order), Z3 proved no goal CVC4
# did not, in any target, and spent its 3-second time-out on every goal
# that stays unproven.
WP_COMMON := -wp -wp-rte -wp-prover cvc4 -wp-timeout 3 -wp-par 1
VERIFY_WP_NAMES := $(foreach n,$(VERIFY_NAMES),$(if $(VERIFY_WP_$(n)),$(n)))
VERIFY_WP_RUNS := $(addprefix verify-wp-,$(VERIFY_WP_NAMES))
export WHY3CONFIG := $(abspath $(VERIFY_DIR))/why3.conf

.PHONY: verify $(VERIFY_RUNS) $(VERIFY_WP_RUNS)
# The longest runs first (a minute or more each in CI), the rest after
# them: `make test` gives verify one job slot beside the boot tests and
# two once they end, and a long run started last would stretch the whole
# test by its length.
VERIFY_LONGEST := verify-wp-conf verify-run-cap verify-run-ipc verify-run-conf verify-wp-virtq \
	verify-wp-acpi verify-wp-inet verify-wp-elf verify-wp-usercopy verify-wp-cap \
	verify-wp-objstore verify-run-objstore
verify: $(filter $(VERIFY_RUNS) $(VERIFY_WP_RUNS),$(VERIFY_LONGEST)) \
	$(filter-out $(VERIFY_LONGEST),$(VERIFY_RUNS) $(VERIFY_WP_RUNS))
	@echo "verify: $(words $(VERIFY_NAMES)) targets, 0 alarms; WP on $(words $(VERIFY_WP_NAMES))"

$(VERIFY_RUNS): verify-run-%: setup
	@mkdir -p $(VERIFY_DIR)
	@start=$$(date +%s); $(FRAMA_C) $(VERIFY_COMMON) $(VERIFY_EVA_COMMON) $(VERIFY_EVA_$*) \
		tests/verify/$*.c $(VERIFY_SRCS_$*) \
		> $(VERIFY_DIR)/$*.eva.log 2>&1; \
		$(PYTHON) scripts/verify_check.py $* $(VERIFY_DIR)/$*.eva.log $$(( $$(date +%s) - start ))

$(VERIFY_DIR)/why3.conf: | setup
	@mkdir -p $(VERIFY_DIR)
	@why3 config detect > $(VERIFY_DIR)/why3-detect.log 2>&1

$(VERIFY_WP_RUNS): verify-wp-%: $(VERIFY_DIR)/why3.conf
	@start=$$(date +%s); $(FRAMA_C) $(VERIFY_COMMON) $(WP_COMMON) $(VERIFY_WP_OPTS_$*) \
		-wp-fct $(subst $(verify_space),$(comma),$(strip $(VERIFY_WP_$*))) \
		tests/verify/$*.c $(VERIFY_SRCS_$*) > $(VERIFY_DIR)/$*.wp.log 2>&1; \
		$(PYTHON) scripts/verify_wp.py $* $(VERIFY_DIR)/$*.wp.log "$(VERIFY_WP_MIN_$*)" \
		$$(( $$(date +%s) - start ))
