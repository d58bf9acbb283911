# The real process table (process.c) answers process_alive(); below it,
# ipc_world.c stands for the VM and the interrupt/device tables (C11
# atomics are typed reads and writes: verify_prelude.h). Processes are made, destroyed
# (any pid) and all reset, so slots are reused and stale tables met.
VERIFY_SRCS_cap := kernel/cap/cap.c kernel/proc/process.c \
	tests/verify/stubs/ipc_world.c tests/verify/stubs/kernel.c
VERIFY_WP_cap := cap_check cap_rights cap_grant cap_delegate cap_revoke \
	slot_table table_of find add rights_at set_entry entry_at entry_rights valid rights_held \
	count_revocation process_alive
VERIFY_WP_MIN_cap := 203
