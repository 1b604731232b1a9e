"""Large legitimate inputs and hostile ones: load + decide time and peak memory (figures, not a test).

    python3 benchmarks/grosse_eingaben.py            # all
    python3 benchmarks/grosse_eingaben.py beschaeftigte zahlungen

Each measurement runs in a fresh child process so that peak RSS belongs to one input.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL))


def _monate(n_plaetze: int) -> list[dict]:
    return [{"monat": m, "arbeitsplaetze": n_plaetze, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0}
            for m in range(1, 13)]


def beschaeftigte(n: int = 5000) -> tuple[str, str]:
    fall = {"art": "ausgleichsabgabe", "jahr": 2024, "arbeitgeber": {"name": "Groß GmbH"}, "monate": _monate(4 * n),
            "beschaeftigte": [{"name": f"P{i}", "gdb": 50 + i % 50, "gleichstellung": False, "wochenstunden": "38.5",
                               "auszubildender": False, "monate": list(range(1, 13))} for i in range(n)]}
    return "gross.json", json.dumps(fall, indent=1)


def beschaeftigte_yaml(n: int = 5000) -> tuple[str, str]:
    import yaml
    _, text = beschaeftigte(n)
    return "gross.yaml", yaml.safe_dump(json.loads(text), allow_unicode=True)


def zahlungen(n: int = 20000) -> tuple[str, str]:
    monate = [dict(m, besetzte_pflichtarbeitsplaetze=0) for m in _monate(200)]
    fall = {"art": "ausgleichsabgabe", "jahr": 2024, "monate": monate, "stichtag": "2025-12-31",
            "zahlungen": [{"datum": "2025-03-31", "betrag": "1.00"} for _ in range(n)]}
    return "zahlungen.json", json.dumps(fall, indent=1)


def aliasbombe() -> tuple[str, str]:
    zeilen = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        zeilen.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "bombe.yaml", "\n".join(zeilen) + "\nart: ausgleichsabgabe\n"


FAELLE = {"beschaeftigte": beschaeftigte, "beschaeftigte_yaml": beschaeftigte_yaml, "zahlungen": zahlungen,
          "aliasbombe": aliasbombe}


def _miss(name: str, q) -> None:
    from engine.entscheidung import Entscheider
    from engine.faelle import lade_fall
    from engine.fehler import RegelwerkFehler
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(WURZEL)
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a bomb must not take the machine down
    dateiname, text = FAELLE[name]()
    vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    ausgang = "entschieden"
    t1 = t0
    try:
        fall = lade_fall(Path(dateiname), wb, text=text)
        t1 = time.perf_counter()
        with Entscheider(wb) as e:
            e.entscheide(fall)
    except RegelwerkFehler as exc:
        ausgang = f"Fehler: {str(exc)[:90]}"
    except MemoryError:
        ausgang = "MemoryError (Speichergrenze 3 GB erreicht)"
    t2 = time.perf_counter()
    if ausgang != "entschieden" and t1 == t0:
        t1 = t2  # failed while loading
    spitze = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    q.put(f"{name:20} {len(text) / 1e6:6.2f} MB  laden {t1 - t0:6.2f} s  entscheiden {t2 - t1:6.2f} s  "
          f"RSS-Spitze {spitze / 1024:6.0f} MB (+{(spitze - vorher) / 1024:.0f})  {ausgang}")


def main(namen: list[str]) -> None:
    for name in namen or list(FAELLE):
        q = mp.Queue()
        p = mp.Process(target=_miss, args=(name, q))
        p.start()
        p.join(60)
        if p.is_alive():
            p.kill()
            print(f"{name:20} abgebrochen nach 60 s")
        else:
            print(q.get() if not q.empty() else f"{name:20} Prozess endete mit {p.exitcode}")


if __name__ == "__main__":
    main(sys.argv[1:])
