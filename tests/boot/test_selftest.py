"""The kernel's boot-time self-tests (`make image SELFTEST=1`).

Each architecture's self-test image runs every self-test group in the real
(emulated) machine: heap and frame patterns, kernel-mode traps that must be
reported and survived, user mode -- an address space, system calls,
and user faults that end only the faulting program -- the subsystems (IPC
with stamped messages, capabilities, the object store) and the signed hello
module loaded and run in user mode. Every check prints
`TEST <name> PASS|FAIL`; the run ends with `selftest: N passed, M failed`.
"""

import re

import pytest

from conftest import BOOT_TIMEOUT, REPO_ROOT, qemu, run_make_image

SUMMARY = r"^selftest: (\d+) passed, (\d+) failed$"
TEST_LINE = re.compile(r"^TEST (\S+) (PASS|FAIL)$")

# Checks every run must contain (a missing one means a group silently
# stopped running).
EXPECTED = {
    "heap.patterns", "heap.realloc_keeps_bytes", "heap.aligned",
    "frames.round_trip", "frames.contiguous_2mib",
    "trap.breakpoint", "trap.invalid_opcode", "trap.kernel_page_fault",
    "trap.read_only_write",
    "user.syscalls", "user.write_code_page_faults", "user.read_kernel_faults",
    "user.read_null_faults", "vm.write_execute_refused",
    "process.kernel_bound", "process.create_destroy", "cap.rights_only_by_grant",
    "objstore.round_trip",
    "ipc.register", "ipc.stamped_exchange", "ipc.denied_without_capability",
    "ipc.self_send_denied", "program.hello_runs", "program.syscall_hook_denies",
    "program.data_module_refused", "timer.ticks_arrive", "user.timer_interrupts_user_mode",
    "smp.every_cpu_ticks", "smp.allocators_under_every_cpu", "smp.ipi_reaches_every_cpu",
    "smp.wake_reaches_the_waiters_cpu",
    "balance.spreads_six_tasks_from_one_cpu", "balance.invariants_hold_across_cpus",
    "sched.same_band_threads_take_turns", "sched.higher_band_runs_first",
    "sched.sleep_wakes_on_time", "sched.ended_threads_are_reaped", "sched.invariants_hold",
    "sched.user_processes_side_by_side", "sched.user_threads_reaped",
    "sched.ping_pong_10000_messages", "sched.spawn_and_wait_task",
    "sched.object_store_calls", "sched.device_info_calls", "sched.shared_memory_channels",
    "boundary.live_spaces_have_their_own_tlb_tags",
    "boundary.ended_space_gives_its_tlb_tag_back",
    "irq.edu_interrupt_reaches_waiter", "irq.line_held_and_kernel_lines_refused",
    "irq.released_when_owner_exits", "irq.user_program_wait_irq",
    "irq.delivered_on_the_waiters_cpu", "irq.storm_masked_and_reported",
}
X86_ONLY = {"trap.divide_error"}
# Needs a second CPU to hold a stale TLB entry (kernel/selftest/tlb.c);
# with one the kernel says it skipped it.
SMP_ONLY = {"tlb.freed_frame_unreachable_from_another_cpu"}
TLB_SKIPPED = ("tlb: one CPU online, none to hold a stale entry: "
               "tlb.freed_frame_unreachable_from_another_cpu skipped")
# The GICv3 ITS: an MSI written by the CPU arrives as an LPI (kernel/selftest/its.c).
AARCH64_ONLY = {
    "its.compose", "its.compose_rejects_bad_slot", "its.cpu_write_delivers_lpi",
    "its.second_write_delivers_again", "its.released_slot_delivers_nothing",
    "its.translation_is_by_requester_id", "its.slot_composed_again_delivers",
    "its.unreleased_slot_composed_again_delivers_once", "its.released_slot_cannot_move",
    "its.moved_slot_delivers_on_that_cpu",
}
# The user boundary's hostile corpus (user/hostile), one check per program.
HOSTILE = ["bad-write", "bad-priv", "bad-insn", "bad-brk", "bad-align", "bad-exec", "bad-kread",
           "bad-kjump", "bad-stack", "bad-guard", "bad-offset", "regs-dirty", "regs-check",
           "forge", "exit-1000", "exit-min", "bad-div", "bad-args", "alloc", "irq-refused"]
