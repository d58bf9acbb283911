"""Boot CambiOS under QEMU and check the boot story's milestones on serial.

Owns the milestone protocol: the lines the kernel prints, in order, from
its banner to "BSP idle between ticks" (first words, the foundation: heap, frames,
kernel root; the safety net: exceptions and system calls; the interrupt
controller and the timer; then the CPUs),
and what each must say for the machine QEMU
was given (arch, CPU count, memory size). Every arch x CPU count x memory
size combination boots once; a genuine Limine build is checked against the
same milestones when one is supplied, which keeps our loader honest about
being Limine-compatible.

Regexes are matched on ANSI-stripped lines and anchored at line start.
"""

import os
import re

import pytest

from conftest import BOOT_TIMEOUT, REPO_ROOT

ARCHES = ("x86_64", "aarch64")
CPU_COUNTS = (1, 4)

# -m value -> plausible usable MiB (firmware, loader and holes take the rest)
USABLE_MIB = {"256M": (150, 256), "2G": (1700, 2048)}

BANNER = r"^CambiOS (\S+) \((x86_64|aarch64)\), booted by (.+)$"
BASE_REVISION = r"^limine: base revision 2 supported$"
HHDM = r"^hhdm: offset 0x[0-9a-f]{16}$"
MEMMAP_COUNT = r"^memmap: (\d+) entries$"
MEMMAP_HEADER = r"^  base +length +type$"
MEMMAP_ROW = r"^  0x([0-9a-f]{16}) 0x([0-9a-f]{16}) (\S+)$"
MEMMAP_USABLE = r"^memmap: (\d+) MiB usable of (\d+) MiB$"
MODULES = r"^modules: (\d+)$"
MODULE_ROW = r'^  (\S+) +(\d+) bytes +"(.*)"$'
SYMBOLS = r"^symbols: \d+ bytes of kernel symbols loaded$"
HEAP = r"^heap: (\d+) KiB at phys 0x([0-9a-f]{16}) \(virt 0x[0-9a-f]{16}\)$"
FRAMES = r"^frames: (\d+) free, (\d+) used of (\d+) managed \((\d+) MiB free\)$"
UNMANAGED = re.compile(
    r"^frames: (\d+) MiB of usable memory outside the 2 GiB window at 0x[0-9a-f]+ is not managed$")
KERNEL_ROOT = r"^mm: kernel page-table root 0x[0-9a-f]{16} saved$"
TRAPS = {"x86_64": r"^traps: GDT with TSS .* and IDT \(32 exception vectors\) loaded$",
         "aarch64": r"^traps: vector table installed in VBAR_EL1"}
SYSCALL = {"x86_64": r"^syscall: SYSCALL/SYSRET entry ready",
           "aarch64": r"^syscall: SVC from EL0 routed"}
INTERRUPTS = {"x86_64": r"^interrupts: 8259 PIC remapped to 0xf0-0xff and masked; local APIC \d+ at "
                        r"0x[0-9a-f]+ on$",
              "aarch64": r"^interrupts: GICv3 distributor at 0x8000000 \(\d+ interrupt lines\), "
                         r"redistributor at 0x[0-9a-f]+$"}
# Where the kernel found its devices: the firmware's ACPI tables under both
# loaders (QEMU's q35 and virt machines publish them), the device tree
# when AArch64 runs with ACPI off.
FIRMWARE_ACPI = [r"^firmware: ACPI tables, revision \d+, through the XSDT at 0x[0-9a-f]+$"]
DEVICES = {"x86_64": r"^devices: local APIC at 0xfee00000 from the ACPI MADT; "
                     r"console on COM1, port 0x3f8 \(fixed\)$",
           "aarch64": r"^devices: GICv3 distributor at 0x8000000, redistributors at 0x80a0000 "
                      r"from the ACPI MADT; PL011 console at 0x9000000 \(INTID 33\) from the ACPI SPCR$"}
FIRMWARE_DT_ONLY = [r"^firmware: no ACPI tables$", r"^firmware: device tree, \d+ bytes$",
                    r"^devices: GICv3 distributor at 0x8000000, redistributors at 0x80a0000 "
                    r"from the device tree; PL011 console at 0x9000000 \(INTID 33\) from the device tree$"]
