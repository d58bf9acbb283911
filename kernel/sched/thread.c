/*
 * thread: kernel threads, the per-CPU scheduler state, and the switch
 * (see thread.h).
 */
#include <thread.h>

#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <current.h>
#include <heap.h>
#include <ipi.h>
#include <kstring.h>
#include <lock_order.h>
#include <panic.h>
#include <printk.h>
#include <spinlock.h>
#include <stdatomic.h>
#include <timer.h>
#include <watcher.h>

/* Slots: claimed atomically (claim_slot), then each thread's scheduling
 * state is guarded by its CPU's lock. */
static struct thread threads[THREAD_MAX];
static struct thread *reaper;
/* Threads ended and off their CPU (`gone`), not yet reaped: the reaper's
 * wait is over while this is not zero. */
static atomic_uint threads_gone;

static struct thread *thread_of(struct task *t)
{
	return (struct thread *)t; /* the task is the first member */
}

void sched_start_cpu(void)
{
	struct cpu *cs = cpu_this();

	cs->sched_lock = (struct spinlock)SPINLOCK_INIT("scheduler", LOCK_SCHEDULER);
	cs->idle = (struct thread){ .task = { .id = THREAD_MAX + cpu_index(),
					      .priority = PRIORITY_IDLE },
				    .cpu = cpu_index(), .name = "idle", .used = true,
				    .pid = PID_NONE };
	arch_thread_idle_init(&cs->idle);
	cs->kernel_root = cs->idle.root;
	runq_init(&cs->rq, &cs->idle.task);
	atomic_signal_fence(memory_order_seq_cst);
	cs->sched_started = true;
}

/* An ended thread is off its stack: the reaper may free it now. Out of
 * line: the switch path stays short. */
static __attribute__((noinline)) void reaper_told(struct thread *from)
{
	atomic_store_explicit(&from->gone, true, memory_order_release);
	atomic_fetch_add_explicit(&threads_gone, 1, memory_order_release);
	if (reaper)
		sched_wake_thread(reaper, BLOCK_CHILD, 0);
}

/* Runs in the thread a switch resumed (or started), on the CPU that made
 * the switch: if the thread switched away from had ended (thread_exit
 * left it in switched_from), it is off its stack now, and the reaper --
 * on any CPU -- is told. */
static void finish_switch(struct cpu *cs)
{
	struct thread *from = cs->switched_from;

	if (!from)
		return;
	cs->switched_from = NULL;
	reaper_told(from);
}

/* Picks the next thread and switches to it; false if there was none but
 * the caller. The caller holds the scheduler lock, which is released
 * before the switch. Interrupts must be off; they come back as the next
 * thread left them. */
static bool switch_locked(struct cpu *cs)
{
	struct thread *prev = thread_of(cs->rq.current);
	struct thread *next = thread_of(sched_pick_next(&cs->rq));
	cs->need_resched = false;
	cs->last_left = prev; /* not to run elsewhere before the next switch here */
	spin_unlock(&cs->sched_lock);
	if (next == prev)
		return false;
	cs->space = next->space;
	arch_thread_switch(prev, next);
	arch_context_switch(&prev->saved_sp, next->saved_sp);
	finish_switch(cpu_this()); /* resumed: maybe on another CPU, later */
	return true;
}

/* switch_locked(), the lock taken here. */
static bool reschedule(struct cpu *cs)
{
	spin_lock(&cs->sched_lock);
	return switch_locked(cs);
}

void thread_start(void)
{
	struct thread *self = thread_current();

	finish_switch(cpu_this());
	arch_irq_enable();
	self->entry(self->arg);
	thread_exit();
}

/* Claims a free slot: any CPU may create threads, so the claim is one
 * atomic step on `used`. The reaper cleared `gone` before it freed the
 * slot, so a claimed slot never looks reapable to it. */
static struct thread *claim_slot(void)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		bool free = false;
		if (__atomic_compare_exchange_n(&threads[i].used, &free, true, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return &threads[i];
	}
	return NULL;
}

/* A new thread, ready; `user` (may be NULL) fills in its user side before
 * it is queued. */
