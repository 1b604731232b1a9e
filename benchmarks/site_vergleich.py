"""Compare the site build of two trees in one run: CPU and wall time, old against new.

    python benchmarks/site_vergleich.py [--alt ORDNER] [--neu ORDNER] [--runden N] [--cli] [--seriell alt|neu|beide]

Builds the rulebook of each tree alternately (old, new, old, new, …; at least two rounds each), each
build in a subprocess of its own with that tree's code (PYTHONPATH and working directory = the tree),
into a temporary folder (neither tree is written to; the bytecode goes to a temporary cache folder
compiled beforehand, so no round pays for compiling). Prints per build the CPU seconds of the
subprocess and everything it waited for (RUSAGE_CHILDREN, so the forked renderer is included) and the
wall time, and at the end the medians and the ratio new/old.

By default each subprocess runs a small driver around the tree's own ``engine.site.baue`` that also
reports CPU and wall time per part (loading the knowledge base, deciding the test cases and the rest
of the analysis, writing the pages, MkDocs); ``--cli`` runs ``python3 -m engine.cli --wurzel TREE site
build`` instead (totals only). ``--seriell`` builds the named tree(s) without the forked child that renders
part of the pages (``--alt . --seriell alt``: does the child pay on this machine?). The machine may be
shared: only ratios measured in one run count.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALT_STANDARD = Path("/work/wt/alt")

# Runs inside the tree under test (its own engine): times the parts of engine.site.baue by wrapping the
# Generator and Analyse it uses; prints one JSON line.
_TREIBER = r"""
import json, resource, sys, time
from pathlib import Path
c0, w0 = time.process_time(), time.perf_counter()
from engine.site import seiten
from engine.site import baue
marken = {}
def jetzt():
    return time.process_time(), time.perf_counter()
def um(klasse, name, vor=None, dauer=None, nach=None):
    alt = getattr(klasse, name)
    def neu(*a, **k):
        t = jetzt()
        if vor:
            marken[vor] = t
        try:
            return alt(*a, **k)
        finally:
            e = jetzt()
            if dauer:
                marken[dauer] = (e[0] - t[0], e[1] - t[1])
            if nach:
                marken[nach] = e
    setattr(klasse, name, neu)
um(seiten.Generator, "__init__", vor="generator")
um(seiten.Analyse, "__init__", dauer="analyse")
um(seiten.Generator, "erzeuge", nach="erzeugt")
parallel = sys.argv[3] != "seriell"
c1, w1 = jetzt()
ergebnis = baue(Path(sys.argv[1]), generiert=Path(sys.argv[2]) / "generiert", build=Path(sys.argv[2]) / "build",
                parallel=parallel)
