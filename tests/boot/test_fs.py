"""fs-service on both architectures: every image runs user/fs, the
filesystem service at endpoint 16; this test gives the image
user/fsclient as a module, which makes every request and meets every
answer through IPC -- put, get, overwrite, two names sharing one object,
the paged list, each refusal (unknown name, name too long, bad request,
content too large, bad signature, store full) -- first as the bootstrap
Principal every boot module speaks for, then bound with BindPrincipal to
a key of its own: refused the bootstrap's names (not owner), and storing
a put it signed. Last it puts an object that starts like a name table but
is not one and spawns a second fs, which reads fs's table back from the
object store as a restarted fs would -- its generation is the number of
changes made, with the one name left -- passes over the broken one, and
ends, finding the endpoint taken.

fsclient checks each answer itself and ends with "N checks, 0 failed".
The test checks fs's own side independently: its start line, then one
line per request with the caller's Principal -- the bootstrap key from
build/keys/ before the bind, afterwards the public key of fsclient's
seed, computed here with Python's cryptography -- the operation, the name
and the result, exactly these lines in exactly this order.
"""

import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from conftest import BOOT_TIMEOUT, REPO_ROOT, image_with_program

ARCHES = ("x86_64", "aarch64")
KEYS = REPO_ROOT / "build" / "keys"
# user/fsclient/principal.c's seed: 30 bytes of text, zero-padded to 32.
FSCLIENT_SEED = b"fsclient: a second principal..".ljust(32, b"\0")
FS_LINE = r"^\[fs\.elf:(\d+)\] (fs: .*)$"
NAMES_MAX = 40
CLIENT_CHECKS = 56  # every fsclient_check in user/fsclient/main.c, as it runs


def fingerprint(public_key):
    return public_key[:8].hex()


def fsclient_fingerprint():
    key = Ed25519PrivateKey.from_private_bytes(FSCLIENT_SEED).public_key()
    return fingerprint(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def fill_names():
    room = NAMES_MAX - 9
    return ["f" + chr(ord("a") + i // 26) + chr(ord("a") + i % 26) for i in range(room)]


def changes(requests):
    """How many of fs's request lines changed the table: its generation."""
    return sum(1 for line in requests
               if re.search(r" (put|signed-put|delete) \S+: ok$", line))


def expected_requests(boot_fp, own_fp):
    """fs's line for every request fsclient makes, in order."""
    ok, unknown = "ok", "error -4, unknown name"
    bad, too_long = "error -1, bad request", "error -36, name too long"
    big, bad_sig = "error -27, content too large", "error -74, bad signature"
    not_owner, full = "error -2, not owner", "error -3, store full"
    b = [
        ("list from the start", "ok, 0 of 0 names"),
        ("put hello.txt", ok), ("get hello.txt", "ok, 10 bytes"),
        ("put hello.txt", ok), ("get hello.txt", "ok, 16 bytes"),
        ("put copy.txt", ok), ("delete copy.txt", ok), ("get copy.txt", unknown),
        ("get hello.txt", "ok, 16 bytes"),
    ]
    b += [(f"put n{i}", ok) for i in range(8)]
    b += [("list from the start", "ok, 7 of 9 names"), ("list after n5", "ok, 2 of 9 names")]
    b += [
        ("get missing", unknown), ("delete missing", unknown),
        ("put (a name too long)", too_long), ("get (a name too long)", too_long),
        ("put (not a name)", bad), ("get (not a name)", bad),
        ("put big", big), ("put empty", bad), ("(unknown) x", bad),
        ("(short)", bad), ("get", bad),
        ("put short", bad), ("put short", bad), ("get short", unknown),
        ("signed-put forged.txt", bad_sig), ("signed-put big", big), ("get forged.txt", unknown),
    ]
    fill = fill_names()
    b += [(f"put {n}", ok) for n in fill]
    b += [("put one-more", full), ("put n0", ok)]
    b += [(f"delete {n}", ok) for n in fill + [f"n{i}" for i in range(8)]]
    own = [
        ("get hello.txt", "ok, 16 bytes"), ("put hello.txt", not_owner),
        ("delete hello.txt", not_owner), ("get hello.txt", "ok, 16 bytes"),
        ("signed-put signed.txt", ok), ("get signed.txt", "ok, 28 bytes"),
        ("signed-put signed.txt", bad_sig), ("put signed.txt", ok), ("delete signed.txt", ok),
    ]
    return ([f"fs: {boot_fp} {what}: {result}" for what, result in b] +
            [f"fs: {own_fp} {what}: {result}" for what, result in own])


@pytest.mark.parametrize("arch", ARCHES)
def test_fs_service_answers_every_request_for_its_caller(arch, boot, tmp_path):
    image = image_with_program(arch, "fsclient", tmp_path)
    boot_fp = fingerprint((KEYS / "bootstrap_pubkey.bin").read_bytes())
    own_fp = fsclient_fingerprint()
    assert boot_fp != own_fp

    run = boot(arch, image, max_runtime=420)
    serving = run.wait_for(r"^\[fs\.elf:(\d+)\] fs: serving endpoint 16, 0 names$",
                           2 * BOOT_TIMEOUT)
    fs_pid = serving.group(1)
    summary = run.wait_for(r"^\[fsclient\.elf:(\d+)\] fsclient: (\d+) checks, (\d+) failed$",
                           2 * BOOT_TIMEOUT)
    client_pid, checks, failed = summary.groups()
    end = run.wait_for(rf"^process {client_pid} fsclient\.elf: exited with code (-?\d+)$",
                       BOOT_TIMEOUT)
    lines = run.lines()

    client = [m.group(1) for m in
              (re.match(rf"^\[fsclient\.elf:{client_pid}\] (.*)$", line) for line in lines) if m]
    wrong = [line for line in client if "(wanted" in line]
    assert failed == "0" and not wrong, "\n".join(wrong)
    assert end.group(1) == "0", end.group(0)
    assert f"fsclient: now Principal {own_fp}" in client
    assert checks == str(CLIENT_CHECKS), "fsclient skipped checks or made others"

    served = [m.group(2) for m in (re.match(FS_LINE, line) for line in lines)
              if m and m.group(1) == fs_pid]
    assert served[0] == "fs: serving endpoint 16, 0 names"
    requests = served[1:]
    want = expected_requests(boot_fp, own_fp)
    for i, (got, expected) in enumerate(zip(requests, want)):
        assert got == expected, f"fs's request line {i}: {got!r}, wanted {expected!r}"
    assert len(requests) == len(want), requests[len(want):] or want[len(requests):]
    # fs is a service: it is still there, still serving.
    assert not any(re.match(rf"^(process {fs_pid} fs\.elf: exited|user fault: fs\.elf \(pid {fs_pid}\))",
                            line) for line in lines)

    second = [(m.group(1), m.group(2)) for m in (re.match(FS_LINE, line) for line in lines)
              if m and m.group(1) != fs_pid]
    assert len(second) == 3, second
    assert len({pid for pid, _ in second}) == 1, second
    assert re.match(r"^fs: object [0-9a-f]{16} starts like a name table but is not one: "
                    r"unknown version$", second[0][1]), second[0]
    assert second[1][1] == f"fs: recovered the name table of generation {changes(want)}, 1 names"
    assert second[2][1] == "fs: endpoint 16 is taken; another fs serves"
    assert any(re.match(rf"^process {second[0][0]} fs\.elf: exited with code 1$", line)
               for line in lines)
