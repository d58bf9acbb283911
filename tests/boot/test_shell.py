"""The shell (user/shell), driven through the serial console.

One boot per architecture does everything, in order, typing into QEMU's
serial input (QemuRun(serial_input=True): the bytes reach the shell
through the UART's receive interrupt -- COM1's IRQ 4 through the I/O APIC,
the PL011's SPI through the GICv3 -- and ConsoleRead): help; a name put
into fs-service, listed, shown, signed by the key-store -- the BLAKE3 hash
recomputed here with b3sum and the signature verified with OpenSSL
against the public key the shell printed -- then removed, after which
cat says "unknown name"; ps listing the services; spawn hello; net; a
datagram sent with `udp send` arriving at a socket bound here on
127.0.0.1; an unknown command and a line edited with backspaces and an
arrow key's escape sequence. Then the network driver is killed (its pid
read from ps), the UDP stack reports the outage, `spawn virtio-net`
brings the network back and a second datagram arrives.

The machine has a virtio-net device on QEMU's user network with no
forward at all: the guest's 10.0.2.2 is the host's loopback, so a
datagram the guest sends to 10.0.2.2:PORT reaches 127.0.0.1:PORT here,
and nothing leaves the machine. AArch64 runs the `max` CPU: its default
(cortex-a76) has no RNDR, and the key-store needs entropy to sign.
"""
import re
import socket
import subprocess
import time

import pytest

from conftest import BOOT_TIMEOUT
from test_key_store import _openssl_verifies

SHELL = r"^\[shell\.elf:(\d+)\] "
STARTED = SHELL + r"shell: CambiOS shell on the serial console; type help"
INPUT_ON = {"x86_64": r"^interrupts: console input on COM1, GSI 4 \(the kernel's line\)$",
            "aarch64": r"^interrupts: \d+ SPIs routed to this CPU, disabled until waited for; "
                       r"console input on INTID 33 \(the kernel's line\)$"}
KEY_MADE = r"^\[key-store\.elf:\d+\] key-store: service key made from "
LINK_UP = r"^\[udp\.elf:\d+\] udp: link up: driver generation (\d+), "
OUTAGE = r"^\[udp\.elf:\d+\] udp: network driver \(generation {gen}\) went away "
# QEMU user networking; see scripts/qemu.py network_devices() for make run's.
NETWORK = ("-netdev", "user,id=net0",
           "-device", "virtio-net-pci,netdev=net0,disable-legacy=on,romfile=")
COMMANDS = ["help", "ps", "mem", "cpus", "stats", "spawn NAME", "kill PID", "ls",
            "put NAME TEXT", "cat NAME", "rm NAME", "sign NAME", "net",
            "udp send HOST PORT TEXT", "date"]
TIMEOUT = 60
CONTENT = "signed through the shell, 42"


class Shell:
    """Types lines at the shell and reads its answers."""

    def __init__(self, run, pid):
        self.run, self.pid = run, pid

    def line(self, text, timeout=TIMEOUT):
        """Expects one of the shell's lines; returns the match."""
        return self.run.wait_for(rf"^\[shell\.elf:{self.pid}\] {text}", timeout)

    def type(self, typed, echoed=None):
        """Types `typed` (bytes, Enter included) and expects the echo."""
        self.run.send(typed)
        shown = echoed if echoed is not None else typed.decode().rstrip("\r\n")
        self.line(rf"cambios> {re.escape(shown)}$")


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(TIMEOUT)
    return s


def wait_all(run, patterns, timeout):
    """Waits until each pattern has matched some line, in any order (the
    services start side by side); returns the matches, and goes on
    after the last line seen."""
    deadline = time.monotonic() + timeout
    while True:
        lines = run.lines()
        found = [next((m for m in map(re.compile(p).search, lines) if m), None)
                 for p in patterns]
        if all(found):
            run.cursor = max(run.cursor, len(lines))
            return found
        assert time.monotonic() < deadline and not run.exited, \
            f"not seen: {[p for p, m in zip(patterns, found) if not m]}\n{run.tail()}"
        time.sleep(0.5)


