/*
 * objstore: the RAM-backed, content-addressed object store (objstore.h).
 *
 * A fixed table of OBJSTORE_CAPACITY slots; an object's key is the BLAKE3
 * hash of its content, computed here (a caller never supplies it). Lookups
 * are a linear scan: 256 slots of 32-byte keys is a few kilobytes, cheaper
 * than any index to keep right.
 *
 * Allocation happens before the lock is taken (the heap lock comes after
 * LOCK_OBJECT_STORE in the order, but a short critical section matters
 * more): put copies the content into a fresh buffer, then under the lock
 * either stores it or -- if the same content is already there -- frees it
 * afterwards. Delete unlinks under the lock and frees after.
 */
#include <objstore.h>

#include <heap.h>
#include <kstring.h>
#include <printk.h>
#include <spinlock.h>

/* A slot is in use exactly when it holds content (a stored object is
 * never empty): one field, so "in use" and "has content" cannot disagree.
 * The number of objects is counted from the same field, not kept beside
 * it, for the same reason. */
struct object {
	struct objstore_info info;
	uint8_t *content; /* NULL: the slot is free */
};

/* LOCK_OBJECT_STORE: after the frame allocator and interrupt router,
 * before the kernel heap and the console (lock_order.h). */
static struct spinlock store_lock = SPINLOCK_INIT("objstore", LOCK_OBJECT_STORE);
static struct object objects[OBJSTORE_CAPACITY]; /* guarded by store_lock */

void objstore_init(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);

	for (size_t i = 0; i < OBJSTORE_CAPACITY; i++) {
		kfree(objects[i].content);
		objects[i] = (struct object){ 0 };
	}
	spin_unlock_irqrestore(&store_lock, flags);
	println("objstore: RAM store for %d objects of up to %d bytes, content-addressed by BLAKE3",
		OBJSTORE_CAPACITY, OBJSTORE_MAX_OBJECT);
}

/* The slot holding `hash`, or NULL. Caller holds store_lock. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/objstore.mk); EVA checks the code alone */
/*@ requires \valid_read(hash + (0 .. OBJSTORE_HASH_LEN - 1));
    assigns \nothing;
    ensures \result == \null || (\valid(\result) && \result->content != \null); */
#endif
static struct object *find(const uint8_t hash[OBJSTORE_HASH_LEN])
{
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= OBJSTORE_CAPACITY;
	    loop assigns i;
	    loop variant OBJSTORE_CAPACITY - i; */
#endif
	for (size_t i = 0; i < OBJSTORE_CAPACITY; i++) {
		if (objects[i].content && memcmp(objects[i].info.hash, hash, OBJSTORE_HASH_LEN) == 0)
			return &objects[i];
	}
	return NULL;
}

/* A slot holding nothing, or NULL when the store is full. Caller holds
 * store_lock. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/objstore.mk); EVA checks the code alone */
/*@ assigns \nothing;
    ensures \result == \null || (\valid(\result) && \result->content == \null); */
#endif
static struct object *free_slot(void)
{
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= OBJSTORE_CAPACITY;
	    loop assigns i;
	    loop variant OBJSTORE_CAPACITY - i; */
#endif
	for (size_t i = 0; i < OBJSTORE_CAPACITY; i++) {
		if (!objects[i].content)
			return &objects[i];
	}
	return NULL;
}

kerr_t objstore_put(const void *content, size_t len, const struct principal *author,
		    uint64_t tick, uint8_t hash_out[OBJSTORE_HASH_LEN])
{
	uint8_t hash[OBJSTORE_HASH_LEN];
	uint8_t *copy;
	kerr_t err = K_OK;

	if (len == 0 || len > OBJSTORE_MAX_OBJECT || !content || !author)
		return K_EINVAL;
	copy = kmalloc(len);
	if (!copy)
		return K_ENOMEM;
	memcpy(copy, content, len);
	blake3_hash(copy, len, hash); /* of our copy: what we store is what we hashed */

	/* The whole object is made first and stored in one assignment. */
	struct object fresh = {
		.info = { .author = *author, .owner = *author, .size = len, .created_tick = tick },
		.content = copy,
	};
	memcpy(fresh.info.hash, hash, sizeof(hash));

	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);
	struct object *slot = find(hash);
	if (slot) {
		slot = NULL; /* already stored: the first author stays */
	} else if (!(slot = free_slot())) {
		err = K_EFULL;
	} else {
		*slot = fresh;
	}
	spin_unlock_irqrestore(&store_lock, flags);

	if (!slot)
		kfree(copy);
	if (err == K_OK)
		memcpy(hash_out, hash, sizeof(hash));
	return err;
}