TIMER = {"x86_64": r"^timer: local APIC timer, (\d+) ticks per 10 ms against the PIT "
                   r"\(divide 16\), 100 Hz on vector 32$",
         "aarch64": r"^timer: generic timer at (\d+) Hz, virtual timer every \d+ counts, "
                    r"100 Hz on PPI 27$"}
# PCI: the ECAM window from the firmware (the MCFG, or the device tree with
# ACPI off), then one line per function -- the host bridge first, on bus 0
# -- and the count.
PCI_ECAM = r"^pci: ECAM at 0x[0-9a-f]+, segment 0, buses 00-ff \(({source})\)$"
PCI_HOST_BRIDGE = {"x86_64": r"^pci 00:00\.0 8086:29c0 class 06\.00 ",
                   "aarch64": r"^pci 00:00\.0 1b36:0008 class 06\.00 "}
PCI_SUMMARY = r"^pci: (\d+) functions? on (\d+) bus(es)?$"
PCI_MECHANISM1 = (r"^pci: configuration mechanism 1 \(ports 0xcf8/0xcfc\), segment 0, buses 00-ff "
                  r"\(no ECAM window in the firmware's tables\)$")
SCHED = (r"^sched: idle thread on the boot stack; kernel threads reaper \(\d+\) and watcher "
         r"\(\d+\); quantum 10 ticks$")
SMP = r"^smp: (\d+)/(\d+) CPUs online$"
DONE = r"^boot: foundation, safety net and verified modules ready; BSP idle between ticks$"
HELLO_READY = (r"^process (\d+) hello\.elf: ready, entry 0x400000, \d+ segments in \d+ pages, "
               r"stack below 0x800000$")
ECHO_READY = r"^process (\d+) echo\.elf: ready, entry 0x400000, "
SPAWNED = r"^spawn: 7 boot modules became processes$"
# Every second program to an AP: echo, key-store and udp, of hello, echo,
# shell, key-store, virtio-net, udp, fs.
DISTRIBUTED = r"^sched: 3 of the BSP's 7 ready tasks handed to the \d+ APs, round-robin$"
ALONE = r"^sched: one CPU schedules; its 7 ready tasks stay there$"
HELLO_CPU = r"^\[hello\.elf:{pid}\] hello: process {pid} on CPU 0$"
ECHO_START = r"^\[echo\.elf:{pid}\] echo: serving endpoint 28$"
HELLO_LINE = r"^\[hello\.elf:{pid}\] Hello from a signed boot module!$"
HELLO_EXIT = r"^process {pid} hello\.elf: exited with code 0$"
PANIC = r"^PANIC"

MEMMAP_TYPES = {"usable", "reserved", "acpi-reclaimable", "acpi-nvs",
                "bad-memory", "bootloader-reclaimable", "kernel-and-modules",
                "framebuffer"}
PAGE = 0x1000


# -- milestone checks (each consumes its lines from the run) ---------------

def check_banner(run, arch, timeout):
    match = run.wait_for(BANNER, timeout)
    assert match.group(2) == arch, f"banner names {match.group(2)}: {match[0]!r}"


def read_memmap(run, timeout):
    """Consume the memory map block; return [(base, length, type), ...]."""
    count = int(run.wait_for(MEMMAP_COUNT, timeout).group(1))
    header = run.read_lines(1, timeout)[0]
    assert re.match(MEMMAP_HEADER, header), f"bad memmap header {header!r}"
    rows = []
    while re.match(MEMMAP_ROW, run.peek_line(timeout)):
        base, length, kind = re.match(MEMMAP_ROW, run.read_lines(1)[0]).groups()
        rows.append((int(base, 16), int(length, 16), kind))
    assert len(rows) == count, f"memmap says {count} entries, printed {len(rows)}"
    return rows


def check_memmap_rules(rows):
    """Limine protocol: known types, sorted by base, usable and
    bootloader-reclaimable 4 KiB aligned, overlapping nothing, and page 0
    never usable."""
    assert rows, "empty memory map"
    unknown = {kind for _, _, kind in rows} - MEMMAP_TYPES
    assert not unknown, f"unknown memmap types {sorted(unknown)}"
    bases = [base for base, _, _ in rows]
    assert bases == sorted(bases), "memmap not sorted by base"
    for index, (base, length, kind) in enumerate(rows):
        if kind not in ("usable", "bootloader-reclaimable"):
            continue
        assert base % PAGE == 0 and length % PAGE == 0, \
            f"{kind} entry {base:#x}+{length:#x} not 4 KiB aligned"
        assert not (kind == "usable" and base < PAGE), "page 0 marked usable"
        for other, (obase, olength, okind) in enumerate(rows):
            overlap = base < obase + olength and obase < base + length
            assert other == index or not overlap, \
                f"{kind} {base:#x}+{length:#x} overlaps {okind} {obase:#x}+{olength:#x}"


