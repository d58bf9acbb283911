#!/usr/bin/python3
"""QEMU command lines for CambiOS: the one place that knows them.

Owns: the firmware each architecture boots with, the QEMU argv for x86_64
(q35 + OVMF) and aarch64 (virt + AAVMF), the interactive `run` front end
used by `make run` / `make debug`, and `QemuRun`, the serial-console driver
the boot tests use.

Why one file: the boot tests, `make run` and `make debug` must boot the
image in exactly the same machine, so nobody may copy a QEMU command line
anywhere else. Both firmwares and the image are opened read-only or as
snapshots, so any number of runs may share them in parallel.

Runs on Debian's /usr/bin/python3 with the standard library only.
See /work/shared/reference/limine-protocol-and-uefi-loader.md section 7
for the recipe these command lines come from (TCG only; KVM fails here).
"""

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ARCHES = ("x86_64", "aarch64")

OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE.fd")
AAVMF_CODE = Path("/usr/share/AAVMF/AAVMF_CODE.fd")
AAVMF_VARS = Path("/usr/share/AAVMF/AAVMF_VARS.fd")
PFLASH_SIZE = 64 << 20  # the virt machine's pflash banks are exactly 64 MiB

QEMU_BINARY = {"x86_64": "qemu-system-x86_64", "aarch64": "qemu-system-aarch64"}
QEMU_PACKAGE = {"x86_64": "qemu-system-x86", "aarch64": "qemu-system-arm"}

# CPU models. The defaults have the CPU's guards against the kernel using
# user pages (kernel/arch/*/guards.c), which QEMU's own defaults lack:
#   x86_64: qemu64 (QEMU's default model) plus SMEP and SMAP, which the
#           emulator implements; nothing else changes, so firmware, loader
#           and kernel see the machine they always saw, with two more bits.
#   aarch64: cortex-a76 (ARMv8.2, so it has PAN) instead of cortex-a72
#           (ARMv8.0, no PAN); same GICv3 virt machine and firmware.
# The models without them stay in use (WITHOUT_GUARDS_CPU; the tests boot
# them too) so the kernel is shown to run where the CPU offers no guards.
DEFAULT_CPU = {"x86_64": "qemu64,+smep,+smap,+rdrand", "aarch64": "cortex-a76"}
WITHOUT_GUARDS_CPU = {"x86_64": "qemu64", "aarch64": "cortex-a72"}

# Devices the kernel's self-tests drive (kernel/selftest/irq.c): QEMU's
# `edu` PCI device, whose level-triggered INTx the tests raise, acknowledge
# and leave asserted (a storm). Every self-test run attaches them.
SELFTEST_DEVICES = ("-device", "edu")

DEFAULT_FAIL_PATTERNS = (r"^PANIC", r"cambios-boot: error")
TRIPLE_FAULT_MESSAGE = "qemu: guest reset or triple fault (-no-reboot)"


class SetupError(RuntimeError):
    """Something the host must provide (a package, a build output) is missing."""


# ---------------------------------------------------------------------------
# Firmware and command lines
# ---------------------------------------------------------------------------

def build_dir(arch):
    return REPO_ROOT / "build" / arch


def _require_file(path, package):
    if not path.is_file():
        raise SetupError(f"{path} not found: install the Debian package "
                         f"'{package}' (scripts/setup.sh does)")


