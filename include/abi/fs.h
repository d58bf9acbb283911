/*
 * abi/fs: the messages of fs-service (user/fs), the filesystem service at
 * ENDPOINT_FS (16) -- a flat namespace of names over the kernel's
 * content-addressed object store, each name owned by the Principal that
 * made it.
 *
 * Every message is one IPC payload (at most IPC_PAYLOAD_MAX, 256 bytes)
 * laid out as a fixed little-endian struct that starts with a u32 type.
 * A request is sent with Write to ENDPOINT_FS; the answer goes to the
 * sender's reply endpoint (the RecvMsg prefix, abi/ipc.h), so a client
 * registers an endpoint of its own before it asks. A request sent without
 * a reply endpoint is carried out and its answer dropped.
 *
 * Who asks is never in the payload: fs takes the caller's identity only
 * from the Principal the kernel stamps in the RecvMsg prefix. The `tag` of
 * a request is the client's own: fs copies it into the answer untouched,
 * so a client can match answers to questions.
 *
 *   request          payload                                   answer
 *   FS_PUT           name, len, content[len]                   fs_status_reply
 *   FS_PUT_SIGNED    name, len, signature, content[len]        fs_status_reply
 *   FS_GET           name                                      fs_get_reply
 *   FS_DELETE        name                                      fs_status_reply
 *   FS_LIST          after (a name, len 0 = from the start)    fs_list_reply
 *
 * An answer's type is its request's type | FS_REPLY; a request whose type
 * fs does not know is answered as type FS_REPLY alone, SYS_EINVAL.
 *
 * A name is 1..FS_NAME_MAX bytes of [A-Za-z0-9._-], sent as a length byte
 * and FS_NAME_MAX bytes of which those past the length are zero.
 * Content is 1..FS_PUT_CONTENT_MAX bytes (FS_PUT_SIGNED_CONTENT_MAX when
 * signed), bytes past `len` in the message are not read. A signed put's
 * signature is Ed25519 over exactly the content bytes, by the caller's
 * Principal (its public key), as 19 ObjPutSigned checks it.
 *
 * Status: 0, or one of these (abi/errors.h):
 *   SYS_EINVAL        bad request: unknown type, a message shorter than
 *                     its struct or its content, a length of 0, a name
 *                     byte outside the set, non-zero reserved bytes
 *   SYS_ENAMETOOLONG  a name length past FS_NAME_MAX
 *   SYS_EFBIG         content past what the message can carry
 *   SYS_ENOENT        unknown name
 *   SYS_EPERM         not the owner (overwrite or delete of another
 *                     Principal's name), or a caller with no Principal
 *   SYS_EBADSIG       a signed put whose signature does not verify
 *   SYS_ENOMEM        store full: FS_NAMES_MAX names, or the object store
 *                     has no room
 */
#ifndef CAMBIOS_ABI_FS_H
#define CAMBIOS_ABI_FS_H

#include <stdint.h>

#include <abi/ipc.h>

#define FS_NAME_MAX 31
#define FS_NAMES_MAX 40 /* the name table is one object of at most 4096 bytes */
#define FS_SIGNATURE_LEN 64
#define FS_LIST_PAGE 7  /* names in one list answer */

enum fs_type {
	FS_PUT = 1,
	FS_GET = 2,
	FS_DELETE = 3,
	FS_LIST = 4,
	FS_PUT_SIGNED = 5,
};

#define FS_REPLY 0x80u

/* An entry's flags (fs_get_reply.flags). */
#define FS_FLAG_SIGNED 1u /* stored by FS_PUT_SIGNED: its owner signed the content */

struct fs_name {
	uint8_t len;
	char bytes[FS_NAME_MAX];
};

/* The start of every request. */
struct fs_head {
	uint32_t type;
	uint32_t tag;
};

/* FS_GET, FS_DELETE. */
struct fs_name_request {
	struct fs_head head;
	struct fs_name name;
};

#define FS_PUT_HEAD 44
#define FS_PUT_CONTENT_MAX (IPC_PAYLOAD_MAX - FS_PUT_HEAD)

struct fs_put_request {
	struct fs_head head;
	struct fs_name name;
	uint16_t len;
	uint16_t reserved; /* zero */
	uint8_t content[FS_PUT_CONTENT_MAX];
};

#define FS_PUT_SIGNED_HEAD (FS_PUT_HEAD + FS_SIGNATURE_LEN)
#define FS_PUT_SIGNED_CONTENT_MAX (IPC_PAYLOAD_MAX - FS_PUT_SIGNED_HEAD)

struct fs_put_signed_request {
	struct fs_head head;
	struct fs_name name;
	uint16_t len;
	uint16_t reserved; /* zero */
	uint8_t signature[FS_SIGNATURE_LEN];
	uint8_t content[FS_PUT_SIGNED_CONTENT_MAX];
};

/* FS_LIST: the names that sort after `after` (bytewise, shorter first
 * on a common prefix), up to FS_LIST_PAGE of them. To page, send the
 * last name of one answer as `after` of the next; a page never repeats
 * or skips a name that stayed in the table meanwhile. */
struct fs_list_request {
	struct fs_head head;
	struct fs_name after;
};

/* FS_PUT, FS_PUT_SIGNED, FS_DELETE; every answer starts so. */
struct fs_status_reply {
	uint32_t type;
	uint32_t tag;
	int32_t status;
};

#define FS_GET_REPLY_HEAD 20
#define FS_GET_CONTENT_MAX FS_PUT_CONTENT_MAX

/* On an error only the first 12 bytes are sent. */
struct fs_get_reply {
	uint32_t type;
	uint32_t tag;
	int32_t status;
	uint16_t len;   /* the content's size */
	uint16_t flags; /* FS_FLAG_* */
	uint32_t reserved;
	uint8_t content[FS_GET_CONTENT_MAX];
};

struct fs_list_reply {
	uint32_t type;
	uint32_t tag;
	int32_t status;
	uint8_t count; /* names in this answer */
	uint8_t more;  /* 1: names sort after the last one here */
	uint16_t total; /* names in the table */
	struct fs_name names[FS_LIST_PAGE];
};

_Static_assert(sizeof(struct fs_name) == 32, "fs_name is 32 bytes");
_Static_assert(sizeof(struct fs_head) == 8, "fs_head is 8 bytes");
_Static_assert(sizeof(struct fs_name_request) == 40, "fs_name_request is 40 bytes");
_Static_assert(sizeof(struct fs_put_request) == IPC_PAYLOAD_MAX, "a put fills a message");
_Static_assert(sizeof(struct fs_put_signed_request) == IPC_PAYLOAD_MAX,
	       "a signed put fills a message");
_Static_assert(sizeof(struct fs_list_request) == 40, "fs_list_request is 40 bytes");
_Static_assert(sizeof(struct fs_status_reply) == 12, "fs_status_reply is 12 bytes");
_Static_assert(sizeof(struct fs_get_reply) == FS_GET_REPLY_HEAD + FS_GET_CONTENT_MAX,
	       "fs_get_reply is its head and the content");
_Static_assert(sizeof(struct fs_get_reply) <= IPC_PAYLOAD_MAX, "a get answer fits a message");
_Static_assert(sizeof(struct fs_list_reply) == 16 + 32 * FS_LIST_PAGE, "fs_list_reply layout");
_Static_assert(sizeof(struct fs_list_reply) <= IPC_PAYLOAD_MAX, "a list answer fits a message");

#endif