def check_usable(run, mem, timeout):
    usable, total = map(int, run.wait_for(MEMMAP_USABLE, timeout).groups())
    low, high = USABLE_MIB[mem]
    assert low <= usable <= high, f"{usable} MiB usable with -m {mem}"
    assert usable <= total, f"{usable} MiB usable of only {total} MiB"


# The modules limine.conf lists, in order: (path, module string).
EXPECTED_MODULES = [("/boot/modules/kernel.sym", "kernel-symbols"),
                    ("/boot/modules/hello.elf", "hello"),
                    ("/boot/modules/echo.elf", "echo"),
                    ("/boot/modules/shell.elf", "shell"),
                    ("/boot/modules/key-store.elf", "key-store"),
                    ("/boot/modules/virtio-net.elf", "virtio-net"),
                    ("/boot/modules/udp.elf", "udp"),
                    ("/boot/modules/fs.elf", "fs")]


def check_modules(run, timeout):
    count = int(run.wait_for(MODULES, timeout).group(1))
    assert count == len(EXPECTED_MODULES), f"kernel reports {count} modules"
    for row, (want_path, want_string) in zip(run.read_lines(count, timeout), EXPECTED_MODULES):
        match = re.match(MODULE_ROW, row)
        assert match, f"bad module row {row!r}"
        path, size, string = match.groups()
        assert (path, string) == (want_path, want_string), f"module row {row!r}"
        assert int(size) > 72, f"module {path} is too small to carry a signature"


def check_foundation(run, arch, mem, timeout):
    """Heap (>= 4 MiB, above 1 MiB), frames (counts agree), kernel root,
    exception handlers, the system-call entry and the (verified) symbol
    table, in that order."""
    heap_kib, heap_phys = run.wait_for(HEAP, timeout).groups()
    assert int(heap_kib) >= 4096, f"heap of {heap_kib} KiB is below 4 MiB"
    assert int(heap_phys, 16) >= 0x100000, f"heap at 0x{heap_phys} is below 1 MiB"
    free, used, managed, free_mib = map(int, run.wait_for(FRAMES, timeout).groups())
    assert free + used == managed, f"frames: {free} + {used} != {managed}"
    run.wait_for(KERNEL_ROOT, timeout)
    # The bitmap covers a 2 GiB window; usable memory outside it is
    # reported (not silently dropped). The heap's 16 MiB are not in the pool.
    unmanaged = [int(m.group(1)) for m in map(UNMANAGED.match, run.lines()) if m]
    low, high = USABLE_MIB[mem]
    accounted = free_mib + sum(unmanaged) + int(heap_kib) // 1024
    assert low <= accounted <= high, \
        f"frames: {free_mib} MiB free + {sum(unmanaged)} MiB unmanaged with -m {mem}"
    run.expect_in_order([TRAPS[arch], SYSCALL[arch], SYMBOLS], timeout)


# Device interrupts: x86_64 reads q35's one I/O APIC from the MADT and
# routes the seed's ISA lines (none overridden on q35), masked; AArch64
# routes every SPI of the GICv3 to the boot CPU. Both keep the console's
# receive line for themselves.
DEVICE_INTERRUPTS = {
    "x86_64": [r"^interrupts: I/O APIC 0 at 0xfec00000, GSIs 0-23$"] + [
        rf"^interrupts: ISA IRQ {irq} \({re.escape(name)}\) -> GSI {irq}, vector {33 + irq}, "
        r"edge, active high$"
        for irq, name in ((1, "keyboard"), (3, "COM2"), (4, "COM1"), (12, "PS/2 mouse"),
                          (14, "IDE 0"), (15, "IDE 1"))] + [
        r"^interrupts: console input on COM1, GSI 4 \(the kernel's line\)$"],
    "aarch64": [r"^interrupts: 224 SPIs routed to this CPU, disabled until waited for; "
                r"console input on INTID 33 \(the kernel's line\)$"],
}


