"""What one worker process does: its own rulebook and rule engine, a chunk of jobs in, results out.

The rulebook is loaded once per process (or inherited at fork, before any rule engine
exists); the durable-rules engine starts in the worker on its first decision, so no
two processes or threads ever share it.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import adapter
from .adapter import FallFehler, Ort, RegelwerkFehler
from .ausgabe import JsonSchreiber, csv_fehlerzeile, csv_zeile, fehler_bescheid, fehler_daten, fehler_text
from .eingabe import Auftrag

_dumps = json.JSONEncoder(ensure_ascii=False).encode


@dataclass
class Ausgaben:
    """Which outputs a run writes (the same in every worker)."""

    jsonl: bool = True  # one JSON line per case (decision or error record)
    kompakt: bool = False  # quoted wording by anchor, in a dictionary per output
    format: str = "json"  # text | md | html: the Bescheid on standard output instead of JSON
    csv: bool = False  # one summary row per case
    bescheide: str | None = None  # folder for one Bescheid file per case
    bescheid_format: str = "md"
    site_url: str = ""
    ergebnisfelder: list[str] = field(default_factory=list)  # columns of the CSV summary
    # a folder for the main output of each chunk (set by the batch run): a worker writes the chunk's bytes to a
    # file of its own there and the main process has the kernel copy them into the output (`lauf._uebernimm`),
    # instead of the bytes crossing a pipe and being copied four times in user space
    ablage: str | None = None


@dataclass
class Resultat:
    nr: int
    ok: bool
    text: str | None = None  # JSON line or rendered Bescheid for standard output
    utf8: bytes | None = None  # or the JSON line of a decision with its line break, already encoded
    csv: list[str] | None = None
    meldung: str | None = None  # the error as the command line prints it
    saetze: dict[str, str] | None = None  # quoted sentences this worker sends for the first time (compact form)
    intern: bool = False  # an internal error (a bug), not bad input


class Arbeiter:
    def __init__(self, rw: adapter.Regelwerk, ausgaben: Ausgaben):
        self.rw = rw
        self.aus = ausgaben
        self.schreiber = JsonSchreiber()
        self._gesendet: set[str] = set()  # sentence keys already sent to the writer

    # --- reading one case ----------------------------------------------------------------

    def fall(self, a: Auftrag) -> Any:
        """The checked case of a job (raises `RegelwerkFehler` with file, line, column and field path)."""
        if a.fehler is not None:
            raise a.fehler
        if a.daten is not None:  # CSV: the positions of the cells are known
            fall = self.rw.pruefe(adapter.fall_mit_positionen(a.daten, a.quelle, a.positionen or {}))
        elif a.text is not None:  # one JSON line
            fall = self._json(a.text, a.quelle, a.zeile or 1)
        elif a.datei is not None and a.datei.endswith(".json"):
            pfad = Path(a.datei)
            fall = self._json(adapter.lies_text(pfad, a.quelle), a.quelle, 1)
        else:  # YAML: the loader keeps positions itself
            fall = self.rw.pruefe(adapter.lies_fall(Path(a.datei)))
        fall.datei = a.name
        return fall

    def _json(self, text: str, quelle: str, zeile: int) -> Any:
        """JSON read and checked fast; only a bad case is read again with positions, for line and column."""
        eingabe = adapter.fall_aus_json(text, quelle, zeile)
        try:
            return self.rw.pruefe(eingabe)
        except RegelwerkFehler:
            if set(eingabe.dokument.positionen) - {()}:
                raise  # already read with positions
        return self.rw.pruefe(adapter.mit_positionen(text, quelle, zeile))  # raises with the place

    # --- one case, all outputs -------------------------------------------------------------

    def bearbeite(self, a: Auftrag) -> Resultat:
        try:
            e = self.rw.entscheide(self.fall(a))
        except RecursionError:  # a pathologically deep document that got past the readers
            return self._fehler(a, FallFehler("Eingabe zu tief verschachtelt", Ort(a.quelle, a.zeile), "Struktur flacher anlegen"))
        except RegelwerkFehler as exc:
            if exc.ort is None:
                exc.ort = Ort(a.quelle, a.zeile)
            return self._fehler(a, exc)
        except Exception as exc:  # noqa: BLE001 -- a bug shown with one case must not stop the others (exit code 3)
            if os.environ.get("REGELWERK_DEBUG"):
                traceback.print_exc()
            r = self._fehler(a, RegelwerkFehler(f"interner Fehler: {type(exc).__name__}: {exc}", Ort(a.quelle, a.zeile),
                                                "mit REGELWERK_DEBUG=1 erneut aufrufen und den Fehler melden"))
            r.intern = True
            return r
        r = Resultat(a.nr, True)
        aus = self.aus
        if aus.jsonl:
            if aus.format != "json":
                r.text = adapter.rendere(e, aus.format, site_url=aus.site_url)
            elif aus.kompakt:
                saetze: dict[str, str] = {}
                r.utf8 = self.schreiber.json_utf8(e, kompakt=True, saetze=saetze, ende="\n")
                neu = {k: v for k, v in saetze.items() if k not in self._gesendet}
                if neu:
                    self._gesendet.update(neu)
                    r.saetze = neu
            else:
                r.utf8 = self.schreiber.json_utf8(e, ende="\n")
        if aus.csv:
            r.csv = csv_zeile(e, a.quelle, a.zeile, aus.ergebnisfelder)
        if aus.bescheide:
            ziel = Path(aus.bescheide) / f"{dateiname(a)}.{aus.bescheid_format}"
            try:
                ziel.write_text(adapter.rendere(e, aus.bescheid_format, site_url=aus.site_url), encoding="utf-8")
            except OSError as exc:  # a full disk, no rights: this case's Bescheid is missing, the others go on
                return self._fehler(a, RegelwerkFehler(f"Bescheid kann nicht geschrieben werden: {adapter.os_text(exc)}",
                                                       Ort(str(ziel)), "Ordner, Rechte und freien Platz prüfen"))
        return r

    def _fehler(self, a: Auftrag, exc: RegelwerkFehler) -> Resultat:
        r = Resultat(a.nr, False, meldung=fehler_text(exc))
        if self.aus.jsonl:  # the error record at the case's place in the output
            r.text = (_dumps(fehler_daten(exc, a.quelle, a.zeile)) if self.aus.format == "json"
                      else fehler_bescheid(exc, self.aus.format))
        if self.aus.csv:
            r.csv = csv_fehlerzeile(exc, a.quelle, a.zeile, self.aus.ergebnisfelder)
        return r

    def bearbeite_stueck(self, stueck: list[Auftrag]) -> "Stueck":
        """A chunk of jobs with its outputs joined: one string per output crosses the process boundary."""
        texte: list[str] = []
        zeilen_json: list[bytes] = []  # JSON Lines, each encoded as soon as it is written (its text is freed at once)
        zeilen = io.StringIO()
        tabelle = csv.writer(zeilen, delimiter=";", lineterminator="\n") if self.aus.csv else None
        ergebnis = Stueck()
        saetze: dict[str, str] = {}
        for a in stueck:
            r = self.bearbeite(a)
            if r.ok:
                ergebnis.entschieden += 1
            else:
                ergebnis.fehlerhaft += 1
                ergebnis.intern = ergebnis.intern or r.intern
                ergebnis.meldungen.append(r.meldung or "")
            if r.saetze:
                saetze.update(r.saetze)
            if r.utf8 is not None:
                zeilen_json.append(r.utf8)
            elif r.text is not None and self.aus.format == "json":
                zeilen_json.append((r.text + "\n").encode("utf-8"))
            elif r.text is not None:
                texte.append(r.text if r.text.endswith("\n") else r.text + "\n")
            if tabelle is not None and r.csv is not None:
                tabelle.writerow(r.csv)
        # encoded here, in parallel: the main process writes the bytes as they are
        if self.aus.format == "json":  # no string of the whole chunk (megabytes of fresh pages) is built first
            ergebnis.text = b"".join(zeilen_json)
        else:  # Bescheide one after another, as `decide` prints them
            ergebnis.text = TRENNER[self.aus.format].join(texte).encode("utf-8")
        ergebnis.csv = zeilen.getvalue()
        ergebnis.saetze = saetze or None
        return ergebnis


TRENNER = {"text": "\n" + "-" * 72 + "\n\n", "md": "\n---\n\n", "html": "\n---\n\n"}


@dataclass
class Stueck:
    """The outputs of a chunk of cases, in input order."""

    text: bytes = b""  # JSON Lines, or Bescheide separated by `TRENNER` (UTF-8)
    csv: str = ""  # summary rows
    entschieden: int = 0
    fehlerhaft: int = 0
    meldungen: list[str] = field(default_factory=list)  # errors as the command line prints them
    saetze: dict[str, str] | None = None  # compact form: quoted sentences this worker sends for the first time
    intern: bool = False  # an internal error (a bug) happened
    ablage: str | None = None  # or the file (in `Ausgaben.ablage`) that holds `text`; the main process deletes it


_abgelegt = 0  # chunks this process has put down in the folder `Ausgaben.ablage`


def lege_ab(st: Stueck, ordner: str) -> Stueck:
    """Move a chunk's main output from `text` into a new file in `ordner` (named by process and count, so no two
    workers share one). When the file cannot be written (a full temporary disk), the output stays in `text` and goes
    through the pipe as without the folder."""
    global _abgelegt
    _abgelegt += 1
    pfad = os.path.join(ordner, f"{os.getpid()}-{_abgelegt}")
    try:
        with open(pfad, "wb") as datei:
            datei.write(st.text)
    except OSError:
        try:
            os.unlink(pfad)
        except OSError:
            pass
        return st
    st.ablage, st.text = pfad, b""
    return st


_UNERLAUBT = re.compile(r"[^A-Za-z0-9ÄÖÜäöüß_.-]+")
NAME_BYTES = 120  # the readable part of a Bescheid's file name (file systems allow 255 bytes)


def dateiname(a: Auftrag) -> str:
    """File name of a case's Bescheid: its position in the input (unique within a run, so no two cases share a file
    and the files sort in input order), then the input's name, with the line or the employer and year for cases
    inside a larger file; at most `NAME_BYTES` bytes of the readable part."""
    stamm = Path(a.quelle).with_suffix("").as_posix().replace("/", "_")
    if a.daten is not None:  # CSV: employer and year say more than the line
        stamm += f"-{a.daten['arbeitgeber']['betriebsnummer']}-{a.daten['jahr']}"
    elif a.zeile is not None:
        stamm += f"-zeile-{a.zeile}"
    stamm = _UNERLAUBT.sub("_", stamm).strip("_.")
    while len(stamm.encode("utf-8")) > NAME_BYTES:
        stamm = stamm[:-1]
    return f"{a.nr + 1:05d}-{stamm or 'fall'}"


# --- the process-global worker of a pool --------------------------------------------------

_arbeiter: Arbeiter | None = None
_vorgeladen: adapter.Regelwerk | None = None  # set in the parent before fork: workers inherit it


def starte(wurzel: str | None, ausgaben: Ausgaben, motor: str = "durable") -> None:
    """Pool initializer: one worker per process, with the inherited or a freshly loaded rulebook."""
    global _arbeiter
    rw = _vorgeladen if _vorgeladen is not None else adapter.lade_regelwerk(wurzel, motor=motor)
    _arbeiter = Arbeiter(rw, ausgaben)


def bearbeite_stueck(stueck: list[Auftrag]) -> Stueck:
    assert _arbeiter is not None, "Arbeiter nicht gestartet"
    st = _arbeiter.bearbeite_stueck(stueck)
    ordner = _arbeiter.aus.ablage
    return lege_ab(st, ordner) if ordner is not None and st.text else st
