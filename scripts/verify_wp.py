#!/usr/bin/env python3
"""verify_wp.py: read one Frama-C WP log, report proven and unproven goals.

Usage: verify_wp.py NAME LOG MIN_PROVEN [SECONDS]

Prints "wp NAME: P / T goals proven" and the name of every goal no prover
closed (a timeout, an unknown, a failure). The contracts are checked as a
ratchet: MIN_PROVEN is the count the tree's .mk records as reached, and a
run that proves fewer fails (a change broke a proof, or a contract now says
something the code does not do). Goals that were never proven are reported,
not failed: which ones they are, and why, is in the README.
"""
import re
import sys


def main():
    name, path, minimum = sys.argv[1], sys.argv[2], int(sys.argv[3] or 0)
    took = f" in {sys.argv[4]} s" if len(sys.argv) > 4 else ""
    with open(path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    total = re.search(r"^\[wp\] Proved goals:\s+(\d+) / (\d+)", log, re.M)
    if not total:
        print(f"wp {name}: FAILED: no summary (log: {path})")
        return 1
    proven, goals = int(total.group(1)), int(total.group(2))
    unproven = sorted(set(re.findall(
        r"^\[wp\] \[(?:Failed|Timeout|Unknown|Stepout)\] Goal (\S+)", log, re.M)))
    verdict = "" if proven >= minimum else f" FAILED: fewer than the {minimum} recorded"
    print(f"wp {name}: {proven} / {goals} goals proven{took}{verdict}")
    for goal in unproven:
        print(f"  unproven: {goal}")
    return 0 if proven >= minimum else 1


if __name__ == "__main__":
    sys.exit(main())
