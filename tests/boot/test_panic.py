"""The kernel's panic path, and the command line that reaches the kernel.

Boots a copy of the image whose limine.conf adds `cmdline:
cambios.panic_test`. The kernel must show the command line the loader
handed over, then panic with its reason and source location and halt every
CPU. Runs with 2 CPUs so the APs are parked in the kernel when it panics.
"""

import shutil

import pytest

from conftest import BOOT_TIMEOUT
from fatimage import FatImage

CONFIG = "/boot/limine.conf"
PANIC_WORD = "cambios.panic_test"


def add_cmdline(fat, workdir, words):
    conf = workdir / "limine.conf"
    fat.extract(CONFIG, conf)
    lines = conf.read_text().splitlines()
    out = []
    for line in lines:
        out.append(line)
        if line.strip().startswith("protocol:"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}cmdline: {words}")
    assert len(out) == len(lines) + 1, "limine.conf has no protocol line"
    conf.write_text("\n".join(out) + "\n")
    fat.replace(CONFIG, conf)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_panic_reports_reason_and_location(boot, built_image, tmp_path, arch):
    image = tmp_path / "panic.img"
    shutil.copyfile(built_image(arch), image)
    add_cmdline(FatImage(image), tmp_path, f"quiet {PANIC_WORD}")
    run = boot(arch, image, smp=2, fail_patterns=(r"cambios-boot: error",))
    run.expect_in_order([
        r"^smp: 2/2 CPUs online$",
        rf'^cmdline: "quiet {PANIC_WORD}"$',
        rf"^PANIC: {PANIC_WORD} on the command line: testing the panic path$",
        r"^  at kernel/boot/main\.c:\d+$",
        r"^  all CPUs halted$",
    ], BOOT_TIMEOUT)
