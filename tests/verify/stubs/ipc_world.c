/*
 * ipc_world.c (verify stub): what the process table (kernel/proc/process.c,
 * linked as it is) calls below itself, for the ipc and cap targets.
 *
 * - vm_space_create / vm_space_destroy / vm_space_root: a process's page
 *   tables are frames and arch registers (the VM and frame allocator have
 *   host tests of their own); IPC and capabilities never look inside an
 *   address space. Creation may fail as the real one can (K_ENOMEM, K_EFULL),
 *   and touches only the space it is given.
 * - msix_release_owner / irq_release_owner / device_release_all: what a
 *   dying process leaves behind in the interrupt and device tables, which
 *   are hardware bookkeeping of their own; they read only the pid and
 *   change nothing IPC or capabilities read.
 *
 * Each is a contract with no body: callers are checked against the
 * requires clauses. (ASSUMPTIONS.md lists this stub.)
 */
#include <device_claim.h>
#include <irq.h>
#include <msix.h>
#include <vm.h>

/*@ requires \valid(as);
    assigns *as \from \nothing;
    assigns \result \from \nothing;
    ensures \result == K_OK || \result == K_ENOMEM || \result == K_EFULL; */
kerr_t vm_space_create(struct address_space *as);

/*@ requires \valid(as);
    assigns *as \from \nothing; */
void vm_space_destroy(struct address_space *as);

/*@ requires \valid_read(as);
    assigns \result \from \nothing; */
uint64_t vm_space_root(const struct address_space *as);

/*@ assigns \result \from pid; */
unsigned msix_release_owner(kpid_t pid);

/*@ assigns \result \from pid; */
unsigned irq_release_owner(kpid_t pid);

/*@ assigns \result \from pid; */
unsigned device_release_all(kpid_t pid);
