"""Console input: typing at the serial console reaches a program blocked
in ConsoleRead (system call 24).

The default image runs the `console` program (user/console), which
blocks in ConsoleRead and prints every read back as
`console: read "<bytes>"` (non-printable bytes escaped). The test types
into QEMU's serial input -- the stdin of `-serial stdio`, a pipe here
(QemuRun(serial_input=True)) -- and expects exactly the typed bytes back,
in order, however the reads split them: the bytes travel through the
UART's receive interrupt (COM1's IRQ 4 through the I/O APIC on x86_64,
the PL011's SPI through the GICv3 on AArch64) into the kernel's ring.
"""
import re

import pytest

from conftest import BOOT_TIMEOUT

READY = r"^process (\d+) console\.elf: ready, entry 0x400000, "
STARTED = r"^\[console\.elf:{pid}\] console: type here; each read comes back \(ConsoleRead\)$"
READ = re.compile(r'^\[console\.elf:(\d+)\] console: read "(.*)"$')
INPUT_ON = {"x86_64": r"^interrupts: console input on COM1, GSI 4 \(the kernel's line\)$",
            "aarch64": r"^interrupts: \d+ SPIs routed to this CPU, disabled until waited for; "
                       r"console input on INTID 33 \(the kernel's line\)$"}
TYPED = [b"ping 42\r", b"\x1b[A tab\there \\ \"q\"\n"]


def program_escape(data):
    """user/console's escapes: \\r, \\n, \\\\, \\", and \\xNN outside ASCII."""
    names = {ord("\r"): "\\r", ord("\n"): "\\n", ord("\\"): "\\\\", ord('"'): '\\"'}
    return "".join(names.get(b, chr(b) if 0x20 <= b < 0x7f else f"\\x{b:02x}") for b in data)


def shown(data):
    """What the console shows: the program's line, whose backslashes the
    kernel's output layer doubles (kernel/proc/output.c)."""
    return program_escape(data).replace("\\", "\\\\")


def read_back(run, pid, want, timeout):
    """Concatenates the program's reads until they make up `want`."""
    got = ""
    while len(got) < len(want):
        match = run.wait_for(READ, timeout)
        assert match.group(1) == pid, f"a read by pid {match.group(1)}"
        got += match.group(2)
    return got


# AArch64 also with ACPI off: the PL011's interrupt then comes from the
# device tree instead of the SPCR.
@pytest.mark.parametrize("arch,extra", [("x86_64", ()), ("aarch64", ()),
                                        ("aarch64", ("-machine", "acpi=off"))],
                         ids=["x86_64", "aarch64", "aarch64-devicetree"])
def test_typing_reaches_a_program_blocked_in_console_read(boot, built_image, arch, extra):
    run = boot(arch, built_image(arch), serial_input=True, extra=extra)
    run.wait_for(INPUT_ON[arch], BOOT_TIMEOUT)
    pid = run.wait_for(READY, BOOT_TIMEOUT).group(1)
    run.wait_for(STARTED.format(pid=pid), BOOT_TIMEOUT)
    for typed in TYPED:
        run.send(typed)
        assert read_back(run, pid, shown(typed), BOOT_TIMEOUT) == shown(typed)
