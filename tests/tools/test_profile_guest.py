"""scripts/profile_guest.py's analysis, on made-up addresses.

The recording (QEMU's execution log, one instruction per line) takes a
minute and judges nothing; what is checked here is what turns the log into
figures: program counters read from its lines, names for addresses (user
code pooled), the window between entries of the start function,
instructions and entries per function.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import profile_guest  # noqa: E402

K = 0xffffffff80000000
SYMBOLS = profile_guest.Symbols([(K + 0x100, "sys_write"), (K + 0x200, "memcpy"),
                                 (K + 0x300, "spin_lock")])


def run(*pieces):
    """Program counters: (start address, count) runs of consecutive
    instructions, 4 bytes apart."""
    pcs = []
    for start, count in pieces:
        pcs.extend(start + 4 * i for i in range(count))
    return pcs


def test_names_pool_user_code_and_find_the_enclosing_function():
    assert SYMBOLS.name(0x400020) == profile_guest.USER
    assert SYMBOLS.name(K + 0x100) == "sys_write"
    assert SYMBOLS.name(K + 0x2fc) == "memcpy"
    assert SYMBOLS.name(K + 0x10) == "?"


def log_line(pc):
    return f"Trace 0: 0x7f3a2c000100 [00000000/{pc:016x}/00000000/ff000000] fn\n"


def test_the_log_is_read_from_the_entry_after_the_skipped_ones_and_no_further():
    start = K + 0x100
    pcs = run((0x400000, 2), (start, 3), (0x400000, 2), (start, 2), (K + 0x200, 1),
              (start, 1), (0x400000, 1), (start, 1))
    after = log_line(K + 0x300)
    lines = ["QEMU noise without a trace\n"] + [log_line(pc) for pc in pcs] + [after]
    read = iter(lines)
    got = profile_guest.pcs_from_log(read, start, skip=1, cycle=2)
    # From the second entry of start (the first skipped) through the
    # fourth, which ends the window; nothing after it is read.
    assert got == run((start, 2), (K + 0x200, 1), (start, 1), (0x400000, 1), (start, 1))
    assert list(read) == [after]
    assert len(profile_guest.window(got, start, 2)) == 5


def test_window_runs_from_one_entry_to_the_cycle_th_next():
    pcs = run((0x400000, 3), (K + 0x100, 5), (0x400000, 2), (K + 0x100, 4),
              (0x400000, 1), (K + 0x100, 2))
    assert len(profile_guest.window(pcs, K + 0x100, 1)) == 7
    assert len(profile_guest.window(pcs, K + 0x100, 2)) == 12
    with pytest.raises(ValueError):
        profile_guest.window(pcs, K + 0x100, 3)


def test_instructions_and_entries_per_function():
    # sys_write calls memcpy twice and spin_lock once; a jump back into
    # the middle of sys_write is not an entry.
    pcs = run((K + 0x100, 3), (K + 0x200, 10), (K + 0x10c, 2), (K + 0x200, 10),
              (K + 0x114, 1), (K + 0x300, 4), (K + 0x118, 2), (0x400000, 3))
    spent, entered = profile_guest.profile(pcs, SYMBOLS)
    assert spent == {"sys_write": 8, "memcpy": 20, "spin_lock": 4, profile_guest.USER: 3}
    assert entered == {"sys_write": 1, "memcpy": 2, "spin_lock": 1}
    text = profile_guest.report(spent, entered, len(pcs))
    assert text.splitlines()[0] == "35 instructions in the window"
    assert "          20        2      10  memcpy" in text
    assert "           3        0       -  <user>" in text
