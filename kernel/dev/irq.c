/*
 * irq: the interrupt router's table and state machine (see irq.h).
 */
#include <irq.h>

#include <lock_order.h>
#include <spinlock.h>

struct irq_line {
	uint8_t state;     /* enum irq_state */
	bool level;
	bool armed;        /* unmasked, waiting for the interrupt */
	bool fired;        /* the wait is over (interrupt or storm) */
	bool granted;      /* made for its owner (irq_line_grant): never free */
	uint32_t refires;  /* storm count */
	kpid_t owner;
	uint64_t armed_at; /* `now` of the last unmask */
	uint64_t count;
	uint64_t spurious;
	uint16_t cpu;      /* delivered to */
	uint16_t taken_on; /* the last interrupt's CPU */
	uint64_t elsewhere;
	const struct irq_chip *chip; /* NULL: the arch's (`chip` below) */
};

/* LOCK_INTERRUPT_ROUTER (irq; lock_order.h): the table, chip and totals. */
static struct spinlock lock = SPINLOCK_INIT("interrupt router", LOCK_INTERRUPT_ROUTER);
static struct irq_line lines[IRQ_LINES];
static const struct irq_chip *chip;
static uint64_t window;
static uint64_t spurious_total;
static unsigned held; /* lines with an owner (owned or stormed) */

/* The controller that masks and unmasks `l`. */
static const struct irq_chip *chip_of(const struct irq_line *l)
{
	return l->chip ? l->chip : chip;
}

void irq_router_init(const struct irq_chip *c, uint64_t storm_window)
{
	arch_irqflags_t flags = spin_lock_irqsave(&lock);

	for (unsigned i = 0; i < IRQ_LINES; i++)
		lines[i] = (struct irq_line){ .state = IRQ_UNROUTED, .owner = PID_NONE };
	chip = c;
	window = storm_window;
	held = 0;
	__atomic_store_n(&spurious_total, 0, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&lock, flags);
}

