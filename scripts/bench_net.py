#!/usr/bin/python3
"""bench_net: UDP echo from the host through QEMU's user network.

`make bench-net ARCH=...` runs this script on the normal image
(build/<arch>/cambios.img). It boots the image with the virtio-net device
and a loopback UDP forward to the echo port (scripts/qemu.py,
network_devices(): the same network `make run` has), and on x86_64 also
Debian's Linux 6.1 in the same QEMU machine with the same network and an
initramfs of our own (tests/bench/linux/udp_echo.c: loads virtio_net,
sets 10.0.2.15/24, echoes port 7). Both run at once, each waiting
idle while the other is measured; the measurements alternate between
them, payload by payload, so a change in the host's load while the
script runs falls on both columns alike.

From the host, for 64- and 1,472-byte payloads (1,472 is the largest a
1,500-byte MTU carries in one IPv4 datagram), each guest is measured
twice:
  - round trip: one datagram at a time, each sent once its echo is back;
    the median and 99th percentile of the round trips, in microseconds;
  - throughput: a window of datagrams kept in flight (8, then 16), each sent as an echo
    frees a place; echoed datagrams per second over the run.
Every echo is checked byte for byte against what was sent (the first 8
bytes are a sequence number, the rest a pattern that depends on it). A
datagram whose echo has not come back after TIMEOUT seconds is counted
lost and its place reused; an echo arriving after that, or one that
answers nothing outstanding, is counted stray; a mismatching echo is
counted corrupt. Losses are figures; a corrupt echo makes the script
exit 1 after printing the table.

The figures are host wall-clock time: QEMU runs without -icount, since
its user network (slirp) runs on the host's clock, and a guest under
emulation (TCG, no KVM) is as fast as the host lets it be that moment.
They move with the host's load; the ratio of two guests measured
alternately in one run moves less. Nothing here asserts speed.

Standard library only; QEMU command lines come from scripts/qemu.py,
the Linux kernel package and the initramfs format from
scripts/bench_guest.py.
"""

import argparse
import collections
import contextlib
import math
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_guest  # noqa: E402  (scripts/bench_guest.py, beside this file)
import qemu  # noqa: E402

PAYLOADS = (64, 1472)
LATENCY_ROUNDS = 2000
THROUGHPUT_COUNT = 10000
# Datagrams kept in flight. CambiOS's stack echoes 8 in flight without
# a loss and drops many at 16 (README, "UDP echo benchmark"): both shown.
WINDOWS = (8, 16)
WARMUP = 200
TIMEOUT = 1.0
# Room for many windows of the largest datagrams, should the script fall behind.
SOCKET_BUFFER = 1 << 18
# Sequence numbers never repeat within a run (an echo from one
# measurement arriving during the next is a stray, never a match).
SEQUENCE = struct.Struct("!Q")
PATTERN = bytes((i * 7 + 3) & 0xff for i in range(256 + max(PAYLOADS)))

BOOT_TIMEOUT = 300
LINUX_CMDLINE = "console=ttyS0 quiet panic=-1"
# What the echo needs from Debian's modules: the device's transport and
# its driver (their dependencies are found in the modules themselves).
LINUX_NET_MODULES = ("virtio_pci", "virtio_net")

UDP = r"^\[udp\.elf:\d+\] udp: "
CAMBIOS_LINK_UP = UDP + r"link up: driver generation \d+, mac "
# The SNTP client's last word (an answer, or none after five tries two
# seconds apart). Until then the stack polls for its retry timer, which
# would take CPU from the echo: the measurements wait for it.
CAMBIOS_SNTP_DONE = UDP + r"sntp: (time is|no answer)"
LINUX_READY = r"linux-net: echo on 10\.0\.2\.15 port 7 via (\S+)$"


class BenchError(RuntimeError):
    """A guest did not come up or did not echo."""


# ---------------------------------------------------------------------------
# Datagrams
# ---------------------------------------------------------------------------

def datagram(sequence, size):
    """The bytes sent as datagram `sequence`: its number, then a pattern
    starting at a place that depends on it."""
    start = sequence % 251
    return SEQUENCE.pack(sequence) + PATTERN[start:start + size - SEQUENCE.size]


