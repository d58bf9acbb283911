/*
 * objstore (verify harness): the content-addressed object store driven
 * through every state its callers can reach.
 *
 * After objstore_init, a loop of unknown length performs unknown
 * operations: put unknown content of any length (0 and above the limit
 * included, which the store refuses) by an unknown author or none, at any
 * tick; get, stat and delete by an unknown hash or one put returned, into
 * a buffer of any length, by an unknown requester or the author; list into
 * room for any number of hashes; count and sum. EVA's fixpoint over the
 * loop covers every table state a sequence of calls can produce, the full
 * table and the exhausted heap included (the heap stub may refuse any
 * allocation).
 *
 * The buffers are as large as anything the store accepts or writes
 * (OBJSTORE_MAX_OBJECT bytes of content, OBJSTORE_CAPACITY + 1 hashes):
 * the lengths handed over range over every value up to them, and a larger
 * buffer would not be read or written further.
 */
#include <__fc_builtin.h>
#include <objstore.h>

static uint8_t content[OBJSTORE_MAX_OBJECT];
static uint8_t out[OBJSTORE_MAX_OBJECT];
static uint8_t hashes[(OBJSTORE_CAPACITY + 1) * OBJSTORE_HASH_LEN];

int main(void)
{
	uint8_t known_hash[OBJSTORE_HASH_LEN];
	uint8_t any_hash[OBJSTORE_HASH_LEN];
	struct principal author;
	struct principal someone;

	Frama_C_make_unknown((char *)known_hash, sizeof(known_hash));
	Frama_C_make_unknown((char *)&author, sizeof(author));
	objstore_init();

	while (Frama_C_nondet(0, 1)) {
		uint8_t hash_out[OBJSTORE_HASH_LEN] = { 0 };
		struct objstore_info info;
		const uint8_t *hash = Frama_C_nondet(0, 1) ? any_hash : known_hash;
		const struct principal *who = Frama_C_nondet(0, 1) ? &someone : &author;
		size_t size = 0;
		size_t len;

		Frama_C_make_unknown((char *)any_hash, sizeof(any_hash));
		Frama_C_make_unknown((char *)&someone, sizeof(someone));

		switch (Frama_C_int_interval(0, 6)) {
		case 0:
			Frama_C_make_unknown((char *)content, sizeof(content));
			Frama_C_make_unknown((char *)&len, sizeof(len));
			if (objstore_put(content, len, Frama_C_nondet(0, 1) ? who : NULL,
					 Frama_C_unsigned_long_interval(0, UINT64_MAX), hash_out) == K_OK) {
				for (size_t i = 0; i < OBJSTORE_HASH_LEN; i++)
					known_hash[i] = hash_out[i];
				author = *who;
			}
			break;
		case 1:
			(void)objstore_get(hash, out, Frama_C_size_t_interval(0, sizeof(out)), &size);
			break;
		case 2:
			(void)objstore_stat(hash, &info);
			break;
		case 3:
			(void)objstore_delete(hash, who);
			break;
		case 4:
			(void)objstore_list(hashes, Frama_C_size_t_interval(0, OBJSTORE_CAPACITY + 1));
			break;
		default:
			(void)objstore_count();
			(void)objstore_content_bytes();
			break;
		}
	}
	return 0;
}