static kerr_t thread_create(const char *name, uint8_t priority, void (*entry)(void *), void *arg,
			    const struct thread *user, struct thread **out)
{
	struct cpu *cs = cpu_this();
	uint8_t *stack = kmalloc(THREAD_STACK_SIZE);
	kerr_t err = K_EFULL;

	if (!stack)
		return K_ENOMEM;
	uint64_t stack_top = (uint64_t)(uintptr_t)(stack + THREAD_STACK_SIZE);
	/* Claimed and filled in under the lock: a CPU that holds every
	 * scheduler lock (the machine-wide check) sees no half-made thread. */
	arch_irqflags_t flags = spin_lock_irqsave(&cs->sched_lock);
	struct thread *t = claim_slot();
	if (t) {
		*t = (struct thread){
			.task = { .id = (uint32_t)(t - threads), .state = TASK_READY,
				  .priority = priority },
			.saved_sp = arch_thread_initial_sp(stack_top),
			.stack = stack, .cpu = cpu_index(), .name = name, .entry = entry,
			.arg = arg, .used = true, .pid = PID_NONE, .root = cs->kernel_root,
			.kill_pid = PID_NONE,
		};
		if (user) {
			t->pid = user->pid;
			t->space = user->space;
			t->root = user->root;
			t->entry_stack_top = stack_top;
			t->user_entry = user->user_entry;
			t->user_sp = user->user_sp;
			t->reap_process = user->reap_process;
			arch_user_state_init(&t->user_state);
		}
		err = runq_enqueue(&cs->rq, &t->task);
		if (err != K_OK)
			__atomic_store_n(&t->used, false, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&cs->sched_lock, flags);
	if (err != K_OK) {
		kfree(stack);
		return err;
	}
	if (out)
		*out = t;
	return K_OK;
}

kerr_t thread_create_kernel(const char *name, uint8_t priority, void (*entry)(void *), void *arg,
			    struct thread **out)
{
	return thread_create(name, priority, entry, arg, NULL, out);
}

static void user_thread_main(void *arg)
{
	struct thread *self = thread_current();

	(void)arg;
	arch_user_enter(self->user_entry, self->user_sp);
}

kerr_t thread_create_user(kpid_t pid, uint64_t entry, uint64_t sp, uint8_t priority,
			  bool reap_process, struct thread **out)
{
	struct process_info info;
	struct address_space *space = process_address_space(pid);

	if (!space || process_lookup(pid, &info) != K_OK)
		return K_ENOENT;
	const struct thread user = { .pid = pid, .space = space, .root = vm_space_root(space),
				     .user_entry = entry, .user_sp = sp,
				     .reap_process = reap_process };
	return thread_create("user", priority, user_thread_main, NULL, &user, out);
}

/* Blocking or yielding inside an interrupt handler would switch away with
 * the interrupt half handled: a bug, caught the first time it runs. */
static void assert_not_in_interrupt(const char *what)
{
	if (cpu_this()->irq_depth)
		panic("%s inside an interrupt handler (thread %s)", what, thread_current()->name);
}

void sched_yield(void)
{
	assert_not_in_interrupt("sched_yield");
	arch_irqflags_t flags = arch_irq_save();

	reschedule(cpu_this());
	arch_irq_restore(flags);
}

void sched_idle_step(void)
{
	struct cpu *cs = cpu_this();

	/* Checked with interrupts off, and the wait enables them only as it
	 * halts: a wake-up between the check and the halt raises the very
	 * interrupt that ends the halt, so none is slept through. */
	arch_irqflags_t flags = arch_irq_save();
	if (!cs->sched_started || !reschedule(cs))
		arch_wait_for_interrupt();
	arch_irq_restore(flags);
}

void sched_sleep(uint64_t ticks)
{
	struct cpu *cs = cpu_this();

	assert_not_in_interrupt("sched_sleep");
	arch_irqflags_t flags = arch_irq_save();
	spin_lock(&cs->sched_lock);
	if (sched_block_current(&cs->rq, BLOCK_SLEEP, timer_ticks() + ticks) != K_OK) {
		spin_unlock(&cs->sched_lock);
		panic("sched_sleep: thread %s cannot sleep", thread_current()->name);
	}
	(void)switch_locked(cs); /* one hold: nobody sees it blocked yet current */
	arch_irq_restore(flags);
}


bool thread_killed(const struct thread *t)
{
	return t->pid != PID_NONE &&
	       atomic_load_explicit(&t->kill_pid, memory_order_acquire) == t->pid;
}

bool sched_wait_given(enum block_reason why, uint64_t arg, bool (*try_once)(void *ctx),
		      void *ctx, const atomic_bool *given)
{
	bool done = true;

	assert_not_in_interrupt("sched_wait");
	arch_irqflags_t flags = arch_irq_save();
	for (;;) {
		/* Looked up each time: the thread may resume elsewhere. */
		struct cpu *cs = cpu_this();

		spin_lock(&cs->sched_lock);
		if (try_once(ctx)) {
			spin_unlock(&cs->sched_lock);
			break;
		}
		struct thread *self = thread_of(cs->rq.current);
		if (self->task.is_idle) {
			/* The idle thread never blocks (the self-tests wait in
			 * it): it lets whatever is ready run, else waits for the
			 * next interrupt, and tries again. */
			spin_unlock(&cs->sched_lock);
			sched_idle_step();
			continue;
		}
		/* Checked under the lock a killer takes to wake it: a kill
		 * either comes before this check or finds the thread blocked. */
		if (thread_killed(self)) {
			spin_unlock(&cs->sched_lock);
			done = false;
			break;
		}
		if (sched_block_current(&cs->rq, why, arg) != K_OK) {
			spin_unlock(&cs->sched_lock);
			panic("sched_wait: thread %s cannot block", self->name);
		}
		(void)switch_locked(cs); /* one lock hold from the try to the switch */
		if (given && atomic_load_explicit(given, memory_order_acquire))
			break; /* the waker brought the result */
	}
	arch_irq_restore(flags);
	return done;
}

bool sched_wait(enum block_reason why, uint64_t arg, bool (*try_once)(void *ctx), void *ctx)
{
	return sched_wait_given(why, arg, try_once, ctx, NULL);
}

/* Out of line: the IPC path's wake-up stays small enough to inline. */
static __attribute__((noinline)) void kick(struct cpu *target)
{
	(void)ipi_send(target->index, IPI_RESCHEDULE);
}

/* After waking on CPU `target` (its lock released): whether the woken
 * should run at once. Here, in an interrupt handler, the handler's end
 * switches (a driver does not wait for the next tick; outside a handler
 * the caller reaches a switch point itself). On another CPU, a
 * reschedule IPI makes its next switch point now rather than its next
 * tick. */
static void run_woken_soon(struct cpu *target, bool preempt)
{
	struct cpu *cs = cpu_this();

	if (!preempt)
		return;
	if (target != cs)
		kick(target);
	else if (cs->irq_depth)
		cs->need_resched = true;
}

/* sched_wake_blocked on one CPU's queue, under its lock: whether a woken
 * thread should preempt what runs there. */
static bool wake_on(struct cpu *c, enum block_reason why, uint64_t arg)
{
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);
	bool preempt = c->rq.blocked && sched_wake_blocked(&c->rq, why, arg, arg);

	spin_unlock_irqrestore(&c->sched_lock, flags);
	return preempt;
}

