"""Devices and the system calls for drivers, on a machine with a virtio-net
and a virtio-blk device, on both architectures (one boot per arch, shared
by the tests below).

- The device table matches what QEMU reports: every function the kernel
  prints (`pci bb:dd.f vvvv:dddd class cc.ss ... barN kind base size`) is
  one QEMU's monitor lists (QMP `query-pci`, the data behind `info pci`),
  with the same IDs, class and BARs, and none is missing.
- A user-space driver (user/mmio, given as a module) finds the virtio-net
  function, maps its BAR (claiming the device), reads the virtio common
  configuration and the MAC this test gave the device, gets a DMA page and
  its physical address; every hostile call is refused with its code and
  changes nothing (RAM, the kernel's own devices, the ECAM window, the
  device's MSI-X table, a range past its BAR, bad sizes and pointers,
  ports outside an I/O BAR); a second copy of the program is refused the held BAR
  and claims the virtio-blk device, whose claim is released when it ends.

The network is QEMU's user mode, restricted (`restrict=on`): nothing
leaves the machine. The devices carry no option ROM, so the firmware
neither runs driver code from them nor tries to boot from the network.
"""

import re

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, image_with_program, qemu

ARCHES = ("x86_64", "aarch64")
MAC = "52:54:00:c0:ff:ee"
PROGRAM_END = r"^process (\d+) mmio\.elf: exited with code (-?\d+)$"

FUNCTION = re.compile(r"^pci (?:[0-9a-f]{4}:)?([0-9a-f]{2}):([0-9a-f]{2})\.(\d) "
                      r"([0-9a-f]{4}):([0-9a-f]{4}) class ([0-9a-f]{2})\.([0-9a-f]{2}) ")
BAR = re.compile(r" bar(\d) (io|mem32|mem64)( pf)? 0x([0-9a-f]+) (\d+)([GMK]?)(?= |$)")
UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

_boots = {}


def _qemu_extra(tmp, qmp):
    blank = tmp / "blank.raw"
    with open(blank, "wb") as f:
        f.truncate(1 << 20)
    return ("-netdev", "user,id=net0,restrict=on",
            "-device", f"virtio-net-pci,netdev=net0,disable-legacy=on,romfile=,mac={MAC}",
            "-drive", f"if=none,id=blk0,format=raw,file={blank}",
            "-device", "virtio-blk-pci,drive=blk0,disable-legacy=on,romfile=",
            "-qmp", f"unix:{qmp},server=on,wait=off")


def _boot(arch, tmp):
    """Boots the machine, waits for the driver program's end, asks QEMU
    for its PCI devices; returns (serial lines, query-pci result)."""
    image = image_with_program(arch, "mmio", tmp, without=("virtio-net",))
    qmp = tmp / "monitor.sock"
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_devices_{arch}.log", smp=1,
                       mem="256M", extra=_qemu_extra(tmp, qmp), max_runtime=300)
    with run:
        run.wait_for(r"^pci: \d+ functions? on ", BOOT_TIMEOUT)
        end = run.wait_for(PROGRAM_END, 2 * BOOT_TIMEOUT)
        while end.group(1) != _parent_pid(run.lines()):  # the child's first
            end = run.wait_for(PROGRAM_END, BOOT_TIMEOUT)
        run.wait_for(rf"^device \S+ 1af4:1041: released by process {end.group(1)} ", BOOT_TIMEOUT)
        buses = qemu.qmp_execute(qmp, "query-pci")
        return run.lines(), buses


def _parent_pid(lines):
    for line in lines:
        m = re.match(r"^process (\d+) mmio\.elf: ready, ", line)
        if m:
            return m.group(1)
    return None


@pytest.fixture(scope="module")
def booted(tmp_path_factory):
    def get(arch):
        if arch not in _boots:
            try:
                _boots[arch] = _boot(arch, tmp_path_factory.mktemp(f"devices-{arch}"))
            except Exception as e:  # every test of the arch fails the same way
                _boots[arch] = e
        if isinstance(_boots[arch], Exception):
            raise _boots[arch]
        return _boots[arch]
    return get


