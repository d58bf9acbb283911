VERIFY_SRCS_elf := lib/elf.c lib/module_role.c
VERIFY_EVA_elf := -eva-split-return auto
VERIFY_WP_elf := module_role_copy load_le add_overflows read_segment program_header \
	pages_touch check_layout plan_extent header_table note_pad is_role_note \
	find_role_note copy_role
VERIFY_WP_MIN_elf := 305