c2, w2 = jetzt()
kind = resource.getrusage(resource.RUSAGE_CHILDREN)
kind = kind.ru_utime + kind.ru_stime
g, e, a = marken["generator"], marken["erzeugt"], marken["analyse"]
teile = {
    "Import": (c1 - c0, w1 - w0),
    "Laden": (g[0] - c1, g[1] - w1),
    "Analyse": a,
    "Seiten": (e[0] - g[0] - a[0], e[1] - g[1] - a[1]),
    "MkDocs": (c2 - e[0] + kind, w2 - e[1]),
}
html = sum(1 for _ in (Path(sys.argv[2]) / "build").rglob("*.html"))
print(json.dumps({"teile": teile, "html": html, "md": ergebnis.seiten, "kind": kind}))
"""

TEILE = ("Import", "Laden", "Analyse", "Seiten", "MkDocs")


def _kinder_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _umgebung(baum: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(baum)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def baue_einmal(baum: Path, cache: Path, cli: bool, seriell: bool) -> dict:
    """One build of `baum` in a subprocess; CPU (with its children) and wall seconds, parts if the driver ran."""
    with tempfile.TemporaryDirectory(prefix="regelwerk-vergleich-") as tmp:
        if cli:
            befehl = [sys.executable, "-m", "engine.cli", "--wurzel", str(baum), "site", "build",
                      "--ziel", f"{tmp}/build", "--generiert", f"{tmp}/generiert"]
        else:
            befehl = [sys.executable, "-c", _TREIBER, str(baum), tmp, "seriell" if seriell else "parallel"]
        cpu, wand = _kinder_cpu(), time.perf_counter()
        lauf = subprocess.run(befehl, cwd=baum, env=_umgebung(baum, cache), capture_output=True, text=True)
        wand, cpu = time.perf_counter() - wand, _kinder_cpu() - cpu
    if lauf.returncode != 0:
        raise SystemExit(f"fehler: der Bau in {baum} ist gescheitert (Exit {lauf.returncode}):\n{lauf.stderr[-3000:]}")
    ergebnis = {"cpu": cpu, "wand": wand}
    if not cli:
        ergebnis.update(json.loads(lauf.stdout.strip().splitlines()[-1]))
    return ergebnis


def _median(werte: list[float]) -> float:
    return statistics.median(werte) if werte else float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--alt", type=Path, default=ALT_STANDARD, help="der alte Baum (Standard: /work/wt/alt)")
    p.add_argument("--neu", type=Path, default=REPO, help="der neue Baum (Standard: dieser)")
    p.add_argument("--runden", type=int, default=2, help="Bauten je Baum, abwechselnd (mindestens 2)")
    p.add_argument("--cli", action="store_true", help="`regelwerk site build` statt des Treibers (nur Summen)")
    p.add_argument("--seriell", choices=("alt", "neu", "beide"), help="ohne den Kindprozess, der Seiten parallel rendert")
    args = p.parse_args(argv)
    if args.cli and args.seriell:
        p.error("--seriell geht nur mit dem Treiber, nicht mit --cli")
    runden = max(2, args.runden)
    baeume = {"alt": args.alt.resolve(), "neu": args.neu.resolve()}
    with tempfile.TemporaryDirectory(prefix="regelwerk-pycache-") as caches:
        cache = {}
        for name, baum in baeume.items():
            cache[name] = Path(caches) / name
            subprocess.run([sys.executable, "-m", "compileall", "-q", "engine"], cwd=baum,
                           env=_umgebung(baum, cache[name]), check=True, capture_output=True)
        messungen: dict[str, list[dict]] = {"alt": [], "neu": []}
        for runde in range(1, runden + 1):
            for name in ("alt", "neu"):
                m = baue_einmal(baeume[name], cache[name], args.cli, args.seriell in (name, "beide"))
                messungen[name].append(m)
                teile = "" if args.cli else "  (" + ", ".join(
                    f"{t} {m['teile'][t][0]:.1f}/{m['teile'][t][1]:.1f}" for t in TEILE) + " s CPU/Wand)"
                seiten = "" if args.cli else f", {m['html']} HTML-Seiten"
                print(f"Runde {runde} {name}: CPU {m['cpu']:.2f} s, Wand {m['wand']:.2f} s{seiten}{teile}", flush=True)

    print(f"\nMedian über {runden} Runden: {baeume['alt']} (alt) gegen {baeume['neu']} (neu)")
    print(f"{'':12} {'CPU alt':>8} {'CPU neu':>8} {'neu/alt':>8} {'Wand alt':>9} {'Wand neu':>9} {'neu/alt':>8}")
    zeilen = [("Gesamt", lambda m, i: m["cpu"] if i == 0 else m["wand"])]
    if not args.cli:
        zeilen += [(t, (lambda t: lambda m, i: m["teile"][t][i])(t)) for t in TEILE]
    for titel, wert in zeilen:
        c = [_median([wert(m, 0) for m in messungen[n]]) for n in ("alt", "neu")]
        w = [_median([wert(m, 1) for m in messungen[n]]) for n in ("alt", "neu")]
        print(f"{titel:12} {c[0]:8.2f} {c[1]:8.2f} {c[1] / c[0] if c[0] else float('nan'):8.2f} "
              f"{w[0]:9.2f} {w[1]:9.2f} {w[1] / w[0] if w[0] else float('nan'):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
