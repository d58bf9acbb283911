"""Bring your own key: the build with BOOTSTRAP_PUBKEY and SIGNER_CMD.

In a scratch clone of the repository (so the main build tree keeps its
development key), build the x86_64 image with an OpenSSL Ed25519 key the
build never sees -- only its public half and a signer command -- and check
that the kernel carries that key and the modules verify against it; then
check that a signer whose key does not match BOOTSTRAP_PUBKEY fails the
build, and that BOOTSTRAP_PUBKEY without a way to sign is refused.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from test_sign_tool import openssl_key, signer_script

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAILER = 72


@pytest.fixture(scope="module")
def scratch_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("byok") / "repo"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO_ROOT), str(root)],
                   check=True)
    # Uncommitted work in the tree under test counts too.
    for path in subprocess.run(["git", "ls-files", "-m", "-o", "--exclude-standard"],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,
                               check=True).stdout.split():
        if (REPO_ROOT / path).is_file():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / path, root / path)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def make(repo, *args):
    return subprocess.run(["make", "image", "ARCH=x86_64", *args], cwd=repo,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_own_key_with_an_external_signer(scratch_repo, tmp_path):
    pem, pub = openssl_key(tmp_path)
    result = make(scratch_repo, f"BOOTSTRAP_PUBKEY={pub}",
                  f"SIGNER_CMD={signer_script(tmp_path, pem)}")
    assert result.returncode == 0, result.stdout[-3000:]
    kernel = (scratch_repo / "build/x86_64/kernel/cambios.elf").read_bytes()
    assert pub.read_bytes() in kernel
    tool = scratch_repo / "build/host/tools/cambios-sign"
    for module in ("kernel.sym", "hello.elf"):
        signed = scratch_repo / "build/x86_64/modules-signed" / module
        verdict = subprocess.run([str(tool), "verify", "--pubkey", str(pub), str(signed)],
                                 stdout=subprocess.PIPE, text=True)
        assert verdict.returncode == 0, verdict.stdout


def test_a_signer_for_another_key_fails_the_build(scratch_repo, tmp_path):
    pem, _ = openssl_key(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _, other_pub = openssl_key(other)
    result = make(scratch_repo, f"BOOTSTRAP_PUBKEY={other_pub}",
                  f"SIGNER_CMD={signer_script(tmp_path, pem)}")
    assert result.returncode != 0
    assert "does not verify against" in result.stdout


def test_a_public_key_alone_is_refused(scratch_repo, tmp_path):
    _, pub = openssl_key(tmp_path)
    result = make(scratch_repo, f"BOOTSTRAP_PUBKEY={pub}")
    assert result.returncode != 0
    assert "needs SIGNING_KEY" in result.stdout


def test_a_malformed_public_key_file_is_refused(scratch_repo, tmp_path):
    bad = tmp_path / "bad.pub"
    bad.write_bytes(b"\x00" * 33)
    result = make(scratch_repo, f"BOOTSTRAP_PUBKEY={bad}", "SIGNER_CMD=false")
    assert result.returncode != 0
    assert "neither a raw 32-byte Ed25519 public key nor a 40-byte CKEY file" in result.stdout