def _copy_atomically(src, dst, size):
    """Copy src to dst (padded to size) so parallel runs never see half a file."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    shutil.copyfile(src, tmp)
    if tmp.stat().st_size < size:
        os.truncate(tmp, size)
    os.replace(tmp, dst)


def aarch64_firmware(fw_dir=None):
    """Return (code, vars) pflash images under build/aarch64/firmware/.

    Copied from AAVMF once: the code bank is opened read-only, the vars bank
    is our own writable copy so the system one is never touched.
    """
    _require_file(AAVMF_CODE, "qemu-efi-aarch64")
    _require_file(AAVMF_VARS, "qemu-efi-aarch64")
    fw_dir = Path(fw_dir) if fw_dir else build_dir("aarch64") / "firmware"
    fw_dir.mkdir(parents=True, exist_ok=True)
    pairs = ((AAVMF_CODE, fw_dir / "AAVMF_CODE.fd"),
             (AAVMF_VARS, fw_dir / "AAVMF_VARS.fd"))
    for src, dst in pairs:
        if not dst.is_file() or dst.stat().st_size != PFLASH_SIZE:
            _copy_atomically(src, dst, PFLASH_SIZE)
    return pairs[0][1], pairs[1][1]


def _serial_args(serial, log):
    """Console plumbing.

    pipe: serial on stdout only, no monitor (tests read it through a pipe).
    mux:  serial and monitor share the terminal (Ctrl-A c switches, Ctrl-A x
          quits), serial also copied to `log`.
    plain: serial on stdio for a non-TTY caller, also copied to `log`.
    """
    logopt = f",logfile={log}" if log else ""
    if serial == "pipe":
        return ["-serial", "stdio", "-monitor", "none"]
    if serial == "mux":
        return ["-chardev", f"stdio,id=con0,mux=on,signal=off{logopt}",
                "-serial", "chardev:con0", "-mon", "chardev=con0"]
    if serial == "plain":
        return ["-chardev", f"stdio,id=con0,signal=off{logopt}",
                "-serial", "chardev:con0", "-monitor", "none"]
    raise ValueError(f"unknown serial mode {serial!r}")


def _machine_args(arch, image, vars_snapshot, cpu):
    if arch == "x86_64":
        _require_file(OVMF_CODE, "ovmf")
        return ["-M", "q35", "-cpu", cpu, "-bios", str(OVMF_CODE),
                "-drive", f"format=raw,file={image},if=ide,snapshot=on"]
    code, vars_ = aarch64_firmware()
    vars_opt = ",snapshot=on" if vars_snapshot else ""
    return ["-M", "virt,gic-version=3", "-cpu", cpu,
            "-drive", f"if=pflash,format=raw,file={code},readonly=on",
            "-drive", f"if=pflash,format=raw,file={vars_}{vars_opt}",
            "-drive", f"if=none,id=hd0,format=raw,file={image},snapshot=on",
            "-device", "virtio-blk-device,drive=hd0"]


def build_command(arch, image, smp=1, mem="256M", serial="pipe", gdb=False,
                  extra=(), log=None, vars_snapshot=True, cpu=None):
    """Return the QEMU argv that boots `image` on `arch`.

    The image is always a snapshot (never written). With vars_snapshot the
    UEFI variable store is one too, so parallel aarch64 runs don't fight
    over its write lock. -no-reboot turns a guest reset or triple fault
    into QEMU exiting; -nic none keeps firmware from trying a PXE boot.
    """
    if arch not in ARCHES:
        raise ValueError(f"unknown arch {arch!r}; expected one of {ARCHES}")
    qemu = QEMU_BINARY[arch]
    if shutil.which(qemu) is None:
        raise SetupError(f"{qemu} not found: install the Debian package "
                         f"'{QEMU_PACKAGE[arch]}' (scripts/setup.sh does)")
    argv = [qemu] + _machine_args(arch, Path(image).resolve(), vars_snapshot,
                                  cpu or DEFAULT_CPU[arch])
    argv += ["-smp", str(smp), "-m", str(mem), "-nic", "none",
             "-display", "none", "-no-reboot"]
    argv += _serial_args(serial, log)
    if gdb:
        argv += ["-s", "-S"]
    return argv + list(extra)


def write_gdbinit(arch):
    """Write build/<arch>/gdbinit for attaching to `-s -S`; return its path."""
    gdb_arch = "i386:x86-64" if arch == "x86_64" else "aarch64"
    kernel = Path("build") / arch / "kernel" / "cambios.elf"
    path = build_dir(arch) / "gdbinit"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"set architecture {gdb_arch}\n"
                    f"file {kernel}\n"
                    "target remote localhost:1234\n")
    return path


# ---------------------------------------------------------------------------
# QMP: the only way to tell "guest reset" from "guest powered off"
# ---------------------------------------------------------------------------

class ShutdownWatcher:
    """Listens on a QMP socket and remembers the reason of the SHUTDOWN event.

    With -no-reboot both a triple fault and a clean power-off end QEMU with
    status 0; only the event's reason ("guest-reset") tells them apart.
    """

    def __init__(self):
        self._dir = tempfile.mkdtemp(prefix="cambios-qmp-")
        self.path = os.path.join(self._dir, "qmp.sock")
        self.reason = None
        self._thread = None

    def qemu_args(self):
        return ["-qmp", f"unix:{self.path},server=on,wait=off"]

    def start(self, proc):
        self._thread = threading.Thread(target=self._listen, args=(proc,),
                                        daemon=True)
        self._thread.start()

    def _connect(self, proc):
        while proc.poll() is None:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self.path)
                return sock
            except OSError:
                sock.close()
                time.sleep(0.05)
        return None

    def _listen(self, proc):
        sock = self._connect(proc)
        if sock is None:
            return
        with sock, sock.makefile("rwb") as stream:
            stream.write(b'{"execute": "qmp_capabilities"}\n')
            stream.flush()
            for raw in stream:
                self._note(raw)

    def _note(self, raw):
        try:
            msg = json.loads(raw)
        except ValueError:
            return
        if msg.get("event") == "SHUTDOWN":
            self.reason = msg.get("data", {}).get("reason")

    def guest_reset(self, wait=1.0):
        """True if QEMU ended because the guest reset (after it exited)."""
        if self._thread is not None:
            self._thread.join(wait)
        return self.reason == "guest-reset"

    def close(self):
        shutil.rmtree(self._dir, ignore_errors=True)


def qmp_execute(path, command, timeout=30.0, arguments=None):
    """Run one QMP command (with `arguments`, a dict, if given) on the
    monitor socket at `path` (a `-qmp unix:PATH,server=on,wait=off` of the
    running QEMU); return its "return" value. Events that arrive meanwhile
    are skipped; an "error" answer raises RuntimeError."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        while True:
            try:
                sock.connect(str(path))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        sock.settimeout(max(deadline - time.monotonic(), 1.0))
        with sock.makefile("rwb") as stream:
            def answer():
                for raw in stream:
                    msg = json.loads(raw)
                    if "error" in msg:
                        raise RuntimeError(f"QMP: {msg['error']}")
                    if "return" in msg:
                        return msg["return"]
                raise RuntimeError("QMP: the monitor closed the connection")

            stream.readline()  # the greeting
            request = {"execute": command}
            if arguments is not None:
                request["arguments"] = arguments
            for cmd in ({"execute": "qmp_capabilities"}, request):
                stream.write(json.dumps(cmd).encode() + b"\n")
                stream.flush()
                result = answer()
            return result


