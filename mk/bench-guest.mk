# bench-guest.mk: `make bench-guest ARCH=x86_64|aarch64`, what the kernel's
# basic operations cost in guest instructions (figures only, never asserted;
# not part of `make test`).
#
# The image: a tree of its own, build/<arch>-bench/, made by running this
# Makefile again with BUILD pointed there and the two bench programs given
# as MODULES, so the bench image holds exactly kernel.sym, the seven
# programs of every image, bench and bench-exit -- ten signed modules, the production kernel
# (CONFIG_SELFTEST=0) -- while build/<arch>/ and its limine.conf stay as
# `make run` left them (MODULES= there would rewrite both, and the next
# `make run` would rebuild them), like the self-test tree beside it.
#
# On x86_64 scripts/bench_guest.py also boots Debian's Linux 6.1 in the
# same QEMU machine with an initramfs of our own (tests/bench/linux/: a
# static init that runs the same operations, and a tiny program it
# execs), for a second column. The kernel package is fetched with
# `apt-get download` into build/linux-bench/ once and never installed.

BENCH_PROGRAMS := bench bench-exit
USER_SRCS_bench := user/bench/bench.c
USER_SRCS_bench-exit := user/bench/exit.c
# bench reads the counter at its very first instruction (bench_start in
# bench.c), then goes on to user/lib's _start.
USER_LDFLAGS_bench := -e bench_start

BENCH_BUILD := build/$(ARCH)-bench
BENCH_IMAGE := $(BENCH_BUILD)/cambios.img
# Given as MODULES stripped, as the image's own programs are (Makefile).
BENCH_ELFS := $(patsubst %,$(BENCH_BUILD)/modules-stripped/%.elf,$(BENCH_PROGRAMS))

# The Linux side (x86_64 only), built with Debian's clang against glibc.
LINUX_BENCH := build/linux-bench
# udp_echo.c is make bench-net's (mk/bench-net.mk), linted here with the rest.
LINUX_BENCH_SRCS := tests/bench/linux/init.c tests/bench/linux/exit.c tests/bench/linux/udp_echo.c
LINUX_BENCH_CFLAGS := -std=c17 -O2 $(WARNINGS) -Iinclude
LINUX_BENCH_BINS := $(if $(filter x86_64,$(ARCH)),$(LINUX_BENCH)/init $(LINUX_BENCH)/exit)

# init: static against glibc (an initramfs has no shared libraries).
$(LINUX_BENCH)/init: tests/bench/linux/init.c include/counter.h mk/bench-guest.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(LINUX_BENCH_CFLAGS) -D_GNU_SOURCE -static $< -o $@

# exit: no libc at all, so exec costs what a tiny program costs.
$(LINUX_BENCH)/exit: tests/bench/linux/exit.c mk/bench-guest.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(LINUX_BENCH_CFLAGS) -ffreestanding -fno-stack-protector -fno-pie \
		-nostdlib -static $< -o $@

.PHONY: bench-guest bench-guest-image
# Two steps: the programs first, so that when the image is made they exist
# and make copies them into modules/extra/ (a MODULES file that does not
# exist yet would be taken for a user program named "extra/bench").
BENCH_SUBMAKE = $(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) IMAGE_OUT=$(BENCH_IMAGE) \
	IMAGE=$(BENCH_IMAGE) SELFTEST=0
bench-guest-image:
	+$(Q)$(BENCH_SUBMAKE) $(BENCH_ELFS)
	+$(Q)$(BENCH_SUBMAKE) MODULES="$(BENCH_ELFS)" $(BENCH_IMAGE)

bench-guest: setup bench-guest-image $(LINUX_BENCH_BINS)
	$(PYTHON) scripts/bench_guest.py --arch $(ARCH) --image $(BENCH_IMAGE) \
		$(if $(LINUX_BENCH_BINS),--linux-dir $(LINUX_BENCH))

# make lint: the bench programs as user code for both arches, the Linux
# side with host flags (lint.mk's configurations, rules and coverage
# check, extended here so lint.mk itself does not need to know).
define bench_lint_config
LINT_SRCS_bench-$(1) := $$(USER_SRCS_bench) $$(USER_SRCS_bench-exit)
LINT_CFLAGS_bench-$(1) := $$(call user_cflags,$(1))
LINT_CPPCHECK_bench-$(1) := --platform=unix64 -D__$(1)__
endef
$(foreach a,$(LINT_ARCHES),$(eval $(call bench_lint_config,$(a))))
LINT_SRCS_bench-linux := $(LINUX_BENCH_SRCS)
LINT_CFLAGS_bench-linux := $(LINUX_BENCH_CFLAGS) -D_GNU_SOURCE
LINT_CPPCHECK_bench-linux := --platform=native --library=posix -D__x86_64__

BENCH_LINT_CONFIGS := $(foreach a,$(LINT_ARCHES),bench-$(a)) bench-linux
$(foreach c,$(BENCH_LINT_CONFIGS),$(eval $(call lint_rules,$(c))))
BENCH_LINT_STAMPS := $(foreach c,$(BENCH_LINT_CONFIGS),$(LINT_DIR)/cppcheck/$(c).ok \
	$(patsubst %,$(LINT_DIR)/tidy/$(c)/%.ok,$(LINT_SRCS_$(c))))
LINT_STAMPS += $(BENCH_LINT_STAMPS)
lint-run: $(BENCH_LINT_STAMPS)
LINT_UNCOVERED := $(filter-out $(LINT_SRCS_bench-x86_64),$(LINT_UNCOVERED))