/* The CPU t belongs to, its lock taken. t->cpu changes only under the
 * locks of both CPUs (sched_migrate), so once the lock of the CPU it
 * named is held and it still names that CPU, it stays. */
static inline struct cpu *lock_cpu_of(struct thread *t, arch_irqflags_t *flags)
{
	for (;;) {
		struct cpu *c = cpu_at(__atomic_load_n(&t->cpu, __ATOMIC_RELAXED));
		*flags = spin_lock_irqsave(&c->sched_lock);
		if (t->cpu == c->index)
			return c;
		spin_unlock_irqrestore(&c->sched_lock, *flags);
	}
}

/* A blocked thread stays on the CPU it blocked on (only ready threads
 * move), but the thread may have been ready and moved when it was looked
 * up, so its CPU is locked through lock_cpu_of. Inlined into IPC's
 * hand-off, the hottest wake-up there is. */
__attribute__((always_inline)) inline void sched_wake_thread(struct thread *t,
								enum block_reason why, uint64_t arg)
{
	arch_irqflags_t flags;
	struct cpu *c = lock_cpu_of(t, &flags);
	bool preempt = false;
	kerr_t err;

	/* Only if it still waits for this: it may have been woken already. */
	if (t->task.state == TASK_BLOCKED && t->task.reason == why && t->task.reason_arg == arg)
		preempt = sched_wake(&c->rq, &t->task, &err);
	spin_unlock_irqrestore(&c->sched_lock, flags);
	run_woken_soon(c, preempt);
}