# ------------------------------------------------------ the device table


def _qemu_functions(buses):
    """{(bus, slot, function): device} over every bus, bridges followed."""
    found = {}

    def visit(devices):
        for d in devices:
            found[(d["bus"], d["slot"], d["function"])] = d
            bridge = d.get("pci_bridge")
            if bridge:
                visit(bridge.get("devices", []))

    for bus in buses:
        visit(bus["devices"])
    return found


def _kernel_functions(lines):
    """{(bus, slot, function): (vendor, device, class, subclass, bars)} from
    the boot's `pci` lines; bars: {index: (kind, base, size, prefetchable)}."""
    found = {}
    for line in lines:
        m = FUNCTION.match(line)
        if not m:
            continue
        bus, slot, fn, vendor, device, cls, sub = m.groups()
        bars = {int(b[0]): (b[1], int(b[3], 16), int(b[4]) * UNITS[b[5]], bool(b[2]))
                for b in BAR.findall(line)}
        found[(int(bus, 16), int(slot, 16), int(fn))] = (
            int(vendor, 16), int(device, 16), int(cls, 16), int(sub, 16), bars)
    return found


def _qemu_bars(device):
    bars = {}
    for r in device.get("regions", []):
        if r["bar"] >= 6:
            continue  # the expansion ROM: not a BAR the kernel decodes
        if r["type"] == "io":
            kind = "io"
        else:
            kind = "mem64" if r.get("mem_type_64") else "mem32"
        address = r["address"]
        if address in (-1, (1 << 64) - 1):
            address = 0  # unassigned: the kernel reports base 0
        bars[r["bar"]] = (kind, address, r["size"], bool(r.get("prefetch", False)))
    return bars


@pytest.mark.parametrize("arch", ARCHES)
def test_the_device_table_matches_what_qemu_reports(booted, arch):
    lines, buses = booted(arch)
    kernel = _kernel_functions(lines)
    reported = _qemu_functions(buses)
    assert sorted(kernel) == sorted(reported), \
        f"functions: kernel {sorted(kernel)}, QEMU {sorted(reported)}"
    ids = set()
    for at, d in reported.items():
        vendor, device, cls, sub, bars = kernel[at]
        ids.add((vendor, device))
        assert (vendor, device) == (d["id"]["vendor"], d["id"]["device"]), at
        assert (cls << 8 | sub) == d["class_info"]["class"], at
        assert bars == _qemu_bars(d), f"{at}: kernel {bars}, QEMU {_qemu_bars(d)}"
    # Both devices this test attached are in it (modern virtio IDs).
    assert {(0x1af4, 0x1041), (0x1af4, 0x1042)} <= ids


# ------------------------------------------------------- a driver's calls


def _program_lines(lines, pid):
    prefix = f"[mmio.elf:{pid}] "
    return [line[len(prefix):] for line in lines if line.startswith(prefix)]


REFUSALS = {
    "x86_64": ["MapMmio of RAM (its own DMA page): -2", "MapMmio of RAM at 1 MiB: -2",
               "MapMmio of the local APIC: -2", "MapMmio of the I/O APIC: -2",
               "MapMmio of the ECAM window: -2", "PortIo of COM1: -2",
               "PortIo of the PCI config address port: -2"],
    "aarch64": ["MapMmio of RAM (its own DMA page): -2", "MapMmio of RAM at 1 GiB: -2",
                "MapMmio of the GIC distributor: -2",
                "MapMmio of the GIC redistributors: -2",
                "MapMmio of the console UART: -2", "MapMmio of the ECAM window: -2",
                "PortIo (no port space): -38"],
}
COMMON_REFUSALS = ["MapMmio of its MSI-X table (BAR1): -2", "MapMmio running past the BAR: -2", "MapMmio misaligned: -1",
                   "MapMmio of 0 pages: -1", "MapMmio of 257 pages: -1",
                   "AllocDma of 0 pages: -1", "AllocDma of 65 pages: -1",
                   "AllocDma of 2^40 pages: -1", "AllocDma with flags: -1",
                   "AllocDma to a bad pointer: -14"]


