/*
 * sched_cpus: migration, distribution, balancing and the machine-wide
 * check (see sched_cpus.h).
 */
#include <sched_cpus.h>

#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <current.h>
#include <ipi.h>
#include <printk.h>
#include <sched_machine.h>
#include <spinlock.h>

_Static_assert(SCHED_MAX_CPUS >= MP_MAX_CPUS, "sched_cpus: every CPU the kernel numbers");

/* The CPUs that schedule, in ascending index; returns how many. */
static unsigned scheduling_cpus(struct cpu **list)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MP_MAX_CPUS; i++) {
		struct cpu *c = sched_cpu(i);
		if (c)
			list[n++] = c;
	}
	return n;
}

/* Two CPUs' scheduler locks, the lower index first; interrupts are off. */
static void lock_two(struct cpu *a, struct cpu *b)
{
	spin_lock(a->index < b->index ? &a->sched_lock : &b->sched_lock);
	spin_lock_next(a->index < b->index ? &b->sched_lock : &a->sched_lock);
}

static void unlock_two(struct cpu *a, struct cpu *b)
{
	spin_unlock_next(a->index < b->index ? &b->sched_lock : &a->sched_lock);
	spin_unlock(a->index < b->index ? &a->sched_lock : &b->sched_lock);
}

/* Moves t from src to dst, both locked; *run_now says whether it should
 * preempt what runs on dst. */
static kerr_t migrate_locked(struct cpu *src, struct cpu *dst, struct thread *t, bool *run_now)
{
	struct task *task = &t->task;

	if (t->cpu != src->index || task->state != TASK_READY || !task->queued)
		return task->is_idle ? K_EPERM : K_EAGAIN;
	if (task->pinned)
		return K_EPERM;
	/* The last to leave src: its registers may not all be saved yet.
	 * Once src has switched again (under this lock), they are. */
	if (src->last_left == t)
		return K_EAGAIN;
	kerr_t err = runq_remove(&src->rq, task);
	if (err != K_OK)
		return err;
	__atomic_store_n(&t->cpu, dst->index, __ATOMIC_RELAXED);
	err = runq_enqueue(&dst->rq, task);
	if (err != K_OK)
		return err; /* cannot happen: ready and in no queue */
	*run_now = dst->rq.current->is_idle ||
		   sched_band(task->priority) > sched_band(dst->rq.current->priority);
	return K_OK;
}

/* migrate_locked with both locks taken here; kicks dst if the task
 * should run there now. */
static kerr_t move(struct cpu *src, struct cpu *dst, struct thread *t)
{
	bool run_now = false;
	arch_irqflags_t flags = arch_irq_save();

	lock_two(src, dst);
	kerr_t err = migrate_locked(src, dst, t, &run_now);
	unlock_two(src, dst);
	arch_irq_restore(flags);
	if (run_now)
		(void)ipi_send(dst->index, IPI_RESCHEDULE);
	return err;
}

kerr_t sched_migrate(struct thread *t, unsigned to)
{
	struct cpu *dst = sched_cpu(to);
	struct cpu *src = cpu_at(__atomic_load_n(&t->cpu, __ATOMIC_RELAXED));

	if (!dst)
		return K_EINVAL;
	if (t->task.is_idle)
		return K_EPERM;
	return src == dst ? K_OK : move(src, dst, t);
}

/* The thread the balancer would move off src now, src locked. */
static struct thread *candidate_locked(struct cpu *src)
{
	return (struct thread *)sched_balance_candidate(&src->rq,
							src->last_left ? &src->last_left->task : NULL);
}

/* Moves src's balancing candidate to dst: K_ENOENT if it has none. */
static kerr_t move_candidate(struct cpu *src, struct cpu *dst, struct thread **moved)
{
	bool run_now = false;
	kerr_t err = K_ENOENT;
	arch_irqflags_t flags = arch_irq_save();

	lock_two(src, dst);
	*moved = candidate_locked(src);
	if (*moved)
		err = migrate_locked(src, dst, *moved, &run_now);
	unlock_two(src, dst);
	arch_irq_restore(flags);
	if (run_now)
		(void)ipi_send(dst->index, IPI_RESCHEDULE);
	return err;
}

/* The BSP's ready, unpinned threads in the order they would run; returns
 * how many. */
static unsigned movable_on(struct cpu *c, struct thread **list)
{
	unsigned n = 0;
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);

	for (unsigned band = SCHED_BANDS; band-- > 0;) {
		for (struct task *t = c->rq.head[band]; t && n < THREAD_MAX; t = t->next) {
			if (!t->pinned)
				list[n++] = (struct thread *)t;
		}
	}
	spin_unlock_irqrestore(&c->sched_lock, flags);
	return n;
}

