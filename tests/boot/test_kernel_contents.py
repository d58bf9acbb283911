"""What goes into a production kernel: no test code.

The self-tests, the user programs only they run and the system call only
they use (SYS_TEST_ECHO, 900) are built into SELFTEST=1 kernels alone. The
symbol tables of both kernels, per architecture, show it: the production
kernel has none of those symbols, the self-test kernel has them all (so the
check cannot pass by looking at the wrong file).
"""

import re
import subprocess

import pytest

from conftest import REPO_ROOT, run_make_image

TEST_ONLY = re.compile(r"^(selftest_\w+|arch_selftest_trap|user_program_\w+|user_programs_(start|end)"
                       r"|sys_test_echo)$")
# Symbols every self-test kernel must have (a missing one means this test
# looks at the wrong build). Ones the link-time optimiser keeps: it inlines
# small functions with a single caller (arch_selftest_trap) away.
SELFTEST_MARKERS = {"selftest_run_all", "user_programs_start"}


def kernel_symbols(arch, selftest):
    build = f"{arch}-selftest" if selftest else arch
    elf = REPO_ROOT / "build" / build / "kernel" / "cambios.elf"
    if not elf.is_file():
        error = run_make_image(arch, **({"SELFTEST": 1} if selftest else {}))
        if error:
            pytest.fail(error, pytrace=False)
    out = subprocess.run(["llvm-nm", "--defined-only", str(elf)], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_production_kernel_has_no_test_code(arch):
    production = kernel_symbols(arch, selftest=False)
    selftest = kernel_symbols(arch, selftest=True)
    assert SELFTEST_MARKERS <= selftest, \
        f"self-test kernel lacks {sorted(SELFTEST_MARKERS - selftest)}"
    leaked = sorted(name for name in production if TEST_ONLY.match(name))
    assert not leaked, f"test-only code in the production kernel: {leaked}"
