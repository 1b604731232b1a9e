"""Running a caseload: jobs stream to worker processes in chunks, results come back in input order.

At most a few chunks per worker are in flight, so memory stays flat however large the
input is. Progress goes to stderr (after one second, when stderr is a terminal or
progress is asked for), a summary line at the end; the exit code says whether all cases
were decided (0), at least one was bad input (2) or an internal error happened with a case (3;
the other cases are still decided).
"""
from __future__ import annotations

import csv
import gc
import itertools
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator

from . import adapter, arbeiter
from .arbeiter import Ausgaben, Stueck
from .ausgabe import csv_kopf
from .eingabe import Auftrag, auftraege

_dumps = arbeiter._dumps


@dataclass
class Optionen:
    format: str = "json"
    format_angegeben: bool = False  # --format given: the main output is written next to --csv/--bescheide files
    kompakt: bool = False
    ausgabe: str | None = None  # JSON Lines file ("-" or None: standard output)
    csv: str | None = None  # CSV summary file ("-": standard output)
    bescheide: str | None = None
    bescheid_format: str = "md"
    site_url: str = ""
    jobs: int | None = None  # None: all cores
    fortschritt: bool | None = None  # None: when stderr is a terminal
    stueck: int = 64  # cases per chunk sent to a worker


@dataclass
class Bilanz:
    entschieden: int = 0
    fehlerhaft: int = 0
    dauer: float = 0.0

    @property
    def faelle(self) -> int:
        return self.entschieden + self.fehlerhaft

    def zeile(self) -> str:
        """The summary line: `120 Fälle: 119 entschieden, 1 fehlerhaft (2,5 s, 48 Fälle/s)`."""
        text = (f"{_zahl(self.faelle)} {'Fall' if self.faelle == 1 else 'Fälle'}: {_zahl(self.entschieden)} entschieden, "
                f"{_zahl(self.fehlerhaft)} fehlerhaft")
        if self.dauer >= 1:
            text += f" ({adapter.zahl(round(Decimal(self.dauer), 1), 1)} s, {_zahl(round(self.faelle / self.dauer))} Fälle/s)"
        return text


def _zahl(n: int) -> str:
    return adapter.zahl(n)


def kerne() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _stuecke(quelle: Iterable[Auftrag], groesse: int) -> Iterator[list[Auftrag]]:
    it = iter(quelle)
    while stueck := list(itertools.islice(it, groesse)):
        yield stueck


def _resultate(stuecke: Iterator[list[Auftrag]], jobs: int, wurzel: str | None, ausgaben: Ausgaben,
               rw: adapter.Regelwerk) -> Iterator[Stueck]:
    """Results in input order; with jobs > 1 and more than one chunk of cases from a pool of worker processes."""
    erstes = next(stuecke, None)
    if erstes is None:
        return
    zweites = next(stuecke, None) if jobs > 1 else None
    if zweites is None:  # a small run (or --jobs 1): in this process, no workers to start
        a = arbeiter.Arbeiter(rw, ausgaben)
        for stueck in itertools.chain([erstes], stuecke):
            yield a.bearbeite_stueck(stueck)
        return
    # fork: the workers inherit the loaded rulebook (no rule engine exists yet in this process)
    methode = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    arbeiter._vorgeladen = rw if methode == "fork" else None
    kontext = multiprocessing.get_context(methode)
    if methode == "fork":
        # the inherited rulebook is never collected in the workers: out of the collector's sight, its pages
        # stay shared with this process instead of being copied when a collection touches them
        gc.freeze()
    try:
        with kontext.Pool(jobs, initializer=arbeiter.starte, initargs=(wurzel, ausgaben, rw.motor)) as pool:
            unterwegs: deque = deque()
            for stueck in itertools.chain([erstes, zweites], stuecke):
                unterwegs.append(pool.apply_async(arbeiter.bearbeite_stueck, (stueck,)))
                if len(unterwegs) >= 3 * jobs:  # bounded: the input is read only as fast as workers decide
                    yield unterwegs.popleft().get()
            while unterwegs:
                yield unterwegs.popleft().get()
    finally:
        arbeiter._vorgeladen = None
        if methode == "fork":
            gc.unfreeze()


def geschaetzte_faelle(pfade: list[str]) -> int | None:
    """How many cases the inputs hold, where that is cheap to know (a line count of JSON Lines, files in a folder,
    one per case file), so that the progress shows the remaining time; None for the levy CSV (employers span
    several rows) or anything unreadable."""
    gesamt = 0
    for p in pfade:
        pfad = Path(p)
        try:
            if pfad.is_dir():
                gesamt += sum(1 for d in pfad.rglob("*") if d.suffix in (".yaml", ".yml", ".json") and d.is_file())
            elif not pfad.is_file():
                return None  # standard input, a FIFO, a device: not read twice
            elif pfad.suffix == ".jsonl":
                with pfad.open("rb") as f:
                    zeilen = ende = 0
                    while block := f.read(1 << 20):
                        zeilen += block.count(b"\n")
                        ende = block[-1]
                    gesamt += zeilen + (1 if ende not in (0, 10) else 0)
            elif pfad.suffix == ".csv":
                return None
            else:
                gesamt += 1
        except OSError:
            return None
    return gesamt


