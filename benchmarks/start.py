"""Benchmark: what one command costs before it decides anything (start-up), against an earlier commit.

Runs `regelwerk decide <one case> --format json` (Python start, imports, loading and checking the rulebook,
one decision) of this tree and of COMMIT (a temporary git worktree, its own engine and rulebook) alternately,
N times each, and prints the medians of wall time and CPU seconds and their ratio. Every run of the test suite
and every single decision on the command line pays this cost; a batch pays it once.
Usage: python benchmarks/start.py [--vergleich 43cbea5] [--runden 7]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
FALL = "site/docs/beispiele/muster-gmbh-2024.yaml"


def _lauf(wurzel: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one `regelwerk decide` from the checkout `wurzel` (its engine and its rulebook)."""
    vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "engine.cli", "decide", FALL, "--format", "json"], cwd=wurzel,
                   env=dict(os.environ, PYTHONPATH=str(wurzel)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    wand = time.perf_counter() - start
    nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wand, (nachher.ru_utime - vorher.ru_utime) + (nachher.ru_stime - vorher.ru_stime)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vergleich", metavar="COMMIT", default="43cbea5", help="früherer Commit (Standard: 43cbea5)")
    p.add_argument("--runden", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="regelwerk-start-") as tmp:
        alt = Path(tmp) / "alt"
        subprocess.run(["git", "-C", str(WURZEL), "worktree", "add", "--detach", str(alt), args.vergleich], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            messungen: dict[str, list[tuple[float, float]]] = {"alt": [], "jetzt": []}
            for _ in range(args.runden):  # alternately, so a change of the machine's load hits both alike
                messungen["alt"].append(_lauf(alt))
                messungen["jetzt"].append(_lauf(WURZEL))
        finally:
            subprocess.run(["git", "-C", str(WURZEL), "worktree", "remove", "--force", str(alt)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    median = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in messungen.items()}
    print(f"`regelwerk decide {FALL} --format json`, Median aus {args.runden} Läufen je Baum, abwechselnd:")
    for name, titel in (("alt", args.vergleich), ("jetzt", "jetzt")):
        print(f"  {titel:>8}: {median[name][0]:.3f} s Wanduhr, {median[name][1]:.3f} s CPU")
    print(f"  Verhältnis jetzt / {args.vergleich}: {median['jetzt'][0] / median['alt'][0]:.2f} (Wanduhr), "
          f"{median['jetzt'][1] / median['alt'][1]:.2f} (CPU)")


if __name__ == "__main__":
    main()