def check_hardware(run, arch, timeout):
    """The interrupt controller and its device lines, then a periodic timer
    that really counts."""
    run.wait_for(INTERRUPTS[arch], timeout)
    run.expect_in_order(DEVICE_INTERRUPTS[arch], timeout)
    rate = int(run.wait_for(TIMER[arch], timeout).group(1))
    assert rate > 0, f"timer: a rate of {rate}"


def check_pci(run, arch, source, timeout):
    """The ECAM window, the host bridge's line, and a count that agrees
    with the lines printed."""
    run.wait_for(PCI_ECAM.format(source=source), timeout)
    start = run.cursor
    run.wait_for(PCI_HOST_BRIDGE[arch], timeout)
    summary = run.wait_for(PCI_SUMMARY, timeout)
    functions = [line for line in run.lines()[start:run.cursor] if line.startswith("pci ")]
    assert int(summary.group(1)) == len(functions) >= 1, \
        f"pci: {summary[0]!r} after {len(functions)} function lines"


def check_smp(run, smp, timeout):
    online, total = map(int, run.wait_for(SMP, timeout).groups())
    assert (online, total) == (smp, smp), \
        f"smp: {online}/{total} CPUs online with -smp {smp}"


def check_processes_run(run, pid, echo, start, timeout):
    """After boot, hello and echo run as processes side by side: hello
    greets three times (it yields in between) and exits with code 0, the
    echo service starts (and then waits for messages, costing nothing).
    `start`: the line after the processes were made -- echo runs on an AP
    when there is one, and may speak before the BSP's last boot lines."""
    run.cursor = start
    for _ in range(3):
        run.wait_for(HELLO_LINE.format(pid=pid), timeout)
    run.wait_for(HELLO_EXIT.format(pid=pid), timeout)
    run.cursor = start
    run.wait_for(ECHO_START.format(pid=echo), timeout)


def check_milestones(run, arch, smp, mem, timeout=BOOT_TIMEOUT, firmware=None,
                     pci_source="MCFG"):
    """Every milestone in order; `timeout` bounds the first (firmware start
    included), each later one gets the same budget again. `firmware`: the
    lines saying where the devices were found (the ACPI tables by default);
    `pci_source`: where the ECAM window was found."""
    check_banner(run, arch, timeout)
    run.expect_in_order([BASE_REVISION, HHDM], timeout)
    check_memmap_rules(read_memmap(run, timeout))
    check_usable(run, mem, timeout)
    check_modules(run, timeout)
    run.expect_in_order(firmware or FIRMWARE_ACPI + [DEVICES[arch]], timeout)
    check_foundation(run, arch, mem, timeout)
    run.wait_for(SCHED, timeout)
    check_hardware(run, arch, timeout)
    check_pci(run, arch, pci_source, timeout)
    check_smp(run, smp, timeout)
    pid = run.wait_for(HELLO_READY, timeout).group(1)
    echo = run.wait_for(ECHO_READY, timeout).group(1)
    start = run.cursor
    run.wait_for(SPAWNED, timeout)
    run.wait_for(DISTRIBUTED if smp > 1 else ALONE, timeout)
    run.wait_for(DONE, timeout)
    run.cursor = start
    run.wait_for(HELLO_CPU.format(pid=pid), timeout)
    check_processes_run(run, pid, echo, start, timeout)
    panics = [line for line in run.lines() if re.match(PANIC, line)]
    assert not panics, f"kernel panicked: {panics}"


# -- tests -----------------------------------------------------------------

@pytest.mark.parametrize("mem", USABLE_MIB)
@pytest.mark.parametrize("smp", CPU_COUNTS, ids=lambda n: f"smp{n}")
@pytest.mark.parametrize("arch", ARCHES)
def test_boot(boot, built_image, arch, smp, mem):
    run = boot(arch, built_image(arch), smp=smp, mem=mem)
    check_milestones(run, arch, smp, mem)


