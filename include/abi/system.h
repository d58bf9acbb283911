/*
 * abi/system: what the kernel tells a program about the running system --
 * the records of ProcessInfo (81), SystemInfo (82) and CpuInfo (83) -- and
 * how Kill (80) is allowed. Shared by the kernel and user programs; all
 * fields little-endian, fixed-size, no padding the compiler chooses.
 *
 * Kill(pid): ends process `pid` (a slot number, as Spawn and GetPid give)
 * as if it had faulted, but reported as killed: its channels, devices,
 * interrupt lines and endpoints are let go, and a parent in WaitTask
 * learns SYS_TASK_KILLED. Allowed to the process's parent (the one that
 * spawned it) and to a process speaking for the bootstrap Principal; the
 * kernel's own processes (0-2) are never killed (SYS_EPERM). A process
 * may kill itself. Returns 0 once the kill is under way: the victim ends
 * at its next entry to the kernel or interrupt, at once if it is blocked.
 */
#ifndef CAMBIOS_ABI_SYSTEM_H
#define CAMBIOS_ABI_SYSTEM_H

#ifndef __ASSEMBLER__
#include <stdint.h>

/* ProcessInfo(slot, out, len >= sizeof): one process-table slot;
 * SYS_ENOENT for a free slot, SYS_EINVAL for a slot past the table. */
enum sys_process_state {
	SYS_PROCESS_CREATED = 1, /* exists, its program not started yet */
	SYS_PROCESS_READY = 2,   /* waiting for a CPU */
	SYS_PROCESS_RUNNING = 3, /* on a CPU now */
	SYS_PROCESS_BLOCKED = 4, /* waiting (block_reason says for what) */
	SYS_PROCESS_EXITED = 5,  /* ended, not yet reaped */
	SYS_PROCESS_KERNEL = 6,  /* one of the kernel's processes 0-2 */
};

enum sys_block_reason {
	SYS_BLOCK_NONE = 0,
	SYS_BLOCK_MESSAGE = 1,   /* RecvMsg, WaitIrqOrMessage */
	SYS_BLOCK_IRQ = 2,       /* WaitIrq, ConsoleRead */
	SYS_BLOCK_CHILD = 3,     /* WaitTask */
	SYS_BLOCK_OTHER = 4,
};

#define SYS_NO_CPU 0xffffffffu    /* cpu: not on any CPU */
#define SYS_NO_PARENT 0xffffffffu /* parent: started by the boot */
#define SYS_NO_PROCESS 0xffffffffu /* current_pid: a kernel thread runs there */

struct sys_process_info {
	uint32_t pid;            /* its slot */
	uint32_t generation;     /* how many processes the slot has held before */
	uint32_t parent;         /* slot of the process that spawned it, or SYS_NO_PARENT */
	uint32_t cpu;            /* the CPU its thread is on, or SYS_NO_CPU */
	uint8_t state;           /* enum sys_process_state */
	uint8_t block_reason;    /* enum sys_block_reason, when BLOCKED */
	uint8_t has_principal;   /* principal[] is meaningful */
	uint8_t killed;          /* a Kill is under way */
	uint32_t reserved;       /* 0 */
	uint64_t ticks_run;      /* timer ticks its thread ran */
	uint64_t switches_in;    /* times its thread was switched to */
	uint8_t principal[32];   /* the Ed25519 public key it speaks for */
	char name[16];           /* NUL-terminated */
};
_Static_assert(sizeof(struct sys_process_info) == 88, "ProcessInfo record size");

/* SystemInfo(out, len >= sizeof): the whole machine, now. */
struct sys_system_info {
	uint64_t uptime_ticks;      /* the kernel clock (GetTime) */
	uint64_t ticks_per_second;  /* 100 */
	uint64_t frames_total;      /* 4 KiB page frames the kernel manages */
	uint64_t frames_free;
	uint64_t heap_bytes;        /* the kernel heap's size */
	uint64_t heap_in_use;       /* bytes allocated from it */
	uint64_t heap_allocations;  /* live allocations */
	uint32_t objects;           /* objects in the store */
	uint32_t objects_max;
	uint64_t object_bytes;      /* their content, in bytes */
	uint32_t processes;         /* live processes, the kernel's included */
	uint32_t processes_max;
	uint32_t threads;           /* threads in use */
	uint32_t threads_max;
	uint32_t cpus;              /* CPUs scheduling */
	uint32_t modules;           /* boot modules the verifier accepted */
	uint64_t heap_allocs;       /* kernel heap allocations made since boot */
	uint64_t heap_frees;        /* ... and freed */
	uint64_t interrupts;        /* device interrupts delivered to drivers */
};
_Static_assert(sizeof(struct sys_system_info) == 120, "SystemInfo record size");

/* CpuInfo(index, out, len >= sizeof): CPU `index` (0 = the boot CPU);
 * SYS_ENOENT for a CPU that is not scheduling, SYS_EINVAL past the
 * kernel's limit. */
struct sys_cpu_info {
	uint32_t index;
	uint32_t hw_id_low;         /* x86_64 local APIC ID; AArch64 MPIDR affinity, low 32 bits */
	uint64_t ticks;             /* timer ticks taken here */
	uint64_t idle_ticks;        /* ... of which idle */
	uint64_t switches;          /* context switches to another thread */
	uint32_t ready;             /* threads waiting for this CPU */
	uint32_t blocked;           /* threads blocked here */
	uint32_t current_pid;       /* the process running here, or SYS_NO_PROCESS */
	uint32_t reserved;          /* 0 */
	uint64_t ipis_received;     /* reschedule and TLB shootdown interrupts */
	uint64_t tlb_shootdowns;    /* flushes done for other CPUs */
};
_Static_assert(sizeof(struct sys_cpu_info) == 64, "CpuInfo record size");

#endif

#endif