EXPECTED |= {f"boundary.{name}" for name in HOSTILE}
# A direct kernel read of user memory: faults under SMAP/PAN, goes through
# (and reads the right word) on a CPU model without them.
GUARDED_READ = "boundary.kernel_read_of_user_memory_faults"
UNGUARDED_READ = "boundary.kernel_read_of_user_memory_unguarded"

# How each faulting program must be reported: "user fault: <file> (pid N)
# ended: <cause>[ at <address>], ip <address>", one line each.
USER_FAULT = re.compile(r"^user fault: (\S+) \(pid (\d+)\) ended: (.+?)(?: at (0x[0-9a-f]+|0))?, "
                        r"ip (0x[0-9a-f]+)$")
FAULT_CAUSES = {
    "x86_64": {
        "bad-write": r"page fault on write", "bad-priv": r"general protection fault",
        "bad-insn": r"invalid opcode", "bad-brk": r"breakpoint",
        "bad-align": r"(alignment check|general protection fault)",
        "bad-exec": r"page fault on instruction fetch", "bad-kread": r"page fault on read",
        "bad-kjump": r"page fault on instruction fetch", "bad-stack": r"page fault on write",
        "bad-div": r"divide error",
    },
    "aarch64": {
        "bad-write": r"data abort \(permission fault level 3\) on write",
        "bad-priv": r"undefined instruction", "bad-insn": r"undefined instruction",
        "bad-brk": r"breakpoint \(BRK\)", "bad-align": r"PC alignment fault",
        "bad-exec": r"instruction abort \(permission fault level 3\) on instruction fetch",
        "bad-kread": r"data abort \(.*\) on read",
        "bad-kjump": r"instruction abort \(.*\) on instruction fetch",
        "bad-stack": r"data abort \(translation fault level 3\) on write",
    },
}
# The stack's guard page: the page below the 64 KiB stack under 0x800000.
GUARD_PAGE = range(0x800000 - 0x10000 - 0x1000, 0x800000 - 0x10000)
# Programs the loader must refuse, and why.
REFUSED = [
    re.compile(r"^program: bad-guard\.elf refused \(a segment lies where the user stack or its "
               r"guard page goes\)$"),
    re.compile(r"^program: bad-offset\.elf refused \(segment file offset and address disagree "
               r"modulo the page size\)$"),
]
# Text the forge program prints; it may appear only in its own lines.
FORGED = ("rootkit", "99 passed", "forged by a program", "BSP idle between ticks",
          "forged (pid 1)", "without its newline")
PROGRAM_LINE = re.compile(r"^\[(\S+):(\d+)\] ")


FINGERPRINT = re.compile(r"^identity: bootstrap principal loaded \(.*fingerprint ([0-9a-f]{16})\)$")
IPC_EXERCISE = [
    re.compile(r'^ipc: pid 2 received "hello from kernel process 1" on endpoint 2 '
               r"from principal ([0-9a-f]{16}), reply endpoint 1$"),
    re.compile(r"^ipc: send from pid \d+ without a capability: K_EPERM, 0 queued$"),
    re.compile(r"^ipc: self-send by pid 1 to its endpoint 1: K_EPERM by the interceptor, "
               r"0 queued$"),
]


PROGRAM_RUN = [
    re.compile(r"^program: hello\.elf loaded into pid \d+: entry 0x400000, \d+ segments in "
               r"\d+ pages, stack below 0x800000$"),
    re.compile(r"^\[hello\.elf:\d+\] Hello from a signed boot module!$"),
    re.compile(r"^program: hello\.elf exited with code 0$"),
    re.compile(r"^program: hello\.elf exited with code 1$"),  # printing refused
    re.compile(r"^program: kernel\.sym refused as a program \(bad magic"),
]