unsigned sched_distribute(void)
{
	struct cpu *cpus[MP_MAX_CPUS];
	struct thread *movable[THREAD_MAX];
	unsigned n = scheduling_cpus(cpus), ready = movable_on(cpus[0], movable), moved = 0;

	if (n < 2) {
		println("sched: one CPU schedules; its %u ready task%s stay%s there", ready,
			ready == 1 ? "" : "s", ready == 1 ? "s" : "");
		return 0;
	}
	/* Every second one, so that neighbours in the boot's order -- often
	 * a client and its service -- land on different CPUs. */
	for (unsigned k = 1; k < ready; k += 2) {
		if (move(cpus[0], cpus[1 + moved % (n - 1)], movable[k]) == K_OK)
			moved++;
	}
	println("sched: %u of the BSP's %u ready tasks handed to the %u APs, round-robin", moved,
		ready, n - 1);
	return moved;
}

bool sched_balance_step(void)
{
	struct cpu *cpus[MP_MAX_CPUS];
	unsigned runnable[MP_MAX_CPUS], n = scheduling_cpus(cpus), from, to;
	struct thread *t;

	for (unsigned i = 0; i < n; i++)
		runnable[i] = sched_runnable_besides_me(cpus[i]);
	if (!sched_balance_pick(runnable, n, &from, &to) ||
	    move_candidate(cpus[from], cpus[to], &t) != K_OK)
		return false;
	println("sched: balance: thread %u (%s) from CPU %u (%u runnable) to CPU %u (%u runnable)",
		t->task.id, t->name, cpus[from]->index, runnable[from], cpus[to]->index,
		runnable[to]);
	return true;
}

/* c's runnable tasks now, under its lock, `besides` (may be NULL) not
 * counted if it is the one running there. */
static unsigned runnable_on(struct cpu *c, const struct task *besides)
{
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);
	unsigned runnable = sched_runnable(&c->rq) - (c->rq.current == besides);

	spin_unlock_irqrestore(&c->sched_lock, flags);
	return runnable;
}

unsigned sched_runnable_besides_me(struct cpu *c)
{
	return runnable_on(c, &thread_current()->task);
}

/* Where the last placement's search began: ties go round the CPUs. */
static atomic_uint place_turn;

void sched_place(struct thread *t)
{
	struct cpu *cpus[MP_MAX_CPUS];
	unsigned n = scheduling_cpus(cpus), fewest = UINT32_MAX;
	unsigned start = n ? atomic_fetch_add(&place_turn, 1) % n : 0;
	struct cpu *best = NULL;

	for (unsigned k = 0; k < n; k++) {
		struct cpu *c = cpus[(start + k) % n];
		unsigned runnable = runnable_on(c, NULL); /* the spawner counts where it runs */
		if (runnable < fewest) {
			fewest = runnable;
			best = c;
		}
	}
	if (best)
		(void)sched_migrate(t, best->index); /* refused: it stays, and runs here */
}

/* ---------------------------------------------------- the machine check */

/* Every task there is, with the position (in cpus[]) of its CPU. */
static unsigned gather_tasks(struct cpu **cpus, unsigned n, const struct task **task,
			     unsigned *task_cpu)
{
	unsigned count = 0, position[MP_MAX_CPUS];

	for (unsigned i = 0; i < MP_MAX_CPUS; i++)
		position[i] = n; /* a CPU that does not schedule: off the map */
	for (unsigned i = 0; i < n; i++) {
		position[cpus[i]->index] = i;
		task[count] = &cpus[i]->idle.task;
		task_cpu[count++] = i;
	}
	for (unsigned slot = 0; slot < THREAD_MAX; slot++) {
		const struct thread *t = thread_at(slot);
		if (!t)
			continue;
		task[count] = &t->task;
		task_cpu[count++] = t->cpu < MP_MAX_CPUS ? position[t->cpu] : n;
	}
	return count;
}

const char *sched_check_all(unsigned *cpus_checked, unsigned *tasks_checked)
{
	struct cpu *cpus[MP_MAX_CPUS];
	const struct task *task[THREAD_MAX + MP_MAX_CPUS];
	unsigned task_cpu[THREAD_MAX + MP_MAX_CPUS];
	struct sched_machine m = { .task = task, .task_cpu = task_cpu, .max_tasks = THREAD_MAX };
	arch_irqflags_t flags = arch_irq_save();

	m.cpus = scheduling_cpus(cpus);
	spin_lock(&cpus[0]->sched_lock);
	for (unsigned i = 1; i < m.cpus; i++)
		spin_lock_next(&cpus[i]->sched_lock);
	for (unsigned i = 0; i < m.cpus; i++)
		m.rq[i] = &cpus[i]->rq;
	m.tasks = gather_tasks(cpus, m.cpus, task, task_cpu);
	const char *broken = sched_check_machine(&m);
	for (unsigned i = m.cpus - 1; i > 0; i--)
		spin_unlock_next(&cpus[i]->sched_lock);
	spin_unlock(&cpus[0]->sched_lock);
	arch_irq_restore(flags);
	if (cpus_checked)
		*cpus_checked = m.cpus;
	if (tasks_checked)
		*tasks_checked = m.tasks;
	return broken;
}
