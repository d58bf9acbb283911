"""cambios-sign, the host signing tool: keys, trailers, external signers.

Each test works in its own temporary directory with fresh keys. The
external-signer tests use OpenSSL as the "hardware token": the private key
lives in a PEM file the tool never reads; the signer command receives the
32-byte hash on stdin and prints the raw 64-byte signature.
"""

import os
import stat
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / "build" / "host" / "tools" / "cambios-sign"
TRAILER = 72


@pytest.fixture(scope="session")
def tool():
    if not TOOL.is_file():
        subprocess.run(["make", str(TOOL.relative_to(REPO_ROOT))], cwd=REPO_ROOT, check=True)
    return str(TOOL)


def run(*argv, ok=True):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if ok:
        assert result.returncode == 0, f"{argv}: {result.stderr}"
    return result


@pytest.fixture
def keys(tool, tmp_path):
    seed, pub = tmp_path / "seed.bin", tmp_path / "pub.bin"
    run(tool, "keygen", "--seed-out", str(seed), "--pubkey-out", str(pub))
    return seed, pub


def module(tmp_path, name="mod.elf", size=5000):
    path = tmp_path / name
    path.write_bytes(bytes((i * 13 + 5) % 256 for i in range(size)))
    return path


def verify(tool, pub, path):
    return run(tool, "verify", "--pubkey", str(pub), str(path), ok=False)


def test_keygen_writes_private_seed_and_refuses_overwrite(tool, keys):
    seed, pub = keys
    assert stat.S_IMODE(os.stat(seed).st_mode) == 0o600
    assert len(seed.read_bytes()) == 32 and len(pub.read_bytes()) == 32
    again = run(tool, "keygen", "--seed-out", str(seed), "--pubkey-out", str(pub), ok=False)
    assert again.returncode == 1 and "exists" in again.stderr


def test_sign_then_verify_round_trip(tool, keys, tmp_path):
    seed, pub = keys
    mod = module(tmp_path)
    original = mod.read_bytes()
    run(tool, "sign", "--key", str(seed), "--pubkey", str(pub), str(mod))
    signed = mod.read_bytes()
    assert signed[:-TRAILER] == original and signed[-8:] == b"ARCSIG\x01\x00"
    result = verify(tool, pub, mod)
    assert result.returncode == 0 and result.stdout.strip() == f"{mod}: accepted"


def test_signing_twice_is_refused_unless_resign(tool, keys, tmp_path):
    seed, pub = keys
    mod = module(tmp_path)
    run(tool, "sign", "--key", str(seed), str(mod))
    again = run(tool, "sign", "--key", str(seed), str(mod), ok=False)
    assert again.returncode == 1 and "already signed" in again.stderr
    run(tool, "sign", "--key", str(seed), "--resign", str(mod))
    assert len(mod.read_bytes()) == 5000 + TRAILER
    assert verify(tool, pub, mod).returncode == 0


@pytest.mark.parametrize("breakage, reason", [
    (lambda b: b[:-TRAILER], "unsigned"),
    (lambda b: b[:-2], "truncated"),
    (lambda b: b[:-1] + b"\x07", "unknown algorithm"),
    (lambda b: b[:-2] + b"\x09\x00", "unknown version"),
    (lambda b: bytes([b[0] ^ 1]) + b[1:], "bad signature"),
    (lambda b: b[:-TRAILER] + bytes([b[-TRAILER] ^ 1]) + b[-TRAILER + 1:], "bad signature"),
])
def test_every_malformed_trailer_is_rejected_with_its_reason(tool, keys, tmp_path, breakage,
                                                            reason):
    seed, pub = keys
    mod = module(tmp_path)
    run(tool, "sign", "--key", str(seed), str(mod))
    mod.write_bytes(breakage(mod.read_bytes()))
    result = verify(tool, pub, mod)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{mod}: rejected ({reason})"


def test_another_key_does_not_verify(tool, keys, tmp_path):
    seed, _ = keys
    other_seed, other_pub = tmp_path / "o.seed", tmp_path / "o.pub"
    run(tool, "keygen", "--seed-out", str(other_seed), "--pubkey-out", str(other_pub))
    mod = module(tmp_path)
    run(tool, "sign", "--key", str(seed), str(mod))
    assert "rejected (bad signature)" in verify(tool, other_pub, mod).stdout
    wrong = run(tool, "sign", "--key", str(seed), "--pubkey", str(other_pub), "--resign",
                str(mod), ok=False)
    assert wrong.returncode == 1 and "does not verify" in wrong.stderr