def check_help(sh):
    sh.type(b"help\r")
    listed = [sh.line(r"  (\S.*?)\s{2,}\S").group(1) for _ in COMMANDS]
    assert listed == COMMANDS
    # Nobody answers SNTP in this test (make run's users have no server
    # either, unless they run one): the kernel has no time of day to give.
    sh.type(b"date\r")
    sh.line(r"date: the wall clock is not set yet \(the network's SNTP client sets it\)$")


def check_files_and_sign(sh, tmp_path):
    sh.type(f"put notes.txt {CONTENT}\r".encode())
    sh.line(rf"put notes\.txt: {len(CONTENT)} bytes stored$")
    sh.type(b"ls\r")
    names = []
    while True:
        m = sh.line(r"(?:  (\S+)|(\d+) names)$")
        if m.group(2):
            break
        names.append(m.group(1))
    assert "notes.txt" in names and len(names) == int(m.group(2))
    sh.type(b"cat notes.txt\r")
    sh.line(rf"{re.escape(CONTENT)}$")
    sh.type(b"sign notes.txt\r")
    digest = bytes.fromhex(sh.line(r"sign: blake3 ([0-9a-f]{64})$").group(1))
    signature = bytes.fromhex(sh.line(r"sign: signature ([0-9a-f]{128})$").group(1))
    key = bytes.fromhex(sh.line(r"sign: public key ([0-9a-f]{64})$").group(1))
    (tmp_path / "content").write_bytes(CONTENT.encode())
    b3 = subprocess.run(["b3sum", "--no-names", str(tmp_path / "content")],
                        capture_output=True, text=True, check=True)
    assert digest.hex() == b3.stdout.strip(), "the shell's BLAKE3 is not b3sum's"
    assert _openssl_verifies(tmp_path, key, digest, signature), "OpenSSL rejects the signature"
    sh.type(b"rm notes.txt\r")
    sh.line(r"rm notes\.txt: deleted$")
    sh.type(b"cat notes.txt\r")
    sh.line(r"shell: cat notes\.txt: unknown name$")


def read_ps(sh):
    """Types ps; returns {name: (pid, state)}."""
    sh.type(b"ps\r")
    sh.line(r"  pid  name\s+state\s+cpu  principal$")
    found = {}
    while True:
        m = sh.line(r"(?:  (\d+)\s+(\S+)\s+(\S.*?)\s{2,}(?:\d+|-)\s+([0-9a-f]{16}|-)|(\d+) processes)$")
        if m.group(5):
            assert int(m.group(5)) == len(found)
            return found
        found[m.group(2)] = (int(m.group(1)), m.group(3))


def check_ps(sh):
    procs = read_ps(sh)
    for service in ("echo.elf", "key-store.elf", "virtio-net.elf", "udp.elf", "fs.elf"):
        assert service in procs, f"ps does not list {service}: {procs}"
    # Services wait for messages; udp too, unless an ARP or SNTP retry is
    # due (it polls then: ready or running).
    for service in ("echo.elf", "key-store.elf", "virtio-net.elf", "fs.elf"):
        assert procs[service][1] == "blocked (message)", (service, procs[service])
    assert procs["udp.elf"][1] in ("blocked (message)", "ready", "running"), procs["udp.elf"]
    assert procs["kernel"] == (0, "kernel")
    assert procs["shell.elf"][0] == int(sh.pid)
    assert procs["shell.elf"][1] == "running"
    return procs


def check_system(sh, cpus):
    sh.type(b"mem\r")
    free, total = map(int, sh.line(r"frames: (\d+) of (\d+) free \(4 KiB each\)$").groups())
    assert 0 < free < total
    sh.line(r"kernel heap: \d+ of \d+ bytes in use, \d+ live allocations$")
    sh.line(r"object store: \d+ of 256 objects, \d+ bytes$")
    sh.type(b"cpus\r")
    m = sh.line(r"cpu 0 \(hw 0x[0-9a-f]+\): \d+ ticks, idle \d+%, \d+ switches, \d+ ready, "
                r"\d+ blocked; running (.*)$")
    assert m.group(1) == f"pid {sh.pid} (shell.elf)", "the shell runs where it asks"
    sh.type(b"stats\r")
    sh.line(rf"uptime: \d+ s \(\d+ ticks\); {cpus} CPUs; 8 boot modules$")
    sh.line(r"processes: \d+ of \d+$")
    sh.line(r"threads: \d+ of \d+$")
    sh.line(r"kernel heap: \d+ allocations and \d+ frees since boot$")
    sh.line(r"interrupts delivered to drivers: \d+$")
    sh.line(r"cpu 0: \d+ switches, \d+ IPIs received, \d+ TLB shootdowns served$")


