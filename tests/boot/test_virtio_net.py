"""The virtio-net driver (user/virtio-net, in every image) on both
architectures, tested from the UDP/IP stack's side of include/abi/net.h
by user/netprobe, given as a module.

The machine has a modern virtio-net device on QEMU's user network. The
driver brings it up (MAC from the device, queue sizes read from it, MSI-X)
and creates the channel; netprobe takes the stack's endpoint, asks for
NET_MSG_UP with a HELLO, attaches the channel and sends ARP requests for
the user network's gateway, 10.0.2.2, through the TX slots: each one's
TX_DONE and the gateway's ARP reply (through an RX slot) must come back,
forty of them, more than there are slots or queue entries. Then it sends
what the driver must refuse, and the driver's refusal lines, its counters
and netprobe's verdict are checked in order.
"""

import re
import time

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, image_with_program, qemu

ARCHES = ("x86_64", "aarch64")
MAC = "52:54:00:12:34:56"
GATEWAY_MAC = "52:55:0a:00:02:02"  # QEMU's user network's gateway
REQUESTS = 40
PROBE_END = r"^process (\d+) netprobe\.elf: exited with code (-?\d+)$"


def _said(lines, program):
    out = []
    for line in lines:
        m = re.match(rf"^\[{re.escape(program)}\.elf:\d+\] (.*)$", line)
        if m:
            out.append(m.group(1))
    return out


def _in_order(out, patterns):
    """Each pattern matches a line after the previous one's; the matches."""
    found, at = [], 0
    for pattern in patterns:
        while at < len(out) and not re.fullmatch(pattern, out[at]):
            at += 1
        assert at < len(out), f"no line {pattern!r} in order in {out}"
        found.append(re.fullmatch(pattern, out[at]))
        at += 1
    return found


def _settled(run, first, then, timeout=BOOT_TIMEOUT):
    """The serial lines once one matching `then` follows one matching `first`."""
    deadline = time.monotonic() + timeout
    while True:
        lines = run.lines()
        starts = [i for i, line in enumerate(lines) if re.match(first, line)]
        if starts and any(re.match(then, line) for line in lines[starts[0] + 1:]):
            return lines
        assert time.monotonic() < deadline, f"no {then!r} after {first!r}:\n" + \
            "\n".join(lines[-40:])
        time.sleep(0.5)


@pytest.mark.parametrize("arch", ARCHES)
def test_the_driver_carries_frames_between_the_device_and_the_stack(arch, tmp_path):
    image = image_with_program(arch, "netprobe", tmp_path, without=("udp",))
    extra = ("-netdev", "user,id=n0",
             "-device", f"virtio-net-pci,netdev=n0,disable-legacy=on,romfile=,mac={MAC}")
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_virtio_net_{arch}.log", smp=1,
                       mem="256M", extra=extra, max_runtime=300)
    with run:
        end = run.wait_for(PROBE_END, 2 * BOOT_TIMEOUT)
        # The driver's last lines may come after netprobe's end: its UP is
        # sent before it says so.
        lines = _settled(run, r"^\[virtio-net\.elf:\d+\] virtio-net: refused message type 77$",
                         r"^\[virtio-net\.elf:\d+\] virtio-net: NET_MSG_UP sent to endpoint 21: "
                         r"channel \d+$")

    probe = _said(lines, "netprobe")
    driver = _said(lines, "virtio-net")
    assert end.group(2) == "0", (end.group(0), probe)
    assert probe == [
        f"netprobe: NET_MSG_UP: MAC {MAC}, 32 RX and 32 TX slots of 2048 bytes, mtu 1500; "
        "channel attached",
        f"netprobe: {REQUESTS} ARP requests sent in batches of 8, every TX_DONE and reply back "
        f"in distinct RX slots; 10.0.2.2 is at {GATEWAY_MAC}",
        "netprobe: the driver refused what it must and answered HELLO with the same channel",
        "netprobe: all checks passed",
    ], probe
    up, sent, *_, counters = _in_order(driver, [
        rf"virtio-net: [0-9a-f]{{2}}:[0-9a-f]{{2}}\.\d up: MAC {MAC}, queues rx 32 tx 32, "
        r"MSI-X line (\d+)",
        r"virtio-net: (NET_MSG_UP sent to endpoint 21: channel \d+|no stack at endpoint 21 "
        r"yet; waiting for its NET_MSG_HELLO)",
        r"virtio-net: refused RX_DONE for slot 99: past the RX slots",
        r"virtio-net: refused RX_DONE for slot 0: not lent to the stack",
        r"virtio-net: refused TX of slot 32: past the TX slots",
        r"virtio-net: refused TX of length 5000: not a frame \(dropped, slot given back\)",
        r"virtio-net: refused a message of type 5 and the wrong size",
        r"virtio-net: refused message type 77",
        r"virtio-net: rx (\d+) frames (\d+) bytes, tx (\d+) frames (\d+) bytes, (\d+) dropped, "
        r"(\d+) refused from the stack, (\d+) held for a full queue, (\d+) interrupts",
    ])
    assert 1024 <= int(up.group(1)) <= 1087, up.group(0)
    rx_frames, rx_bytes, tx_frames, tx_bytes, dropped, refused, held, irqs = \
        map(int, counters.groups())
    # A batch's last reply comes after the driver handed the device its
    # last request, and netprobe sends nothing more until it has that
    # reply: only the device's interrupt can wake the driver for it.
    assert irqs >= 1, counters.group(0)
    assert rx_frames >= REQUESTS and rx_bytes >= 42 * REQUESTS, counters.group(0)
    assert (tx_frames, tx_bytes) == (REQUESTS, 42 * REQUESTS), counters.group(0)
    assert dropped >= 1 and refused == 6, counters.group(0)
    assert not [line for line in driver if "broke" in line], driver
    assert driver[-1].startswith("virtio-net: NET_MSG_UP sent to endpoint 21: channel "), driver


@pytest.mark.parametrize("arch", ARCHES)
def test_without_a_device_the_driver_says_so_and_exits(boot, built_image, arch):
    run = boot(arch, built_image(arch), smp=1, mem="256M")
    said = run.wait_for(r"^\[virtio-net\.elf:(\d+)\] (.*)$", BOOT_TIMEOUT)
    assert said.group(2) == "virtio-net: no virtio-net device on this machine; nothing to drive"
    run.wait_for(rf"^process {said.group(1)} virtio-net\.elf: exited with code 0$", BOOT_TIMEOUT)