kerr_t irq_line_declare(unsigned line, bool level)
{
	kerr_t err = K_OK;

	if (line >= IRQ_LINES)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	if (lines[line].state != IRQ_UNROUTED) {
		err = K_EEXIST;
	} else {
		lines[line].state = IRQ_FREE;
		lines[line].level = level;
	}
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

kerr_t irq_line_set_level(unsigned line, bool level)
{
	kerr_t err = K_OK;

	if (line >= IRQ_LINES)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	if (lines[line].state == IRQ_UNROUTED)
		err = K_EINVAL;
	else
		lines[line].level = level;
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

kerr_t irq_line_reserve(unsigned line)
{
	kerr_t err = K_OK;

	if (line >= IRQ_LINES)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	if (lines[line].state == IRQ_OWNED || lines[line].state == IRQ_STORMED)
		err = K_EBUSY;
	else
		lines[line].state = IRQ_KERNEL;
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

/* Whether `pid` may wait on `l` now; the lock is held. */
static kerr_t may_wait(const struct irq_line *l, kpid_t pid)
{
	switch (l->state) {
	case IRQ_FREE: return K_OK;
	case IRQ_KERNEL: return K_EPERM;
	case IRQ_OWNED:
		if (l->owner != pid)
			return K_EPERM;
		return l->armed ? K_EEXIST : K_OK;
	case IRQ_STORMED: return K_EBUSY; /* masked for good, whoever asks */
	default: return K_EINVAL;
	}
}

/* `l` (masked) steered to `cpu`, if it is elsewhere and its chip can. */
static void steer(struct irq_line *l, unsigned line, unsigned cpu)
{
	const struct irq_chip *c = chip_of(l);

	if (l->cpu != cpu && c->route && c->route(line, cpu))
		l->cpu = (uint16_t)cpu;
}

kerr_t irq_wait_begin(unsigned line, kpid_t pid, uint64_t now, unsigned cpu, unsigned *was_on)
{
	if (line >= IRQ_LINES || pid == PID_NONE)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	struct irq_line *l = &lines[line];
	kerr_t err = may_wait(l, pid);
	if (err == K_OK) {
		held += l->state == IRQ_FREE;
		l->state = IRQ_OWNED;
		l->owner = pid;
		l->fired = false;
		l->armed = true;
		l->armed_at = now;
		if (was_on)
			*was_on = l->cpu;
		steer(l, line, cpu);
		chip_of(l)->unmask(line);
	}
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

bool irq_wait_done(unsigned line)
{
	if (line >= IRQ_LINES)
		return true;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	const struct irq_line *l = &lines[line];
	bool done = l->fired || !l->armed;
	spin_unlock_irqrestore(&lock, flags);
	return done;
}

kerr_t irq_wait_result(unsigned line, kpid_t pid)
{
	if (line >= IRQ_LINES)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	const struct irq_line *l = &lines[line];
	kerr_t err = K_OK;
	if (l->owner != pid)
		err = K_ENOENT;
	else if (l->state == IRQ_STORMED)
		err = K_EBUSY;
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

kerr_t irq_wait_withdraw(unsigned line, kpid_t pid)
{
	if (line >= IRQ_LINES)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	struct irq_line *l = &lines[line];
	kerr_t err = K_OK;
	if (l->owner != pid) {
		err = K_ENOENT;
	} else if (l->state == IRQ_STORMED) {
		err = K_EBUSY;
	} else if (l->armed) { /* no interrupt yet: masked again, as if it had come */
		chip_of(l)->mask(line);
		l->armed = false;
		err = K_EAGAIN;
	}
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

/* The storm count after an interrupt `since` the unmask: up by one for a
 * refire at once, halved after a quiet spell. */
static uint32_t next_refires(const struct irq_line *l, uint64_t since)
{
	if (!l->level)
		return 0;
	return since <= window ? l->refires + 1 : l->refires / 2;
}

enum irq_outcome irq_dispatch(unsigned line, uint64_t now, unsigned cpu)
{
	if (line >= IRQ_LINES) {
		__atomic_fetch_add(&spurious_total, 1, __ATOMIC_RELAXED);
		return IRQ_SPURIOUS;
	}
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	struct irq_line *l = &lines[line];
	enum irq_outcome out = IRQ_WAKE;
	l->taken_on = (uint16_t)cpu;
	if (cpu != l->cpu)
		l->elsewhere++;
	if (chip_of(l) && l->state != IRQ_UNROUTED)
		chip_of(l)->mask(line); /* masked while its owner handles it */
	if (l->state != IRQ_OWNED || !l->armed) {
		l->spurious++;
		__atomic_fetch_add(&spurious_total, 1, __ATOMIC_RELAXED);
		out = IRQ_SPURIOUS;
	} else {
		l->armed = false;
		l->fired = true;
		l->count++;
		l->refires = next_refires(l, now - l->armed_at);
		if (l->refires >= IRQ_STORM_REFIRES) {
			l->state = IRQ_STORMED;
			out = IRQ_STORM;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return out;
}

unsigned irq_release_owner(kpid_t pid)
{
	unsigned released = 0;

	if (pid == PID_NONE)
		return 0;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned i = 0; i < IRQ_LINES; i++) {
		struct irq_line *l = &lines[i];
		if ((l->state != IRQ_OWNED && l->state != IRQ_STORMED) || l->owner != pid)
			continue;
		if (chip_of(l))
			chip_of(l)->mask(i);
		held--;
		if (l->granted) {
			*l = (struct irq_line){ .state = IRQ_UNROUTED, .owner = PID_NONE };
		} else {
			/* A stormed line stays stormed: masked for good, nobody's. */
			*l = (struct irq_line){ .state = l->state == IRQ_STORMED ? IRQ_STORMED : IRQ_FREE,
						.level = l->level, .owner = PID_NONE,
						.spurious = l->spurious, .cpu = l->cpu };
		}
		released++;
	}
	spin_unlock_irqrestore(&lock, flags);
	return released;
}

kerr_t irq_line_grant(unsigned line, kpid_t pid, const struct irq_chip *line_chip)
{
	kerr_t err = K_OK;

	if (line >= IRQ_LINES || pid == PID_NONE || !line_chip)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	if (lines[line].state != IRQ_UNROUTED) {
		err = K_EEXIST;
	} else {
		lines[line] = (struct irq_line){ .state = IRQ_OWNED, .owner = pid, .granted = true,
						 .chip = line_chip };
		held++;
		line_chip->mask(line);
	}
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

void irq_line_revoke(unsigned line)
{
	if (line >= IRQ_LINES)
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	struct irq_line *l = &lines[line];
	if (l->granted) {
		l->chip->mask(line);
		*l = (struct irq_line){ .state = IRQ_UNROUTED, .owner = PID_NONE };
		held--;
	}
	spin_unlock_irqrestore(&lock, flags);
}

static void describe(const struct irq_line *l, struct irq_line_info *out)
{
	*out = (struct irq_line_info){
		.state = (enum irq_state)l->state, .level = l->level, .armed = l->armed,
		.owner = l->owner, .count = l->count, .spurious = l->spurious,
		.refires = l->refires, .cpu = l->cpu, .taken_on = l->taken_on,
		.elsewhere = l->elsewhere,
	};
}

bool irq_line_info(unsigned line, struct irq_line_info *out)
{
	if (line >= IRQ_LINES)
		return false;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	describe(&lines[line], out);
	spin_unlock_irqrestore(&lock, flags);
	return true;
}

bool irq_next_held(kpid_t pid, unsigned *line, struct irq_line_info *out)
{
	bool found = false;

	if (pid == PID_NONE)
		return false;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned i = held ? *line : IRQ_LINES; i < IRQ_LINES && !found; i++) {
		const struct irq_line *l = &lines[i];
		if ((l->state == IRQ_OWNED || l->state == IRQ_STORMED) && l->owner == pid) {
			describe(l, out);
			*line = i;
			found = true;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return found;
}

uint64_t irq_spurious_total(void)
{
	return __atomic_load_n(&spurious_total, __ATOMIC_RELAXED);
}