# A channel between two copies of user/hostile/channel.c: made, attached by
# the one peer, revoked from both sides, and the peer's read of it after
# that kills the peer alone.
CHANNEL_STORY = [
    re.compile(r"^channel: (\d+) created by pid (\d+): 2 pages at (0x6[0-9a-f]+), producer, "
               r"for principal [0-9a-f]{16}$"),
    re.compile(r"^channel: (\d+) attached by pid (\d+) at (0x6[0-9a-f]+) \(creator pid (\d+)\)$"),
    re.compile(r"^channel: (\d+) revoked by pid (\d+), unmapped from pids (\d+) and (\d+)$"),
    re.compile(r"^user fault: channel\.elf \(pid (\d+)\) ended: (page fault|data abort \(translation "
               r"fault level 3\)) on read at (0x6[0-9a-f]+), ip 0x[0-9a-f]+$"),
    re.compile(r"^process (\d+) channel\.elf: exited with code 0$"),
]


def check_channel_story(lines):
    made, attached, revoked, fault, done = find_in_order(lines, CHANNEL_STORY, "channel")
    channel, creator, address = made.group(1, 2, 3)
    peer = attached.group(2)
    assert peer != creator
    assert attached.group(1, 3, 4) == (channel, address, creator)
    assert revoked.group(1, 2, 3, 4) == (channel, creator, creator, peer)
    assert fault.group(1, 3) == (peer, address), "the peer read the revoked channel unharmed"
    assert done.group(1) == creator


def find_in_order(lines, patterns, what):
    """Each pattern matches a later line than the one before; returns the
    matches."""
    rest = iter(lines)
    found = []
    for pattern in patterns:
        match = next((m for m in map(pattern.match, rest) if m), None)
        assert match, f"{what} line missing or out of order: {pattern.pattern}"
        found.append(match)
    return found


def check_ipc_exercise(lines):
    """The IPC self-test shows the kernel's stamp (the bootstrap Principal's
    fingerprint) on a received message, then the two refusals, in order."""
    fingerprints = [m.group(1) for m in map(FINGERPRINT.match, lines) if m]
    assert fingerprints, "no bootstrap principal fingerprint in the log"
    found = find_in_order(lines, IPC_EXERCISE, "IPC self-test")
    assert found[0].group(1) == fingerprints[0], "the stamp is not the bootstrap principal"


def selftest_image(arch):
    path = REPO_ROOT / "build" / f"{arch}-selftest" / "cambios.img"
    if not path.is_file():
        error = run_make_image(arch, SELFTEST=1)
        if error:
            pytest.fail(error, pytrace=False)
    return path


def check_user_faults(lines, arch):
    """Every faulting program of the corpus is reported in exactly one line
    with its cause; the stack overflow faults inside the guard page."""
    reports = {}
    for match in map(USER_FAULT.match, lines):
        if match:
            reports.setdefault(match.group(1), []).append(match)
    for name, cause in FAULT_CAUSES[arch].items():
        found = reports.get(f"{name}.elf", [])
        # One run by the boundary group; bad-brk runs twice more as a thread
        # (side by side with others, and spawned by a program).
        assert len(found) == (3 if name == "bad-brk" else 1), f"{name}: {len(found)} fault reports"
        for report in found:
            assert re.fullmatch(cause, report.group(3)), f"{name}: cause {report.group(3)!r}"
    stack = reports["bad-stack.elf"][0]
    assert int(stack.group(4), 16) in GUARD_PAGE, f"stack overflow faulted at {stack.group(4)}"
    find_in_order(lines, REFUSED, "loader refusal")


def check_forged_lines(lines):
    """Whatever the forge program printed shows up only in its own lines."""
    shown = [line for line in lines if any(text in line for text in FORGED)]
    forged = [line for line in shown if not line.startswith("boot: ")]
    assert len(forged) == len(FORGED), f"forged lines: {forged}"
    for line in forged:
        match = PROGRAM_LINE.match(line)
        assert match and match.group(1) == "forge.elf", f"forged line passes for the kernel's: {line!r}"
    assert not any("\x1b" in line or "\r" in line for line in lines), "raw escapes on the console"


