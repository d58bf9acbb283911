#!/usr/bin/python3
"""bench_guest: what CambiOS's basic operations cost in guest instructions.

`make bench-guest ARCH=...` builds build/<arch>-bench/cambios.img (ten
signed modules: kernel.sym, the seven programs of every image, bench,
bench-exit) and
runs this script, which boots it under QEMU with -icount
shift=0,sleep=off, reads what user/bench/bench.c prints and turns it into
one table. On x86_64 it
also boots Debian's Linux 6.1 in the same machine with an initramfs of our
own (tests/bench/linux/init.c) and puts Linux's figures beside ours.

Why instructions: under -icount shift=0 guest time advances exactly one
nanosecond per guest instruction, so the TSC (and the AArch64 counter,
at CNTFRQ) counts instructions, whatever else the host is doing. sleep=off
makes an idle guest jump ahead to its next timer instead of waiting, which
only shows in a figure if the guest went idle inside it.

Two CPUs: a second boot of the same image with -smp 2 measures what
crosses CPUs (bench spawns its peer, and Spawn places it on the idle
CPU). QEMU allows -icount with several CPUs by running them in one host
thread, in turns: a CPU runs until it halts or its share of the time to
the next timer event is used up, then the next one runs. The counter is
one clock for the whole machine, so a two-CPU figure is the number of
instructions all CPUs executed between the two events -- including, for
a wake-up, the sender's own way into its receive and its CPU's idle halt
before the receiver's CPU takes the inter-processor interrupt. That is
guest time in instructions, not the length of one CPU's path, and on
real parallel hardware the sender's part would overlap the receiver's.

Nothing here asserts time: the targets are printed for information.
Standard library only; QEMU command lines come from scripts/qemu.py.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402  (scripts/qemu.py, beside this file)

ICOUNT = ("-icount", "shift=0,sleep=off")
LINUX_CMDLINE = "console=ttyS0 quiet panic=-1"
LINUX_META_PACKAGE = "linux-image-amd64"
LINUX_PACKAGE = re.compile(r"^linux-image-6\.1\.[0-9.-]+-amd64$")
NS_PER_SECOND = 1_000_000_000

# (key, what is measured, CambiOS's calls, Linux's calls)
OPERATIONS = (
    ("null-syscall", "null system call", "GetPid", "getppid"),
    ("yield-pair", "yield pair, 2 processes", "Yield", "sched_yield"),
    ("ipc-256", "IPC round trip, 256 B", "Write+RecvMsg, echo", "pipe"),
    ("objput-objget-4k", "ObjPut + ObjGet, 4 KiB", "ObjPut+ObjGet", None),
    ("spawn-wait", "start + wait, tiny program", "Spawn+WaitTask", "fork+exec+wait"),
    ("wake-same-cpu", "wake-up: send to receiver running", "Write, RecvMsg", None),
    ("ipc-256-cross-cpu", "IPC round trip, 256 B, 2 CPUs", "Write+RecvMsg, peer", None),
    ("wake-cross-cpu", "wake-up across CPUs (IPI)", "Write, RecvMsg", None),
    ("boot", "kernel entry to 1st user instr.", "10 signed modules", None),
)

# The operations measured in the second boot, with two CPUs.
TWO_CPU_OPERATIONS = ("ipc-256-cross-cpu", "wake-cross-cpu")

# The targets for CambiOS, in instructions (information only).
TARGETS = {
    "null-syscall": {"x86_64": 60, "aarch64": 100},
    "yield-pair": 1500,
    "ipc-256": 2600,
    "boot": 5_000_000,
}

KERNEL_ENTRY = re.compile(r"^boot: kernel entered at counter (\d+)$")
# The main bench program's lines; the program's process number varies.
BENCH_LINE = re.compile(r"^\[bench\.elf:\d+\] bench: (\S+)((?: -?\d+)*)$")
LINUX_LINE = re.compile(r"linux-bench: (\S+)((?: -?\d+)*)$")
BENCH_FAILED = re.compile(r"^\[bench\.elf:\d+\] bench: failed (.*)$")
LINUX_FAILED = re.compile(r"linux-bench: failed (.*)$")


class BenchError(RuntimeError):
    """A run did not produce its figures."""


# ---------------------------------------------------------------------------
# Reading what the guests print
# ---------------------------------------------------------------------------

def _records(lines, pattern):
    """{name: [numbers]} of every line matching pattern (the last wins)."""
    found = {}
    for line in lines:
        match = pattern.search(line)
        if match:
            found[match.group(1)] = [int(n) for n in match.group(2).split()]
    return found


def _per_operation(records, hz):
    """Instructions per operation for every "<op> <rounds> <ticks>" record."""
    figures = {}
    for key, _what, _ours, _theirs in OPERATIONS:
        numbers = records.get(key)
        if numbers and len(numbers) == 2 and numbers[0] > 0:
            rounds, ticks = numbers
            figures[key] = ticks * NS_PER_SECOND / hz / rounds
    return figures


def _check_finished(lines, failed, records, who):
    for line in lines:
        match = failed.search(line)
        if match:
            raise BenchError(f"{who} failed: {match.group(1)}")
    if "done" not in records:
        raise BenchError(f"{who}: no 'done' line; the run did not finish")
    if not records.get("counter-hz") or records["counter-hz"][0] <= 0:
        raise BenchError(f"{who}: no counter-hz line")


def parse_cambios(lines, cpus=1):
    """Instructions per operation from a CambiOS bench boot's serial lines.

    "boot" is the kernel's entry count (its "boot: kernel entered" line)
    subtracted from the bench program's first-instruction count. With two
    CPUs bench must have found its peer on the other CPU ("cpus" line).
    """
    records = _records(lines, BENCH_LINE)
    _check_finished(lines, BENCH_FAILED, records, "CambiOS bench")
    if cpus > 1 and "cpus" not in records:
        raise BenchError(f"CambiOS bench with {cpus} CPUs: the peer ran on "
                         "bench's own CPU, so nothing crossed CPUs")
    hz = records["counter-hz"][0]
    figures = _per_operation(records, hz)
    entries = [int(m.group(1)) for m in map(KERNEL_ENTRY.match, lines) if m]
    first = records.get("first-instruction")
    if entries and first:
        figures["boot"] = (first[0] - entries[0]) * NS_PER_SECOND / hz
    return figures


def parse_linux(lines):
    """Instructions per operation from the Linux initramfs's serial lines."""
    records = _records(lines, LINUX_LINE)
    _check_finished(lines, LINUX_FAILED, records, "Linux bench")
    return _per_operation(records, records["counter-hz"][0])


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