class _Fortschritt:
    def __init__(self, an: bool, pfade: list[str] | None = None):
        self.balken = None
        if an:
            from tqdm import tqdm
            self.balken = tqdm(unit=" Fälle", file=sys.stderr, delay=1.0, dynamic_ncols=True, smoothing=0.1,
                               desc="entschieden", total=geschaetzte_faelle(pfade or []))

    def weiter(self, n: int = 1) -> None:
        if self.balken is not None:
            self.balken.update(n)

    def schreibe(self, text: str) -> None:
        if self.balken is not None:
            self.balken.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def ende(self) -> None:
        if self.balken is not None:
            self.balken.close()


def _utf8_puffer(aus: IO[str]) -> bool:
    """Whether a text stream writes UTF-8 into a binary buffer (files, standard output), so bytes can go there."""
    return getattr(aus, "buffer", None) is not None and \
        (getattr(aus, "encoding", "") or "").lower().replace("-", "") == "utf8"


def _schreibe_bytes(aus: IO[str], daten: bytes) -> None:
    """Write UTF-8 bytes to a text stream: to its binary buffer when it has one (files, standard output)."""
    if _utf8_puffer(aus):
        aus.flush()
        aus.buffer.write(daten)
    else:
        aus.write(daten.decode("utf-8"))


def _uebernimm(aus: IO[str], pfad: str) -> None:
    """Append the file a worker put down (`arbeiter.lege_ab`) to the output and delete it: the kernel copies the
    bytes (sendfile), none pass through this process."""
    aus.flush()
    ziel = aus.fileno()
    with open(pfad, "rb") as quelle:
        rest, position = os.fstat(quelle.fileno()).st_size, 0
        while rest > 0:
            n = os.sendfile(ziel, quelle.fileno(), position, rest)
            if n == 0:  # the file is shorter than it was: it cannot be, but never loop forever
                raise OSError(f"{pfad}: Ablage unvollständig")
            position += n
            rest -= n
    os.unlink(pfad)


def _ablage(aus: IO[str] | None, jobs: int) -> str | None:
    """A new temporary folder where workers put their output down for the kernel to copy, when that is possible:
    several workers, Linux (sendfile into any file or pipe), an output in UTF-8 with a file descriptor (not a test's
    StringIO, not a terminal set to another encoding) and a writable temporary folder; else None (the bytes come
    through the pool's pipe)."""
    if aus is None or jobs < 2 or not sys.platform.startswith("linux") or not hasattr(os, "sendfile") \
            or not _utf8_puffer(aus):
        return None
    try:
        aus.fileno()
        return tempfile.mkdtemp(prefix="regelwerk-ablage-")
    except (OSError, AttributeError, ValueError):
        return None


def _oeffne(ziel: str | None, stdout: IO[str]) -> tuple[IO[str], bool]:
    if ziel in (None, "-"):
        return stdout, False
    pfad = Path(ziel)
    pfad.parent.mkdir(parents=True, exist_ok=True)
    return pfad.open("w", encoding="utf-8", newline=""), True