def test_pubkey_to_c_accepts_raw_and_ckey_and_rejects_others(tool, keys, tmp_path):
    _, pub = keys
    key = pub.read_bytes()
    header = tmp_path / "k.h"
    run(tool, "pubkey-to-c", "--pubkey", str(pub), "-o", str(header))
    text = header.read_text()
    assert "bootstrap_public_key[32]" in text and f"0x{key[0]:02x}," in text
    fingerprint = subprocess.run(["b3sum", "--no-names", "--raw", str(pub)],
                                 stdout=subprocess.PIPE, check=True).stdout[:2]
    ckey = tmp_path / "pub.ckey"
    ckey.write_bytes(b"CKEY\x01\x00" + fingerprint + key)
    run(tool, "pubkey-to-c", "--pubkey", str(ckey), "-o", str(tmp_path / "c.h"))
    assert (tmp_path / "c.h").read_text().split("*/")[1] == text.split("*/")[1]
    bad_fp = tmp_path / "bad.ckey"
    bad_fp.write_bytes(b"CKEY\x01\x00" + bytes([fingerprint[0] ^ 1, fingerprint[1]]) + key)
    short = tmp_path / "short.bin"
    short.write_bytes(key[:31])
    for bad, words in [(bad_fp, "fingerprint"), (short, "neither")]:
        result = run(tool, "pubkey-to-c", "--pubkey", str(bad), "-o", str(tmp_path / "x.h"),
                     ok=False)
        assert result.returncode == 1 and words in result.stderr


def test_inspect_shows_the_trailer(tool, keys, tmp_path):
    seed, _ = keys
    mod = module(tmp_path)
    run(tool, "sign", "--key", str(seed), str(mod))
    out = run(tool, "inspect", str(mod)).stdout
    assert "trailer:     ARCSIG" in out and "algorithm:   0 (Ed25519)" in out
    assert "body:        5000 bytes" in out


def test_usage_errors_exit_2(tool, tmp_path):
    assert run(tool, ok=False).returncode == 2
    assert run(tool, "frobnicate", ok=False).returncode == 2
    assert run(tool, "sign", str(tmp_path / "x"), ok=False).returncode == 2
    assert "usage" in run(tool, "--help").stdout


def openssl_key(tmp_path):
    pem = tmp_path / "key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(pem)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "pkey", "-in", str(pem), "-pubout", "-outform", "DER"],
                         stdout=subprocess.PIPE, check=True).stdout
    pub = tmp_path / "openssl.pub"
    pub.write_bytes(der[-32:])
    return pem, pub


def signer_script(tmp_path, pem):
    """Saves stdin to a file (OpenSSL 3.0's -rawin cannot read a pipe)."""
    script = tmp_path / "signer.sh"
    script.write_text("#!/bin/sh\nt=$(mktemp) && cat > \"$t\" && "
                      f"openssl pkeyutl -sign -inkey {pem} -rawin -in \"$t\"; "
                      "s=$?; rm -f \"$t\"; exit $s\n")
    script.chmod(0o755)
    return script


def test_external_signer_with_openssl(tool, tmp_path):
    pem, pub = openssl_key(tmp_path)
    mod = module(tmp_path)
    run(tool, "sign", "--signer-cmd", str(signer_script(tmp_path, pem)), "--pubkey", str(pub),
        str(mod))
    assert verify(tool, pub, mod).returncode == 0


def test_external_signer_with_the_wrong_key_fails(tool, keys, tmp_path):
    _, our_pub = keys
    pem, _ = openssl_key(tmp_path)
    mod = module(tmp_path)
    result = run(tool, "sign", "--signer-cmd", str(signer_script(tmp_path, pem)), "--pubkey",
                 str(our_pub), str(mod), ok=False)
    assert result.returncode == 1 and "does not verify" in result.stderr
    assert mod.read_bytes()[-8:] != b"ARCSIG\x01\x00", "a failed signing must not write"


def test_external_signer_that_misbehaves_fails(tool, tmp_path):
    mod = module(tmp_path)
    for cmd, words in [("exit 3", "failed"), ("head -c 10 /dev/zero", "exactly 64"),
                       ("head -c 65 /dev/zero", "more than")]:
        result = run(tool, "sign", "--signer-cmd", f"cat >/dev/null; {cmd}", str(mod), ok=False)
        assert result.returncode == 1 and words in result.stderr, result.stderr