def sequence_of(data):
    return SEQUENCE.unpack_from(data)[0] if len(data) >= SEQUENCE.size else None


def percentile(sorted_values, fraction):
    """Nearest rank: the smallest value with `fraction` of them at or below."""
    rank = max(math.ceil(fraction * len(sorted_values)), 1)
    return sorted_values[rank - 1]


class EchoClient:
    """A UDP socket on 127.0.0.1 connected to one guest's forwarded echo
    port; numbers the datagrams it sends."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.connect(("127.0.0.1", port))
        self.next_sequence = 0

    def close(self):
        self.sock.close()

    def send_next(self, size):
        data = datagram(self.next_sequence, size)
        self.next_sequence += 1
        self.sock.send(data)
        return data

    def receive(self, wait):
        """One echo, or None after `wait` seconds."""
        self.sock.settimeout(max(wait, 1e-6))
        try:
            return self.sock.recv(4096)
        except (socket.timeout, ConnectionRefusedError):
            # Refused: QEMU's forward answered ICMP before the guest was
            # there; nothing came back either way.
            return None

    def drain(self, wait=0.2):
        """Echoes still arriving after a measurement: how many."""
        count = 0
        while self.receive(wait) is not None:
            count += 1
        return count


def measure_round_trips(client, size, rounds, timeout=TIMEOUT):
    """One datagram at a time: median and p99 round trip in microseconds."""
    times, lost, stray, corrupt = [], 0, 0, 0
    for _ in range(rounds):
        started = time.perf_counter_ns()
        sent = client.send_next(size)
        deadline = time.monotonic() + timeout
        while True:
            back = client.receive(deadline - time.monotonic())
            if back is None:
                lost += 1
                break
            if sequence_of(back) != sequence_of(sent):
                stray += 1
                continue
            if back == sent:
                times.append((time.perf_counter_ns() - started) / 1000)
            else:
                corrupt += 1
            break
    stray += client.drain()
    times.sort()
    return {
        "median_us": percentile(times, 0.5) if times else None,
        "p99_us": percentile(times, 0.99) if times else None,
        "echoed": len(times), "lost": lost, "stray": stray, "corrupt": corrupt,
    }


def _overtaken(in_flight, sequence):
    """Takes out the datagrams sent before `sequence`, whose echo is now
    overdue (the path keeps order); returns how many."""
    overdue = [s for s in in_flight if s < sequence]
    for s in overdue:
        del in_flight[s]
    return len(overdue)


def measure_throughput(client, size, count, window, timeout=TIMEOUT):
    """`window` datagrams in flight until `count` are sent and answered
    (or given up): echoes per second, from the first send to the last echo.

    A datagram is given up as lost when a later one's echo comes back
    first (nothing on the way reorders: one host socket, QEMU's one
    network thread, one guest queue) or after `timeout` seconds, and its
    place in the window goes to the next; an echo that comes back after
    all is counted stray.
    """
    in_flight = collections.OrderedDict()  # sequence -> (bytes, deadline), oldest first
    sent = echoed = lost = stray = corrupt = 0
    started = last_echo = time.perf_counter()
    while sent < count or in_flight:
        while sent < count and len(in_flight) < window:
            data = client.send_next(size)
            in_flight[sequence_of(data)] = (data, time.monotonic() + timeout)
            sent += 1
        oldest, (_, deadline) = next(iter(in_flight.items()))
        back = client.receive(deadline - time.monotonic())
        if back is None:
            if time.monotonic() >= deadline:
                del in_flight[oldest]
                lost += 1
            continue
        sequence = sequence_of(back)
        expected = in_flight.pop(sequence, None)
        if expected is None:
            stray += 1
            continue
        lost += _overtaken(in_flight, sequence)
        if back == expected[0]:
            echoed += 1
            last_echo = time.perf_counter()
        else:
            corrupt += 1
    seconds = last_echo - started
    stray += client.drain()
    return {"per_second": echoed / seconds if echoed and seconds > 0 else None,
            "window": window, "echoed": echoed, "lost": lost, "stray": stray,
            "corrupt": corrupt}


def warm_up(client, name, size, rounds=WARMUP):
    """Round trips not counted: caches, the guest's ARP entry for the
    gateway, QEMU's translated code. At least one must come back."""
    result = measure_round_trips(client, size, rounds)
    if not result["echoed"]:
        raise BenchError(f"{name}: none of {rounds} datagrams of {size} bytes came back")


