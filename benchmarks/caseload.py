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
  - with --vergleich COMMIT: the same cases.jsonl decided by that commit's command line (a temporary git
    worktree) with `--format json -o` and with `--csv`, alternately with this tree's, in wall time and CPU seconds
    of all processes, and the two ratios issue 25 asks for (JSON ≥ 5×, CSV ≥ 4×; "today's tree" there is
    3911302); with --vergleich-ordner N also N cases as a folder of JSON files;
  - the population what-if (engine/bestand, one core): the same N cases, each under the law of its own year,
    and a caseload of --wirkung-anzahl employer-years (the N cases repeated) under the law of 2024;
  - with OpenFisca installed (`pip install -e '.[vergleich]'`), the same levy as an OpenFisca model
    (benchmarks/openfisca_abgabe.py) per case from a dict and over NumPy columns, checked against the plain loop;
  - a plain Python loop of the levy formula (no trail, parameters read from the rulebook per year) over the
    same N cases, checked to agree with the what-if on every Zahlbetrag it models (`schleife_bildet_ab`: it does
    not move the workshop invoices' deadline of 31 March by § 193 BGB);
  - a closing table with every rate and its ratio to the in-process rate, all from this one run.
Usage: python benchmarks/caseload.py [--anzahl 20000] [--http 2000] [--vergleich 3911302 [--runden 3]
                                     [--vergleich-ordner 1000]]
                                     [--wirkung-anzahl 1000000]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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


def _kommandozeile(eingabe: Path, extra: list[str], anzahl: int,
                   wurzel: Path = WURZEL) -> tuple[float, float, float, list[float]]:
    """(decisions/s wall, CPU s of all processes, peak RSS of the main process in MB, peak RSS per worker in MB) of
    `regelwerk decide` run from the checkout `wurzel` (its engine and its rulebook)."""
    vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    umgebung = dict(os.environ, PYTHONPATH=str(wurzel))  # that checkout's engine, not the installed one
    lauf = subprocess.Popen([sys.executable, "-m", "engine.cli", "decide", str(eingabe), "--still", *extra], cwd=wurzel,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=umgebung)
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


def _phasen(texte: list[str], block: int = 100) -> dict[str, float]:
    """CPU milliseconds per case of each step of a decision in this process (one core): reading the JSON line,
    checking the case (schema, conversion, plausibility), deciding through the rule engine, deciding by the direct
    evaluation (the reference twin, no rule engine), the JSON trail, the CSV row. The steps take turns on blocks of
    `block` cases, so a change in the machine's load falls on all of them alike."""
    from engine.stapel import adapter
    from engine.stapel.ausgabe import JsonSchreiber, csv_zeile

    summen = dict.fromkeys(("lesen", "pruefen", "entscheiden", "direkt", "json", "csv"), 0.0)
    with adapter.lade_regelwerk(WURZEL) as rw, adapter.lade_regelwerk(WURZEL, motor="direkt") as direkt:
        felder = list(dict.fromkeys(f for art in rw.arten() for f in rw.ergebnisfelder(art)))
        schreiber = JsonSchreiber()
        for t in texte[:500]:  # every year compiled once, every template seen once, as in a worker early in a run
            fall = rw.pruefe(adapter.fall_aus_json(t, "x.jsonl", 1))
            schreiber.json_utf8(rw.entscheide(fall))
            direkt.entscheide(fall)
        alle_faelle = []
        for anfang in range(0, len(texte), block):
            stueck = texte[anfang:anfang + block]
            schritte = (("lesen", lambda t: adapter.fall_aus_json(t, "x.jsonl", 1)), ("pruefen", rw.pruefe),
                        ("entscheiden", rw.entscheide))
            werte: list = stueck
            for name, f in schritte:
                start = time.process_time()
                werte = [f(w) for w in werte]
                summen[name] += time.process_time() - start
                if name == "pruefen":
                    faelle = werte
            alle_faelle += faelle
            for name, f, eingabe in (("direkt", direkt.entscheide, faelle),
                                     ("json", lambda e: schreiber.json_utf8(e, ende="\n"), werte),
                                     ("csv", lambda e: csv_zeile(e, "x.jsonl", 1, felder), werte)):
                start = time.process_time()
                for w in eingabe:
                    f(w)
                summen[name] += time.process_time() - start
        ergebnis = {name: wert * 1000 / len(texte) for name, wert in summen.items()}
        ergebnis["c_kern"], ergebnis["c_aufrufe"] = _c_kern(rw, alle_faelle)
    return ergebnis


def _c_kern(rw, faelle: list) -> tuple[float, float]:
    """(CPU ms per case inside the C core of durable-rules, its calls per case) while deciding `faelle`: its functions
    wrapped for one more pass (the wrapper's own cost, about a tenth of a microsecond per call, is left in)."""
    import durable_rules_engine as kern

    zeit = [0.0, 0]
    originale = {n: getattr(kern, n) for n in ("assert_fact", "start_action_for_state", "complete_and_start_action",
                                                 "abandon_action", "delete_state")}

    def gemessen(f):
        def aufruf(*args):
            start = time.process_time()
            try:
                return f(*args)
            finally:
                zeit[0] += time.process_time() - start
                zeit[1] += 1
        return aufruf
    try:
        for n, f in originale.items():
            setattr(kern, n, gemessen(f))
        for fall in faelle:
            rw.entscheide(fall)
    finally:
        for n, f in originale.items():
            setattr(kern, n, f)
    return zeit[0] * 1000 / len(faelle), zeit[1] / len(faelle)


def _budget(v: Vergleich, phasen: dict[str, float], anzahl: int) -> None:
    """What the targets leave per case, against what each step of a decision costs now (CPU ms per case)."""
    print(f"Budget je Fall für die Ziele (CPU-Millisekunden je Fall; {v.commit} aus dem Vergleich oben, jetzt in-process):")
    alt_json, alt_csv = v.laeufe[("alt", "json")][1] * 1000 / anzahl, v.laeufe[("alt", "csv")][1] * 1000 / anzahl
    budget_json, budget_csv = alt_json / ZIELE["json"], alt_csv / ZIELE["csv"]
    print(f"  {v.commit}: JSON {alt_json:.2f} ms, CSV {alt_csv:.2f} ms je Fall Ende zu Ende -> Budget für "
          f"{ZIELE['json']:.0f}× JSON {budget_json:.2f} ms, für {ZIELE['csv']:.0f}× CSV {budget_csv:.2f} ms je Fall")
    regelmotor = phasen["entscheiden"] - phasen["direkt"]
    pflicht_json = phasen["lesen"] + phasen["pruefen"] + phasen["direkt"] + phasen["json"]
    pflicht_csv = phasen["lesen"] + phasen["pruefen"] + phasen["direkt"] + phasen["csv"]
    for name, wert in (("JSON-Zeile lesen", phasen["lesen"]), ("Fall prüfen (Schema, Umwandlung, Plausibilität)",
                       phasen["pruefen"]), ("entscheiden, direkte Auswertung ohne Regelmotor", phasen["direkt"]),
                       ("  dazu der Regelmotor (durable-rules, Stufenfakten)", regelmotor),
                       (f"    davon im C-Kern von durable-rules ({phasen['c_aufrufe']:.0f} Aufrufe)", phasen["c_kern"]),
                       ("JSON-Begründung schreiben", phasen["json"]), ("CSV-Zeile schreiben", phasen["csv"])):
        print(f"  {name:52s} {wert:6.3f} ms = {wert / budget_json:5.2f} × Budget JSON, {wert / budget_csv:5.2f} × Budget CSV")
    print(f"  ohne Regelmotor und ohne Kosten des Parallelbetriebs: JSON {pflicht_json:.3f} ms "
          f"({pflicht_json / budget_json:.1f} × Budget), CSV {pflicht_csv:.3f} ms ({pflicht_csv / budget_csv:.1f} × Budget)")
    jetzt_json, jetzt_csv = v.laeufe[("jetzt", "json")][1] * 1000 / anzahl, v.laeufe[("jetzt", "csv")][1] * 1000 / anzahl
    rest_json, rest_csv = jetzt_json - pflicht_json - regelmotor, jetzt_csv - pflicht_csv - regelmotor
    print(f"  Ende zu Ende jetzt (Vergleich oben): JSON {jetzt_json:.3f} ms, CSV {jetzt_csv:.3f} ms je Fall; "
          + (f"davon Start, Parallelbetrieb und Ausgabe: JSON {rest_json:.3f} ms, CSV {rest_csv:.3f} ms"
             if min(rest_json, rest_csv) > 0 else
             "der Rest für Start, Parallelbetrieb und Ausgabe ist nicht bestimmbar: die Schritte im Prozess wurden "
             "unter anderer Last gemessen als die Läufe der Kommandozeile"))


def _http(texte: list[str], anfragen: int, clients: int = 8) -> tuple[float, float, float]:
    sys.path.insert(0, str(WURZEL / "benchmarks"))
    from lasttest import lasttest

    return lasttest(texte, anfragen, clients)


def _ordner_lauf(wurzel: Path, ordner: Path, anzahl: int, extra: list[str]) -> float:
    """Decisions/s of `regelwerk decide ORDNER --format json` run from the checkout `wurzel`."""
    start = time.perf_counter()
    lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", str(ordner), "--format", "json", *extra],
                          cwd=wurzel, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=dict(os.environ, PYTHONPATH=str(wurzel)))
    dauer = time.perf_counter() - start
    zeilen = lauf.stdout.count(b"\n")
    if lauf.returncode != 0 or zeilen != anzahl:
        raise SystemExit(f"Vergleichslauf in {wurzel} fehlgeschlagen ({lauf.returncode}, {zeilen} Zeilen): "
                         f"{lauf.stderr.decode(errors='replace')[-2000:]}")
    return anzahl / dauer


