/*
 * virtq (verify harness): a split virtqueue driven against a device that
 * writes anything, at every step.
 *
 * The queue size comes from the device (any 16-bit number: the layout and
 * init must refuse the bad ones); a queue is then made of each good size
 * (1..256, one analysis state each) in a block with room for the
 * largest, and a loop of unknown length runs unknown
 * operations in any order: hand over a buffer (any address, any length,
 * either direction), let the device rewrite its whole used ring (index,
 * ids, lengths: unknown bytes), take what the queue offers, ask whether it
 * is broken. The loop's every state is then a state the driver can reach.
 */
#include <__fc_builtin.h>
#include <virtq.h>

/* The largest queue's layout: 4,096 bytes of descriptors, 518 of
 * available ring (4 of padding), 2,054 of used ring. */
#define MEM_BYTES 6672

static uint8_t mem[MEM_BYTES] __attribute__((aligned(16)));
static struct virtq q;

static void device_writes(const struct virtq_layout *l)
{
	Frama_C_make_unknown((char *)mem + l->used, l->bytes - l->used);
}

int main(void)
{
	struct virtq_layout l;
	uint16_t id;
	uint32_t len;

	/* Whatever the device offers. */
	uint16_t offered = (uint16_t)Frama_C_unsigned_int_interval(0, 65535);
	(void)virtq_layout(offered, &l);
	(void)virtq_init(&q, offered, mem);

	uint16_t size = (uint16_t)(1u << Frama_C_unsigned_int_interval(0, 8));
	/*@ split size; */
	if (!virtq_layout(size, &l) || l.bytes > MEM_BYTES || !virtq_init(&q, size, mem))
		return 1; /* cannot: every power of two up to 256 fits */
	/* A queue's numbers stay under 256: widen to there, not past it. */
	/*@ widen_hints q, 255; */
	while (Frama_C_nondet(0, 1)) {
		switch (Frama_C_int_interval(0, 3)) {
		case 0:
			(void)virtq_give(&q, Frama_C_unsigned_long_interval(0, 0xffffffffffffffffu),
					 Frama_C_unsigned_int_interval(0, 0xffffffffu),
					 Frama_C_nondet(0, 1));
			break;
		case 1:
			device_writes(&l);
			break;
		case 2:
			(void)virtq_take(&q, &id, &len);
			break;
		default:
			(void)virtq_broken(&q);
			break;
		}
	}
	return 0;
}
