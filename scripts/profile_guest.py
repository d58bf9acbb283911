#!/usr/bin/env python3
"""Where a kernel path spends its instructions: a single-stepping profiler.

    python3 scripts/profile_guest.py --arch x86_64 \\
        --image build/x86_64-bench/cambios.img \\
        --elf build/x86_64-bench/kernel/cambios.elf \\
        --start sys_write --skip 200 --steps 10000 --cycle 2

boots the image under QEMU with `-icount shift=0,sleep=off` (the bench's
clock, so runs repeat exactly) and a GDB stub, lets it run until the
kernel function `--start` has been entered `--skip` times (a hardware
breakpoint: the bench's warm-up is past), then single-steps `--steps`
instructions through gdb-multiarch, recording every program counter --
kernel and user code alike, across system calls and context switches. It
then prints, for the window from that entry of `--start` to its
`--cycle`-th next entry (one IPC round trip is two Writes, so 2), the
instructions spent in each function and how often each was entered, and
the window's length: the same figure `make bench-guest` prints, broken
down. User-mode addresses are counted together as <user>.

This is what found the IPC path's costs (README, "Guest benchmarks").
x86_64 only for now: on AArch64 the same session never reached its
breakpoint under the stub in our trials (not yet understood), so the
script refuses that arch rather than hang.
It takes about a minute for 10,000 steps; nothing here is part of
`make test` (a pytest in tests/tools/ checks the analysis on made-up
addresses). Standard library only; QEMU's command line comes from
scripts/qemu.py.
"""

import argparse
import bisect
import collections
import ctypes
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402  (scripts/qemu.py, beside this file)

ICOUNT = ("-icount", "shift=0,sleep=off")
USER = "<user>"
# Addresses below the canonical upper half are user code on both arches.
USER_TOP = 0x0000800000000000

GDB_SCRIPT = """\
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set remotetimeout 60")
gdb.execute("target remote :{port}")
gdb.execute("hbreak *{start:#x}")
gdb.execute("ignore 1 {skip}")
gdb.execute("continue")
gdb.execute("delete")
with open({out!r}, "w") as out:
    for _ in range({steps}):
        out.write("%x\\n" % (int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff))
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
"""


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


def _wait_for_stub(port, guest, seconds=60):
    """Waits until QEMU's GDB stub accepts connections (the AArch64
    firmware takes a few seconds to set up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if guest.poll() is not None:
            raise RuntimeError("QEMU exited before its GDB stub came up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            time.sleep(0.5)  # let the stub take the next connection
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no GDB stub on port {port} after {seconds} s")


def record(args, out_path):
    """Boots the image and single-steps it; returns the recorded PCs."""
    symbols = Symbols.from_elf(args.elf)
    argv = qemu.build_command(args.arch, args.image, smp=1, gdb=True, extra=ICOUNT)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "steps.py"
        script.write_text(GDB_SCRIPT.format(port=1234, start=symbols.entry(args.start),
                                            skip=args.skip, steps=args.steps,
                                            out=str(out_path)))
        guest = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 preexec_fn=_killed_with_parent)
        try:
            _wait_for_stub(1234, guest)
            subprocess.run(["gdb-multiarch", "-q", "-batch", "-x", str(script),
                            str(args.elf)], check=True, capture_output=True,
                           timeout=args.timeout)
        finally:
            guest.kill()
            guest.wait()
    return [int(line, 16) for line in out_path.read_text().split()], symbols


def _parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", required=True, choices=("x86_64",))
    p.add_argument("--image", required=True, type=Path)
    p.add_argument("--elf", required=True, type=Path, help="the kernel ELF (symbols)")
    p.add_argument("--start", required=True, help="kernel function that starts a window")
    p.add_argument("--skip", type=int, default=0, help="entries of --start to let pass")
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--cycle", type=int, default=1,
                   help="entries of --start per window (2 for an IPC round trip)")
    p.add_argument("--out", type=Path, default=Path("build/profile-pcs.txt"))
    p.add_argument("--timeout", type=int, default=900)
    return p.parse_args(argv)


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pcs, symbols = record(args, args.out)
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
