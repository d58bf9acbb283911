#!/usr/bin/env python3
"""Where a kernel path spends its instructions: a tracing profiler.

    python3 scripts/profile_guest.py --arch x86_64|aarch64 \\
        --image build/<arch>-bench/cambios.img \\
        --elf build/<arch>-bench/kernel/cambios.elf \\
        --start sys_write --skip 200 --cycle 2

boots the image under QEMU with `-icount shift=0,sleep=off` (the bench's
clock, so runs repeat exactly), one instruction per translation block
(`-singlestep`) and its execution log (`-d exec,nochain`) written to a
FIFO this script reads: one line per instruction executed in the kernel
or in user code at 0x400000.. (the programs' text, user/linker.ld), with
firmware and loader filtered out by `-dfilter`. From the (skip+1)-th
entry of the kernel function `--start` (the bench's warm-up is past) to
its `--cycle`-th next entry (one IPC round trip is two Writes, so 2), it
prints the instructions spent in each function and how often each was
entered, and the window's length: the same figure `make bench-guest`
prints, broken down. User-mode addresses are counted together as <user>.

This is what found the IPC path's costs (README, "Guest benchmarks"). An
earlier version single-stepped through QEMU's GDB stub, which never
reached its breakpoint on AArch64; the log works the same on both arches
and takes about a minute. Nothing here is part of `make test` (a pytest
in tests/tools/ checks the analysis on made-up addresses). Standard
library only; QEMU's command line comes from scripts/qemu.py.
"""

import argparse
import bisect
import collections
import ctypes
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402  (scripts/qemu.py, beside this file)

ICOUNT = ("-icount", "shift=0,sleep=off")
USER = "<user>"
# Addresses below the canonical upper half are user code on both arches.
USER_TOP = 0x0000800000000000

# What the log shows: the kernel (linked at the top 2 GiB on both arches)
# and the programs' text; not the firmware or the loader.
TRACED = "0x400000..0x4fffff,0xffffffff80000000..0xffffffffffffffff"
# "Trace 0: 0x7f.. [00000000/ffffffff80012254/00000000/ff000000] sys_write"
LOG_PC = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")


class Symbols:
    """Function symbols of an ELF, for mapping addresses to names."""

    def __init__(self, pairs):
        self.pairs = sorted(pairs)
        self.addrs = [a for a, _ in self.pairs]
        self.by_name = {name: addr for addr, name in self.pairs}

    @classmethod
    def from_elf(cls, elf):
        out = subprocess.run(["llvm-nm", "-n", str(elf)], check=True,
                             capture_output=True, text=True).stdout
        pairs = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                pairs.append((int(parts[0], 16), parts[2]))
        return cls(pairs)

    def name(self, pc):
        if pc < USER_TOP:
            return USER
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.pairs[i][1] if i >= 0 else "?"

    def entry(self, name):
        return self.by_name[name]


def window(pcs, start_pc, cycle):
    """The PCs from the first entry of start_pc to its cycle-th next one."""
    hits = [i for i, pc in enumerate(pcs) if pc == start_pc]
    if len(hits) <= cycle:
        raise ValueError(f"the start address was entered {len(hits)} times "
                         f"in {len(pcs)} steps; a cycle needs {cycle + 1}")
    return pcs[hits[0]:hits[cycle]]


def profile(pcs, symbols):
    """Instructions per function, and entries per function (a step onto a
    function's first instruction from elsewhere)."""
    spent = collections.Counter()
    entered = collections.Counter()
    previous = None
    for pc in pcs:
        name = symbols.name(pc)
        spent[name] += 1
        if name != USER and previous != name and symbols.by_name.get(name) == pc:
            entered[name] += 1
        previous = name
    return spent, entered


def report(spent, entered, total):
    lines = [f"{total} instructions in the window", "",
             f"{'instructions':>12}  {'entered':>7}  {'each':>6}  function"]
    for name, n in spent.most_common():
        calls = entered.get(name, 0)
        each = f"{n / calls:.0f}" if calls else "-"
        lines.append(f"{n:12d}  {calls:7d}  {each:>6}  {name}")
    return "\n".join(lines)


def _killed_with_parent():
    """In QEMU's process: SIGKILL when this script dies, however it dies
    (a QEMU paused for its GDB stub ignores SIGTERM)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def pcs_from_log(lines, start_pc, skip, cycle):
    """The program counters from the (skip+1)-th entry of start_pc through
    its (skip+cycle+1)-th, read from QEMU's execution log as it is written
    (lines that are not trace lines are passed over): what window() cuts
    one window from. Stops reading once that entry is seen."""
    pcs, hits = [], 0
    for line in lines:
        match = LOG_PC.search(line)
        if not match:
            continue
        pc = int(match.group(1), 16)
        hits += pc == start_pc
        if hits > skip:
            pcs.append(pc)
        if hits > skip + cycle:
            break
    return pcs


def record(args):
    """Boots the image with the execution log on; returns one window of
    program counters and the kernel's symbols."""
    symbols = Symbols.from_elf(args.elf)
    with tempfile.TemporaryDirectory() as tmp:
        fifo = Path(tmp) / "exec.log"
        os.mkfifo(fifo)
        argv = qemu.build_command(args.arch, args.image, smp=1,
                                  extra=ICOUNT + ("-singlestep", "-d", "exec,nochain",
                                                  "-dfilter", TRACED, "-D", str(fifo)))
        guest = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 preexec_fn=_killed_with_parent)
        timer = threading.Timer(args.timeout, guest.kill)
        timer.start()
        try:
            with open(fifo, errors="replace") as log:
                pcs = pcs_from_log(log, symbols.entry(args.start), args.skip, args.cycle)
        finally:
            timer.cancel()
            guest.kill()
            guest.wait()
    return pcs, symbols


def _parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", required=True, choices=("x86_64", "aarch64"))
    p.add_argument("--image", required=True, type=Path)
    p.add_argument("--elf", required=True, type=Path, help="the kernel ELF (symbols)")
    p.add_argument("--start", required=True, help="kernel function that starts a window")
    p.add_argument("--skip", type=int, default=0, help="entries of --start to let pass")
    p.add_argument("--cycle", type=int, default=1,
                   help="entries of --start per window (2 for an IPC round trip)")
    p.add_argument("--timeout", type=int, default=900)
    return p.parse_args(argv)


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    pcs, symbols = record(args)
    try:
        pcs = window(pcs, symbols.entry(args.start), args.cycle)
    except ValueError as err:
        print(f"profile-guest: {err}", file=sys.stderr)
        return 1
    spent, entered = profile(pcs, symbols)
    print(report(spent, entered, len(pcs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
