"""The chain of trust at boot: the SignedBinaryVerifier's verdicts.

A normal image's modules (kernel.sym and hello.elf) are signed by the
build and must be accepted with their signed roles. Then one boot per
architecture carries four broken copies of hello.elf next to the good
modules -- unsigned, one byte flipped, signed by another key, trailer cut
short -- and each must be rejected with its reason while the boot goes on
to the end. Last, limine.conf's unsigned module strings are swapped: each
module keeps its signed role, the conf strings are reported as ignored,
and the symbol table is still kernel.sym's, not hello.elf's bytes.
"""

import shutil
import subprocess

import pytest

from conftest import BOOT_TIMEOUT, REPO_ROOT
from fatimage import FatImage

SIGN_TOOL = REPO_ROOT / "build" / "host" / "tools" / "cambios-sign"
HELLO = "/boot/modules/hello.elf"
SYMBOLS = "/boot/modules/kernel.sym"
CONFIG = "/boot/limine.conf"
TRAILER = 72
DONE = r"^boot: .*BSP idle between ticks$"
SYMBOLS_ACCEPTED = r"^module kernel\.sym: accepted, role kernel-symbols$"
HELLO_ACCEPTED = r"^module hello\.elf: accepted, role hello$"


def sign_tool():
    if not SIGN_TOOL.is_file():
        subprocess.run(["make", str(SIGN_TOOL.relative_to(REPO_ROOT))], cwd=REPO_ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    return str(SIGN_TOOL)


def signed_by_other_key(body, workdir):
    seed, pub, out = workdir / "other.seed", workdir / "other.pub", workdir / "other.elf"
    subprocess.run([sign_tool(), "keygen", "--seed-out", str(seed), "--pubkey-out", str(pub)],
                   check=True, stdout=subprocess.DEVNULL)
    out.write_bytes(body)
    subprocess.run([sign_tool(), "sign", "--key", str(seed), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return out.read_bytes()


def broken_variants(signed, workdir):
    body = signed[:-TRAILER]
    flipped = bytearray(signed)
    flipped[len(body) // 2] ^= 0x01
    return {
        "unsigned.elf": (body, "unsigned"),
        "flipped.elf": (bytes(flipped), "bad signature"),
        "otherkey.elf": (signed_by_other_key(body, workdir), "bad signature"),
        "truncated.elf": (signed[:-3], "truncated"),
    }


def add_modules(fat, workdir, names):
    conf = workdir / "limine.conf"
    fat.extract(CONFIG, conf)
    text = conf.read_text().rstrip("\n") + "\n"
    for name in names:
        text += f"    module_path: boot():/boot/modules/{name}\n"
        text += f"    module_cmdline: test-{name}\n"
    conf.write_text(text)
    fat.replace(CONFIG, conf)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_signed_modules_are_accepted(boot, built_image, arch):
    run = boot(arch, built_image(arch))
    run.expect_in_order([
        r"^process: table of 64 slots, kernel processes 0-2 created$",
        r"^ipc: 32 endpoints x 16 messages of up to 256 bytes; interceptor: structural$",
        r"^capabilities: 32 slots per process; kernel processes 0-2 hold all rights on 32 endpoints$",
        r"^identity: bootstrap principal loaded \(Ed25519 public key, fingerprint [0-9a-f]{16}\)$",
        r"^identity: bootstrap principal [0-9a-f]{16} bound to kernel processes 0-2$",
        r"^objstore: RAM store for 256 objects of up to 4096 bytes, content-addressed by BLAKE3$",
        SYMBOLS_ACCEPTED,
        HELLO_ACCEPTED,
        r"^module echo\.elf: accepted, role echo$",
        r"^module shell\.elf: accepted, role shell$",
        r"^module key-store\.elf: accepted, role key-store$",
        r"^module virtio-net\.elf: accepted, role virtio-net$",
        r"^module udp\.elf: accepted, role udp$",
        r"^module fs\.elf: accepted, role fs$",
        r"^verifier: 8 of 8 boot modules accepted$",
        r"^symbols: \d+ bytes of kernel symbols loaded$",
        DONE,
    ], BOOT_TIMEOUT)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_broken_modules_are_rejected_and_boot_continues(boot, built_image, tmp_path, arch):
    image = tmp_path / "modules.img"
    shutil.copyfile(built_image(arch), image)
    fat = FatImage(image)
    good = tmp_path / "hello.elf"
    fat.extract(HELLO, good)
    variants = broken_variants(good.read_bytes(), tmp_path)
    for name, (data, _) in variants.items():
        (tmp_path / name).write_bytes(data)
        fat.replace(f"/boot/modules/{name}", tmp_path / name)
    add_modules(fat, tmp_path, variants)

    run = boot(arch, image)
    expected = [SYMBOLS_ACCEPTED, HELLO_ACCEPTED]
    expected += [rf"^module {name.replace('.', r'[.]')}: rejected \({reason}\)$"
                 for name, (_, reason) in variants.items()]
    expected += [r"^verifier: 8 of 12 boot modules accepted$", DONE]
    run.expect_in_order(expected, BOOT_TIMEOUT)


def swap_module_strings(fat, workdir):
    """Swaps the two module_cmdline values in the image's limine.conf."""
    conf = workdir / "limine.conf"
    fat.extract(CONFIG, conf)
    text = conf.read_text()
    assert text.count("module_cmdline: kernel-symbols\n") == 1, text
    assert text.count("module_cmdline: hello\n") == 1, text
    text = text.replace("module_cmdline: kernel-symbols\n", "module_cmdline: @swap@\n")
    text = text.replace("module_cmdline: hello\n", "module_cmdline: kernel-symbols\n")
    conf.write_text(text.replace("module_cmdline: @swap@\n", "module_cmdline: hello\n"))
    fat.replace(CONFIG, conf)


def symbols_content_size(fat, workdir):
    """Bytes of kernel.sym the kernel should load: the signed body after
    its role line."""
    local = workdir / "kernel.sym"
    fat.extract(SYMBOLS, local)
    body = local.read_bytes()[:-TRAILER]
    role_line, _, content = body.partition(b"\n")
    assert role_line == b"cambios-module kernel-symbols", role_line
    return len(content)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_swapped_conf_strings_change_no_module_role(boot, built_image, tmp_path, arch):
    image = tmp_path / "swapped.img"
    shutil.copyfile(built_image(arch), image)
    fat = FatImage(image)
    swap_module_strings(fat, tmp_path)
    content = symbols_content_size(fat, tmp_path)

    run = boot(arch, image)
    run.expect_in_order([
        SYMBOLS_ACCEPTED,
        r'^module kernel\.sym: limine\.conf says "hello", signed role is "kernel-symbols"; '
        r"the conf string is ignored$",
        HELLO_ACCEPTED,
        r'^module hello\.elf: limine\.conf says "kernel-symbols", signed role is "hello"; '
        r"the conf string is ignored$",
        r"^verifier: 8 of 8 boot modules accepted$",
        rf"^symbols: {content} bytes of kernel symbols loaded$",
        DONE,
    ], BOOT_TIMEOUT)
