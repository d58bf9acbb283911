# bench-net.mk: `make bench-net ARCH=x86_64|aarch64`, UDP echo from the
# host through QEMU's user network: echoes per second and round trips for
# 64- and 1,472-byte payloads (figures only, never asserted; not part of
# `make test`).
#
# scripts/bench_net.py boots the normal image (the one `make image` and
# `make run` use) with `make run`'s network, and on x86_64 Debian's Linux
# 6.1 beside it in the same machine, with an initramfs whose /init is
# tests/bench/linux/udp_echo.c (it loads virtio_net and its dependencies
# from the kernel package, takes 10.0.2.15/24 and echoes port 7). Kernel
# and modules are fetched with `apt-get download` into
# build/linux-bench/net/ once and never installed. Included after
# bench-guest.mk, whose Linux build settings (and lint configuration, which
# lists udp_echo.c) it shares.

LINUX_NET_ECHO := $(if $(filter x86_64,$(ARCH)),$(LINUX_BENCH)/udp_echo)

# Static against glibc, like bench-guest's init (an initramfs has no
# shared libraries).
$(LINUX_BENCH)/udp_echo: tests/bench/linux/udp_echo.c mk/bench-net.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(LINUX_BENCH_CFLAGS) -D_GNU_SOURCE -static $< -o $@

.PHONY: bench-net
bench-net: setup $(if $(filter $(IMAGE),$(IMAGE_OUT)),$(IMAGE_OUT)) $(LINUX_NET_ECHO)
	$(PYTHON) scripts/bench_net.py --arch $(ARCH) --image $(IMAGE) \
		$(if $(LINUX_NET_ECHO),--linux-echo $(LINUX_NET_ECHO) --linux-dir $(LINUX_BENCH)/net)
