"""Scheduling across CPUs (issue 12), on both architectures with 1, 2, 4
and 8 CPUs, in one image: the default modules plus user/ponger and
user/pinger (MODULES), the Loop's periods shortened from the kernel
command line.

- Distribution: the boot's nine programs are made on the BSP and every
  second one handed to an AP; hello, the ponger and the pinger each say
  which CPU they run on, and with two or more CPUs they are not all on
  one.
- Cross-CPU IPC: the pinger and the ponger (on different CPUs whenever
  there are two) exchange 10,000 numbered messages one at a time; each
  side checks that every number arrives once and in order.
- The Loop: every second one statistics line per CPU, and every two
  seconds the invariants checked across all CPUs at once.

And a minute of stress with 4 CPUs (user/stress, user/churn): a dozen
workers at a time, dozens in all, that allocate, talk to the echo service,
burn CPU, and exit or fault; every ending as expected, the invariants
holding, every CPU busy, and the memory lines before and after the same.
"""

import re
import subprocess

import pytest

from conftest import BOOT_TIMEOUT, LOG_DIR, REPO_ROOT, qemu, run_make_image

ARCHES = ("x86_64", "aarch64")
CPU_COUNTS = (1, 2, 4, 8)
MESSAGES = 10000
STATS = re.compile(r"^sched: cpu (\d+): (\d+) ticks, (\d+) switches, (\d+) runnable, "
                   r"idle (\d+)%$")
SPAWNED = r"^spawn: 9 boot modules became processes$"
HANDED = r"^sched: (\d+) of the BSP's (\d+) ready tasks handed to the (\d+) APs, round-robin$"
ALONE = r"^sched: one CPU schedules; its 9 ready tasks stay there$"
HELLO_CPU = r"^\[hello\.elf:\d+\] hello: process \d+ on CPU (\d+)$"
PONGER_CPU = r"^\[ponger\.elf:\d+\] ponger: serving endpoint 29, process \d+ on CPU (\d+)$"
PINGER_DONE = (rf"^\[pinger\.elf:\d+\] pinger: {MESSAGES} round trips, none lost or duplicated; "
               r"on CPU (\d+), ponger on CPU (\d+)$")
PONGER_DONE = (rf"^\[ponger\.elf:\d+\] ponger: every message once and in order: {MESSAGES} "
               r"on CPU (\d+)$")
INVARIANTS = r"^sched: invariants hold on {cpus} CPUs?, (\d+) tasks$"


MEMORY = re.compile(r"^mem: (\d+) of (\d+) frames free; heap: (\d+) live allocations, "
                    r"(\d+) bytes$")
STRESS_REPORT = (r"^\[stress\.elf:\d+\] stress: (\d+) workers, (\d+) exited, (\d+) faulted on "
                 r"purpose, (\d+) wrong, (\d+) spawns refused$")
STRESS_CPUS = 4