@dataclass
class Vergleich:
    """The same cases.jsonl through an earlier commit's command line and this one, in one run."""

    commit: str
    anzahl: int
    # (wall decisions/s, CPU s of all processes) per (tree, output): ("alt"|"jetzt", "json"|"csv")
    laeufe: dict[tuple[str, str], tuple[float, float]]
    ordner: tuple[float, float] | None = None  # folder of JSON files: (old, new) decisions/s
    schritte: dict[str, float] = field(default_factory=dict)  # tree -> steps per decision (its first 1,000 cases)

    def faktor(self, ausgabe: str, cpu: bool) -> float:
        (wand_alt, cpu_alt), (wand_neu, cpu_neu) = self.laeufe[("alt", ausgabe)], self.laeufe[("jetzt", ausgabe)]
        return cpu_alt / cpu_neu if cpu else wand_neu / wand_alt


def _schritte_je_fall(ausgabe: Path, faelle: int = 1000) -> float:
    """Steps of the trail per decision in the first `faelle` lines of a JSON Lines output."""
    schritte = gelesen = 0
    with ausgabe.open(encoding="utf-8") as f:
        for zeile in itertools.islice(f, faelle):
            d = json.loads(zeile)
            if "begruendung" in d:
                schritte += len(d["begruendung"])
                gelesen += 1
    return schritte / max(1, gelesen)


