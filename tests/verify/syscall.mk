# Frama-C's own <sched.h> comes first on its include path and would hide
# kernel/include/sched.h from thread.h: these files get the kernel's,
# and the library's guard set so that it stays out.
syscall_kernel_sched := -D__FC_SCHED -include kernel/include/sched.h
VERIFY_SRCS_syscall := \
	-cpp-extra-args-per-file="kernel/lib/syscall.c:$(syscall_kernel_sched),tests/verify/stubs/syscall_world.c:$(syscall_kernel_sched)" \
	kernel/lib/syscall.c tests/verify/stubs/syscall_world.c
VERIFY_EVA_syscall := -eva-split-return auto -eva-use-spec syscall_error
VERIFY_WP_syscall := syscall_error
VERIFY_WP_MIN_syscall := 42
