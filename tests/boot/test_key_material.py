"""No secret key in the kernel: the image holds the public key only.

The build compiles bootstrap_pubkey.bin into the kernel and signs modules
with the development seed (or the user's key / external signer). This
checks, for each architecture's kernel ELF, that the 32-byte public key is
in it and that neither the seed nor anything derived from it that would
let someone sign -- the SHA-512 expansion of the seed, its clamped scalar
half, or its nonce-key half -- appears anywhere in the file.
"""

import hashlib

import pytest

from conftest import REPO_ROOT, run_make_image

KEYS = REPO_ROOT / "build" / "keys"


def clamp(scalar):
    s = bytearray(scalar)
    s[0] &= 248
    s[31] &= 127
    s[31] |= 64
    return bytes(s)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_kernel_contains_public_key_and_no_secret(arch):
    kernel = REPO_ROOT / "build" / arch / "kernel" / "cambios.elf"
    if not kernel.is_file():
        error = run_make_image(arch)
        assert error is None, error
    seed = (KEYS / "dev-seed.bin").read_bytes()
    public = (KEYS / "bootstrap_pubkey.bin").read_bytes()
    assert len(seed) == 32 and len(public) == 32
    image = kernel.read_bytes()
    expanded = hashlib.sha512(seed).digest()
    assert public in image, "the bootstrap public key is not compiled in"
    for name, secret in [("seed", seed), ("expanded key", expanded),
                         ("scalar", expanded[:32]), ("clamped scalar", clamp(expanded[:32])),
                         ("nonce key", expanded[32:])]:
        assert secret not in image, f"the kernel image contains the {name}"
        assert secret[::-1] not in image, f"the kernel image contains the {name} (reversed)"