def test_device_tree_without_acpi(boot, built_image):
    """AArch64 with ACPI off: AAVMF publishes only the device tree, where the
    loader finds the CPUs and the kernel its GIC and console UART."""
    run = boot("aarch64", built_image("aarch64"), smp=2, mem="256M",
               extra=("-machine", "acpi=off"))
    check_milestones(run, "aarch64", smp=2, mem="256M", firmware=FIRMWARE_DT_ONLY,
                     pci_source="device tree")


# A modern (non-transitional) virtio network device: its function line
# shows the device ID 0x1041, its BARs, MSI-X and the five virtio
# structures, all found inside its BARs. The network is QEMU's user mode,
# restricted: nothing leaves the machine.
VIRTIO_NET_LINE = (r"^pci 00:[0-9a-f]{2}\.0 1af4:1041 class 02\.00 .*\bmem64\b.*"
                   r"caps \S*msix\S* virtio pci-cfg,notify,device,isr,common$")


@pytest.mark.parametrize("arch", ARCHES)
def test_pci_finds_a_virtio_device(boot, built_image, arch):
    run = boot(arch, built_image(arch), smp=1, mem="256M",
               extra=("-netdev", "user,id=net0,restrict=on",
                      "-device", "virtio-net-pci,netdev=net0,disable-legacy=on"))
    run.wait_for(PCI_ECAM.format(source="MCFG"), BOOT_TIMEOUT)
    run.wait_for(VIRTIO_NET_LINE, BOOT_TIMEOUT)
    run.wait_for(PCI_SUMMARY, BOOT_TIMEOUT)
    run.wait_for(DONE, BOOT_TIMEOUT)


def test_pci_without_ecam_through_configuration_mechanism_1(boot, built_image):
    """x86_64 on QEMU's i440FX machine (`-M pc`, after the q35 default),
    whose ACPI tables have no MCFG: the kernel falls back to the
    configuration ports, and finds the i440FX host bridge and a virtio
    device as it finds q35's through ECAM, with a count that agrees."""
    run = boot("x86_64", built_image("x86_64"), smp=1, mem="256M",
               extra=("-M", "pc", "-netdev", "user,id=net0,restrict=on",
                      "-device", "virtio-net-pci,netdev=net0,disable-legacy=on"))
    run.wait_for(PCI_MECHANISM1, BOOT_TIMEOUT)
    start = run.cursor
    run.wait_for(r"^pci 00:00\.0 8086:1237 class 06\.00 ", BOOT_TIMEOUT)
    run.wait_for(VIRTIO_NET_LINE, BOOT_TIMEOUT)
    summary = run.wait_for(PCI_SUMMARY, BOOT_TIMEOUT)
    functions = [line for line in run.lines()[start:run.cursor] if line.startswith("pci ")]
    assert int(summary.group(1)) == len(functions) >= 3, \
        f"pci: {summary[0]!r} after {len(functions)} function lines"
    run.wait_for(DONE, BOOT_TIMEOUT)


# Genuine Limine's EFI binaries, where the workplace keeps them (beside the
# repository, never inside it); LIMINE_EFI_<ARCH> points elsewhere.
LIMINE_EFI_NAME = {"x86_64": "BOOTX64.EFI", "aarch64": "BOOTAA64.EFI"}
SHARED_LIMINE = REPO_ROOT.parent / "shared" / "limine"


def genuine_limine_efi(arch):
    """Path of genuine Limine's EFI binary for arch, or skip saying why."""
    variable = f"LIMINE_EFI_{arch.upper()}"
    if os.environ.get(variable):
        return os.path.abspath(os.environ[variable])
    default = SHARED_LIMINE / LIMINE_EFI_NAME[arch]
    if default.is_file():
        return str(default)
    pytest.skip(f"no genuine Limine: {default} does not exist and {variable} is not set "
                f"(point it at a Limine 8.x {LIMINE_EFI_NAME[arch]})")


@pytest.mark.parametrize("arch", ARCHES)
def test_genuine_limine(boot, make_image_with, tmp_path, arch):
    """Same milestones with a real Limine 8.x EFI binary instead of ours."""
    limine_efi = genuine_limine_efi(arch)
    image = tmp_path / "cambios-limine.img"
    make_image_with(arch, LIMINE_EFI=limine_efi, IMAGE_OUT=image)
    assert image.is_file(), f"make did not write IMAGE_OUT={image}"
    run = boot(arch, image, smp=4, mem="256M")
    check_milestones(run, arch, smp=4, mem="256M")
