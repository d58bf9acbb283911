"""Boot deliberately broken images and check our loader refuses them clearly.

Owns the loader's error contract: a missing kernel, a corrupt kernel ELF or
a missing module must each produce one "cambios-boot: error: ..." line on
the console, and the kernel must never start. Each case copies the good
image into a temporary directory, breaks it with mtools, boots it, waits
for the message and stops QEMU itself (a hang counts as a failure through
the timeout, not as a pass).
"""

import shutil
import struct

import pytest

from conftest import ERROR_TIMEOUT
from fatimage import FatImage

KERNEL = "/boot/cambios.elf"
MODULE = "/boot/modules/kernel.sym"

KERNEL_MISSING = (r"cambios-boot: error: cannot open kernel "
                  r"boot\(\):/boot/cambios.elf: not found")
KERNEL_INVALID = (r"cambios-boot: error: kernel boot\(\):/boot/cambios.elf "
                  r"is not a valid ELF: .+")
MODULE_MISSING = (r"cambios-boot: error: cannot open module "
                  r"boot\(\):/boot/modules/kernel.sym: not found")

# A kernel banner on a broken image is as wrong as a panic, and any other
# loader error fails at once instead of at the timeout. (wait_for checks
# the expected message first, so it never counts as a fail pattern.)
FAIL_PATTERNS = (r"^PANIC", r"^CambiOS ", r"cambios-boot: error")

ELF_MACHINE = {"x86_64": 62, "aarch64": 183}
PT_LOAD = 1


# -- ways to break the kernel ELF ------------------------------------------

def bad_magic(elf, arch):
    return b"\0BAD" + elf[4:]


def truncated(elf, arch):
    return elf[:100]


def wrong_machine(elf, arch):
    other = next(m for a, m in ELF_MACHINE.items() if a != arch)
    return elf[:18] + struct.pack("<H", other) + elf[20:]


def load_past_eof(elf, arch):
    """Move the first non-empty PT_LOAD's file data past the end of file.

    The new p_offset is the file size rounded up to 64 KiB, so offset and
    vaddr stay congruent modulo any page size and the only fault left is
    p_offset + p_filesz > file size.
    """
    data = bytearray(elf)
    phoff = struct.unpack_from("<Q", data, 32)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for index in range(phnum):
        entry = phoff + index * phentsize
        p_type = struct.unpack_from("<I", data, entry)[0]
        p_filesz = struct.unpack_from("<Q", data, entry + 32)[0]
        if p_type == PT_LOAD and p_filesz > 0:
            past_end = (len(data) + 0xFFFF) & ~0xFFFF
            struct.pack_into("<Q", data, entry + 8, past_end)
            return bytes(data)
    raise AssertionError("kernel ELF has no PT_LOAD with file data")


# -- ways to break the image -------------------------------------------------

def remove_kernel(fat, workdir, arch):
    fat.delete(KERNEL)


def remove_module(fat, workdir, arch):
    fat.delete(MODULE)


def corrupt_kernel(mutate):
    def breaker(fat, workdir, arch):
        original = workdir / "cambios.elf"
        fat.extract(KERNEL, original)
        broken = workdir / f"cambios-{mutate.__name__}.elf"
        broken.write_bytes(mutate(original.read_bytes(), arch))
        fat.replace(KERNEL, broken)
    breaker.__name__ = mutate.__name__
    return breaker


def case(arch, breaker, expected):
    return pytest.param(arch, breaker, expected,
                        id=f"{arch}-{breaker.__name__}")


CASES = [
    case(arch, breaker, expected)
    for arch in ("x86_64", "aarch64")
    for breaker, expected in (
        (remove_kernel, KERNEL_MISSING),
        (corrupt_kernel(bad_magic), KERNEL_INVALID),
        (corrupt_kernel(load_past_eof), KERNEL_INVALID),
        (remove_module, MODULE_MISSING),
    )
] + [
    # Cheaper variants on one arch only: the ELF checks are portable code.
    case("x86_64", corrupt_kernel(truncated), KERNEL_INVALID),
    case("x86_64", corrupt_kernel(wrong_machine), KERNEL_INVALID),
]


@pytest.mark.parametrize("arch, breaker, expected", CASES)
def test_loader_error(boot, built_image, tmp_path, arch, breaker, expected):
    image = tmp_path / "broken.img"
    shutil.copyfile(built_image(arch), image)
    breaker(FatImage(image), tmp_path, arch)
    run = boot(arch, image, fail_patterns=FAIL_PATTERNS)
    run.wait_for(expected, ERROR_TIMEOUT)
    run.stop()
