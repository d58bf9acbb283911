"""The key-store (user/key-store, endpoint 17) on both architectures.

It makes its own Ed25519 service key at boot from the best entropy the
machine has and says which, binds it as its Principal (the kernel confirms
the binding with the same fingerprint), and signs a 32-byte hash for
another process (user/ks-client, given as a module). The signature is
verified here with OpenSSL against the public key it printed. A machine
with no entropy source gets no key and a clear line saying so.

CPUs: x86_64's default model has RDRAND; AArch64's default (cortex-a76)
has no RNDR, so the signing run uses `max`, which has it.
"""

import re
import subprocess

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, image_with_program, qemu

ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
BOUND = (r"^\[key-store\.elf:\d+\] key-store: service key made from the CPU's random-number instruction "
         r"\(RDRAND / RNDR\); bound as its principal ([0-9a-f]{16})$")


def _openssl_verifies(tmp_path, key, message, signature):
    der = tmp_path / "key.der"
    der.write_bytes(ED25519_SPKI_PREFIX + key)
    pem = tmp_path / "key.pem"
    subprocess.run(["openssl", "pkey", "-pubin", "-inform", "DER", "-in", str(der),
                    "-out", str(pem)], check=True, capture_output=True)
    (tmp_path / "msg").write_bytes(message)
    (tmp_path / "sig").write_bytes(signature)
    result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pem),
                             "-rawin", "-in", str(tmp_path / "msg"),
                             "-sigfile", str(tmp_path / "sig")], capture_output=True, text=True)
    return result.returncode == 0


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_key_store_signs_with_its_own_bound_key(arch, tmp_path):
    image = image_with_program(arch, "ks-client", tmp_path)
    cpu = "max" if arch == "aarch64" else None
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_key_store_{arch}.log",
                       mem="256M", max_runtime=300, cpu=cpu)
    with run:
        made = run.wait_for(BOUND, 2 * BOOT_TIMEOUT)
        fingerprint = made.group(1)
        public = run.wait_for(r"^\[key-store\.elf:\d+\] key-store: public key ([0-9a-f]{64})$",
                              BOOT_TIMEOUT)
        end = run.wait_for(r"^process (\d+) ks-client\.elf: exited with code (-?\d+)$",
                           BOOT_TIMEOUT)
        assert end.group(2) == "0", end.group(0)
        lines = run.lines()
    bound = [l for l in lines if re.match(r"^identity: pid \d+ bound its own principal "
                                          rf"{fingerprint} in place of the bootstrap principal$",
                                          l)]
    assert len(bound) == 1, "the kernel did not confirm the key-store's binding"

    def printed(what):
        pattern = re.compile(rf"^\[ks-client\.elf:\d+\] ks-client: {what} ([0-9a-f]+)$")
        found = [m.group(1) for m in map(pattern.match, lines) if m]
        assert len(found) == 1, f"ks-client printed no {what}"
        return bytes.fromhex(found[0])

    key, digest, signature = printed("key"), printed("hash"), printed("signature")
    assert key.hex() == public.group(1)
    assert _openssl_verifies(tmp_path, key, digest, signature), "OpenSSL rejects the signature"
    assert not _openssl_verifies(tmp_path, key, bytes([digest[0] ^ 1]) + digest[1:], signature)
    # Every request is logged with the caller's Principal (the bootstrap one).
    for what in ("GET_PUBKEY", rf"SIGN {digest[:8].hex()}\.\.\.", "malformed request"):
        assert any(re.match(rf"^\[key-store\.elf:\d+\] key-store: {what} for principal "
                            r"[0-9a-f]{16}: (done|refused -1)$", l) for l in lines), what
    # The secret never shows: the only runs of 64 or more hex digits on the
    # console are the public key, the hash and the signature.
    shown = {m for l in lines for m in re.findall(r"[0-9a-f]{64,}", l)}
    assert shown <= {key.hex(), digest.hex(), signature.hex()}, shown


def test_no_entropy_no_key(tmp_path):
    """AArch64's default CPU has no RNDR and the machine no virtio-rng."""
    image = image_with_program("aarch64", "ks-client", tmp_path)
    run = qemu.QemuRun("aarch64", image, log_path=LOG_DIR / "test_key_store_no_entropy.log",
                       mem="256M", max_runtime=300)
    with run:
        run.wait_for(r"^\[key-store\.elf:\d+\] key-store: no entropy source \(no RDRAND / RNDR, "
                     r"no virtio-rng\): no key made, every request is refused$", 2 * BOOT_TIMEOUT)
        end = run.wait_for(r"^process (\d+) ks-client\.elf: exited with code (-?\d+)$",
                           BOOT_TIMEOUT)
        assert end.group(2) == "3", "a key-store without a key answered GET_PUBKEY"