# ---------------------------------------------------------------------------
# The Linux guest's files
# ---------------------------------------------------------------------------

def _module_depends(path):
    """The module names a .ko's .modinfo says it needs."""
    match = re.search(rb"(?:^|\0)depends=([^\0]*)\0", Path(path).read_bytes())
    if not match or not match.group(1):
        return []
    return match.group(1).decode().split(",")


def _module_name(path):
    return Path(path).name[:-len(".ko")].replace("-", "_")


def module_load_order(modules_root, wanted):
    """Paths of the `wanted` modules and everything they depend on,
    dependencies first (the kernel refuses a module whose symbols are not
    loaded yet). A module built into the kernel is left out."""
    index = {_module_name(p): p for p in Path(modules_root).rglob("*.ko")}
    builtin = set()
    for listing in Path(modules_root).glob("*/modules.builtin"):
        builtin |= {_module_name(line) for line in listing.read_text().split()}
    order = []

    def visit(name, chain):
        if name in builtin or index.get(name) in order:
            return
        if name not in index:
            raise BenchError(f"module {name} is neither in the package nor built in")
        if name in chain:
            raise BenchError(f"modules depend on each other: {' -> '.join(chain + (name,))}")
        for needed in _module_depends(index[name]):
            visit(needed, chain + (name,))
        order.append(index[name])

    for name in wanted:
        visit(name, ())
    return order


def _keep_modules(cache, root):
    """Copies the modules the echo needs to cache/modules/NN-name.ko."""
    modules = cache / "modules"
    shutil.rmtree(modules, ignore_errors=True)
    modules.mkdir()
    for i, path in enumerate(module_load_order(root / "lib" / "modules", LINUX_NET_MODULES)):
        shutil.copyfile(path, modules / f"{i + 1:02d}-{path.name}")
    # Written last: the modules are whole and from the kernel beside them.
    shutil.copyfile(cache / "vmlinuz.version", modules / "version")


def linux_files(cache):
    """Debian's vmlinuz and, in load order, the modules the echo needs,
    downloaded and extracted into `cache` once. Kept in a cache of their
    own (not bench-guest's), so kernel and modules always come from the
    same package."""
    cache = Path(cache)
    version = cache / "modules" / "version"
    if not (version.is_file() and (cache / "vmlinuz").is_file()
            and version.read_text() == (cache / "vmlinuz.version").read_text()):
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            deb, root = bench_guest.download_kernel_package(tmp)
            bench_guest.keep_kernel(cache, deb, root)
            _keep_modules(cache, root)
    return cache / "vmlinuz", sorted((cache / "modules").glob("*.ko"))


def write_linux_initramfs(path, echo_program, modules):
    files = {"init": Path(echo_program).read_bytes()}
    files.update({f"modules/{m.name}": m.read_bytes() for m in modules})
    return bench_guest.write_archive(path, files)


# ---------------------------------------------------------------------------
# Booting
# ---------------------------------------------------------------------------

def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """A booted guest and the echo client that reaches it."""

    def __init__(self, name, run, port):
        self.name, self.run, self.port = name, run, port
        self.client = None

    def wait_ready(self, patterns, timeout):
        try:
            self.run.expect_in_order(patterns, timeout=timeout)
        except AssertionError as err:
            raise BenchError(f"{self.name} did not come up: {err}") from None
        self.client = EchoClient(self.port)


def make_run_devices(port):
    """`make run`'s devices, for either guest: the network with the echo
    forward from 127.0.0.1:`port`, and the virtio-rng device (the
    key-store's entropy; Linux loads no driver for it)."""
    return qemu.network_devices(port) + qemu.rng_devices()


