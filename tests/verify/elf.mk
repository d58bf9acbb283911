VERIFY_SRCS_elf := lib/elf.c lib/module_role.c
VERIFY_EVA_elf := -eva-split-return auto