def entscheide_stapel(pfade: list[str], opt: Optionen, wurzel: str | None = None,
                      stdout: IO[str] | None = None, rw: adapter.Regelwerk | None = None) -> tuple[int, Bilanz]:
    """Decide every case of the inputs; returns (exit code, counts). Raises only for an unusable rulebook."""
    stdout = stdout or sys.stdout
    start = time.perf_counter()
    rw = rw or adapter.lade_regelwerk(wurzel)
    felder = list(dict.fromkeys(f for art in rw.arten() for f in rw.ergebnisfelder(art)))
    # JSON Lines (or Bescheide in text form) go to standard output unless only other outputs were asked for
    # the main output (Bescheide or JSON Lines): unless only other outputs were asked for, and never mixed with a CSV
    # summary on standard output
    jsonl = opt.ausgabe is not None or (opt.csv is None and not opt.bescheide) or \
        (opt.format_angegeben and opt.csv != "-")
    ausgaben = Ausgaben(jsonl=jsonl, kompakt=opt.kompakt, format=opt.format, csv=opt.csv is not None,
                        bescheide=opt.bescheide, bescheid_format=opt.bescheid_format, site_url=opt.site_url,
                        ergebnisfelder=felder)
    if opt.bescheide:
        Path(opt.bescheide).mkdir(parents=True, exist_ok=True)
    jobs = max(1, opt.jobs if opt.jobs else kerne())
    fehlend = [p for p in pfade if p != "-" and not os.path.lexists(p)]
    if pfade and len(fehlend) == len(pfade):
        # nothing to read at all: say so, and leave no output file behind (a README example once did)
        for p in fehlend:
            print(f"{p}: fehler: Datei oder Ordner nicht gefunden\n  = hilfe: Pfad prüfen", file=sys.stderr)
        return 2, Bilanz(fehlerhaft=len(fehlend))
    aus, aus_schliessen = _oeffne(opt.ausgabe, stdout) if jsonl else (None, False)
    tabelle, tabelle_schliessen = _oeffne(opt.csv, stdout) if opt.csv is not None else (None, False)
    if tabelle is not None:
        csv.writer(tabelle, delimiter=";", lineterminator="\n").writerow(csv_kopf(felder))
    fortschritt = _Fortschritt(sys.stderr.isatty() if opt.fortschritt is None else opt.fortschritt, pfade)
    ausgaben.ablage = ablage = _ablage(aus, jobs)
    bilanz = Bilanz()
    erster = True
    geschrieben: set[str] = set()  # compact form: sentences already in the output
    intern = False
    try:
        for st in _resultate(_stuecke(auftraege(pfade), opt.stueck), jobs, wurzel, ausgaben, rw):
            bilanz.entschieden += st.entschieden
            bilanz.fehlerhaft += st.fehlerhaft
            intern = intern or st.intern
            for meldung in st.meldungen:
                fortschritt.schreibe(meldung)
            if aus is not None and (st.text or st.ablage):
                if st.saetze:  # the sentences a chunk cites for the first time come before it
                    neu = {k: v for k, v in st.saetze.items() if k not in geschrieben}
                    if neu:
                        geschrieben.update(neu)
                        aus.write(_dumps({"saetze": neu}) + "\n")
                if opt.format != "json" and not erster:
                    aus.write(arbeiter.TRENNER[opt.format])
                if st.ablage:
                    _uebernimm(aus, st.ablage)
                else:
                    _schreibe_bytes(aus, st.text)
                erster = False
            if tabelle is not None and st.csv:
                tabelle.write(st.csv)
            fortschritt.weiter(st.entschieden + st.fehlerhaft)
    finally:
        if ablage is not None:
            shutil.rmtree(ablage, ignore_errors=True)
        fortschritt.ende()
        for datei, schliessen in ((aus, aus_schliessen), (tabelle, tabelle_schliessen)):
            if datei is not None:
                datei.close() if schliessen else datei.flush()
    bilanz.dauer = time.perf_counter() - start
    return (3 if intern else 2 if bilanz.fehlerhaft else 0), bilanz


def lies_optionen(args) -> Optionen:
    """Options from parsed command-line arguments (see `registriere_optionen`)."""
    return Optionen(format=getattr(args, "format", None) or "text", format_angegeben=getattr(args, "format", None) is not None,
                    kompakt=getattr(args, "kompakt", False),
                    ausgabe=getattr(args, "ausgabe", None), csv=getattr(args, "csv", None),
                    bescheide=getattr(args, "bescheide", None), bescheid_format=getattr(args, "bescheid_format", "md"),
                    site_url=getattr(args, "site_url", "") or "", jobs=getattr(args, "jobs", None),
                    fortschritt=getattr(args, "fortschritt", None))


def _anzahl(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 1024:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Zahl von Prozessen (1 bis 1024)")
    return int(text)


def registriere_optionen(p) -> None:
    """The batch options of `regelwerk decide`."""
    p.add_argument("--jobs", "-j", type=_anzahl, metavar="N", help="Arbeitsprozesse (Standard: alle Kerne)")
    p.add_argument("--ausgabe", "-o", metavar="DATEI", help="JSON Lines in diese Datei statt auf die Standardausgabe")
    p.add_argument("--csv", metavar="DATEI", help="Zusammenfassung als CSV (eine Zeile je Fall; - für die Standardausgabe)")
    p.add_argument("--bescheide", metavar="ORDNER", help="je Fall einen Bescheid in diesen Ordner schreiben")
    p.add_argument("--bescheid-format", choices=("md", "html"), default="md", help="Format der Bescheide (Standard: md)")
    p.add_argument("--kompakt", action="store_true",
                   help="Begründung kompakt: Wortlaut nur einmal je Satz in einem Wörterbuch (`saetze`)")
    gruppe = p.add_mutually_exclusive_group()
    gruppe.add_argument("--fortschritt", dest="fortschritt", action="store_true", default=None,
                        help="Fortschritt auf stderr anzeigen (Standard: nur im Terminal)")
    gruppe.add_argument("--still", dest="fortschritt", action="store_false", help="keinen Fortschritt anzeigen")