def start_cambios(stack, arch, image, log):
    port = free_udp_port()
    fail = qemu.DEFAULT_FAIL_PATTERNS + (r"^user fault: (udp|virtio-net)\.elf",)
    run = stack.enter_context(qemu.QemuRun(
        arch, image, log, extra=make_run_devices(port), fail_patterns=fail,
        max_runtime=BOOT_TIMEOUT + 1800))
    return Guest("CambiOS", run, port)


def start_linux(stack, linux_dir, echo_program, log):
    """Debian's kernel with our initramfs in CambiOS's x86_64 machine
    (scripts/qemu.py's q35 and OVMF, which starts the -kernel through its
    EFI stub; an empty disk where the image would be), same network."""
    linux_dir = Path(linux_dir)
    kernel, modules = linux_files(linux_dir)
    initrd = write_linux_initramfs(linux_dir / "initramfs.cpio", echo_program, modules)
    disk = linux_dir / "empty.img"
    if not disk.is_file():
        disk.write_bytes(bytes(1 << 20))
    port = free_udp_port()
    extra = make_run_devices(port) + ("-kernel", str(kernel), "-initrd", str(initrd),
                                      "-append", LINUX_CMDLINE)
    run = stack.enter_context(qemu.QemuRun(
        "x86_64", disk, log, extra=extra, fail_patterns=(r"Kernel panic", r"linux-net: failed"),
        max_runtime=BOOT_TIMEOUT + 1800))
    return Guest("Linux 6.1", run, port)


def measure(guests, sizes=PAYLOADS, rounds=LATENCY_ROUNDS, count=THROUGHPUT_COUNT,
            windows=WINDOWS, progress=print):
    """{(guest name, size): {"round_trip": figures, window: figures...}},
    the guests taking turns at each measurement."""
    results = {(guest.name, size): {} for guest in guests for size in sizes}
    for size in sizes:
        for guest in guests:
            warm_up(guest.client, guest.name, size)
        for guest in guests:
            progress(f"bench-net: {guest.name}, {size} B, {rounds} round trips")
            results[guest.name, size]["round_trip"] = measure_round_trips(
                guest.client, size, rounds)
        for window in windows:
            for guest in guests:
                progress(f"bench-net: {guest.name}, {size} B, {count} datagrams, "
                         f"{window} in flight")
                results[guest.name, size][window] = measure_throughput(
                    guest.client, size, count, window)
    return results


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

def _figure(value):
    return "-" if value is None else f"{value:,.0f}"


def _ratio(mine, theirs):
    return f"{mine / theirs:.2f}x" if mine and theirs else "-"


def _measures(windows):
    """(row label, how to read its figure from one guest's results)."""
    rows = [(f"echoes/s, {w} in flight", lambda r, w=w: r[w]["per_second"]) for w in windows]
    return rows + [
        ("round trip, median (us)", lambda r: r["round_trip"]["median_us"]),
        ("round trip, p99 (us)", lambda r: r["round_trip"]["p99_us"]),
    ]


def _counts(results, windows):
    """Lost per measurement, and stray / corrupt over all of them."""
    parts = [results[w]["lost"] for w in windows] + [results["round_trip"]["lost"]]
    every = [results[w] for w in windows] + [results["round_trip"]]
    lost = " / ".join(str(n) for n in parts)
    others = " / ".join(str(sum(f[k] for f in every)) for k in ("stray", "corrupt"))
    return lost, others


def _rows(names, results, size, windows):
    ratio = len(names) == 2
    rows = []
    for label, read in _measures(windows):
        figures = [read(results[name, size]) for name in names]
        rows.append([f"{size:,} B", label] + [_figure(f) for f in figures]
                    + ([_ratio(*figures)] if ratio else []))
    counts = [_counts(results[name, size], windows) for name in names]
    in_flight = " / ".join(str(w) for w in windows)
    rows.append([f"{size:,} B", f"lost ({in_flight} in flight / 1 at a time)"]
                + [c[0] for c in counts] + ([""] if ratio else []))
    rows.append([f"{size:,} B", "stray / corrupt"] + [c[1] for c in counts]
                + ([""] if ratio else []))
    return rows


