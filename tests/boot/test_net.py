"""The UDP/IP service (user/udp, endpoint 21) on both architectures.

1. Without a network device -- as in most boot tests -- it says one line
   and then waits quietly: no more lines, and it stays alive.
2. With user/netfake playing the virtio-net driver (a real channel, the
   driver's side of abi/net.h): the stack attaches, resolves the gateway,
   asks it for the time and prints it, echoes datagrams of 1 to 1,472
   bytes, answers an ICMP echo request, drops and counts malformed frames
   and protocol violations, serves the program protocol, and survives the
   driver's end and a new driver (one outage line, counted, recovered).
3. End to end through QEMU's virtio-net device and the real driver
   (user/virtio-net, when the tree has it): QEMU user networking with one
   UDP host forward on 127.0.0.1 to the echo port, 1,000 datagrams of 1 to
   1,472 bytes from the host, each back intact; an SNTP server in the test
   on 127.0.0.1 (the image is built with SNTP_PORT= its port, which QEMU's
   user network reaches as 10.0.2.2), whose time the guest must print;
   and malformed frames sent straight onto the guest's link through a
   second QEMU netdev (a UDP socket on 127.0.0.1 joined to the same hub),
   dropped and counted while the echo goes on.

Nothing leaves the machine: every socket is on 127.0.0.1, the guest only
ever talks to 10.0.2.2 (QEMU's host loopback), and every injected frame is
malformed at the IPv4 or UDP layer, so QEMU's user network drops it as
well. Counts and times are bounded.
"""

import datetime
import re
import socket
import struct
import threading
import time

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, REPO_ROOT, image_with_program, qemu, run_make_image

ARCHES = ("x86_64", "aarch64")
UDP = r"^\[udp\.elf:(\d+)\] "
START = (UDP + r"udp: serving endpoint 21 as 10\.0\.2\.15, gateway 10\.0\.2\.2, echo on "
         r"port 7, sntp 10\.0\.2\.2:(\d+); (.*)$")
# The kernel queues a message to an endpoint nobody has registered yet, so
# the HELLO waits there for a driver that starts later.
NO_DRIVER = "NET_MSG_HELLO sent to endpoint 20, waiting for the network driver"
QUIET_SECONDS = 12


def _lines_of(run, program):
    return [m.group(1) for m in (re.match(rf"^\[{program}\.elf:\d+\] (.*)$", line)
                                 for line in run.lines()) if m]


@pytest.mark.parametrize("arch", ARCHES)
def test_without_a_driver_it_says_one_line_and_waits(arch, built_image, boot):
    run = boot(arch, built_image(arch))
    start = run.wait_for(START, BOOT_TIMEOUT)
    pid = start.group(1)
    assert start.group(3) == NO_DRIVER, start.group(0)
    assert start.group(2) == "123", "the default SNTP port is 123"
    time.sleep(QUIET_SECONDS)
    udp = _lines_of(run, "udp")
    assert len(udp) == 1, udp
    ended = [line for line in run.lines()
             if re.match(rf"^(process {pid} udp\.elf: exited|user fault: udp\.elf \(pid {pid}\))",
                         line)]
    assert not ended, ended


DROPS = {"ip checksum": 1, "fragment": 1, "short": 1, "udp checksum": 1, "driver": 3}


def _one(lines, regex):
    """The one line matching `regex` (a failure if none or several)."""
    found = [m for m in (re.match(regex, line) for line in lines) if m]
    assert len(found) == 1, (regex, [m.group(0) for m in found])
    return found[0]