@pytest.mark.parametrize("arch", ARCHES)
def test_a_driver_maps_its_device_and_nothing_else(booted, arch):
    lines, _ = booted(arch)
    parent = _parent_pid(lines)
    assert parent, "mmio.elf never became a process"
    ends = dict(re.match(PROGRAM_END, line).groups() for line in lines
                if re.match(PROGRAM_END, line))
    assert ends.get(parent) == "0", f"mmio.elf ended {ends}"
    children = [pid for pid in ends if pid != parent]
    assert len(children) == 1 and ends[children[0]] == "0", f"mmio.elf ended {ends}"
    child = children[0]
    out = _program_lines(lines, parent)

    found = next(line for line in out if line.startswith("mmio: virtio-net at "))
    net = re.match(r"mmio: virtio-net at ([0-9a-f]{2}):([0-9a-f]{2})\.(\d), virtio structures "
                   r"0x([0-9a-f]+), common config in BAR(\d) at \+0x[0-9a-f]+, "
                   r"device config at \+0x[0-9a-f]+$", found)
    assert net and int(net.group(4), 16) == 0xf, found
    where = f"{net.group(1)}:{net.group(2)}.{net.group(3)}"
    assert f"device {where} 1af4:1041: claimed by process {parent}" in lines

    mapped = next(line for line in out if line.startswith("mmio: BAR "))
    assert re.match(r"mmio: BAR 0x[0-9a-f]+ \(\d+ pages\) mapped at 0x40001000$", mapped), mapped
    common = next(line for line in out if line.startswith("mmio: common config: "))
    m = re.match(r"mmio: common config: device features 0x([0-9a-f]+), num_queues (\d+), "
                 r"device_status 0x[0-9a-f]+; mac ([0-9a-f:]{17})$", common)
    assert m, common
    assert int(m.group(1), 16) & (1 << 32), f"VERSION_1 not offered: {common}"
    assert int(m.group(2)) >= 2 and m.group(3) == MAC, common
    dma = next(line for line in out if line.startswith("mmio: DMA page at "))
    m = re.match(r"mmio: DMA page at 0x50001000, physical 0x([0-9a-f]+)$", dma)
    assert m and int(m.group(1), 16) % 4096 == 0 and int(m.group(1), 16) > 0, dma

    refusals = [line[len("mmio: refused "):] for line in out
                if line.startswith("mmio: refused ")]
    assert refusals == REFUSALS[arch] + COMMON_REFUSALS
    assert "mmio: the refusals changed nothing" in out

    # The other driver: refused what the first holds, holds what it claims
    # until it ends.
    assert _program_lines(lines, child) == [
        found,
        "mmio: refused MapMmio of the virtio-net BAR another process holds: -2",
        "mmio: (child) mapped the virtio-blk BAR and got a DMA page of its own",
    ]
    blk = [line for line in lines if re.match(r"^device \S+ 1af4:1042: ", line)]
    events = [_released(re.sub(r"^device \S+ 1af4:1042: ", "", line)) for line in blk]
    assert events[:3] == [f"claimed by process {child}", f"released by process {child}",
                          f"claimed by process {parent}"], blk
    # The parent's release of it, if the boot got that far before the
    # monitor was asked.
    assert events[3:] in ([], [f"released by process {parent}"]), blk
    assert out[-2:] == ["mmio: the virtio-blk BAR the child held is mapped here after it ended",
                        "mmio: all checks passed"]
    # The parent's own claim ends with it.
    assert f"released by process {parent}" in [
        _released(line[len(f"device {where} 1af4:1041: "):]) for line in lines
        if line.startswith(f"device {where} 1af4:1041: ")]


def _released(event):
    """'released by process N' for a release whose command register reads
    back with bus mastering (bit 2) off; any other event as it is."""
    m = re.match(r"^(released by process \d+) \(it ended\); bus mastering off, "
                 r"command 0x([0-9a-f]{4})$", event)
    if not m:
        return event
    command = int(m.group(2), 16)
    assert command != 0xffff and not command & 0x4, event
    return m.group(1)
