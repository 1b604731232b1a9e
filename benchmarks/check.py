"""Benchmark: how long `regelwerk check` takes on the whole tree (target: under 1 s).

Prints the in-process time (load + all cross-checks, median of 5 runs) and the wall
time of the command including Python start-up.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL))

from engine.pruefung import pruefe  # noqa: E402
from engine.wissensbasis import lade_wissensbasis  # noqa: E402


def main() -> None:
    zeiten = []
    for _ in range(5):
        start = time.perf_counter()
        fehler: list = []
        wb = lade_wissensbasis(WURZEL, fehler)
        fehler += pruefe(wb)
        zeiten.append(time.perf_counter() - start)
    assert not fehler, fehler
    start = time.perf_counter()
    ergebnis = subprocess.run([sys.executable, "-m", "engine.cli", "check"], cwd=WURZEL, capture_output=True, text=True)
    gesamt = time.perf_counter() - start
    print(f"check im Prozess (Median von 5): {statistics.median(zeiten):.3f} s")
    print(f"regelwerk check als Befehl:       {gesamt:.3f} s (Exit {ergebnis.returncode})")


if __name__ == "__main__":
    main()
