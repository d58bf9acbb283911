VERIFY_SRCS_conf := boot/conf.c
VERIFY_EVA_conf := -eva-split-return auto -eva-precision 1 -eva-slevel-function main:200
