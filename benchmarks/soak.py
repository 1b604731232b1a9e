"""Soak test (a script printing figures, not a timed test): memory stays flat over many decisions with many dates.

Decides N cases (default 1,000,000) in one process through the public API, cycling through 5,000 distinct decision
dates (status and Leistung cases with varying `entscheidungsdatum` and date of receipt) and levy cases of the years
2002-2026 with varying Stichtag (Säumnis) and payment dates. Each case is built and checked afresh, as a server or a
batch run would. Prints the resident set size (RSS, current and peak) every `--alle` decisions; flat means the
plans and rulesets of the engine do not grow with the number of distinct dates (issue 12, finding 8).

    python3 benchmarks/soak.py                      # 1,000,000 decisions
    python3 benchmarks/soak.py --anzahl 200000 --alle 20000

Measured (branch robust2, 2 shared cores under load 9, 90-540 decisions/s): 200,000 decisions, 5,000 distinct
dates reached after 20,000; RSS 37.0 MB after loading, 42.0 MB at 10,000, 42.4 MB from 20,000 to 200,000
(peak 42.2 MB by getrusage); 0 errors; 1,252 s. The full 1,000,000 was not run on the loaded machine.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL))

from engine import RegelwerkFehler, fall_aus_daten, lade_regelwerk  # noqa: E402  (the public API only)

ERSTER_TAG = date(2018, 1, 1)  # status and Leistung law of the rulebook starts 2018-01-01
LEISTUNGEN = ["technische_arbeitshilfe", "arbeitsassistenz", "berufliche_bildung", "erreichen_arbeitsplatz"]


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        for zeile in Path("/proc/self/status").read_text().splitlines():
            if zeile.startswith("VmRSS:"):
                return int(zeile.split()[1]) / 1024
    except OSError:
        pass
    return spitze_mb()


def spitze_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fall(i: int, daten: int) -> dict:
    """The i-th case: the art cycles status, Leistung, levy; its date cycles through `daten` distinct days."""
    tag = ERSTER_TAG + timedelta(days=(i // 3) % daten)
    art = i % 3
    if art == 0:
        return {"art": "status", "entscheidungsdatum": tag.isoformat(), "gdb": [20, 30, 50, 60, 100][i % 5],
                "inlandsbezug": "wohnsitz"}
    if art == 1:
        return {"art": "leistung", "entscheidungsdatum": tag.isoformat(), "status": "schwerbehindert",
                "antrag": {"eingang": (tag - timedelta(days=i % 90)).isoformat(), "leistung": LEISTUNGEN[i % 4],
                           "antragsteller": "schwerbehinderter_mensch"},
                "feststellungen": {"anderer_traeger_zustaendig": {"wert": False, "durch": "Integrationsamt",
                                                                  "am": tag.isoformat()}}}
    jahr = 2002 + i % 25
    stichtag = date(jahr + 1, 4, 1) + timedelta(days=(i // 3) % daten % 700)  # Säumnis: its months at their law
    plaetze = [25, 45, 80, 150, 400][i % 5]
    return {"art": "ausgleichsabgabe", "jahr": jahr, "stichtag": stichtag.isoformat(),
            "zahlungen": [{"datum": (stichtag - timedelta(days=30)).isoformat(), "betrag": "100.00"}],
            "monate": [{"monat": m, "arbeitsplaetze": plaetze, "ausbildungsstellen": 1, "nicht_zu_beruecksichtigen": 0,
                        "besetzte_pflichtarbeitsplaetze": i % 4} for m in range(1, 13)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=1_000_000, help="Zahl der Entscheidungen")
    parser.add_argument("--daten", type=int, default=5_000, help="Zahl verschiedener Entscheidungsdaten")
    parser.add_argument("--alle", type=int, default=100_000, help="RSS alle so viele Entscheidungen ausgeben")
    args = parser.parse_args()

    start = time.perf_counter()
    fehler = 0
    tage: set[str] = set()
    with lade_regelwerk(WURZEL) as rw:
        print(f"geladen: RSS {rss_mb():.1f} MB", flush=True)
        print(f"{'Entscheidungen':>14} {'verschiedene Daten':>18} {'RSS MB':>8} {'Spitze MB':>10} {'Entsch./s':>10}",
              flush=True)
        abschnitt = time.perf_counter()
        for i in range(1, args.anzahl + 1):
            daten = fall(i - 1, args.daten)
            if len(tage) < args.daten:
                tage.add(daten.get("entscheidungsdatum") or daten["stichtag"])
            try:
                rw.entscheide(fall_aus_daten(daten, f"soak-{i}"))
            except RegelwerkFehler as exc:  # counted and shown once: a soak run must not hide wrong cases
                if fehler == 0:
                    print(f"fehler bei Fall {i}: {exc}", file=sys.stderr)
                fehler += 1
            if i % args.alle == 0:
                jetzt = time.perf_counter()
                print(f"{i:>14,} {len(tage):>18,} {rss_mb():>8.1f} {spitze_mb():>10.1f} "
                      f"{args.alle / (jetzt - abschnitt):>10,.0f}".replace(",", "."), flush=True)
                abschnitt = jetzt
    print(f"fertig: {args.anzahl:,} Entscheidungen in {time.perf_counter() - start:,.0f} s, Fehler: {fehler}".replace(",", "."))


if __name__ == "__main__":
    main()
