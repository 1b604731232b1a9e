"""Reading a caseload as a stream of jobs: folders of YAML/JSON files, JSON Lines, the levy CSV.

Nothing here holds a whole input in memory: files are named (a worker reads them),
JSON Lines and CSV are read line by line. A problem with one case (a CSV cell, a
broken line) becomes a job that carries its error, so it is reported at its place.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

from .adapter import FallFehler, Ort, RegelwerkFehler

ENDUNGEN = (".yaml", ".yml", ".json", ".jsonl", ".csv")
ZEILE_BYTES = 20 * 1024 * 1024  # one JSON Lines case at most (as a case file, see yamlquelle.GRENZEN)


@dataclass
class Auftrag:
    """One case to decide, as it travels to a worker process."""

    nr: int  # position in the input: results are written in this order
    quelle: str  # file as shown to users
    zeile: int | None = None  # first line of the case in that file (JSON Lines, CSV)
    datei: str | None = None  # a whole YAML/JSON file, read by the worker
    text: str | None = None  # one JSON line
    daten: dict | None = None  # a case built here (CSV), with
    positionen: dict | None = None  # the line and column of each field
    fehler: RegelwerkFehler | None = None  # a problem found while reading

    @property
    def name(self) -> str:
        """The case's name in results and receipts: file, or file:line for one line of a larger file."""
        return f"{self.quelle}:{self.zeile}" if self.zeile is not None and self.datei is None else self.quelle