/* Every CPU's blocked list in turn, one lock at a time: a waiter blocked
 * under its CPU's lock after its last try (sched_wait) is on that list by
 * the time the waker, whose change came first, takes the lock. The woken
 * run in the order they blocked, each on its own CPU. */
void sched_wake_all(enum block_reason why, uint64_t arg)
{
	for (unsigned i = 0; i < MP_MAX_CPUS; i++) {
		struct cpu *c = sched_cpu(i);
		if (c)
			run_woken_soon(c, wake_on(c, why, arg));
	}
}

/* Makes `t` notice its kill soon: woken if blocked (whatever for: its
 * wait sees the kill), interrupted if it runs on another CPU. */
static void kick_killed(struct thread *t)
{
	arch_irqflags_t flags;
	struct cpu *c = lock_cpu_of(t, &flags);
	bool preempt = false, running_elsewhere = false;
	kerr_t err;

	if (t->task.state == TASK_BLOCKED)
		preempt = sched_wake(&c->rq, &t->task, &err);
	else if (t->task.state == TASK_RUNNING)
		running_elsewhere = c != cpu_this();
	spin_unlock_irqrestore(&c->sched_lock, flags);
	if (running_elsewhere)
		kick(c);
	else
		run_woken_soon(c, preempt);
}

kerr_t sched_kill_process(kpid_t pid)
{
	kerr_t found = K_ENOENT;

	if (pid == PID_NONE)
		return K_ENOENT;
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = thread_at(i);
		if (!t || __atomic_load_n(&t->pid, __ATOMIC_RELAXED) != pid)
			continue;
		atomic_store_explicit(&t->kill_pid, pid, memory_order_release);
		kick_killed(t);
		found = K_OK;
	}
	return found;
}

bool thread_view_of(kpid_t pid, struct thread_view *out)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = thread_at(i);
		if (!t || __atomic_load_n(&t->pid, __ATOMIC_RELAXED) != pid)
			continue;
		arch_irqflags_t flags;
		struct cpu *c = lock_cpu_of(t, &flags);
		bool same = t->pid == pid; /* not reused while unlocked */
		if (same)
			*out = (struct thread_view){
				.state = t->task.state, .reason = t->task.reason, .cpu = c->index,
				.killed = thread_killed(t), .ticks_run = t->task.ticks_run,
				.switches_in = t->task.switches_in,
			};
		spin_unlock_irqrestore(&c->sched_lock, flags);
		if (same)
			return true;
	}
	return false;
}

/* The reaper, when it sleeps on this CPU, is made ready now, so that it
 * (a high band) is the thread the exit switches to -- its own
 * finish_switch then finds the ended thread gone -- rather than running
 * whenever the next thread's quantum ends. The caller holds the lock. */
static void wake_local_reaper_locked(struct cpu *cs)
{
	kerr_t err;

	if (reaper && reaper->cpu == cs->index && reaper->task.state == TASK_BLOCKED)
		(void)sched_wake(&cs->rq, &reaper->task, &err);
}

void thread_exit(void)
{
	struct cpu *cs = cpu_this();

	(void)arch_irq_save();
	spin_lock(&cs->sched_lock);
	if (sched_terminate_current(&cs->rq) != K_OK)
		panic("thread_exit: %s cannot end", thread_current()->name);
	wake_local_reaper_locked(cs);
	cs->switched_from = thread_current(); /* the next thread tells the reaper */
	(void)switch_locked(cs);
	panic("thread_exit: an ended thread was resumed");
}

unsigned thread_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < THREAD_MAX; i++)
		n += threads[i].used;
	return n;
}

/* Wakes this CPU's sleepers whose tick has come; the caller holds the lock. */
static void wake_sleepers_locked(struct cpu *cs, uint64_t now)
{
	/* This CPU's blocked list holds exactly its blocked threads. */
	(void)sched_wake_blocked(&cs->rq, BLOCK_SLEEP, 0, now);
}

void sched_on_tick(void)
{
	struct cpu *cs = cpu_this();

	if (!cs->sched_started)
		return;
	spin_lock(&cs->sched_lock);
	cs->idle_ticks += cs->rq.current->is_idle;
	wake_sleepers_locked(cs, timer_ticks());
	if (sched_tick(&cs->rq))
		cs->need_resched = true; /* switched at irq_exit(), the handler done */
	spin_unlock(&cs->sched_lock);
}

