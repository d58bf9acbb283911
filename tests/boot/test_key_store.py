"""The key-store (user/key-store, endpoint 17) on both architectures.

It makes its own Ed25519 service key at boot from every entropy source
the machine has and says which, binds it as its Principal (the kernel
confirms the binding with the same fingerprint), and signs a 32-byte hash
for another process (user/ks-client, given as a module). The signature is
verified here with OpenSSL against the public key it printed. A machine
with no entropy source gets no key and a clear line saying so.

Sources: the signing runs attach a virtio-rng device (qemu.rng_devices())
on the default CPUs. x86_64's has RDRAND, so its key comes from both
sources; AArch64's (cortex-a76) has no RNDR, so its key comes from the
device alone. The same boots carry a virtio-net device: the key-store
claims the rng function and no other, and the network driver and the
UDP/IP service still come up beside it. The no-entropy run has neither
RNDR nor the device. (lib/rng_fill's checks on a hostile device are
host-tested: tests/unit/rng_fill_test.c.)
"""

import re
import subprocess
import time

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, image_with_program, qemu

ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
CPU_WORDS = r"the CPU's random-number instruction \(RDRAND / RNDR\)"
SOURCES = {  # the key-store's words and ks_source for each signing run
    "x86_64": (CPU_WORDS + " and a virtio-rng device", 3),
    "aarch64": ("a virtio-rng device", 2),
}
BOUND = (r"^\[key-store\.elf:(\d+)\] key-store: service key made from {words}; "
         r"bound as its principal ([0-9a-f]{{16}})$")


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


def _seen(run, regex, timeout):
    """The first line so far, or within `timeout` seconds, matching `regex`
    wherever it came (other processes' lines interleave with ours)."""
    pattern = re.compile(regex)
    deadline = time.monotonic() + timeout
    while True:
        for line in run.lines():
            match = pattern.search(line)
            if match:
                return match
        assert time.monotonic() < deadline and not run.exited, \
            f"no line matching {regex!r}:\n{run.tail()}"
        time.sleep(0.5)


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_key_store_signs_with_its_own_bound_key(arch, tmp_path):
    image = image_with_program(arch, "ks-client", tmp_path)
    words, source = SOURCES[arch]
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_key_store_{arch}.log",
                       mem="256M", max_runtime=300,
                       extra=qemu.rng_devices() + qemu.network_devices())
    with run:
        made = run.wait_for(BOUND.format(words=words), 2 * BOOT_TIMEOUT)
        key_store, fingerprint = made.groups()
        public = run.wait_for(r"^\[key-store\.elf:\d+\] key-store: public key ([0-9a-f]{64})$",
                              BOOT_TIMEOUT)
        end = run.wait_for(r"^process (\d+) ks-client\.elf: exited with code (-?\d+)$",
                           BOOT_TIMEOUT)
        assert end.group(2) == "0", end.group(0)
        # The network driver and the UDP/IP service come up in the same boot.
        _seen(run, r"^\[virtio-net\.elf:\d+\] virtio-net: \S+ up: ", BOOT_TIMEOUT)
        _seen(run, r"^\[udp\.elf:\d+\] udp: link up: ", BOOT_TIMEOUT)
        lines = run.lines()
    # The key-store claimed the rng function (modern ID 0x1044) and nothing else.
    claimed = [m.group(1) for m in (re.match(rf"^device \S+ (\S+): claimed by process {key_store}$",
                                             l) for l in lines) if m]
    assert claimed == ["1af4:1044"], claimed
    assert not [l for l in lines if "gave no entropy" in l]
    told = [m.group(1) for m in (re.match(r"^\[ks-client\.elf:\d+\] ks-client: source (\d+)$", l)
                                 for l in lines) if m]
    assert told == [str(source)], f"GET_PUBKEY's source: {told}, wanted {source}"
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
