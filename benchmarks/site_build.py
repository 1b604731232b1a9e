"""Time the full build of the published rulebook (target: under 20 s).

    python benchmarks/site_build.py [--seriell]

--seriell renders every page in one process (for comparison; by default a forked child renders the
Markdown of about half of the pages). Loads the knowledge base, runs every test case, generates the pages and builds them with
MkDocs (strict) into a temporary folder; prints the times of each part.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from engine.site import baue  # noqa: E402

ZIEL_SEKUNDEN = 20.0


def main(argv: list[str] | None = None) -> int:
    parallel = "--seriell" not in (sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="regelwerk-site-") as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        ergebnis = baue(REPO, generiert=Path(tmp) / "generiert", build=Path(tmp) / "build", parallel=parallel)
        gesamt, cpu = time.perf_counter() - start, time.process_time() - cpu
        html = sum(1 for _ in (Path(tmp) / "build").rglob("*.html"))
    print(f"Seiten erzeugen (inkl. Laden und {html} HTML-Seiten): {ergebnis.sekunden_generieren:.2f} s")
    print(f"MkDocs build --strict ({'parallel' if parallel else 'seriell'}): {ergebnis.sekunden_mkdocs:.2f} s")
    print(f"Gesamt: {gesamt:.2f} s (Ziel: unter {ZIEL_SEKUNDEN:.0f} s); Rechenzeit dieses Prozesses: {cpu:.2f} s")
    return 0 if gesamt < ZIEL_SEKUNDEN else 1


if __name__ == "__main__":
    sys.exit(main())