kerr_t objstore_get(const uint8_t hash[OBJSTORE_HASH_LEN], void *buf, size_t buf_len,
		    size_t *size)
{
	kerr_t err = K_ENOENT;
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);
	const struct object *o = find(hash);

	/* A slot find returns always holds content; saying so here lets the
	 * analysis (make verify) see the copy's source is never NULL. */
	if (o && o->content) {
		size_t n = o->info.size < buf_len ? o->info.size : buf_len;
		memcpy(buf, o->content, n);
		*size = o->info.size;
		err = K_OK;
	}
	spin_unlock_irqrestore(&store_lock, flags);
	return err;
}

kerr_t objstore_stat(const uint8_t hash[OBJSTORE_HASH_LEN], struct objstore_info *out)
{
	kerr_t err = K_ENOENT;
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);
	const struct object *o = find(hash);

	if (o) {
		*out = o->info;
		err = K_OK;
	}
	spin_unlock_irqrestore(&store_lock, flags);
	return err;
}

kerr_t objstore_delete(const uint8_t hash[OBJSTORE_HASH_LEN], const struct principal *requester)
{
	uint8_t *content = NULL;
	kerr_t err = K_ENOENT;
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);
	struct object *o = find(hash);

	if (o && memcmp(o->info.owner.key, requester->key, sizeof(requester->key)) != 0) {
		err = K_EPERM;
	} else if (o) {
		content = o->content;
		*o = (struct object){ 0 };
		err = K_OK;
	}
	spin_unlock_irqrestore(&store_lock, flags);
	kfree(content);
	return err;
}

/* The objects stored. Caller holds store_lock. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/objstore.mk); EVA checks the code alone */
/*@ assigns \nothing;
    ensures \result <= OBJSTORE_CAPACITY; */
#endif
static size_t count_objects(void)
{
	size_t n = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= OBJSTORE_CAPACITY && n <= i;
	    loop assigns i, n;
	    loop variant OBJSTORE_CAPACITY - i; */
#endif
	for (size_t i = 0; i < OBJSTORE_CAPACITY; i++)
		n += objects[i].content != NULL;
	return n;
}

size_t objstore_list(uint8_t *hashes, size_t max)
{
	size_t written = 0;
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= OBJSTORE_CAPACITY && written <= i && written <= max;
	    loop assigns i, written, hashes[0 .. OBJSTORE_CAPACITY * OBJSTORE_HASH_LEN - 1];
	    loop variant OBJSTORE_CAPACITY - i; */
#endif
	for (size_t i = 0; i < OBJSTORE_CAPACITY && written < max; i++) {
		if (objects[i].content)
			memcpy(hashes + OBJSTORE_HASH_LEN * written++, objects[i].info.hash,
			       OBJSTORE_HASH_LEN);
	}
	size_t total = count_objects();
	spin_unlock_irqrestore(&store_lock, flags);
	return total;
}

size_t objstore_count(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);
	size_t n = count_objects();

	spin_unlock_irqrestore(&store_lock, flags);
	return n;
}

uint64_t objstore_content_bytes(void)
{
	uint64_t bytes = 0;
	arch_irqflags_t flags = spin_lock_irqsave(&store_lock);

	for (size_t i = 0; i < OBJSTORE_CAPACITY; i++)
		bytes += objects[i].content ? objects[i].info.size : 0;
	spin_unlock_irqrestore(&store_lock, flags);
	return bytes;
}