ZIELE = {"json": 5.0, "csv": 4.0}  # issue 25: end to end with the full JSON trail, and with the CSV summary


def _vergleich(commit: str, eingabe: Path, anzahl: int, texte_ordner: list[str] | None, jobs: list[str],
               runden: int = 1) -> Vergleich:
    """`regelwerk decide cases.jsonl --format json -o …` and `--csv …` of `commit` (a temporary git worktree) and of
    this tree on the same file, alternately (old, new, old, new), `runden` times, each measured in wall time and CPU
    seconds of all its processes; with `texte_ordner` also the folder of JSON files of the earlier benchmark. On a
    shared machine a burst of load can fall on one side of a round: the ratio of the sums over several rounds, and
    each round's own ratio, show how far that moved it."""
    summen: dict[tuple[str, str], list[float]] = {}  # (tree, output) -> [wall s, CPU s] summed over the rounds
    je_runde: dict[str, list[float]] = {"json": [], "csv": []}  # CPU ratio of each round
    schritte: dict[str, float] = {}
    ordner_raten = None
    with tempfile.TemporaryDirectory(prefix="regelwerk-vergleich-") as tmp:
        alt = Path(tmp) / "alt"
        subprocess.run(["git", "-C", str(WURZEL), "worktree", "add", "--detach", str(alt), commit], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for runde in range(runden):
                for ausgabe in ("json", "csv"):
                    cpu_runde = {}
                    for baum, wurzel in (("alt", alt), ("jetzt", WURZEL)):
                        ziel = Path(tmp) / f"{baum}.{ausgabe}"
                        extra = ["--format", "json", "-o", str(ziel)] if ausgabe == "json" else ["--csv", str(ziel)]
                        wand, cpu, _, _ = _kommandozeile(eingabe, [*extra, *jobs], anzahl, wurzel)
                        summe = summen.setdefault((baum, ausgabe), [0.0, 0.0])
                        summe[0] += anzahl / wand
                        summe[1] += cpu
                        cpu_runde[baum] = cpu
                        if ausgabe == "json" and runde == 0:
                            schritte[baum] = _schritte_je_fall(ziel)
                        ziel.unlink()
                    je_runde[ausgabe].append(cpu_runde["alt"] / cpu_runde["jetzt"])
            if texte_ordner:
                ordner = Path(tmp) / "faelle"
                ordner.mkdir()
                for i, t in enumerate(texte_ordner):
                    (ordner / f"fall-{i:06d}.json").write_text(t, encoding="utf-8")
                ordner_raten = (_ordner_lauf(alt, ordner, len(texte_ordner), []),
                                _ordner_lauf(WURZEL, ordner, len(texte_ordner), ["--still"]))
        finally:
            subprocess.run(["git", "-C", str(WURZEL), "worktree", "remove", "--force", str(alt)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # per (tree, output): decisions per wall second over all rounds, CPU seconds of one run (mean)
    laeufe = {k: (anzahl * runden / wand, cpu / runden) for k, (wand, cpu) in summen.items()}
    v = Vergleich(commit, anzahl, laeufe, ordner_raten, schritte)
    print(f"Vergleich im selben Lauf mit {commit}, dieselben {anzahl:,} Fälle als cases.jsonl (abwechselnd alt, jetzt"
          + (f", {runden} Runden, Summen" if runden > 1 else "") + "):")
    for ausgabe, name in (("json", "--format json (volle Begründung)"), ("csv", "--csv (nur Zusammenfassung)   ")):
        (wand_alt, cpu_alt), (wand_neu, cpu_neu) = laeufe[("alt", ausgabe)], laeufe[("jetzt", ausgabe)]
        print(f"  {name}: {commit} {wand_alt:7,.0f}/s ({anzahl / cpu_alt:6,.0f} je CPU-s), jetzt {wand_neu:7,.0f}/s "
              f"({anzahl / cpu_neu:6,.0f} je CPU-s)")
    for ausgabe in ("json", "csv"):
        cpu, wand = v.faktor(ausgabe, cpu=True), v.faktor(ausgabe, cpu=False)
        print(f"  Verhältnis {ausgabe.upper():4s} jetzt / {commit}: {cpu:.2f}-fach je CPU-Sekunde, {wand:.2f}-fach in "
              f"Wanduhrzeit – Ziel mindestens {ZIELE[ausgabe]:.0f}-fach: "
              f"{'erreicht' if min(cpu, wand) >= ZIELE[ausgabe] else 'NICHT erreicht'}")
    if runden > 1:
        for ausgabe in ("json", "csv"):
            print(f"  {ausgabe.upper()} je Runde, jetzt / {commit} je CPU-Sekunde: "
                  + ", ".join(f"{x:.2f}" for x in je_runde[ausgabe]))
    print(f"  Schritte der Begründung je Entscheidung (erste 1.000 Fälle): {commit} {schritte['alt']:.1f}, jetzt "
          f"{schritte['jetzt']:.1f} (jeder Schritt ist eine angewandte Regel)")
    if ordner_raten:
        print(f"  Ordner mit {len(texte_ordner or []):,} JSON-Dateien: {commit} {ordner_raten[0]:,.0f}/s, jetzt "
              f"{ordner_raten[1]:,.0f}/s = {ordner_raten[1] / ordner_raten[0]:.2f}-fach")
    return v


# --- the plain loop and the what-if -------------------------------------------------------------------


def _parameter_je_jahr(jahre: set[int]) -> dict[int, dict[str, int]]:
    """Parameter values of each year (31 December) from the rulebook: amounts in cents, thresholds as numbers."""
    from datetime import date

    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(WURZEL)
    ergebnis = {}
    for j in jahre:
        werte = {}
        for pid, p in wb.parameter.items():
            w = p.wert_oder_none(date(j, 12, 31))
            if w is not None and pid.startswith("aa_"):
                werte[pid] = int(w.wert * 100)
            elif w is not None:
                werte[pid] = w.wert
        ergebnis[j] = werte
    return ergebnis


def zahlbetrag_schleife(fall: dict, p: dict) -> int:
    """The levy of one employer-year in cents, written out as a plain Python function (no rule engine, no
    trail): §§ 154, 157, 160, 223 SGB IX as the rules state them; the benchmark's reference loop."""
    monate = fall["monate"]
    m = len(monate)
    summe = sum(x["arbeitsplaetze"] - x["ausbildungsstellen"] - x["nicht_zu_beruecksichtigen"] for x in monate)
    besetzt = sum(x["besetzte_pflichtarbeitsplaetze"] for x in monate)
    if summe < p["mindestzahl_arbeitsplaetze"] * m:
        return 0
    neu = "aa_staffel_4" in p  # since 2024: own amounts for 0 %
    if summe < p["kleinbetrieb_grenze_40"] * m:
        pflicht = m
        betrag = 0 if besetzt >= m else (p["aa_klein_40_null"] if neu and besetzt == 0 else p["aa_klein_40_weniger_als_1"])
    elif summe < p["kleinbetrieb_grenze_60"] * m:
        pflicht = 2 * m
        betrag = (0 if besetzt >= 2 * m else p["aa_klein_60_weniger_als_2"] if besetzt >= m
                  else p["aa_klein_60_null"] if neu and besetzt == 0 else p["aa_klein_60_weniger_als_1"])
    else:
        satz = p["pflichtsatz"]
        pflicht = int((summe * satz / 100).to_integral_value(rounding="ROUND_HALF_UP"))
        q = 100 * besetzt  # quota compared exactly: q / summe against the bounds
        betrag = (0 if q >= satz * summe else p["aa_staffel_1"] if q >= 3 * summe else p["aa_staffel_2"] if q >= 2 * summe
                  else p["aa_staffel_4"] if neu and besetzt == 0 else p["aa_staffel_3"])
    abgabe = max(0, pflicht - besetzt) * betrag
    if abgabe == 0 or "werkstattauftraege" not in fall:
        return abgabe
    jahr = fall["jahr"]
    frist = f"{jahr + 1}-03-31"
    leistung = 0
    for a in fall["werkstattauftraege"]:
        if a["ausgefuehrt"].startswith(f"{jahr}-") and a["bezahlt"] <= frist:
            leistung += _cent(a["rechnungsbetrag"]) - _cent(a["materialkosten"])
    anrechnung = (leistung * int(p["wfbm_anrechnungssatz"]) * 2 + 100) // 200  # half up to the cent
    return abgabe - min(anrechnung, abgabe)


def schleife_bildet_ab(fall: dict) -> bool:
    """Whether `zahlbetrag_schleife` models the case: it takes 31 March of the following year as the last day for
    paying a workshop invoice (§ 223 Abs. 2 Nr. 1 SGB IX), where the law moves that day to the next working day when it
    is a Saturday, Sunday or holiday (§ 193 BGB; e.g. 2007-04-02 for 2006). An invoice paid after 31 March may
    count under the law but not in the loop; such cases are left out of the comparison."""
    frist = f"{fall['jahr'] + 1}-03-31"
    return all(a["bezahlt"] <= frist for a in fall.get("werkstattauftraege", ()))


def _cent(text: str) -> int:
    euro, _, cent = text.partition(".")
    return int(euro) * 100 + int((cent + "00")[:2])


def _schleife(faelle: list[dict]) -> tuple[float, list[int]]:
    parameter = _parameter_je_jahr({f["jahr"] for f in faelle})
    start = time.process_time()
    ergebnisse = [zahlbetrag_schleife(f, parameter[f["jahr"]]) for f in faelle]
    return len(faelle) / (time.process_time() - start), ergebnisse


def _wirkung(faelle: list[dict], gross: int) -> tuple[float, float, float, float, list[int]]:
    """(what-if per CPU second with each case's own year, the same with building the columns, per CPU second and
    per wall second for `gross` employer-years under the law of 2024, Zahlbeträge of the N cases in cents)."""
    import numpy as np

    from engine.bestand.rechnung import rechne
    from engine.bestand.spalten import Bestand, lies_bestand
    from engine.entscheidung import Entscheider
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(WURZEL)
    paare = [(f"fall-{i}", f) for i, f in enumerate(faelle)]
    with Entscheider(wb) as e:
        plaene: dict = {}
        b = lies_bestand(faelle=paare)
        rechne(wb, b, None, e, plaene)  # the plans of every year once, as for a second side
        start = time.process_time()
        b = lies_bestand(faelle=paare)
        mitte = time.process_time()
        erg = rechne(wb, b, None, e, plaene)
        ende = time.process_time()
        mal = max(1, gross // b.n)
        w = b.werkstatt
        gross_b = Bestand(b.namen * mal, np.tile(b.jahr, mal), {k: np.tile(v, mal) for k, v in b.monate.items()},
                          {k: (np.concatenate([v + j * b.n for j in range(mal)]) if k == "fall" else np.tile(v, mal))
                           for k, v in w.items()}, np.tile(b.werkstatt_vorhanden, mal))
        rechne(wb, gross_b, 2024, e, plaene)
        wand, cpu = time.perf_counter(), time.process_time()
        gross_erg = rechne(wb, gross_b, 2024, e, plaene)
        wand, cpu = time.perf_counter() - wand, time.process_time() - cpu
        assert (gross_erg.weg == 0).all()
    return (b.n / (ende - mitte), b.n / (ende - start), gross_b.n / cpu, gross_b.n / wand,
            [int(x) for x in erg.cent("zahlbetrag")])


def _openfisca(faelle: list[dict], je_fall_anzahl: int, schleife: list[int]) -> list[tuple[str, None, float]] | None:
    """Rows of OpenFisca on the same cases (benchmarks/openfisca_abgabe.py), checked to agree with the plain loop on
    every Zahlbetrag it models; None when OpenFisca is not installed (`pip install -e '.[vergleich]'`)."""
    try:
        import openfisca_core  # noqa: F401
    except ImportError:
        return None
    import openfisca_abgabe as of
    from importlib.metadata import version

    tbs = of.system(_parameter_je_jahr({f["jahr"] for f in faelle}))
    teil = faelle[:je_fall_anzahl]
    rate_dict, betraege_dict = of.je_fall(tbs, teil)
    rate_np, rate_np_lesen, betraege_np = of.spalten(tbs, faelle)
    abgebildet = [i for i, f in enumerate(faelle) if schleife_bildet_ab(f)]
    gleich_np = sum(betraege_np[i] == schleife[i] for i in abgebildet)
    gleich_dict = sum(betraege_dict[i] == schleife[i] for i in abgebildet if i < len(teil))
    anzahl_dict = sum(1 for i in abgebildet if i < len(teil))
    print(f"OpenFisca {version('openfisca-core')} und Schleife stimmen bei {gleich_np:,} von {len(abgebildet):,} "
          f"Zahlbeträgen (NumPy) und {gleich_dict:,} von {anzahl_dict:,} (je Fall) überein"
          + (" – ABWEICHUNG" if gleich_np != len(abgebildet) or gleich_dict != anzahl_dict else ""))
    name = f"OpenFisca {version('openfisca-core')}"
    return [(f"{name}, je Fall eine Simulation aus einem dict (Weg der Web-API), ohne Begründung "
             f"({len(teil):,} Fälle)", None, rate_dict),
            (f"{name}, NumPy-Spalten je Jahr, ohne Begründung", None, rate_np),
            ("  dieselbe mit Aufbau der Spalten aus den Fällen", None, rate_np_lesen)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--anzahl", type=int, default=20_000)
    p.add_argument("--im-prozess", type=int, default=3_000, help="Fälle für die Messung im Prozess")
    p.add_argument("--http", type=int, default=2_000, help="Anfragen an den Server (0: nicht messen)")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--vergleich", metavar="COMMIT", help="auch mit der Kommandozeile dieses Commits messen")
    p.add_argument("--runden", type=int, default=1, metavar="N",
                   help="den Vergleich N-mal abwechselnd wiederholen (Summen und jede Runde; gegen Lastspitzen)")
    p.add_argument("--vergleich-ordner", type=int, default=0, metavar="N",
                   help="beim Vergleich auch N Fälle als Ordner von JSON-Dateien messen (0: nicht)")
    p.add_argument("--wirkung-anzahl", type=int, default=1_000_000, help="Arbeitgeber-Jahre für die Rate der Wirkung")
    args = p.parse_args()
    rng = random.Random(4711)
    faelle = [synthetischer_fall(rng) for _ in range(args.anzahl)]
    texte = [json.dumps(f) for f in faelle]
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
        vergleich = (_vergleich(args.vergleich, eingabe, args.anzahl, texte[: args.vergleich_ordner], jobs, args.runden)
                     if args.vergleich else None)
    im, im_cpu = _im_prozess(texte[: args.im_prozess])
    if vergleich:
        _budget(vergleich, _phasen(texte[: args.im_prozess]), args.anzahl)
    print(f"Im Prozess (1 Kern, JSON mit voller Begründung):  {im:8,.0f} Entscheidungen/s "
          f"({im_cpu:,.0f} je CPU-Sekunde); Kommandozeile / im Prozess = {rate / im:.2f}")
    print(f"Ohne fremde Last geschätzt (Kerne / CPU-Sekunden je Fall der Kommandozeile): "
          f"{kerne * args.anzahl / cpu:8,.0f} Entscheidungen/s")
    if args.http:
        rate_http, p50, p95 = _http(texte, args.http)
        print(f"Server, 8 Clients auf 127.0.0.1:                {rate_http:8,.0f} Entscheidungen/s "
              f"(p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms)")
    schleife, betraege_schleife = _schleife(faelle)
    wirkung, wirkung_mit_lesen, wirkung_gross, wirkung_gross_wand, betraege_wirkung = _wirkung(faelle, args.wirkung_anzahl)
    openfisca = _openfisca(faelle, args.im_prozess, betraege_schleife)
    abgebildet = [i for i, f in enumerate(faelle) if schleife_bildet_ab(f)]
    gleich = sum(betraege_schleife[i] == betraege_wirkung[i] for i in abgebildet)
    print(f"Schleife und Wirkung stimmen bei {gleich:,} von {len(abgebildet):,} Zahlbeträgen überein, die die Schleife "
          f"abbildet" + (" – ABWEICHUNG" if gleich != len(abgebildet) else "")
          + f"; {len(faelle) - len(abgebildet):,} Fälle nicht verglichen: eine Werkstattrechnung wurde nach dem 31. März "
          "des Folgejahres bezahlt, und die Schleife verschiebt diese Frist nicht nach § 193 BGB auf den nächsten "
          "Werktag (Wirkung und Entscheidung tun es)")
    print(f"Last nachher {_last()}")
    print()
    # ratios on one basis: CPU seconds (all processes of a run), so a shared machine's load cancels out
    print(f"| Implementierung ({args.anzahl:,} Arbeitgeber-Jahre 2002–2026, ein Lauf) | je Sekunde (Wanduhr) "
          "| je CPU-Sekunde | × im Prozess (CPU) |")
    print("|---|---:|---:|---:|")
    zeilen = [("`regelwerk decide cases.jsonl --format json` (alle Kerne, volle Begründung)", rate, args.anzahl / cpu),
              ("`regelwerk decide cases.jsonl --csv out.csv` (alle Kerne, nur Zusammenfassung)", rate_csv,
               args.anzahl / cpu_csv),
              ("im Prozess, entscheiden + JSON-Begründung (1 Kern)", im, im_cpu)]
    if vergleich:
        for ausgabe, was in (("json", "--format json"), ("csv", "--csv out.csv")):
            wand_alt, cpu_alt = vergleich.laeufe[("alt", ausgabe)]
            zeilen.append((f"`regelwerk decide cases.jsonl {was}` von {args.vergleich} (derselbe Lauf)", wand_alt,
                           args.anzahl / cpu_alt))
    zeilen += openfisca or [("OpenFisca (nicht installiert: `pip install -e '.[vergleich]'`), nicht gemessen", None, None)]
    zeilen += [("einfache Python-Schleife der Abgabeformel, ohne Begründung", None, schleife),
               ("Wirkung (`regelwerk wirkung`), NumPy, ohne Begründung, Jahr des Falls", None, wirkung),
               ("  dieselbe mit Aufbau der Spalten aus den Fällen", None, wirkung_mit_lesen),
               (f"  {args.wirkung_anzahl:,} Arbeitgeber-Jahre, Recht von 2024", wirkung_gross_wand, wirkung_gross)]

    def fmt(x: float | None) -> str:
        return f"{x:,.0f}" if x else "–"
    for name, wand, je_cpu in zeilen:
        print(f"| {name} | {fmt(wand)} | {fmt(je_cpu)} | {f'{je_cpu / im_cpu:,.2f}' if je_cpu else '–'} |")
    print(f"\nVerhältnisse: Wirkung / Schleife = {wirkung_gross / schleife:.1f}; Schleife / im Prozess (CPU) = {schleife / im_cpu:,.0f}; "
          f"Kommandozeile / im Prozess = {rate / im:.2f}; CSV / JSON = {rate_csv / rate:.2f}"
          + (f"; jetzt / {args.vergleich}: JSON {vergleich.faktor('json', cpu=True):.2f}-fach je CPU-Sekunde "
             f"({vergleich.faktor('json', cpu=False):.2f} Wanduhr, Ziel ≥ {ZIELE['json']:.0f}), CSV "
             f"{vergleich.faktor('csv', cpu=True):.2f}-fach je CPU-Sekunde ({vergleich.faktor('csv', cpu=False):.2f} "
             f"Wanduhr, Ziel ≥ {ZIELE['csv']:.0f})" if vergleich else ""))


if __name__ == "__main__":
    main()