void irq_enter(void)
{
	cpu_this()->irq_depth++;
}

void irq_exit(void)
{
	struct cpu *cs = cpu_this();

	if (cs->irq_depth == 0)
		panic("irq_exit without irq_enter");
	if (--cs->irq_depth == 0 && cs->need_resched)
		reschedule(cs);
	/* A killed program ends on its way back to user mode: a user
	 * thread's kernel side runs with interrupts off, so an outermost
	 * interrupt in a user thread came from user mode (or from the moment
	 * before its first entry), where it holds nothing. Looked up again:
	 * the switch may have resumed this thread on another CPU. */
	if (cpu_this()->irq_depth == 0 && thread_killed(thread_current()))
		user_killed();
}

struct cpu *sched_cpu(unsigned index)
{
	struct cpu *c = cpu_at(index);

	return c && c->sched_started ? c : NULL;
}

struct thread *thread_at(unsigned slot)
{
	if (slot >= THREAD_MAX || !__atomic_load_n(&threads[slot].used, __ATOMIC_ACQUIRE))
		return NULL;
	return &threads[slot];
}

void sched_pin_current(void)
{
	struct cpu *cs;
	arch_irqflags_t flags = arch_irq_save();

	cs = cpu_this();
	spin_lock(&cs->sched_lock);
	cs->rq.current->pinned = true;
	spin_unlock(&cs->sched_lock);
	arch_irq_restore(flags);
}

void sched_pin_thread(struct thread *t)
{
	arch_irqflags_t flags;
	struct cpu *c = lock_cpu_of(t, &flags);

	t->task.pinned = true;
	spin_unlock_irqrestore(&c->sched_lock, flags);
}

const char *sched_check_cpu(struct cpu *c)
{
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);
	const char *broken = runq_check(&c->rq);

	spin_unlock_irqrestore(&c->sched_lock, flags);
	return broken;
}

/* ---------------------------------------------------------- kernel threads */

/* Frees what ended threads leave -- their stacks and slots, and the
 * processes they were the last of -- whichever CPU they ran on, once they
 * are `gone`: ended, and switched away from for good (finish_switch,
 * which counts them in threads_gone and wakes the reaper; sched_wait
 * makes that wake-up impossible to miss). */
static bool something_to_reap(void *ctx)
{
	(void)ctx;
	return atomic_load_explicit(&threads_gone, memory_order_acquire) > 0;
}

/* One gone thread's slot freed; false if there is none. */
static bool reap_one(void)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = &threads[i];
		if (!__atomic_load_n(&t->used, __ATOMIC_ACQUIRE) ||
		    !atomic_load_explicit(&t->gone, memory_order_acquire))
			continue;
		uint8_t *stack = t->stack;
		kpid_t pid = t->reap_process ? t->pid : PID_NONE;
		atomic_store_explicit(&t->gone, false, memory_order_relaxed);
		__atomic_store_n(&t->used, false, __ATOMIC_RELEASE);
		atomic_fetch_sub_explicit(&threads_gone, 1, memory_order_relaxed);
		kfree(stack);
		/* The reaper runs with the kernel's root: no CPU is in the
		 * process's address space any more. */
		if (pid != PID_NONE && process_destroy(pid) != K_OK)
			println("reaper: process %u was already gone", PID_SLOT(pid));
		return true;
	}
	return false;
}

static void reaper_main(void *arg)
{
	(void)arg;
	for (;;) {
		(void)sched_wait(BLOCK_CHILD, 0, something_to_reap, NULL); /* never killed */
		while (reap_one())
			;
	}
}

void sched_start_kernel_threads(void)
{
	struct thread *watcher;

	if (thread_create_kernel("reaper", PRIORITY_HIGH, reaper_main, NULL, &reaper) != K_OK ||
	    thread_create_kernel("watcher", PRIORITY_HIGH, watcher_main, NULL, &watcher) != K_OK)
		panic("scheduler: cannot create the kernel threads");
	/* The BSP's own: the Loop's seconds are its clock's, and the reaper
	 * stays where exits on the BSP find it (wake_local_reaper_locked). */
	reaper->task.pinned = watcher->task.pinned = true;
	println("sched: idle thread on the boot stack; kernel threads reaper (%u) and watcher (%u); "
		"quantum %d ticks", reaper->task.id, watcher->task.id, SCHED_QUANTUM_TICKS);
}
