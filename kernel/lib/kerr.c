/*
 * kerr: names of the kernel's error codes, for messages.
 */
#include <kerr.h>

const char *kerr_name(kerr_t err)
{
	switch (err) {
	case K_OK: return "K_OK";
	case K_EINVAL: return "K_EINVAL";
	case K_ENOMEM: return "K_ENOMEM";
	case K_EEXIST: return "K_EEXIST";
	case K_ENOENT: return "K_ENOENT";
	case K_EPERM: return "K_EPERM";
	case K_EBUSY: return "K_EBUSY";
	case K_EFAULT: return "K_EFAULT";
	case K_EFULL: return "K_EFULL";
	case K_EAGAIN: return "K_EAGAIN";
	}
	return "K_E?";
}
