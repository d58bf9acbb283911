"""MSI-X on both architectures: a driver (user/msix, given as a module)
routes its virtio-net device's MSI-X entry 0 to a line of its own with
EnableMsix, is refused what it must not have, brings the device up with
that entry as the configuration-change vector and waits on the line;
this test turns the device's link off and on through QEMU's monitor
(QMP `set_link`), and each change must arrive as one interrupt, on the
driver's line, announcing the new link state. When the driver ends, the
kernel turns the function's MSI-X off and releases the device.

The interrupt can only have come as an MSI-X message: the driver waits on
no INTx line, and its line is one only EnableMsix makes (1024 and up).

The machine has two CPUs and the driver runs on the second (the boot
hands every second program to the APs): the kernel steers the vector to
the CPU its driver waits on (a new destination in the x86_64 message, a
MOVI to that CPU's collection in the AArch64 ITS), says so, and as the
driver ends reports where its interrupts were taken -- every one on its
CPU, none on another.

The network is QEMU's user mode, restricted: nothing leaves the machine.
"""

import re

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, image_with_program, qemu

ARCHES = ("x86_64", "aarch64")
NIC = "nic0"
PROGRAM_END = r"^process (\d+) msix\.elf: exited with code (-?\d+)$"
LINE_FIRST, LINE_LAST = 1024, 1087


def _program(lines):
    out = []
    for line in lines:
        m = re.match(r"^\[msix\.elf:\d+\] (.*)$", line)
        if m:
            out.append(m.group(1))
    return out


@pytest.mark.parametrize("arch", ARCHES)
def test_a_driver_gets_its_device_interrupts_through_msix(arch, tmp_path):
    # Without udp too: msix stays the fourth program, one the boot hands to the AP.
    image = image_with_program(arch, "msix", tmp_path, without=("virtio-net", "udp"))
    qmp = tmp_path / "monitor.sock"
    extra = ("-netdev", "user,id=net0,restrict=on",
             "-device", f"virtio-net-pci,netdev=net0,id={NIC},disable-legacy=on,romfile=",
             "-qmp", f"unix:{qmp},server=on,wait=off")
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_msix_{arch}.log", smp=2,
                       mem="256M", extra=extra, max_runtime=300)
    with run:
        up = run.wait_for(r"^\[msix\.elf:(\d+)\] msix: device up; waiting on line (\d+) "
                          r"for configuration interrupts \(link up\)$", 2 * BOOT_TIMEOUT)
        pid, line = up.group(1), int(up.group(2))
        assert LINE_FIRST <= line <= LINE_LAST, up.group(0)
        qemu.qmp_execute(qmp, "set_link", arguments={"name": NIC, "up": False})
        run.wait_for(rf"^\[msix\.elf:{pid}\] msix: interrupt 1 on line {line}: link down$",
                     BOOT_TIMEOUT)
        qemu.qmp_execute(qmp, "set_link", arguments={"name": NIC, "up": True})
        run.wait_for(rf"^\[msix\.elf:{pid}\] msix: interrupt 2 on line {line}: link up$",
                     BOOT_TIMEOUT)
        woke = run.wait_for(rf"^\[msix\.elf:{pid}\] msix: every interrupt woke it on CPU (\d+)$",
                            BOOT_TIMEOUT)
        cpu = woke.group(1)
        assert cpu != "0", "the driver ran on the BSP: nothing was steered"
        end = run.wait_for(PROGRAM_END, BOOT_TIMEOUT)
        assert end.group(1) == pid and end.group(2) == "0", end.group(0)
        held = run.wait_for(rf"^irq: process {pid} held line {line}: (\d+) interrupts, "
                            rf"delivered to CPU (\d+), (\d+) taken on another$", BOOT_TIMEOUT)
        assert held.groups() == ("2", cpu, "0"), held.group(0)
        steered = [m for m in run.lines() if re.match(
            rf"^irq: line {line} now delivered to CPU {cpu}, where process {pid} waits$", m)]
        assert len(steered) == 1, "the kernel did not say it steered the line once"
        off = run.wait_for(r"^msix: ([0-9a-f]{2}:[0-9a-f]{2}\.\d): MSI-X off "
                           rf"\(process {pid} ended\)$", BOOT_TIMEOUT)
        run.wait_for(rf"^device {re.escape(off.group(1))} 1af4:1041: released by process "
                     rf"{pid} ", BOOT_TIMEOUT)
        lines = run.lines()

    out = _program(lines)
    assert out[0] == f"msix: virtio-net {off.group(1)} MSI-X entry 0 -> line {line}", out
    assert out[1:7] == [
        "msix: refused entry 2048: -1",
        "msix: refused an entry past the table: -1",
        "msix: refused function 0 (the host bridge, no MSI-X): -1",
        "msix: refused function 64: -1",
        "msix: refused WaitIrq on a line nobody routed: -1",
        f"msix: the same entry again: the same line: {line}",
    ], out
    assert out[-1] == "msix: all checks passed", out
    assert f"device {off.group(1)} 1af4:1041: claimed by process {pid}" in lines