def check_spawn_and_net(sh):
    sh.type(b"spawn hello\r")
    pid = sh.line(r"spawned hello as pid (\d+)$").group(1)
    sh.run.wait_for(rf"^\[hello\.elf:{pid}\] Hello from a signed boot module!$", TIMEOUT)
    sh.type(b"net\r")
    sh.line(r"net: link up, address 10\.0\.2\.15 netmask 255\.255\.255\.0, gateway 10\.0\.2\.2, "
            r"mac [0-9a-f]{2}(:[0-9a-f]{2}){5}$")
    sh.line(r"net: \d+ frames in, \d+ out, \d+ dropped, \d+ ARP entries, 0 driver outages$")


def send_datagram(sh, host, text):
    port = host.getsockname()[1]
    sh.type(f"udp send 10.0.2.2 {port} {text}\r".encode())
    sh.line(rf"udp: sent {len(text)} bytes to 10\.0\.2\.2:{port} from port 4018$")
    data, _ = host.recvfrom(2048) # (QEMU's NAT gives it a port of its own on this side)
    assert data == text.encode()


def check_editing(sh):
    sh.type(b"bogus\r")
    sh.line(r'shell: unknown command "bogus"; try help$')
    sh.type(b"kill\r")
    sh.line(r"shell: usage: kill PID$")
    # Backspaces both ways, an arrow key's escape sequence, \r\n as one Enter.
    sh.type(b"\x1b[Aspawn hellp\x7fo\x08o\r\n", echoed="spawn hello")
    pid = sh.line(r"spawned hello as pid (\d+)$").group(1)
    sh.run.wait_for(rf"^\[hello\.elf:{pid}\] Hello from a signed boot module!$", TIMEOUT)
    sh.run.send(b"x" * 130 + b"\r")
    sh.line(r"shell: line refused: longer than 120 characters \(nothing was run\)$")


def check_driver_restart(sh, host, procs, generation):
    victim = procs["virtio-net.elf"][0]
    sh.type(f"kill {victim}\r".encode())
    sh.line(rf"kill: process {victim} \(virtio-net\.elf\) is being ended$")
    # The stack notices when it next hands the driver a frame.
    port = host.getsockname()[1]
    sh.type(f"udp send 10.0.2.2 {port} into the void\r".encode())
    sh.run.wait_for(OUTAGE.format(gen=generation), TIMEOUT)
    # Sent into a frame before the stack found the driver gone, or refused.
    sh.line(r"(udp: sent 13 bytes|shell: udp send: the network is down \(no driver\); "
            r"nothing sent$)")
    sh.type(b"spawn virtio-net\r")
    pid = sh.line(r"spawned virtio-net as pid (\d+)$").group(1)
    assert sh.run.wait_for(LINK_UP, TIMEOUT).group(1) == pid
    send_datagram(sh, host, "back again after the driver's restart")


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_shell(boot, built_image, arch, tmp_path):
    run = boot(arch, built_image(arch), serial_input=True, extra=NETWORK,
               cpu="max" if arch == "aarch64" else None, max_runtime=600)
    _, _, link, started = wait_all(run, [INPUT_ON[arch], KEY_MADE, LINK_UP, STARTED],
                                   2 * BOOT_TIMEOUT)
    generation = link.group(1)
    sh = Shell(run, started.group(1))
    with udp_socket() as host:
        check_help(sh)
        check_files_and_sign(sh, tmp_path)
        procs = check_ps(sh)
        check_system(sh, 1)
        check_spawn_and_net(sh)
        send_datagram(sh, host, "hello from the cambios shell")
        check_editing(sh)
        check_driver_restart(sh, host, procs, generation)
