"""Your own programs in the image: `make image MODULES="a.elf b.elf"`.

A bare assembly program written against the original CambiOS system-call
ABI alone (tests/boot/programs/orig-abi_<arch>.S: GetPid, Print, Yield,
Exit, no headers or libraries of ours) is built, handed to the build with
MODULES=, signed with the configured key, listed in limine.conf and run as
a process -- under our loader and, where it is at hand, genuine Limine. It
has no signed role (it was not built with CAMBIOS_MODULE_ROLE), which
makes it a program like any other but one nothing can find by role. A
MODULES file named like one of the image's own modules is refused by the
build.
"""

import subprocess

import pytest

from conftest import BOOT_TIMEOUT, REPO_ROOT
from test_boot import genuine_limine_efi

PROGRAMS = REPO_ROOT / "tests" / "boot" / "programs"
TARGET = {"x86_64": "x86_64-unknown-none-elf", "aarch64": "aarch64-unknown-none-elf"}


def build_orig_abi(arch, workdir):
    obj, elf = workdir / "orig-abi.o", workdir / "orig-abi.elf"
    subprocess.run(["clang", f"--target={TARGET[arch]}", "-c",
                    str(PROGRAMS / f"orig-abi_{arch}.S"), "-o", str(obj)], check=True)
    subprocess.run(["ld.lld", "-nostdlib", "-static", "-z", "max-page-size=0x1000",
                    "-T", str(REPO_ROOT / "user" / "linker.ld"), str(obj), "-o", str(elf)],
                   check=True)
    return elf


@pytest.mark.parametrize("loader", ["cambios-boot", "limine"])
@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_module_written_for_the_original_abi_runs(boot, make_image_with, tmp_path, arch, loader):
    extra = {"LIMINE_EFI": genuine_limine_efi(arch)} if loader == "limine" else {}
    elf = build_orig_abi(arch, tmp_path)
    image = tmp_path / "cambios.img"
    make_image_with(arch, MODULES=str(elf), IMAGE_OUT=image, **extra)
    run = boot(arch, image, smp=2)
    run.expect_in_order([r"^module orig-abi\.elf: accepted \(no signed role\)$"], BOOT_TIMEOUT)
    pid = run.wait_for(r"^process (\d+) orig-abi\.elf: ready, entry 0x400000, ",
                       BOOT_TIMEOUT).group(1)
    run.expect_in_order([
        rf"^\[orig-abi\.elf:{pid}\] original ABI: GetPid and Print$",
        rf"^\[orig-abi\.elf:{pid}\] original ABI: after Yield$",
        rf"^process {pid} orig-abi\.elf: exited with code {pid}$",
    ], BOOT_TIMEOUT)


def test_a_module_may_not_shadow_ours(tmp_path):
    shadow = tmp_path / "hello.elf"
    shadow.write_bytes(b"\x7fELF")
    result = subprocess.run(["make", "image", "ARCH=x86_64", f"MODULES={shadow}",
                             f"IMAGE_OUT={tmp_path / 'x.img'}"], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode != 0
    assert "would replace the image's own module" in result.stdout