# ---------------------------------------------------------------------------
# QemuRun: serial-console driver for tests
# ---------------------------------------------------------------------------

# CSI sequences (ESC [ ... final byte) and two-byte ESC sequences. Cursor
# moves and screen clears become line breaks (firmware positions text with
# them instead of newlines); colours and modes simply vanish.
_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*([@-~])|\x1b[()][0-9A-Za-z]|\x1b[^[()]")


def _ansi_to_text(match):
    return b"\n" if match.group(1) in (b"H", b"J", b"f") else b""


def clean_text(raw):
    """ANSI-stripped, \\r-free text of raw serial bytes."""
    text = _ANSI.sub(_ansi_to_text, raw).replace(b"\r", b"")
    return text.decode("utf-8", errors="replace")


def _die_with_parent():
    """In the child: get SIGTERM if the test process dies, even by SIGKILL,
    so a killed CI job never leaves a spinning QEMU behind (Linux prctl)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


class QemuRun:
    """Boot an image under QEMU and match its serial output line by line.

    Usage:
        with QemuRun("x86_64", img, log_path=p, smp=4) as run:
            run.expect_in_order([r"^CambiOS ", r"^boot: "], timeout=120)

    Serial goes through a pipe to a reader thread which appends the raw
    bytes to `log_path` (kept as is, escapes and all) and splits the
    cleaned text into complete lines. Matching is pexpect-like: each
    wait_for() looks only at lines after the previous match. A watchdog
    kills QEMU after `max_runtime` seconds whatever the test does.
    """

    def __init__(self, arch, image, log_path, smp=1, mem="256M", extra=(),
                 fail_patterns=DEFAULT_FAIL_PATTERNS, max_runtime=300, cpu=None,
                 serial_input=False):
        self.arch = arch
        self.serial_input = serial_input
        self.cpu = cpu
        self.image = Path(image)
        self.log_path = Path(log_path)
        self.smp, self.mem, self.extra = smp, mem, tuple(extra)
        self.fail_patterns = [re.compile(p) for p in fail_patterns]
        self.max_runtime = max_runtime
        self.cursor = 0              # index of the first line not yet consumed
        self.proc = None
        self._lines = []             # complete, cleaned lines
        self._pending = b""          # raw bytes after the last newline
        self._eof = False
        self._cond = threading.Condition()
        self._qmp = ShutdownWatcher()
        self._reader = None
        self._watchdog = None
        self._expired = False

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def command(self):
        return (build_command(self.arch, self.image, smp=self.smp,
                              mem=self.mem, serial="pipe", extra=self.extra,
                              cpu=self.cpu)
                + self._qmp.qemu_args())

    def start(self):
        if not self.image.is_file():
            raise SetupError(f"image {self.image} not found "
                             f"(make image ARCH={self.arch})")
        argv = self.command()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self._log.write(("# " + " ".join(argv) + "\n").encode())
        # With serial_input, QEMU's stdin (the serial chardev's input:
        # -serial stdio reads it) is a pipe that send() writes to.
        stdin = subprocess.PIPE if self.serial_input else subprocess.DEVNULL
        self.proc = subprocess.Popen(argv, stdin=stdin,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)
        self._qmp.start(self.proc)
        self._reader = threading.Thread(target=self._read_serial, daemon=True)
        self._reader.start()
        self._watchdog = threading.Timer(self.max_runtime, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    def send(self, data):
        """Type `data` (bytes) at the guest's serial console."""
        if not self.serial_input:
            raise RuntimeError("QemuRun(serial_input=True) is needed to type at the console")
        self._log_note(f"typed {data!r}")
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def _expire(self):
        self._expired = True
        self._log_note(f"watchdog: killing QEMU after {self.max_runtime} s")
        self._terminate()

    def _terminate(self, grace=3.0):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        """Terminate QEMU (SIGKILL after 3 s), drain the serial, close the log."""
        if self.proc is None:
            return
        if self._watchdog:
            self._watchdog.cancel()
        self._terminate()
        if self.proc.stdin:
            self.proc.stdin.close()
        self._reader.join(5)
        self._qmp.close()
        self._log.close()

    @property
    def exited(self):
        return self.proc is not None and self.proc.poll() is not None

    # -- serial reader -----------------------------------------------------

    def _read_serial(self):
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            self._log.write(chunk)
            self._log.flush()
            self._add_bytes(chunk)
        self.proc.wait()
        with self._cond:
            if self._pending:
                self._lines.append(clean_text(self._pending))
                self._pending = b""
            self._eof = True
            self._cond.notify_all()

    def _add_bytes(self, chunk):
        # Split raw bytes at \n and only then clean, so an escape sequence
        # cut by a read boundary is never half-stripped. Cursor escapes
        # inside a line split it, but the empty pieces they leave (screen
        # clears at the start of a line) are dropped; real blank lines stay.
        data = self._pending + chunk
        *complete, self._pending = data.split(b"\n")
        new = []
        for raw in complete:
            *moved, line = clean_text(raw).split("\n")
            new += [part for part in moved if part] + [line]
        with self._cond:
            self._lines += new
            self._cond.notify_all()

    def _log_note(self, text):
        try:
            self._log.write(f"\n# harness: {text}\n".encode())
            self._log.flush()
        except (ValueError, OSError):
            pass  # log already closed

    # -- inspection --------------------------------------------------------

    def lines(self):
        """All complete serial lines so far (ANSI-stripped, no \\r)."""
        with self._cond:
            return list(self._lines)

    def tail(self, count=40):
        with self._cond:
            lines = self._lines[-count:]
            partial = clean_text(self._pending) if self._pending else ""
        text = "\n".join(lines)
        if partial:
            text += f"\n{partial}   <- (no newline yet)"
        return text

    def describe_exit(self):
        if not self.exited:
            return "QEMU still running"
        if self._expired:
            return f"watchdog killed QEMU after {self.max_runtime} s"
        if self._qmp.guest_reset():
            return TRIPLE_FAULT_MESSAGE
        return f"QEMU exited with status {self.proc.returncode}"

    def _failure(self, why):
        self._log_note(why)
        return AssertionError(
            f"{why}\n--- serial log: {self.log_path} (last 40 lines) ---\n"
            f"{self.tail()}\n--- end of log ---")

    # -- matching ----------------------------------------------------------

    def _next_line(self, deadline, what):
        """Block until line `cursor` exists; return it without consuming it."""
        with self._cond:
            while self.cursor >= len(self._lines):
                remaining = deadline - time.monotonic()
                if self._eof:
                    raise self._failure(f"{self.describe_exit()} while "
                                        f"waiting for {what}")
                if remaining <= 0:
                    raise self._failure(f"timed out waiting for {what}")
                self._cond.wait(min(remaining, 0.5))
            return self._lines[self.cursor]

    def _check_fail_patterns(self, line, what):
        for pattern in self.fail_patterns:
            if pattern.search(line):
                raise self._failure(f"fail pattern {pattern.pattern!r} seen "
                                    f"while waiting for {what}: {line!r}")

    def wait_for(self, regex, timeout=60):
        """Consume lines until one matches `regex` (re.search); return the match.

        Raises AssertionError (with the log tail) on timeout, when QEMU
        exits first, or when a line matches a fail pattern but not `regex`.
        """
        pattern = re.compile(regex)
        what = f"{pattern.pattern!r}"
        deadline = time.monotonic() + timeout
        while True:
            line = self._next_line(deadline, what)
            self.cursor += 1
            match = pattern.search(line)
            if match:
                return match
            self._check_fail_patterns(line, what)

    def expect_in_order(self, regexes, timeout=60):
        """Match each regex on a line after the previous match; one deadline."""
        deadline = time.monotonic() + timeout
        return [self.wait_for(r, max(deadline - time.monotonic(), 0))
                for r in regexes]

    def peek_line(self, timeout=30):
        """Return the next unconsumed line without consuming it."""
        return self._next_line(time.monotonic() + timeout, "one more line")

    def read_lines(self, count, timeout=30):
        """Consume and return the next `count` lines, whatever they contain."""
        deadline = time.monotonic() + timeout
        taken = []
        for _ in range(count):
            taken.append(self._next_line(deadline, f"{count} more lines"))
            self.cursor += 1
        return taken


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="qemu.py", description="Boot a CambiOS image under QEMU.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, text in (("run", "boot interactively (Ctrl-A x quits)"),
                       ("cmd", "print the QEMU command line only")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--arch", required=True, choices=ARCHES)
        p.add_argument("--image", required=True, type=Path)
        p.add_argument("--smp", type=int, default=1)
        p.add_argument("--mem", default="256M")
        p.add_argument("--cpu", default=None,
                       help="QEMU CPU model (default: qemu64,+smep,+smap / cortex-a76)")
        p.add_argument("--log", type=Path,
                       help="serial log (default build/<arch>/serial.log)")
        p.add_argument("--gdb", action="store_true",
                       help="wait for gdb on :1234 (-s -S)")
        p.add_argument("--selftest-devices", action="store_true",
                       help="attach the devices the self-tests drive (SELFTEST_DEVICES)")
        p.add_argument("--echo-port", type=int, default=None,
                       help="attach a virtio-net device on QEMU's user network, with "
                            "127.0.0.1:PORT on the host forwarded to the guest's UDP echo "
                            "service (port 7)")
        p.add_argument("--virtio-rng", action="store_true",
                       help="attach a virtio-rng device fed from the host's /dev/urandom "
                            "(the key-store's entropy; rng_devices())")
        p.add_argument("extra", nargs="*",
                       help="extra QEMU arguments, after --")
    return parser.parse_args(argv)


def network_devices(echo_port=None):
    """QEMU's user network with a virtio-net device for the guest's
    services. The only way in is a UDP forward from the host's loopback
    address to the guest's echo port (none when echo_port is None: a test
    that only needs the device); the guest reaches the host as 10.0.2.2
    and nothing beyond it is addressed by the services."""
    forward = f",hostfwd=udp:127.0.0.1:{echo_port}-:7" if echo_port else ""
    return ("-netdev", f"user,id=net0{forward}",
            "-device", "virtio-net-pci,netdev=net0,disable-legacy=on,romfile=")


def rng_devices():
    """A virtio-rng device for the key-store's entropy, fed from the
    host's /dev/urandom. Modern only (disable-legacy=on: PCI device ID
    0x1044), like the network device; the key-store claims this function
    and no other."""
    return ("-object", "rng-random,id=rng0,filename=/dev/urandom",
            "-device", "virtio-rng-pci,rng=rng0,disable-legacy=on")


def _cli_command(args):
    log = (args.log or build_dir(args.arch) / "serial.log").resolve()
    log.parent.mkdir(parents=True, exist_ok=True)
    serial = "mux" if sys.stdin.isatty() else "plain"
    extra = (SELFTEST_DEVICES if args.selftest_devices else ()) + \
        (network_devices(args.echo_port) if args.echo_port else ()) + \
        (rng_devices() if args.virtio_rng else ()) + tuple(args.extra)
    argv = build_command(args.arch, args.image, smp=args.smp, mem=args.mem,
                         serial=serial, gdb=args.gdb, extra=extra,
                         log=log, vars_snapshot=False, cpu=args.cpu)
    return argv, log, serial


def _announce(args, log, serial):
    print(f"qemu: serial log {log}", file=sys.stderr)
    if serial == "mux":
        print("qemu: Ctrl-A x quits, Ctrl-A c toggles the monitor",
              file=sys.stderr)
    if args.gdb:
        gdbinit = write_gdbinit(args.arch)
        print("qemu: waiting for gdb on localhost:1234; attach with\n"
              f"    gdb-multiarch -x {gdbinit.relative_to(REPO_ROOT)}",
              file=sys.stderr)


def _run_interactive(args):
    if not args.image.is_file():
        raise SetupError(f"image {args.image} not found "
                         f"(make image ARCH={args.arch})")
    watcher = ShutdownWatcher()
    argv, log, serial = _cli_command(args)
    argv += watcher.qemu_args()
    _announce(args, log, serial)
    proc = subprocess.Popen(argv)
    watcher.start(proc)
    try:
        status = _wait_for_qemu(proc)
        if watcher.guest_reset():
            print(f"\n{TRIPLE_FAULT_MESSAGE}", file=sys.stderr)
            status = status or 1
        return status
    finally:
        watcher.close()


def _wait_for_qemu(proc):
    """Wait for QEMU to end, never leaving it orphaned.

    Ctrl-C (non-TTY mode) reaches QEMU through the process group, so we
    just keep waiting; SIGTERM/SIGHUP sent to us alone are passed on.
    """
    def forward(signum, _frame):
        proc.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.cmd == "cmd":
            argv, _, _ = _cli_command(args)
            print(" ".join(argv))
            return 0
        return _run_interactive(args)
    except SetupError as err:
        print(f"qemu.py: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
