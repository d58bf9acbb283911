"""The chain of trust at boot: the SignedBinaryVerifier's verdicts.

A normal image's modules (kernel.sym and hello.elf) are signed by the
build and must be accepted. Then one boot per architecture carries four
broken copies of hello.elf next to the good modules -- unsigned, one byte
flipped, signed by another key, trailer cut short -- and each must be
rejected with its reason while the boot goes on to the end.
"""

import shutil
import subprocess

import pytest

from conftest import BOOT_TIMEOUT, REPO_ROOT
from fatimage import FatImage

SIGN_TOOL = REPO_ROOT / "build" / "host" / "tools" / "cambios-sign"
HELLO = "/boot/modules/hello.elf"
CONFIG = "/boot/limine.conf"
TRAILER = 72
DONE = r"^boot: .*BSP halting$"


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
        r"^module kernel\.sym: accepted$",
        r"^module hello\.elf: accepted$",
        r"^verifier: 2 of 2 boot modules accepted$",
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
    expected = [r"^module kernel\.sym: accepted$", r"^module hello\.elf: accepted$"]
    expected += [rf"^module {name.replace('.', r'[.]')}: rejected \({reason}\)$"
                 for name, (_, reason) in variants.items()]
    expected += [r"^verifier: 2 of 6 boot modules accepted$", DONE]
    run.expect_in_order(expected, BOOT_TIMEOUT)
