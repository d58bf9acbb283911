"""Console input on AArch64 booted with the device tree (ACPI off).

Typed bytes reach the program blocked in ConsoleRead (system call 24) --
the shell, user/shell -- through the UART's receive interrupt: there the
PL011's SPI comes from the device tree instead of the SPCR. The shell's
own test (test_shell.py) types at both architectures with ACPI; this
boot only checks the device-tree path, with a command typed with an
arrow key's escape sequence and a backspace, which must run as edited,
and a line longer than the UART's FIFO, which must all arrive.
"""
from conftest import BOOT_TIMEOUT

INPUT_ON = (r"^interrupts: \d+ SPIs routed to this CPU, disabled until waited for; "
            r"console input on INTID 33 \(the kernel's line\)$")
STARTED = r"^\[shell\.elf:(\d+)\] shell: CambiOS shell on the serial console; type help"


def test_typing_reaches_the_shell_with_the_device_tree(boot, built_image):
    run = boot("aarch64", built_image("aarch64"), serial_input=True,
               extra=("-machine", "acpi=off"))
    run.wait_for(INPUT_ON, BOOT_TIMEOUT)
    pid = run.wait_for(STARTED, BOOT_TIMEOUT).group(1)
    run.send(b"\x1b[Aspawn hellox\x7f\r")
    run.wait_for(rf"^\[shell\.elf:{pid}\] cambios> spawn hello$", BOOT_TIMEOUT)
    hello = run.wait_for(rf"^\[shell\.elf:{pid}\] spawned hello as pid (\d+)$",
                         BOOT_TIMEOUT).group(1)
    run.wait_for(rf"^\[hello\.elf:{hello}\] Hello from a signed boot module!$", BOOT_TIMEOUT)
    run.send(b"put long.txt " + b"z" * 100 + b"\r")
    run.wait_for(rf"^\[shell\.elf:{pid}\] put long\.txt: 100 bytes stored$", BOOT_TIMEOUT)