def run_selftest(boot, arch, smp, cpu=None, extra=qemu.SELFTEST_DEVICES):
    """Boots the self-test image; returns (results by name, all lines)."""
    run = boot(arch, selftest_image(arch), smp=smp, cpu=cpu, fail_patterns=(r"^PANIC",),
               extra=extra)
    passed, failed = map(int, run.wait_for(SUMMARY, BOOT_TIMEOUT).groups())
    results = {}
    for line in run.lines():
        match = TEST_LINE.match(line)
        if match:
            results[match.group(1)] = match.group(2)
    failures = sorted(name for name, verdict in results.items() if verdict == "FAIL")
    assert not failures, f"self-tests failed: {failures}"
    assert (passed, failed) == (len(results), 0), f"summary {passed}/{failed} vs {results}"
    summaries = [line for line in run.lines() if re.match(SUMMARY, line)]
    assert len(summaries) == 1, f"more than one summary line: {summaries}"
    return results, list(run.lines())


# The edu device's interrupt: routed from its INTx (x86_64: the interrupt
# line register, GSI 11 on q35; AArch64: QEMU virt's INTx map, slot 1 INTA
# on SPI 4), delivered to the waiting thread twice, then left asserted
# until the router calls it a storm, masks it for good and says so.
EDU_LINE = {"x86_64": 11, "aarch64": 36}
EDU_ROUTE = {"x86_64": r"^irq: pci 00:0\d\.0 INTA -> GSI 11, vector 44, level, active high$",
             "aarch64": r"^irq: pci 00:01\.0 INTA -> INTID 36 \(SPI 4\), level, from QEMU virt's "
                        r"fixed INTx map \(no device tree\)$"}
IRQ_LINES = [
    r"^irq: edu on line {line} woke its waiter 2 times \(status seen 0x1, masked while it ran; "
    r"[12] of 2 in the tick it was raised in\)$",
    r"^irq: interrupt storm on line {line} \(1000 refires at once after unmask\): masked for good$",
    r"^irq: storm on line {line} stopped after \d+ waits; clock still ticking: yes$",
]


def check_device_interrupts(lines, arch, route=None, line=None):
    route, line = route or EDU_ROUTE[arch], line or EDU_LINE[arch]
    patterns = [route] + [p.format(line=line) for p in IRQ_LINES]
    find_in_order(lines, [re.compile(p) for p in patterns], "device interrupt")
    storms = [line for line in lines if "interrupt storm" in line]
    assert len(storms) == 1, f"storm reports: {storms}"


def assert_ran(results, expected):
    missing = sorted(expected - results.keys())
    assert not missing, f"self-tests that never ran: {missing}"


@pytest.mark.parametrize("smp", [1, 4], ids=lambda n: f"smp{n}")
@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_selftest(boot, arch, smp):
    results, lines = run_selftest(boot, arch, smp)
    expected = EXPECTED | (X86_ONLY if arch == "x86_64" else AARCH64_ONLY)
    assert_ran(results, expected | {GUARDED_READ} | (SMP_ONLY if smp > 1 else set()))
    if smp == 1:
        assert TLB_SKIPPED in lines, "the TLB self-test neither ran nor said it skipped"
    check_ipc_exercise(lines)
    # The signed hello module, loaded by the W^X ELF loader, runs in user
    # mode and exits; a signed data module is refused as a program.
    find_in_order(lines, PROGRAM_RUN, "program self-test")
    greetings = [line for line in lines if PROGRAM_RUN[1].match(line)]
    assert len(greetings) == 3, "hello printed although the interceptor refused it"
    check_user_faults(lines, arch)
    check_forged_lines(lines)
    check_device_interrupts(lines, arch)
    check_channel_story(lines)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_selftest_without_cpu_guards(boot, arch):
    """On a CPU model without SMEP/SMAP or PAN (QEMU's qemu64, cortex-a72)
    the kernel says so, and everything else holds as before."""
    results, lines = run_selftest(boot, arch, 1, cpu=qemu.WITHOUT_GUARDS_CPU[arch])
    expected = EXPECTED | (X86_ONLY if arch == "x86_64" else AARCH64_ONLY)
    assert_ran(results, expected | {UNGUARDED_READ})
    assert any(re.match(r"^guards: .*not offered by this CPU", line) for line in lines)
    check_user_faults(lines, arch)


