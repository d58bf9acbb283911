/*
 * abi/endpoints: well-known IPC endpoints, shared by the kernel and user
 * space. The services' numbers are the original's (16 fs-service, 17
 * key-store, 18 shell, 20 virtio-net, 21 UDP stack); the rest are this project's.
 */
#ifndef CAMBIOS_ABI_ENDPOINTS_H
#define CAMBIOS_ABI_ENDPOINTS_H

#define ENDPOINT_FS 16
#define ENDPOINT_KEY_STORE 17
#define ENDPOINT_SHELL 18       /* user/shell: services' answers to it */
#define ENDPOINT_VIRTIO_NET 20
#define ENDPOINT_UDP 21
#define ENDPOINT_ECHO 28        /* user/echo: answers every message with its bytes */

#endif
