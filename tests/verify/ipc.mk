# The real IPC queues, interceptor, capability manager and process table;
# below them the stubs the cap target uses (ipc_world.c for the VM and the
# interrupt/device tables, locks and printk).
VERIFY_SRCS_ipc := kernel/ipc/ipc.c kernel/ipc/interceptor.c kernel/cap/cap.c \
	kernel/proc/process.c lib/span.c \
	tests/verify/stubs/ipc_world.c tests/verify/stubs/kernel.c
# - precision 2: loops of up to 32 turns are unrolled, not 64 as at
#   precision 3, which unrolled every 64-slot process-table scan and took
#   over twice as long; process_table_reset's two loops, whose array must
#   be seen written in full, carry their own unroll annotation.
# - split-return: "K_OK, out-parameter set" apart from the refusals
#   (live_owner's holder, oldest's slot).
# - plevel: a write to a ring slot of an endpoint EVA cannot name exactly
#   is a weak write to each of the 512 slots, not a blur over the array.
# - span.c's out-of-line copies are taken by their contracts (span.h),
#   which WP proves (all goals, in the usercopy target): EVA cannot relate a range's offset
#   and length to the lengths of two pieces (sums of unknowns). span.h's
#   inline copies are analysed from their bodies, their contracts hidden
#   (-DVERIFY_EVA: relations EVA cannot decide), as in inet and virtq.
# - interceptor.c's atomic_store_explicit of a pointer goes through
#   Frama-C's <stdatomic.h> marker, declared with an integer parameter: the
#   two typing warnings are that header's, not the code's (C11 allows any
#   atomic type there).
VERIFY_EVA_ipc := -eva-precision 2 -eva-split-return auto -eva-plevel 600 \
	-eva-use-spec span_write_pieces,span_read_pieces,span_zero_pieces,span_copy \
	-cpp-extra-args-per-file kernel/ipc/ipc.c:-DVERIFY_EVA \
	-kernel-warn-key typing:int-conversion=inactive \
	-kernel-warn-key typing:incompatible-types-call=inactive
# No WP here: span.c's contracts, which the EVA run above takes, are
# proven in the usercopy target (its copies' home); the functions of
# ipc.c state no contracts of their own yet.