def _number(value):
    return "-" if value is None else f"{round(value):,}"


def _target(key, arch):
    target = TARGETS.get(key)
    if isinstance(target, dict):
        target = target.get(arch)
    return "-" if target is None else f"<= {target:,}"


def format_table(arch, ours, linux=None):
    """The table: one row per operation, CambiOS, Linux, their ratio, target.

    `linux` is None when Linux was not run (AArch64): its columns are left
    out rather than shown empty.
    """
    header = ["operation", "CambiOS calls", "CambiOS"]
    if linux is not None:
        header += ["Linux calls", "Linux 6.1", "CambiOS/Linux"]
    header += ["target"]
    rows = [header]
    for key, what, our_calls, their_calls in OPERATIONS:
        mine = ours.get(key)
        row = [what, our_calls, _number(mine)]
        if linux is not None:
            theirs = linux.get(key) if their_calls else None
            ratio = f"{mine / theirs:.2f}x" if mine and theirs else "-"
            row += [their_calls or "-", _number(theirs), ratio]
        rows.append(row + [_target(key, arch)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    # Text columns flush left, figures flush right.
    text_columns = {0, 1, 3} if linux is not None else {0, 1}
    lines = []
    for row in rows:
        cells = [cell.ljust(width) if i in text_columns else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    title = (f"guest instructions per operation, {arch}, QEMU -icount shift=0 "
             f"(1 CPU; figures only, nothing asserted)")
    note = ("2 CPUs: a second boot with -smp 2; QEMU runs the CPUs in turns "
            "and a figure counts\nthe instructions all CPUs executed in between "
            "(see the top of scripts/bench_guest.py).")
    return "\n".join([title, ""] + lines + ["", note])


# ---------------------------------------------------------------------------
# Booting
# ---------------------------------------------------------------------------

def _collect(run, done, timeout):
    """Wait for the `done` line (or a failure) and return every line."""
    try:
        run.wait_for(done, timeout=timeout)
    except AssertionError as err:
        raise BenchError(str(err)) from None
    return run.lines()


def run_cambios(arch, image, log, timeout, cpus=1):
    fail = qemu.DEFAULT_FAIL_PATTERNS + (r"bench: failed", r"^user fault: bench")
    with qemu.QemuRun(arch, image, log, smp=cpus, extra=ICOUNT, fail_patterns=fail,
                      max_runtime=timeout + 30) as run:
        return _collect(run, r"^\[bench\.elf:\d+\] bench: done$", timeout)


def _apt_package():
    """The versioned kernel package linux-image-amd64 depends on."""
    out = subprocess.run(["apt-cache", "depends", LINUX_META_PACKAGE], check=False,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        name = line.split(":", 1)[-1].strip()
        if line.strip().startswith("Depends:") and LINUX_PACKAGE.match(name):
            return name
    raise qemu.SetupError(f"apt knows no {LINUX_META_PACKAGE} depending on a "
                          "linux-image-6.1.*-amd64 package (run apt-get update)")


def download_kernel_package(tmp):
    """`apt-get download`s the kernel package into `tmp` and unpacks it
    there, installing nothing; returns (the .deb, the unpacked tree)."""
    package = _apt_package()
    subprocess.run(["apt-get", "download", package], cwd=tmp, check=True)
    debs = list(Path(tmp).glob("*.deb"))
    root = Path(tmp) / "root"
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(root)], check=True)
    return debs[0], root


def keep_kernel(cache, deb, root):
    """Copies the unpacked package's vmlinuz to cache/vmlinuz (and says
    which package it came from in cache/vmlinuz.version)."""
    images = list((root / "boot").glob("vmlinuz-*"))
    if len(images) != 1:
        raise BenchError(f"{deb.name}: expected one boot/vmlinuz-*")
    (cache / "vmlinuz.version").write_text(f"{deb.name} {images[0].name}\n")
    shutil.copyfile(images[0], cache / "vmlinuz.tmp")
    (cache / "vmlinuz.tmp").replace(cache / "vmlinuz")
    return cache / "vmlinuz"


def linux_kernel(cache):
    """Debian's vmlinuz, downloaded and extracted once into `cache`.

    Only the kernel image is kept (the .deb and the rest are deleted).
    """
    vmlinuz = cache / "vmlinuz"
    if vmlinuz.is_file():
        return vmlinuz
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        return keep_kernel(cache, *download_kernel_package(tmp))


def _newc(ino, name, mode, data=b"", rdev=(0, 0)):
    """One entry of a newc cpio archive (the kernel's initramfs format)."""
    path = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(path), 0)
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + path
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def write_archive(path, files):
    """An uncompressed newc initramfs at `path`: /dev/console (for init's
    output) and `files`, {path inside: bytes}, executable, with the
    directories they are in."""
    entries = [("dev", 0o040755, b""), ("dev/console", 0o020600, b"", (5, 1))]
    for name, data in files.items():
        parts = name.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if not any(entry[0] == directory for entry in entries):
                entries.append((directory, 0o040755, b""))
        entries.append((name, 0o100755, data))
    archive = b"".join(_newc(i + 1, *entry) for i, entry in enumerate(entries))
    archive += _newc(0, "TRAILER!!!", 0)
    archive += b"\0" * (-len(archive) % 512)
    Path(path).write_bytes(archive)
    return Path(path)


def write_initramfs(path, init, exit_program):
    """/init, /exit and /dev/console."""
    return write_archive(path, {"init": Path(init).read_bytes(),
                                "exit": Path(exit_program).read_bytes()})


def run_linux(linux_dir, log, timeout):
    """Boots Debian's kernel with our initramfs in CambiOS's x86_64 machine.

    scripts/qemu.py builds the command line, so it is the same q35 with
    OVMF (which starts the -kernel through its EFI stub) and the same CPU;
    its disk slot gets an empty image, since there is nothing to boot from.
    """
    linux_dir = Path(linux_dir)
    kernel = linux_kernel(linux_dir)
    initrd = write_initramfs(linux_dir / "initramfs.cpio", linux_dir / "init",
                             linux_dir / "exit")
    disk = linux_dir / "empty.img"
    if not disk.is_file():
        disk.write_bytes(bytes(1 << 20))
    extra = ICOUNT + ("-kernel", str(kernel), "-initrd", str(initrd),
                      "-append", LINUX_CMDLINE)
    fail = (r"Kernel panic", r"linux-bench: failed")
    with qemu.QemuRun("x86_64", disk, log, smp=1, extra=extra, fail_patterns=fail,
                      max_runtime=timeout + 30) as run:
        return _collect(run, r"linux-bench: done$", timeout)


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench_guest.py",
        description="Guest instructions per kernel operation (make bench-guest).")
    parser.add_argument("--arch", required=True, choices=qemu.ARCHES)
    parser.add_argument("--image", required=True, type=Path)
    parser.add_argument("--linux-dir", type=Path,
                        help="x86_64: init and exit built here; Debian's kernel "
                             "is cached here too")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds each boot may take (default 600)")
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    log = args.image.parent / "bench-serial.log"
    try:
        print(f"bench-guest: booting {args.image} (serial log {log})", flush=True)
        ours = parse_cambios(run_cambios(args.arch, args.image, log, args.timeout))
        log = args.image.parent / "bench-serial-2cpus.log"
        print(f"bench-guest: booting it with 2 CPUs (serial log {log})", flush=True)
        both = parse_cambios(run_cambios(args.arch, args.image, log, args.timeout,
                                         cpus=2), cpus=2)
        ours.update({key: both[key] for key in TWO_CPU_OPERATIONS if key in both})
        linux = None
        if args.linux_dir and args.arch == "x86_64":
            linux_log = args.linux_dir / "serial.log"
            print(f"bench-guest: booting Debian's Linux 6.1 (serial log {linux_log})",
                  flush=True)
            linux = parse_linux(run_linux(args.linux_dir, linux_log, args.timeout))
    except (BenchError, qemu.SetupError, subprocess.CalledProcessError) as err:
        print(f"bench_guest.py: {err}", file=sys.stderr)
        return 1
    print()
    print(format_table(args.arch, ours, linux))
    return 0


if __name__ == "__main__":
    sys.exit(main())