def format_table(arch, names, results, sizes=PAYLOADS, windows=WINDOWS, load=None):
    """One row per payload and measure; a ratio column with two guests."""
    header = ["payload", "measure"] + list(names)
    if len(names) == 2:
        header.append(f"{names[0]}/{names[1]}")
    rows = [header]
    for size in sizes:
        rows += _rows(names, results, size, windows)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) if i < 2 else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    title = (f"UDP echo from the host through QEMU's user network, {arch}, 1 CPU "
             "(host wall-clock time, QEMU without -icount; figures only, nothing asserted)")
    notes = []
    if len(names) == 2:
        notes.append("Ratios: the first guest's figure over the second's (echoes/s: higher "
                     "is faster; round trips: lower is faster).")
    notes.append(f"Lost: no echo within {TIMEOUT:g} s, or a later datagram's echo came "
                 "back first. Stray: an echo after that.")
    if len(names) == 2:
        notes.append("Both guests booted at once; every measurement alternates between them.")
    if load:
        notes.append(f"Host load average (1 min): {load[0]:.2f} at the start, "
                     f"{load[1]:.2f} at the end; the host's other work is in the figures.")
    return "\n".join([title, ""] + lines + [""] + notes)


def any_corrupt(results):
    return any(figures["corrupt"] for per_guest in results.values()
               for figures in per_guest.values())


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench_net.py",
        description="UDP echo through QEMU's user network, CambiOS beside Linux (make bench-net).")
    parser.add_argument("--arch", required=True, choices=qemu.ARCHES)
    parser.add_argument("--image", required=True, type=Path)
    parser.add_argument("--linux-echo", type=Path,
                        help="x86_64: the Linux guest's init (tests/bench/linux/udp_echo.c, "
                             "built static)")
    parser.add_argument("--linux-dir", type=Path,
                        help="where Debian's kernel and modules are cached and the "
                             "initramfs written")
    parser.add_argument("--rounds", type=int, default=LATENCY_ROUNDS,
                        help=f"round trips per payload (default {LATENCY_ROUNDS})")
    parser.add_argument("--count", type=int, default=THROUGHPUT_COUNT,
                        help=f"datagrams per throughput run (default {THROUGHPUT_COUNT})")
    parser.add_argument("--windows", type=int, nargs="+", default=list(WINDOWS),
                        help="datagrams in flight, one throughput run each "
                             f"(default {' '.join(map(str, WINDOWS))})")
    return parser.parse_args(argv)


def _boot(stack, args):
    log = args.image.parent / "bench-net-serial.log"
    print(f"bench-net: booting {args.image} (serial log {log})", flush=True)
    guests = [start_cambios(stack, args.arch, args.image, log)]
    if args.linux_echo and args.arch == "x86_64":
        linux_log = args.linux_dir / "serial.log"
        print(f"bench-net: booting Debian's Linux 6.1 beside it (serial log {linux_log})",
              flush=True)
        guests.append(start_linux(stack, args.linux_dir, args.linux_echo, linux_log))
    guests[0].wait_ready([CAMBIOS_LINK_UP, CAMBIOS_SNTP_DONE], BOOT_TIMEOUT)
    if len(guests) > 1:
        guests[1].wait_ready([LINUX_READY], BOOT_TIMEOUT)
    for guest in guests:
        stack.callback(guest.client.close)
    return guests


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with contextlib.ExitStack() as stack:
            guests = _boot(stack, args)
            print(f"bench-net: {', '.join(g.name for g in guests)} up; measuring", flush=True)
            load_before = os.getloadavg()[0]
            results = measure(guests, rounds=args.rounds, count=args.count,
                              windows=args.windows,
                              progress=lambda line: print(line, flush=True))
            load = (load_before, os.getloadavg()[0])
    except (BenchError, qemu.SetupError, subprocess.CalledProcessError,
            bench_guest.BenchError) as err:
        print(f"bench_net.py: {err}", file=sys.stderr)
        return 1
    print()
    print(format_table(args.arch, [g.name for g in guests], results, windows=args.windows,
                       load=load))
    if any_corrupt(results):
        print("bench_net.py: an echo came back different from what was sent", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