@pytest.mark.parametrize("arch", ARCHES)
def test_with_a_fake_driver(arch, tmp_path, boot):
    image = image_with_program(arch, "netfake", tmp_path, without=("virtio-net",))
    run = boot(arch, image)
    run.wait_for(START, BOOT_TIMEOUT)
    # The two programs run side by side: wait for the end, then read
    # everything (whose lines come first is the scheduler's choice).
    run.wait_for(r"^\[netfake\.elf:\d+\] netfake: second driver done$", 2 * BOOT_TIMEOUT)
    run.wait_for(r"^process \d+ netfake\.elf: exited with code 0$", BOOT_TIMEOUT)
    lines = run.lines()
    gens = [m.group(2) for m in (re.match(r"^\[netfake\.elf:(\d+)\] netfake: announced "
                                          r"generation (\d+)$", line) for line in lines) if m]
    assert len(gens) == 2 and gens[0] != gens[1], gens
    gen1, gen2 = gens
    for gen in gens:
        _one(lines, rf"^process {gen} netfake\.elf: exited with code 0$")
        _one(lines, UDP + rf"udp: link up: driver generation {gen}, mac 52:54:00:12:34:56, "
             r"10\.0\.2\.15, gateway 10\.0\.2\.2$")
    _one(lines, UDP + r"udp: sntp: time is 2025-11-30 01:59:49 UTC \(from 10\.0\.2\.2\)$")
    _one(lines, r"^\[netfake\.elf:\d+\] netfake: every echo came back intact, sizes up to 1472$")
    dropped = _one(lines, r"^\[netfake\.elf:\d+\] netfake: the stack counts drops: (\d+)$")
    _one(lines, UDP + rf"udp: network driver \(generation {gen1}\) went away \(a new driver "
         r"announced itself\); waiting for it to come back$")

    fake = _lines_of(run, "netfake")
    failed = [line for line in fake if line.endswith("FAILED")]
    assert not failed, fake
    assert sum(line.endswith(": ok") for line in fake) == 10, fake
    udp = _lines_of(run, "udp")
    counts = {m.group(1): int(m.group(2))
              for m in (re.match(r"^udp: drop (.+): (\d+)$", line) for line in udp) if m}
    for reason, count in DROPS.items():
        assert counts.get(reason) == count, (reason, counts)
    # STATUS printed every reason, zeros included; their sum is what it answered.
    assert "udp: drop arp unresolved: 0" in udp, udp
    assert sum(counts.values()) == int(dropped.group(1)), (counts, dropped.group(0))
    refused = [line for line in udp if line.startswith("udp: driver's ")]
    assert sorted(refused) == sorted([
        "udp: driver's NET_MSG_RX refused (slot number)",
        "udp: driver's NET_MSG_RX refused (slot length)",
        "udp: driver's NET_MSG_TX_DONE refused (slot not theirs)",
    ]), refused
    assert not [line for line in lines if line.startswith("user fault: udp.elf")]


# ------------------------------------------------------- end to end, QEMU's NIC

ECHO_COUNT = 1000
ECHO_MAX = 1472
ECHO_TIMEOUT = 2.0
ECHO_SECONDS = 300
NTP_EPOCH = 2208988800


