"""The BSP's Loop (kernel/include/watcher.h) on both architectures with 4
CPUs, its periods shortened from the kernel command line (`make image
CMDLINE="cambios.stats=1 cambios.check=2"`): every second one statistics
line per CPU -- about a second of ticks each, counted on that CPU's own
timer, the APs idle all the while (they run no task yet) -- and every two seconds the run-queue
invariants checked on all four CPUs.
"""

import re

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, qemu, run_make_image

ARCHES = ("x86_64", "aarch64")
CPUS = 4
STATS = re.compile(r"^sched: cpu (\d+): (\d+) ticks, (\d+) switches, (\d+) runnable, "
                   r"idle (\d+)%$")


@pytest.mark.parametrize("arch", ARCHES)
def test_the_loop_prints_statistics_and_checks_invariants(arch, tmp_path):
    image = tmp_path / "cambios.img"
    error = run_make_image(arch, CMDLINE="cambios.stats=1 cambios.check=2",
                           IMAGE_OUT=str(image))
    assert error is None, error
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_loop_{arch}.log", smp=CPUS,
                       mem="256M", max_runtime=240)
    with run:
        run.wait_for(r"^sched: statistics every 1 s, invariant checks every 2 s$",
                     BOOT_TIMEOUT)
        for _ in range(2):
            run.wait_for(rf"^sched: run queue invariants hold on {CPUS} CPUs$", BOOT_TIMEOUT)
        lines = run.lines()

    rounds = [m.groups() for m in map(STATS.match, lines) if m]
    assert len(rounds) >= 3 * CPUS, rounds
    # Whole rounds, CPU 0 to 3 in order; the first may include boot.
    for start in range(0, len(rounds) - len(rounds) % CPUS, CPUS):
        assert [int(r[0]) for r in rounds[start:start + CPUS]] == list(range(CPUS)), rounds
    for cpu, ticks, switches, runnable, idle in rounds[CPUS:]:
        # About a second at 100 Hz, on its own timer (loosely: QEMU's
        # CPUs share a busy host unevenly).
        assert 1 <= int(ticks) <= 300, rounds
        assert 0 <= int(idle) <= 100
        if cpu != "0":
            assert idle == "100" and runnable == "0" and switches == "0", rounds