def anzeigename(pfad: Path) -> str:
    try:
        return str(pfad.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(pfad)


def dateien(pfade: list[str]) -> Iterator[Path]:
    """The input files in order; folders give their YAML/JSON/JSONL/CSV files sorted by path."""
    for p in map(Path, pfade):
        if p.is_dir():
            yield from sorted(x for x in p.rglob("*") if x.suffix in ENDUNGEN and x.is_file())
        else:
            yield p


def auftraege(pfade: list[str]) -> Iterator[Auftrag]:
    nr = 0
    for pfad in dateien(pfade):
        name = anzeigename(pfad)
        if not pfad.exists():
            yield Auftrag(nr, name, fehler=FallFehler("Datei nicht gefunden", Ort(name), "Pfad prüfen"))
            nr += 1
            continue
        if pfad.suffix == ".jsonl":
            quelle = _json_zeilen(pfad, name, nr)
        elif pfad.suffix == ".csv":
            quelle = _csv_faelle(pfad, name, nr)
        else:
            quelle = iter([Auftrag(nr, name, datei=str(pfad))])
        for auftrag in quelle:
            yield auftrag
            nr = auftrag.nr + 1


def _json_zeilen(pfad: Path, name: str, nr: int) -> Iterator[Auftrag]:
    """One case per non-empty line; the text is parsed by the worker."""
    grenze = ZEILE_BYTES
    with pfad.open("rb") as f:
        zeile = 0
        while roh := f.readline(grenze + 1):
            zeile += 1
            if len(roh) > grenze and not roh.endswith(b"\n"):  # skip the rest of the line without holding it
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield Auftrag(nr, name, zeile, fehler=FallFehler(
                    f"Zeile ist zu groß (mehr als {grenze // (1024 * 1024)} MB)", Ort(name, zeile),
                    "einen Fall je Zeile; große Fälle aufteilen"))
                nr += 1
                continue
            if not roh.strip():
                continue
            try:
                text = roh.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Auftrag(nr, name, zeile, fehler=FallFehler(
                    f"Zeile ist nicht UTF-8-kodiert (Byte 0x{roh[exc.start]:02x})", Ort(name, zeile, exc.start + 1),
                    "Datei als UTF-8 speichern"))
            else:
                yield Auftrag(nr, name, zeile, text=text)
            nr += 1


# --- the levy CSV (one row per employer and month, the columns of the Anzeige) -------------

CSV_PFLICHT = ("betriebsnummer", "jahr", "monat", "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen",
               "besetzte_pflichtarbeitsplaetze")
CSV_FREI = ("name", "anschrift")
_MONATSFELDER = ("monat", "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen", "besetzte_pflichtarbeitsplaetze")


_GANZ = re.compile(r"-?[0-9]{1,30}")


def _zahl(text: str) -> Any:
    """A cell as whole number when it is one (`-1` too, so the schema can say what is allowed); otherwise the text,
    which the schema then rejects with its place."""
    t = text.strip()
    return int(t) if _GANZ.fullmatch(t) else t


def _csv_faelle(pfad: Path, name: str, nr: int) -> Iterator[Auftrag]:
    with pfad.open("r", encoding="utf-8-sig", newline="") as f:
        yield from csv_faelle(f, name, nr)


def csv_faelle(f: IO[str], name: str, nr: int = 0) -> Iterator[Auftrag]:
    """Consecutive rows with the same Betriebsnummer and year form one case (the Anzeige of one employer-year)."""
    try:
        kopfzeile = f.readline()
    except UnicodeDecodeError:
        yield Auftrag(nr, name, 1, fehler=FallFehler("Datei ist nicht UTF-8-kodiert", Ort(name, 1),
                                                      "Datei als UTF-8 speichern"))
        return
    trenner = ";" if kopfzeile.count(";") >= kopfzeile.count(",") else ","
    try:
        kopf = [k.strip().lower() for k in next(csv.reader(io.StringIO(kopfzeile, newline=""), delimiter=trenner), [])]
    except csv.Error:  # e.g. a carriage return inside the first line
        yield Auftrag(nr, name, 1, fehler=FallFehler(
            "Kopfzeile der CSV-Datei ist kein lesbares CSV (Zeilenumbruch oder Anführungszeichen mitten in der Zeile)",
            Ort(name, 1), "erste Zeile mit den Spaltennamen " + ", ".join(CSV_PFLICHT) + " (Trennzeichen ; oder ,)"))
        return
    fehlend = [k for k in CSV_PFLICHT if k not in kopf]
    unbekannt = [k for k in kopf if k not in CSV_PFLICHT + CSV_FREI]
    if fehlend or unbekannt:
        was = (f"Spalte `{unbekannt[0]}` ist unbekannt" if unbekannt else f"Spalte `{fehlend[0]}` fehlt")
        yield Auftrag(nr, name, 1, fehler=FallFehler(
            f"Kopfzeile der CSV-Datei: {was}", Ort(name, 1, (kopf.index(unbekannt[0]) + 1) if unbekannt else None),
            "erlaubt sind die Spalten " + ", ".join(CSV_PFLICHT + CSV_FREI) + " (Trennzeichen ; oder ,)"))
        return
    spalte = {k: i for i, k in enumerate(kopf)}
    leser = csv.reader(f, delimiter=trenner)
    gruppe: list[tuple[int, list[str]]] = []
    gesehen: set[tuple[str, str]] = set()
    zeile = 1

    def fall(gruppe: list[tuple[int, list[str]]], nr: int) -> Auftrag:
        erste, zellen = gruppe[0]
        schluessel = (zellen[spalte["betriebsnummer"]].strip(), zellen[spalte["jahr"]].strip())
        if schluessel in gesehen:
            return Auftrag(nr, name, erste, fehler=FallFehler(
                f"Betriebsnummer {schluessel[0]}, Jahr {schluessel[1]}: die Zeilen stehen nicht zusammen",
                Ort(name, erste, spalte["betriebsnummer"] + 1, "betriebsnummer"),
                "alle Monate eines Arbeitgebers und Jahres untereinander schreiben (Datei danach sortieren)"))
        gesehen.add(schluessel)
        arbeitgeber = {"betriebsnummer": schluessel[0]}
        pos: dict[tuple, tuple[int, int]] = {(): (erste, 1), ("jahr",): (erste, spalte["jahr"] + 1),
                                              ("arbeitgeber",): (erste, spalte["betriebsnummer"] + 1),
                                              ("monate",): (erste, spalte["monat"] + 1)}
        for k in CSV_FREI:
            if k in spalte and zellen[spalte[k]].strip():
                arbeitgeber[k] = zellen[spalte[k]].strip()
                pos[("arbeitgeber", k)] = (erste, spalte[k] + 1)
        monate = []
        for i, (z, reihe) in enumerate(gruppe):
            monat = {}
            pos[("monate", i)] = (z, 1)
            for feld in _MONATSFELDER:
                wert = reihe[spalte[feld]]
                if wert.strip():
                    monat[feld] = _zahl(wert)
                    pos[("monate", i, feld)] = (z, spalte[feld] + 1)
            monate.append(monat)
        daten = {"art": "ausgleichsabgabe", "jahr": _zahl(schluessel[1]), "arbeitgeber": arbeitgeber, "monate": monate}
        return Auftrag(nr, name, erste, daten=daten, positionen=pos)

    gruppen_fehler: RegelwerkFehler | None = None  # a broken row makes its whole employer-year fail

    def zeilen() -> Iterator[list[str]]:
        """The rows; a row the csv module cannot read (e.g. a cell over its size limit) becomes a row that the
        column count check reports."""
        while True:
            try:
                yield next(leser)
            except StopIteration:
                return
            except csv.Error as exc:
                yield [f"\x00{exc}"]

    for zellen in zeilen():
        zeile = leser.line_num + 1  # the header was read before the reader started
        if len(zellen) == 1 and zellen[0].startswith("\x00"):
            gruppen_fehler = gruppen_fehler or FallFehler(
                "Zeile ist kein lesbares CSV (Anführungszeichen nicht geschlossen oder Zelle zu lang)", Ort(name, zeile),
                "Anführungszeichen prüfen; Zellen kürzer als 128 KB")
            if not gruppe:
                gruppe.append((zeile, [""] * len(kopf)))
            continue
        if not any(z.strip() for z in zellen):
            continue
        if len(zellen) != len(kopf):
            gruppen_fehler = gruppen_fehler or FallFehler(
                f"Zeile hat {len(zellen)} statt {len(kopf)} Spalten", Ort(name, zeile),
                f"Trennzeichen `{trenner}` prüfen; Texte mit `{trenner}` in Anführungszeichen setzen")
            if not gruppe:
                gruppe.append((zeile, zellen))
            continue
        if gruppe and len(gruppe[0][1]) == len(kopf) and \
                (zellen[spalte["betriebsnummer"]].strip(), zellen[spalte["jahr"]].strip()) != \
                (gruppe[0][1][spalte["betriebsnummer"]].strip(), gruppe[0][1][spalte["jahr"]].strip()):
            yield fall(gruppe, nr) if gruppen_fehler is None else Auftrag(nr, name, gruppe[0][0], fehler=gruppen_fehler)
            nr += 1
            gruppe, gruppen_fehler = [], None
        gruppe.append((zeile, zellen))
    if gruppe:
        yield fall(gruppe, nr) if gruppen_fehler is None else Auftrag(nr, name, gruppe[0][0], fehler=gruppen_fehler)