def test_device_interrupts_through_the_device_tree(boot):
    """AArch64 with ACPI off: the edu device in slot 6 is found on its
    INTID through the device tree's interrupt-map of the PCI host bridge
    (slot 6 INTA: SPI 3 + (6 + 0) % 4 = 5, INTID 37), and every device
    interrupt check holds there too; the GICv3 ITS is found there as well,
    and a CPU-written MSI reaches it."""
    extra = ("-machine", "acpi=off", "-device", "edu,addr=06.0")
    results, lines = run_selftest(boot, "aarch64", 1, extra=extra)
    assert_ran(results, {name for name in EXPECTED if name.startswith("irq.")} | AARCH64_ONLY)
    assert "firmware: no ACPI tables" in lines
    assert any(line.startswith("interrupts: GICv3 ITS at 0x8080000 from the device tree")
               for line in lines), "the ITS was not found in the device tree"
    route = (r"^irq: pci 00:06\.0 INTA -> INTID 37 \(SPI 5\), level, "
             r"from the device tree interrupt-map$")
    check_device_interrupts(lines, "aarch64", route=route, line=37)


def test_device_interrupts_behind_a_bridge(boot):
    """AArch64 with ACPI off: the edu device behind a PCIe root port in
    slot 5 (bus 01, slot 0) interrupts as the root port's slot with its pin
    swizzled by the bridge (slot 0 keeps INTA: SPI 3 + (5 + 0) % 4 = 4,
    INTID 36), found through the device tree's interrupt-map of root-bus
    slots; every device interrupt check holds there too."""
    extra = ("-machine", "acpi=off", "-device", "pcie-root-port,id=rp0,chassis=1,addr=05.0",
             "-device", "edu,bus=rp0")
    results, lines = run_selftest(boot, "aarch64", 1, extra=extra)
    assert_ran(results, {name for name in EXPECTED if name.startswith("irq.")})
    route = (r"^irq: pci 01:00\.0 INTA -> INTID 36 \(SPI 4\), level, "
             r"from the device tree interrupt-map$")
    check_device_interrupts(lines, "aarch64", route=route, line=36)


# BAR assignment (lib/pci_assign): the kernel's line for the BAR it
# assigned, then the self-test's.
BAR_LINES = [
    r"^pci: {at} bar0 assigned 0x[0-9a-f]+ \(1M\) from the 32-bit memory window$",
    r"^bars: edu {at} bar0 was 0x[0-9a-f]+, set to 0; assigned 1 BAR\(s\): register "
    r"(0x[0-9a-f]+), table \1, aligned, inside the 32-bit window, overlapping no other BAR; "
    r"identification 0x010000ed$",
]
# Where edu sits: on the root bus, or behind a PCIe root port (whose
# memory window, as the firmware set it, must then hold the new address).
BAR_TOPOLOGIES = {
    "root-bus": (("-device", "edu"), r"00:0\d\.0"),
    "behind-bridge": (("-device", "pcie-root-port,id=rp0,chassis=1,addr=05.0",
                       "-device", "edu,bus=rp0"), r"01:00\.0"),
}


@pytest.mark.parametrize("topology", list(BAR_TOPOLOGIES))
def test_bar_assignment_aarch64(boot, topology):
    """AArch64 with ACPI off, so the device tree gives the host bridge's
    windows: the firmware assigned every BAR, so the boot assigns none;
    the self-test sets edu's BAR 0 to 0, runs the kernel's assignment for
    edu, and reads edu's identification register through the address it
    was given (and fails if the BAR was not assigned)."""
    devices, at = BAR_TOPOLOGIES[topology]
    results, lines = run_selftest(boot, "aarch64", 1, extra=("-machine", "acpi=off") + devices)
    assert results.get("bars.unassigned_bar_assigned_and_reachable") == "PASS", results
    selftest_start = lines.index("selftest: starting")
    boot_assigned = [line for line in lines[:selftest_start] if " assigned 0x" in line]
    assert not boot_assigned, f"the boot assigned BARs the firmware had assigned: {boot_assigned}"
    patterns = [re.compile(p.format(at=at)) for p in BAR_LINES]
    find_in_order(lines[selftest_start:], patterns, "BAR assignment")
