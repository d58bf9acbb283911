"""make bench-guest's script (scripts/bench_guest.py) without booting.

Serial lines captured from real runs go through the parsers and the table;
checks that counts become instructions (one TSC tick each on x86_64, 1e9 /
CNTFRQ each on AArch64), that the boot figure is the first user
instruction's count minus the kernel's entry count, that a run which
failed or did not finish is refused rather than tabulated, and that the
initramfs is a well-formed newc archive. The boots themselves are left to
`make bench-guest` (minutes, and they judge nothing).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench_guest  # noqa: E402

X86_SERIAL = """\
CambiOS 0.1 (x86_64), booted by cambios-boot 0.1
boot: kernel entered at counter 2593321628
process 5 bench.elf: ready, entry 0x400020, 3 segments in 5 pages, stack below 0x800000
[hello.elf:3] Hello from a signed boot module!
[bench.elf:5] bench: counter-hz 1000000000
[bench.elf:5] bench: first-instruction 2619233408
[bench.elf:5] bench: null-syscall 20000 2560007
process 7 bench.elf: ready, entry 0x400020, 3 segments in 5 pages, stack below 0x800000
[bench.elf:5] bench: yield-pair 4000 3400006
[bench.elf:5] bench: ipc-256 2000 40186619
[bench.elf:5] bench: objput-objget-4k 200 31953565
[bench.elf:5] bench: spawn-wait 100 26368360
[bench.elf:5] bench: done
""".splitlines()

AARCH64_SERIAL = """\
boot: kernel entered at counter 338982676
[bench.elf:5] bench: counter-hz 62500000
[bench.elf:5] bench: first-instruction 339919216
[bench.elf:5] bench: null-syscall 20000 265000
[bench.elf:5] bench: yield-pair 4000 258500
[bench.elf:5] bench: ipc-256 2000 2747919
[bench.elf:5] bench: objput-objget-4k 200 2182934
[bench.elf:5] bench: spawn-wait 100 2079064
[bench.elf:5] bench: done
""".splitlines()

# Firmware escapes before the first line, as the serial reader leaves them.
LINUX_SERIAL = """\
\x1b[2J\x1b[01;01Hlinux-bench: counter-hz 1000000000
linux-bench: null-syscall 20000 6558809
linux-bench: yields 4000 1811
linux-bench: yield-pair 1811 10077614
linux-bench: ipc-256 2000 23544019
linux-bench: spawn-wait 100 34801643
linux-bench: done
""".splitlines()


def test_x86_64_ticks_are_instructions():
    figures = bench_guest.parse_cambios(X86_SERIAL)
    assert figures["null-syscall"] == pytest.approx(128.00035)
    assert figures["yield-pair"] == pytest.approx(850.0015)
    assert figures["ipc-256"] == pytest.approx(20093.3095)
    assert figures["objput-objget-4k"] == pytest.approx(159767.825)
    assert figures["spawn-wait"] == pytest.approx(263683.6)
    assert figures["boot"] == 2619233408 - 2593321628


def test_aarch64_ticks_are_scaled_by_the_counter_frequency():
    figures = bench_guest.parse_cambios(AARCH64_SERIAL)
    assert figures["null-syscall"] == pytest.approx(265000 * 16 / 20000)
    assert figures["yield-pair"] == pytest.approx(258500 * 16 / 4000)
    assert figures["boot"] == pytest.approx((339919216 - 338982676) * 16)


def test_linux_yield_pairs_are_the_partners_yields():
    figures = bench_guest.parse_linux(LINUX_SERIAL)
    assert figures["null-syscall"] == pytest.approx(327.94045)
    assert figures["yield-pair"] == pytest.approx(10077614 / 1811)
    assert figures["ipc-256"] == pytest.approx(11772.0095)
    assert "objput-objget-4k" not in figures and "boot" not in figures


def test_a_failed_run_is_refused():
    lines = X86_SERIAL[:-1] + ["[bench.elf:5] bench: failed objput -3"]
    with pytest.raises(bench_guest.BenchError, match="failed: objput -3"):
        bench_guest.parse_cambios(lines)


def test_an_unfinished_run_is_refused():
    with pytest.raises(bench_guest.BenchError, match="did not finish"):
        bench_guest.parse_cambios(X86_SERIAL[:-1])
    with pytest.raises(bench_guest.BenchError, match="did not finish"):
        bench_guest.parse_linux(LINUX_SERIAL[:-1])


def test_other_programs_cannot_supply_figures():
    # Only the bench program's own lines count; a line that merely
    # contains the text (another program's, or a forged one) does not.
    lines = X86_SERIAL + ["[hello.elf:3] [bench.elf:5] bench: null-syscall 1 1"]
    assert bench_guest.parse_cambios(lines)["null-syscall"] == pytest.approx(128.00035)


# The second boot, with two CPUs: bench on CPU 0, its peer on CPU 1.
X86_TWO_CPU_SERIAL = """\
boot: kernel entered at counter 2593321628
[bench.elf:5] bench: counter-hz 1000000000
[bench.elf:5] bench: first-instruction 2619233408
[bench.elf:5] bench: cpus 0 1
[bench.elf:5] bench: ipc-256-cross-cpu 2000 12000000
[bench.elf:5] bench: wake-cross-cpu 2000 3000000
[bench.elf:5] bench: done
""".splitlines()


def test_two_cpu_figures_need_the_peer_on_another_cpu():
    figures = bench_guest.parse_cambios(X86_TWO_CPU_SERIAL, cpus=2)
    assert figures["ipc-256-cross-cpu"] == pytest.approx(6000)
    assert figures["wake-cross-cpu"] == pytest.approx(1500)
    same_cpu = [line for line in X86_TWO_CPU_SERIAL if "cpus" not in line]
    with pytest.raises(bench_guest.BenchError, match="nothing crossed CPUs"):
        bench_guest.parse_cambios(same_cpu, cpus=2)


def test_table_says_how_two_cpu_figures_are_taken():
    ours = bench_guest.parse_cambios(AARCH64_SERIAL)
    ours.update(bench_guest.parse_cambios(X86_TWO_CPU_SERIAL, cpus=2))
    table = bench_guest.format_table("aarch64", ours)
    rows = _rows(table)
    assert rows["IPC round trip, 256 B, 2 CPUs"].split()[-3:] == ["peer", "6,000", "-"]
    assert rows["wake-up across CPUs (IPI)"].split()[-2:] == ["1,500", "-"]
    assert "runs the CPUs in turns" in table


def _rows(table):
    return {line.split("  ")[0]: line for line in table.splitlines()}


def test_table_with_linux():
    ours = bench_guest.parse_cambios(X86_SERIAL)
    table = bench_guest.format_table("x86_64", ours, bench_guest.parse_linux(LINUX_SERIAL))
    lines = table.splitlines()
    assert lines[0].startswith("guest instructions per operation, x86_64")
    header = lines[2]
    for column in ("CambiOS", "Linux 6.1", "CambiOS/Linux", "target"):
        assert column in header
    assert set(lines[3]) == {"-"} and len(lines[3]) == len(header)
    rows = _rows(table)
    null = rows["null system call"].split()
    assert null[-6:] == ["128", "getppid", "328", "0.39x", "<=", "60"]
    assert rows["IPC round trip, 256 B"].split()[-4:] == ["11,772", "1.71x", "<=", "2,600"]
    # No Linux counterpart: dashes, not zeros.
    assert rows["ObjPut + ObjGet, 4 KiB"].split()[-5:] == ["159,768", "-", "-", "-", "-"]
    assert rows["kernel entry to 1st user instr."].split()[-6:] == \
        ["25,911,780", "-", "-", "-", "<=", "5,000,000"]
    # Figures are right-aligned under their heading.
    column_end = header.index("CambiOS  Linux calls") + len("CambiOS")
    assert rows["null system call"].index(" 128 ") + len(" 128") == column_end
    assert rows["ObjPut + ObjGet, 4 KiB"].index(" 159,768 ") + len(" 159,768") == column_end


def test_table_without_linux_has_no_linux_columns():
    table = bench_guest.format_table("aarch64", bench_guest.parse_cambios(AARCH64_SERIAL))
    assert "Linux" not in table
    rows = _rows(table)
    assert rows["null system call"].split()[-3:] == ["212", "<=", "100"]
    assert rows["yield pair, 2 processes"].split()[-3:] == ["1,034", "<=", "1,500"]


def test_initramfs_is_newc(tmp_path):
    init, exit_program = tmp_path / "init", tmp_path / "exit"
    init.write_bytes(b"\x7fELF init")
    exit_program.write_bytes(b"\x7fELF exit!")
    data = bench_guest.write_initramfs(tmp_path / "x.cpio", init, exit_program).read_bytes()
    assert len(data) % 512 == 0
    found, at = {}, 0
    while True:
        assert data[at:at + 6] == b"070701"
        fields = [int(data[at + 6 + 8 * i:at + 14 + 8 * i], 16) for i in range(13)]
        mode, size, rdev, namesize = fields[1], fields[6], fields[9:11], fields[11]
        name = data[at + 110:at + 110 + namesize - 1].decode()
        body = at + 110 + namesize
        body += -body % 4
        if name == "TRAILER!!!":
            break
        found[name] = (mode, data[body:body + size], rdev)
        at = body + size + (-size % 4)
    assert found["init"] == (0o100755, b"\x7fELF init", [0, 0])
    assert found["exit"] == (0o100755, b"\x7fELF exit!", [0, 0])
    assert found["dev/console"] == (0o020600, b"", [5, 1])
    assert found["dev"][0] == 0o040755