def _free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SntpServer:
    """Answers every SNTP request on 127.0.0.1 (mode 4, stratum 2, the
    request's transmit timestamp as origin) with the host's time, and
    remembers the seconds it sent."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.sent = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self._thread.join(2)
        self.sock.close()

    def _serve(self):
        while not self._stop:
            try:
                data, peer = self.sock.recvfrom(512)
            except socket.timeout:
                continue
            if len(data) < 48 or data[0] & 7 != 3:
                continue
            seconds = int(time.time()) + NTP_EPOCH
            reply = bytearray(48)
            reply[0] = (0 << 6) | (4 << 3) | 4
            reply[1] = 2
            reply[24:32] = data[40:48]
            reply[32:40] = struct.pack(">II", seconds & 0xffffffff, 0)
            reply[40:48] = struct.pack(">II", seconds & 0xffffffff, 0)
            self.sent.append(seconds)
            self.sock.sendto(bytes(reply), peer)


def _utc(ntp_seconds):
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=ntp_seconds - NTP_EPOCH)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def _frame(guest_mac, payload=b"injected", ip_sum_delta=0, udp_sum_delta=1, flags=0,
           total_delta=0, cut=None, ethertype=0x0800):
    """An Ethernet frame to the guest, from 10.0.2.99:9 to 10.0.2.15:9 (no
    echo, and no port QEMU's user network serves), broken as asked. The
    default breaks the UDP checksum, so even a frame the test means to be
    malformed at another layer is refused by every layer after it."""
    src_mac = bytes.fromhex("020000000099")
    udp_len = 8 + len(payload)
    src, dst = bytes([10, 0, 2, 99]), bytes([10, 0, 2, 15])
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", 9, 9, udp_len, 0) + payload
    udp_sum = (_checksum(pseudo + udp) + udp_sum_delta) & 0xffff or 1
    udp = udp[:6] + struct.pack("!H", udp_sum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len + total_delta, 0x4321, flags, 64, 17,
                     0, src, dst)
    ip_sum = (_checksum(ip) + ip_sum_delta) & 0xffff
    ip = ip[:10] + struct.pack("!H", ip_sum) + ip[12:]
    frame = guest_mac + src_mac + struct.pack("!H", ethertype) + ip + udp
    return frame[:cut] if cut is not None else frame


def _malformed(guest_mac):
    """(reason the stack counts, frame) for each kind the test injects."""
    return [
        ("ip checksum", _frame(guest_mac, ip_sum_delta=1)),
        ("udp checksum", _frame(guest_mac)),
        ("short", _frame(guest_mac, cut=14 + 12)),
        ("ip length", _frame(guest_mac, total_delta=40)),
        ("fragment", _frame(guest_mac, flags=0x2000)),
        ("fragment", _frame(guest_mac, flags=0x0010)),
        ("ethertype", _frame(guest_mac, ethertype=0x88b5)),
    ]


def _echo_all(port, count, deadline, inject=None):
    """Sends `count` datagrams of 1..ECHO_MAX bytes to 127.0.0.1:port, one
    at a time, and checks each comes back intact; returns how many needed
    a second send. `inject` runs once, halfway."""
    resent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.connect(("127.0.0.1", port))
        s.settimeout(ECHO_TIMEOUT)
        for i in range(count):
            if inject and i == count // 2:
                inject()
            size = 1 + i * (ECHO_MAX - 1) // (count - 1)
            data = struct.pack("!I", i) * (size // 4 + 1)
            data = data[:size]
            for attempt in range(3):
                assert time.monotonic() < deadline, f"echo {i} past the deadline"
                s.send(data)
                try:
                    while True:
                        back = s.recv(4096)
                        if back == data:
                            break
                except socket.timeout:
                    resent += 1
                    continue
                break
            else:
                pytest.fail(f"datagram {i} ({size} bytes) never came back")
    return resent


@pytest.mark.parametrize("arch", ARCHES)
def test_end_to_end_through_qemu(arch, tmp_path, boot):
    if not (REPO_ROOT / "user" / "virtio-net").is_dir():
        pytest.skip("no virtio-net driver in this tree yet (user/virtio-net)")
    echo_port = _free_udp_port()
    qemu_port = _free_udp_port()
    with SntpServer() as sntp, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as wire:
        wire.bind(("127.0.0.1", 0))
        image = tmp_path / "cambios.img"
        error = run_make_image(arch, SNTP_PORT=sntp.port, IMAGE_OUT=str(image))
        assert error is None, error
        # Not restrict=on: it would cut the guest's SNTP request to the
        # host's loopback too (guestfwd, the way around it, is TCP only).
        # The guest only ever sends to 10.0.2.2, which is that loopback.
        extra = (
            "-netdev", f"user,id=n0,hostfwd=udp:127.0.0.1:{echo_port}-:7",
            "-netdev", f"socket,id=inj,udp=127.0.0.1:{wire.getsockname()[1]},"
                       f"localaddr=127.0.0.1:{qemu_port}",
            "-netdev", "hubport,id=p0,hubid=0,netdev=n0",
            "-netdev", "hubport,id=p1,hubid=0,netdev=inj",
            "-netdev", "hubport,id=p2,hubid=0",
            "-device", "virtio-net-pci,netdev=p2,disable-legacy=on,romfile=",
        )
        run = boot(arch, image, extra=extra)
        start = run.wait_for(START, BOOT_TIMEOUT)
        assert start.group(2) == str(sntp.port)
        up = run.wait_for(UDP + r"udp: link up: driver generation \d+, mac "
                          r"([0-9a-f:]{17}), ", BOOT_TIMEOUT)
        guest_mac = bytes.fromhex(up.group(2).replace(":", ""))
        told = run.wait_for(UDP + r"udp: sntp: time is (\S+ \S+) UTC \(from 10\.0\.2\.2\)$",
                            BOOT_TIMEOUT)
        assert sntp.sent, "the SNTP server was never asked"
        assert told.group(2) in [_utc(s) for s in sntp.sent], (told.group(0), sntp.sent)
        # ... and the kernel's wall clock took it (SetWallclock, 39).
        run.wait_for(UDP + r"udp: sntp: the kernel's wall clock is set$", BOOT_TIMEOUT)

        malformed = _malformed(guest_mac)

        def inject():
            for _, frame in malformed:
                wire.sendto(frame, ("127.0.0.1", qemu_port))

        resent = _echo_all(echo_port, ECHO_COUNT, time.monotonic() + ECHO_SECONDS, inject)
        assert resent <= 3, f"{resent} datagrams needed a second send"

        want = {}
        for reason, _ in malformed:
            want[reason] = want.get(reason, 0) + 1
        # The report comes as the stack wakes, at most every 5 s: keep it busy.
        deadline = time.monotonic() + 60
        while True:
            counts = {}
            for line in _lines_of(run, "udp"):
                m = re.match(r"^udp: drop (.+): (\d+)$", line)
                if m:
                    counts[m.group(1)] = int(m.group(2))
            if all(counts.get(k, 0) >= v for k, v in want.items()):
                break
            assert time.monotonic() < deadline, (want, counts)
            _echo_all(echo_port, 10, deadline)
            time.sleep(0.5)
        assert not [line for line in run.lines() if line.startswith("user fault: udp.elf")]
