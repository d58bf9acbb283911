/*
 * objstore_heap.c (verify stub, the objstore target): the kernel heap's
 * kmalloc and kfree, as far as the object store uses them.
 *
 * The heap (kernel/mm/heap.c) is host-tested against a model and fuzzed on
 * its own; the store relies on its interface only: kmalloc(size) gives a
 * block of at least size bytes, or NULL (always for size 0; for any
 * request when the heap is exhausted), and kfree takes NULL or the start
 * of a block kmalloc gave.
 *
 * What is assumed, and why:
 * - Every block is STUB_BLOCK = OBJSTORE_MAX_OBJECT bytes, the largest
 *   request the store may make (kmalloc's precondition checks it never
 *   asks for more). EVA keeps no relation between a block and the length
 *   recorded next to it in the table, so a block of exactly the requested
 *   size would raise an alarm at every read of it however correct the
 *   code. The price: an access past the requested length but inside the
 *   block goes unseen (the real heap rounds blocks up too: 16-byte-class
 *   slabs up to 2 KiB, whole pages above).
 * - The blocks are slots of one static array, not Frama-C's malloc: EVA
 *   summarises every block one allocation site makes into one weak base,
 *   and freeing that base marks every pointer into it -- the live objects'
 *   too -- as dangling. So kfree is checked to take NULL or the start of a
 *   block, not a block that is still live: a double free is not caught
 *   here (the heap's own checks catch it at run time, HEAP_FAULT_DOUBLE_FREE).
 *
 * There are OBJSTORE_CAPACITY + 1 blocks: a full store and the copy a put
 * makes before it finds the store full. (ASSUMPTIONS.md lists this stub.)
 */
#include <__fc_builtin.h>
#include <heap.h>
#include <objstore.h>

#define STUB_BLOCK OBJSTORE_MAX_OBJECT
#define STUB_BLOCKS (OBJSTORE_CAPACITY + 1)

static uint8_t blocks[STUB_BLOCKS][STUB_BLOCK];

/*@ requires size <= STUB_BLOCK;
    assigns \nothing;
    ensures \result == \null || \valid((uint8_t *)\result + (0 .. STUB_BLOCK - 1)); */
void *kmalloc(size_t size)
{
	if (size == 0 || Frama_C_nondet(0, 1))
		return NULL; /* kmalloc(0), or an exhausted heap */
	return blocks[Frama_C_size_t_interval(0, STUB_BLOCKS - 1)];
}

/*@ assigns \nothing; */
void kfree(void *ptr)
{
	if (ptr) {
		size_t offset = (size_t)((uint8_t *)ptr - &blocks[0][0]);

		/*@ assert block_start: offset % STUB_BLOCK == 0 && offset < sizeof(blocks); */
		(void)offset;
	}
}
