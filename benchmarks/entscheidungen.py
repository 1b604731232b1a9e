"""Benchmark: decisions per second with full trails, engine overhead, peak memory.

Decides N synthetic employer-years (all tiers, small employers, years 2002-2026,
Werkstatt orders, payments) through the rule engine (durable_rules), then the same
cases by direct evaluation of the same compiled rules, and prints:
  - decisions/s through the engine (trail data recorded for every fired rule),
  - decisions/s including rendering each decision to JSON,
  - decisions/s by direct evaluation, and the engine overhead ratio,
  - peak RSS over the whole run.
Usage: python benchmarks/entscheidungen.py [--anzahl 100000]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL))

from engine import fall_aus_daten, lade_regelwerk, rendere  # noqa: E402  (the public API only)


def synthetischer_fall(rng: random.Random) -> dict:
    jahr = rng.randint(2002, 2026)
    groesse = rng.choice([15, 25, 35, 45, 55, 80, 150, 400, 2000])
    monate = []
    for m in range(1, 13 if rng.random() < 0.9 else rng.randint(2, 12)):
        ap = max(0, groesse + rng.randint(-3, 3))
        azubi = rng.randint(0, min(3, ap))
        monate.append({"monat": m, "arbeitsplaetze": ap, "ausbildungsstellen": azubi,
                       "nicht_zu_beruecksichtigen": rng.randint(0, max(0, min(2, ap - azubi))),
                       "besetzte_pflichtarbeitsplaetze": rng.randint(0, max(1, groesse // 15))})
    fall = {"art": "ausgleichsabgabe", "jahr": jahr, "arbeitgeber": {"name": "Synthetisch"}, "monate": monate}
    if rng.random() < 0.3:
        fall["werkstattauftraege"] = [{"rechnungsbetrag": f"{rng.randint(100, 20000)}.00", "materialkosten": "50.00",
                                       "ausgefuehrt": f"{jahr}-0{rng.randint(1, 9)}-15", "bezahlt": f"{jahr + 1}-0{rng.randint(1, 5)}-01"}]
    if rng.random() < 0.3:
        fall["zahlungen"] = [{"datum": f"{jahr + 1}-0{rng.randint(3, 8)}-{rng.randint(10, 28)}", "betrag": "999999.00"}]
    return fall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=100_000, help="Zahl der Entscheidungen über den Regelmotor")
    parser.add_argument("--vergleich", type=int, default=20_000, help="Zahl der Entscheidungen für Vergleichsmessungen")
    args = parser.parse_args()

    motor = lade_regelwerk(WURZEL)
    rng = random.Random(4711)
    # checked once here (not timed); entscheide() does not check a checked case again
    faelle = [motor.pruefe(fall_aus_daten(synthetischer_fall(rng), f"synthetisch-{i}")) for i in range(2_000)]
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    with motor:
        for fall in faelle:  # compile and register every year once (not timed)
            motor.entscheide(fall)
        start = time.perf_counter()
        schritte = 0
        for i in range(args.anzahl):
            schritte += len(motor.entscheide(faelle[i % len(faelle)]).schritte)
        motor_dauer = time.perf_counter() - start

        start = time.perf_counter()
        for i in range(args.vergleich):
            rendere(motor.entscheide(faelle[i % len(faelle)]), "json")
        json_dauer = time.perf_counter() - start

    direkt = lade_regelwerk(WURZEL, motor="direkt")
    for fall in faelle:
        direkt.entscheide(fall)
    start = time.perf_counter()
    for i in range(args.vergleich):
        direkt.entscheide(faelle[i % len(faelle)])
    direkt_dauer = time.perf_counter() - start

    rss_ende = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    motor_rate = args.anzahl / motor_dauer
    direkt_rate = args.vergleich / direkt_dauer
    print(f"Entscheidungen über den Regelmotor:      {args.anzahl:>9,} in {motor_dauer:6.1f} s = {motor_rate:8,.0f}/s "
          f"(Ø {schritte / args.anzahl:.1f} Begründungsschritte je Entscheidung)")
    print(f"  davon mit JSON-Ausgabe der Begründung: {args.vergleich:>9,} in {json_dauer:6.1f} s = {args.vergleich / json_dauer:8,.0f}/s")
    print(f"Direkte Auswertung derselben Regeln:     {args.vergleich:>9,} in {direkt_dauer:6.1f} s = {direkt_rate:8,.0f}/s")
    print(f"Mehraufwand des Regelmotors:             {direkt_rate / motor_rate:.2f}×")
    print(f"Speicher (max. RSS): {rss_start / 1024:.1f} MB nach dem Laden, {rss_ende / 1024:.1f} MB am Ende")


if __name__ == "__main__":
    main()
