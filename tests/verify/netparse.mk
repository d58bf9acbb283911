VERIFY_SRCS_netparse := lib/net_link.c lib/arp_cache.c lib/sntp.c user/virtio-net/checks.c
VERIFY_EVA_netparse := -eva-split-return auto
