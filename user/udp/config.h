/*
 * config: the stack's static addresses, fixed at build time (the make
 * variables NET_ADDRESS, NET_PREFIX, NET_GATEWAY, SNTP_SERVER and
 * SNTP_PORT become -D flags for config.c alone). The defaults are QEMU's
 * user networking: 10.0.2.15/24, gateway and SNTP server 10.0.2.2:123.
 */
#ifndef CAMBIOS_UDP_CONFIG_H
#define CAMBIOS_UDP_CONFIG_H

#include <stdint.h>

struct stack_config {
	uint8_t address[4], netmask[4], gateway[4];
	uint8_t sntp_server[4];
	uint16_t sntp_port;
};

/* The configuration this program was built with. */
void config_get(struct stack_config *out);

#endif
