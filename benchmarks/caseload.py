"""Benchmark: a whole caseload end to end through the command line, in-process, and over HTTP.

Generates N synthetic levy employer-years (the generator of benchmarks/entscheidungen.py) as
JSON Lines and prints:
  - decisions/s end to end via the command line (`regelwerk decide … --format json`, all cores),
    JSON Lines with full trails, and the same with the CSV summary only;
  - CPU seconds of the run (all processes) and peak RSS per worker process;
  - in-process decisions/s in the same run (one process: parse, check, decide, JSON trail),
    and the ratio end to end / in-process;
  - the server: decisions/s over HTTP with 8 concurrent clients against 127.0.0.1 (bounded);
  - the machine load before and after (the machine may be shared);
  - with --vergleich COMMIT: the same N cases as JSON files in a folder, decided by that commit's
    command line (a temporary git worktree) and by this one, in the same run, and the ratio
    (the state the issue measured 56 decisions/s on is 270d6ab).
Usage: python benchmarks/caseload.py [--anzahl 20000] [--http 2000] [--vergleich 270d6ab [--vergleich-anzahl 1000]]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL))
sys.path.insert(0, str(WURZEL / "benchmarks"))

from entscheidungen import synthetischer_fall  # noqa: E402


def _last() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def _kinder(pid: int) -> list[int]:
    try:
        return [int(k) for t in Path(f"/proc/{pid}/task").iterdir()
                for k in (t / "children").read_text().split()]
    except OSError:
        return []


def _spitze_kb(pid: int) -> int:
    """Peak resident set size of a process (VmHWM), 0 when it is gone."""
    try:
        for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
            if zeile.startswith("VmHWM:"):
                return int(zeile.split()[1])
    except OSError:
        pass
    return 0


def _kommandozeile(eingabe: Path, extra: list[str], anzahl: int) -> tuple[float, float, float, list[float]]:
    """(decisions/s wall, CPU s of all processes, peak RSS of the main process in MB, peak RSS per worker in MB)."""
    vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    lauf = subprocess.Popen([sys.executable, "-m", "engine.cli", "decide", str(eingabe), "--still", *extra], cwd=WURZEL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    spitzen: dict[int, int] = {}  # worker pid -> peak RSS (kB), read from /proc while the run lasts
    haupt = 0
    while lauf.poll() is None:
        haupt = max(haupt, _spitze_kb(lauf.pid))
        for kind in _kinder(lauf.pid):
            spitzen[kind] = max(spitzen.get(kind, 0), _spitze_kb(kind))
        time.sleep(0.2)
    fehler = lauf.stderr.read() if lauf.stderr else ""
    dauer = time.perf_counter() - start
    nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
    if lauf.returncode != 0:  # every generated case is valid
        raise SystemExit(f"Lauf fehlgeschlagen ({lauf.returncode}): {fehler[-2000:]}")
    cpu = (nachher.ru_utime - vorher.ru_utime) + (nachher.ru_stime - vorher.ru_stime)
    return anzahl / dauer, cpu, haupt / 1024, sorted(v / 1024 for v in spitzen.values() if v)


def _im_prozess(texte: list[str]) -> tuple[float, float]:
    """(decisions/s wall, decisions per CPU second) in this process: parse, check, decide, JSON trail."""
    from engine.stapel import adapter
    from engine.stapel.arbeiter import Arbeiter, Ausgaben
    from engine.stapel.eingabe import Auftrag

    with adapter.lade_regelwerk(WURZEL) as rw:
        a = Arbeiter(rw, Ausgaben())
        for i, t in enumerate(texte[:500]):  # compile every year once, like a worker early in a run
            a.bearbeite(Auftrag(i, "x.jsonl", i + 1, text=t))
        start, cpu = time.perf_counter(), time.process_time()
        for i, t in enumerate(texte):
            assert a.bearbeite(Auftrag(i, "x.jsonl", i + 1, text=t)).ok
        return len(texte) / (time.perf_counter() - start), len(texte) / (time.process_time() - cpu)


def _http(texte: list[str], anfragen: int, clients: int = 8) -> tuple[float, float, float]:
    sys.path.insert(0, str(WURZEL / "benchmarks"))
    from lasttest import lasttest

    return lasttest(texte, anfragen, clients)


def _ordner_lauf(wurzel: Path, ordner: Path, anzahl: int, extra: list[str]) -> float:
    """Decisions/s of `regelwerk decide ORDNER --format json` run from the checkout `wurzel`."""
    start = time.perf_counter()
    lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", str(ordner), "--format", "json", *extra],
                          cwd=wurzel, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dauer = time.perf_counter() - start
    zeilen = lauf.stdout.count(b"\n")
    if lauf.returncode != 0 or zeilen != anzahl:
        raise SystemExit(f"Vergleichslauf in {wurzel} fehlgeschlagen ({lauf.returncode}, {zeilen} Zeilen): "
                         f"{lauf.stderr.decode(errors='replace')[-2000:]}")
    return anzahl / dauer


def _vergleich(commit: str, texte: list[str]) -> None:
    """The same cases through an earlier commit's command line and this one, one after the other."""
    with tempfile.TemporaryDirectory(prefix="regelwerk-vergleich-") as tmp:
        alt, ordner = Path(tmp) / "alt", Path(tmp) / "faelle"
        subprocess.run(["git", "-C", str(WURZEL), "worktree", "add", "--detach", str(alt), commit], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ordner.mkdir()
            for i, t in enumerate(texte):
                (ordner / f"fall-{i:06d}.json").write_text(t, encoding="utf-8")
            rate_alt = _ordner_lauf(alt, ordner, len(texte), [])
            rate_neu = _ordner_lauf(WURZEL, ordner, len(texte), ["--still"])
        finally:
            subprocess.run(["git", "-C", str(WURZEL), "worktree", "remove", "--force", str(alt)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"Vergleich im selben Lauf, {len(texte):,} JSON-Dateien in einem Ordner: {commit} {rate_alt:,.0f} "
          f"Entscheidungen/s, jetzt {rate_neu:,.0f}/s = {rate_neu / rate_alt:.1f}-fach")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--anzahl", type=int, default=20_000)
    p.add_argument("--im-prozess", type=int, default=3_000, help="Fälle für die Messung im Prozess")
    p.add_argument("--http", type=int, default=2_000, help="Anfragen an den Server (0: nicht messen)")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--vergleich", metavar="COMMIT", help="auch mit der Kommandozeile dieses Commits messen")
    p.add_argument("--vergleich-anzahl", type=int, default=1_000, help="Fälle für den Vergleich")
    args = p.parse_args()
    rng = random.Random(4711)
    texte = [json.dumps(synthetischer_fall(rng)) for _ in range(args.anzahl)]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    kerne = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Rechner: {kerne} Kerne, Last vorher {_last()} (der Rechner kann geteilt sein: Raten in Wanduhrzeit "
          "sinken mit der Last, die CPU-Sekunden je Fall kaum)")
    with tempfile.TemporaryDirectory() as tmp:
        eingabe = Path(tmp) / "faelle.jsonl"
        eingabe.write_text("\n".join(texte) + "\n", encoding="utf-8")
        rate, cpu, rss, arbeiter = _kommandozeile(eingabe, ["--format", "json", "-o", str(Path(tmp) / "aus.jsonl"), *jobs],
                                                  args.anzahl)
        groesse = (Path(tmp) / "aus.jsonl").stat().st_size
        print(f"Kommandozeile, JSON Lines mit voller Begründung: {args.anzahl:,} Fälle, {rate:8,.0f} Entscheidungen/s "
              f"({groesse / args.anzahl / 1024:.1f} KB je Fall, {cpu:.1f} s CPU = {args.anzahl / cpu:,.0f} je CPU-Sekunde)")
        print(f"  Spitzen-RSS: Hauptprozess {rss:.0f} MB, Arbeitsprozesse "
              + (", ".join(f"{x:.0f}" for x in arbeiter) + " MB" if arbeiter else "keine (kleiner Lauf)"))
        (Path(tmp) / "aus.jsonl").unlink()
        rate_k, cpu_k, _, _ = _kommandozeile(eingabe, ["--format", "json", "-o", str(Path(tmp) / "k.jsonl"), "--kompakt",
                                                       *jobs], args.anzahl)
        groesse = (Path(tmp) / "k.jsonl").stat().st_size
        print(f"Kommandozeile, kompakte Begründung:              {rate_k:8,.0f} Entscheidungen/s "
              f"({groesse / args.anzahl / 1024:.1f} KB je Fall, {cpu_k:.1f} s CPU)")
        rate_csv, cpu_csv, _, _ = _kommandozeile(eingabe, ["--csv", str(Path(tmp) / "z.csv"), *jobs], args.anzahl)
        print(f"Kommandozeile, nur CSV-Zusammenfassung:          {rate_csv:8,.0f} Entscheidungen/s ({cpu_csv:.1f} s CPU)")
    im, im_cpu = _im_prozess(texte[: args.im_prozess])
    print(f"Im Prozess (1 Kern, JSON mit voller Begründung):  {im:8,.0f} Entscheidungen/s "
          f"({im_cpu:,.0f} je CPU-Sekunde); Kommandozeile / im Prozess = {rate / im:.2f}")
    print(f"Ohne fremde Last geschätzt (Kerne / CPU-Sekunden je Fall der Kommandozeile): "
          f"{kerne * args.anzahl / cpu:8,.0f} Entscheidungen/s")
    if args.http:
        rate_http, p50, p95 = _http(texte, args.http)
        print(f"Server, 8 Clients auf 127.0.0.1:                {rate_http:8,.0f} Entscheidungen/s "
              f"(p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms)")
    if args.vergleich:
        _vergleich(args.vergleich, texte[: args.vergleich_anzahl])
    print(f"Last nachher {_last()}")


if __name__ == "__main__":
    main()
