"""Fixtures for the QEMU boot tests.

Owns: finding (or building) the boot images, one serial log per test under
build/test-logs/, starting and always stopping QEMU, and showing the log
path and tail in the report when a test fails.

QEMU command lines live only in scripts/qemu.py; this file just drives
its QemuRun class. Images come from the Makefile (`make test` builds both
before pytest starts); when one is missing we run `make image` ourselves so
`/usr/bin/python3 -m pytest tests/boot` also works on its own.
CAMBIOS_IMAGE_X86_64 / CAMBIOS_IMAGE_AARCH64 point the tests at another
prebuilt image instead.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))
import qemu  # noqa: E402  (needs the sys.path entry above)

LOG_DIR = REPO_ROOT / "build" / "test-logs"

# Under TCG the firmware alone takes 3-7 s; a full boot 10-40 s (aarch64
# and -smp 4 slowest). The watchdog bounds any run that a test forgets.
BOOT_TIMEOUT = 120
ERROR_TIMEOUT = 90
MAX_RUNTIME = 240

_RUNS_KEY = pytest.StashKey[list]()


def image_path(arch):
    override = os.environ.get(f"CAMBIOS_IMAGE_{arch.upper()}")
    if override:
        return Path(override).resolve()
    return REPO_ROOT / "build" / arch / "cambios.img"


def run_make_image(arch, **make_vars):
    """Run `make image ARCH=arch VAR=value...` in the repo root.

    Returns None on success, else the command and the end of its output.
    """
    argv = ["make", "image", f"ARCH={arch}"]
    argv += [f"{key}={value}" for key, value in make_vars.items()]
    result = subprocess.run(argv, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode == 0:
        return None
    return (f"{' '.join(argv)} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}")


def image_with_program(arch, program, tmp, without=()):
    """Builds user/<program> for `arch` (one of the programs in no image
    of ours), copies it to `tmp` and makes an image there with it as the
    user's module (MODULES), leaving out the image's own programs named in
    `without` (WITHOUT: a driver of the same device); returns the image's
    path."""
    elf = REPO_ROOT / "build" / arch / "modules" / f"{program}.elf"
    result = subprocess.run(["make", f"ARCH={arch}", str(elf.relative_to(REPO_ROOT))],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, result.stdout[-4000:]
    shutil.copy(elf, tmp / elf.name)
    image = tmp / "cambios.img"
    error = run_make_image(arch, MODULES=str(tmp / elf.name), IMAGE_OUT=str(image),
                           WITHOUT=" ".join(without))
    assert error is None, error
    return image


def _find_or_build(arch):
    """Path of arch's image, or the reason there is none (as a string)."""
    path = image_path(arch)
    if path.is_file():
        return path
    error = run_make_image(arch)
    if error is None and not path.is_file():
        error = f"make image ARCH={arch} did not produce {path}"
    return error or path


@pytest.fixture(scope="session")
def built_image():
    """Function arch -> Path of that arch's boot image, built if missing.

    Built at most once per session: a failed build fails every test of that
    arch at once instead of rerunning make each time.
    """
    cache = {}

    def get(arch):
        if arch not in cache:
            cache[arch] = _find_or_build(arch)
        if isinstance(cache[arch], str):
            pytest.fail(cache[arch], pytrace=False)
        return cache[arch]

    return get


@pytest.fixture
def make_image_with():
    """make_image_with(arch, VAR=value...): build a custom image or fail."""
    def build(arch, **make_vars):
        error = run_make_image(arch, **make_vars)
        if error:
            pytest.fail(error, pytrace=False)
    return build


def _log_name(node_name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name).strip("_") + ".log"


@pytest.fixture
def boot(request):
    """Factory: boot(arch, image, smp=, mem=, fail_patterns=) -> running QemuRun.

    The first run of a test logs to build/test-logs/<test>.log, any further
    one to <test>.<n>.log. Every run is stopped when the test ends.
    """
    runs = request.node.stash.setdefault(_RUNS_KEY, [])
    base = LOG_DIR / _log_name(request.node.name)

    def start(arch, image, **options):
        log = base if not runs else base.with_suffix(f".{len(runs)}.log")
        options.setdefault("max_runtime", MAX_RUNTIME)
        run = qemu.QemuRun(arch, image, log_path=log, **options)
        runs.append(run)
        run.start()
        return run

    yield start
    for run in runs:
        run.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add each QEMU run's log path and tail to the report."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    # The harness's own errors already carry the tail; don't print it twice.
    has_tail = call.excinfo is not None and "--- serial log:" in str(call.excinfo.value)
    for run in item.stash.get(_RUNS_KEY, []):
        text = run.describe_exit()
        if not has_tail:
            text += f"\nlast 40 lines:\n{run.tail()}"
        report.sections.append((f"serial log {run.log_path}", text))