def build_image(arch, tmp, programs):
    """An image with user/<program> for each of `programs` as MODULES and
    the Loop's periods shortened."""
    modules = []
    for program in programs:
        elf = REPO_ROOT / "build" / arch / "modules" / f"{program}.elf"
        result = subprocess.run(["make", f"ARCH={arch}", str(elf.relative_to(REPO_ROOT))],
                                cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        assert result.returncode == 0, result.stdout[-4000:]
        modules.append(str(elf))
    image = tmp / "cambios.img"
    error = run_make_image(arch, MODULES=" ".join(modules),
                           CMDLINE="cambios.stats=1 cambios.check=2", IMAGE_OUT=str(image))
    assert error is None, error
    return image


@pytest.fixture(scope="module")
def smp_image(tmp_path_factory):
    """arch -> an image with the ponger and the pinger, built once."""
    images = {}

    def get(arch):
        if arch not in images:
            images[arch] = build_image(arch, tmp_path_factory.mktemp(f"smp-{arch}"),
                                       ("ponger", "pinger"))
        return images[arch]

    return get


def check_statistics(lines, cpus):
    rounds = [m.groups() for m in map(STATS.match, lines) if m]
    assert len(rounds) >= 2 * cpus, rounds
    # Whole rounds, CPU 0 to N-1 in order.
    for start in range(0, len(rounds) - len(rounds) % cpus, cpus):
        assert [int(r[0]) for r in rounds[start:start + cpus]] == list(range(cpus)), rounds
    for _, ticks, _, runnable, idle in rounds[cpus:]:
        # About a second at 100 Hz on each CPU's own timer (loosely: QEMU's
        # CPUs share a busy host unevenly).
        assert 1 <= int(ticks) <= 400, rounds
        assert 0 <= int(idle) <= 100 and int(runnable) <= 5, rounds


@pytest.mark.parametrize("cpus", CPU_COUNTS)
@pytest.mark.parametrize("arch", ARCHES)
def test_tasks_spread_and_talk_across_cpus(arch, cpus, smp_image):
    image = smp_image(arch)
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_smp_{arch}_{cpus}.log", smp=cpus,
                       mem="256M", max_runtime=300)
    with run:
        run.wait_for(rf"^smp: {cpus}/{cpus} CPUs online$", BOOT_TIMEOUT)
        mark = run.cursor

        def find(regex, timeout=60):
            """The first match after the CPUs came online: threads on
            several CPUs print in any order."""
            run.cursor = mark
            return run.wait_for(regex, timeout)

        pinger_cpu, ponger_cpu = map(int, find(PINGER_DONE, 180).groups())
        find(SPAWNED)
        if cpus == 1:
            find(ALONE)
        else:
            moved, ready, aps = map(int, find(HANDED).groups())
            assert (moved, ready, aps) == (4, 9, cpus - 1)
        find(r"^sched: statistics every 1 s, invariant checks every 2 s, balancing every 1 s$")
        hello_cpu = int(find(HELLO_CPU).group(1))
        ponger_start = int(find(PONGER_CPU).group(1))
        assert int(find(PONGER_DONE).group(1)) == ponger_cpu
        for _ in range(2):
            run.wait_for(INVARIANTS.format(cpus=cpus), 60)
        lines = run.lines()

    used = {hello_cpu, ponger_start, pinger_cpu, ponger_cpu}
    assert all(0 <= cpu < cpus for cpu in used), used
    if cpus == 1:
        assert used == {0}
    else:
        # The distribution keeps the odd ones (hello, shell, virtio-net,
        # fs, pinger) and hands the even ones (echo, key-store, udp, ponger)
        # to APs.
        assert hello_cpu == 0 and ponger_start != 0, used
        assert ponger_cpu != pinger_cpu, "the ping-pong did not cross CPUs"
    assert not any(line.startswith("PANIC") for line in lines)
    check_statistics(lines, cpus)


def last_memory_line(lines):
    found = [m.groups() for m in map(MEMORY.match, lines) if m]
    assert found, "no memory line"
    return tuple(map(int, found[-1]))


@pytest.mark.parametrize("arch", ARCHES)
def test_a_minute_of_churn_leaves_nothing_behind(arch, tmp_path):
    image = build_image(arch, tmp_path, ("stress", "churn"))
    run = qemu.QemuRun(arch, image, log_path=LOG_DIR / f"test_smp_stress_{arch}.log",
                       smp=STRESS_CPUS, mem="256M", max_runtime=420)
    with run:
        run.wait_for(r"^\[stress\.elf:\d+\] stress: quiet before$", BOOT_TIMEOUT)
        before_start = run.cursor
        run.wait_for(r"^\[stress\.elf:\d+\] stress: go$", 60)
        before = last_memory_line(run.lines()[before_start:run.cursor])
        stress_start = run.cursor
        run.wait_for(r"^\[stress\.elf:\d+\] stress: done, quiet after$", 300)
        stress_lines = run.lines()[stress_start:run.cursor]
        after_start = run.cursor
        report = run.wait_for(STRESS_REPORT, 60)
        after = last_memory_line(run.lines()[after_start:run.cursor])
        run.wait_for(rf"^sched: invariants hold on {STRESS_CPUS} CPUs, \d+ tasks$", 60)
        lines = run.lines()

    started, exited, faulted, wrong, refused = map(int, report.groups())
    assert started >= 36, report[0]  # dozens
    assert wrong == 0 and exited + faulted == started and faulted > 0, report[0]
    assert refused <= started // 10, report[0]
    assert before == after, f"memory before {before}, after {after}"
    busy = {int(m.group(1)) for m in map(STATS.match, stress_lines)
            if m and int(m.group(3)) > 0}
    assert busy == set(range(STRESS_CPUS)), f"CPUs that switched during the stress: {busy}"
    invariant_checks = [line for line in stress_lines if line.startswith("sched: invariants hold")]
    assert len(invariant_checks) >= 20, "the invariants were checked every 2 s"
    assert not any(line.startswith("PANIC") for line in lines)
