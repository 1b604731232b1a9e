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

from .adapter import FallFehler, Ort, RegelwerkFehler, groesse, oeffne_datei, os_text

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
    except (ValueError, OSError, RuntimeError):  # outside the working directory; a symlink loop; a name too long
        return str(pfad)


def dateien(pfade: list[str]) -> Iterator[Path | FallFehler]:
    """The input files in order; folders give their YAML/JSON/JSONL/CSV entries sorted by path (entries that are
    not regular files too: the reader reports them). A folder that cannot be listed gives its error."""
    for p in map(Path, pfade):
        try:
            ordner = p.is_dir()
        except (OSError, ValueError):  # a name too long, a NUL byte: the reader says what is wrong
            ordner = False
        if not ordner:
            yield p
            continue
        try:
            yield from sorted(x for x in p.rglob("*") if x.suffix in ENDUNGEN and not _ist_ordner(x))
        except (OSError, RuntimeError) as exc:
            name = anzeigename(p)
            yield FallFehler(f"Ordner kann nicht gelesen werden: {os_text(exc) if isinstance(exc, OSError) else 'Verknüpfung im Kreis'}",
                             Ort(name), "Pfad und Rechte prüfen")


def _ist_ordner(x: Path) -> bool:
    try:
        return x.is_dir()
    except OSError:
        return False


def auftraege(pfade: list[str]) -> Iterator[Auftrag]:
    """Every case of the inputs, in order: a job to decide, or a job carrying the error found while reading.
    Nothing here raises for bad input: an input that cannot be read is one error record at its place."""
    nr = 0
    for pfad in dateien(pfade):
        if isinstance(pfad, FallFehler):
            yield Auftrag(nr, pfad.ort.datei if pfad.ort else "?", fehler=pfad)
            nr += 1
            continue
        name = anzeigename(pfad)
        if pfad.suffix == ".jsonl":
            quelle = _json_zeilen(pfad, name, nr)
        elif pfad.suffix == ".csv":
            quelle = _csv_faelle(pfad, name, nr)
        else:  # a YAML or JSON file: read by the worker, with the same checks (lies_text)
            quelle = iter([Auftrag(nr, name, datei=str(pfad))])
        for auftrag in quelle:
            yield auftrag
            nr = auftrag.nr + 1


def _oeffne(pfad: Path, name: str, nr: int, art: str) -> tuple[IO[bytes] | None, Auftrag | None]:
    """The file opened for reading, or the job with the error (no such file, no rights, a FIFO or device, ...)."""
    try:
        return oeffne_datei(pfad, name, f"eine {art}-Datei angeben"), None
    except RegelwerkFehler as exc:
        return None, Auftrag(nr, name, fehler=exc)


def _json_zeilen(pfad: Path, name: str, nr: int) -> Iterator[Auftrag]:
    """One case per non-empty line; the text is parsed by the worker."""
    f, fehler = _oeffne(pfad, name, nr, "JSON-Lines")
    if f is None:
        yield fehler  # type: ignore[misc]
        return
    leer = True
    with f:
        for zeile, roh in _zeilen(f, ZEILE_BYTES):
            leer = False if roh is None or isinstance(roh, OSError) or roh.strip() else leer
            if roh is None:
                yield Auftrag(nr, name, zeile, fehler=FallFehler(
                    f"Zeile ist zu groß (mehr als {groesse(ZEILE_BYTES)})", Ort(name, zeile),
                    "einen Fall je Zeile; große Fälle aufteilen"))
                nr += 1
                continue
            if isinstance(roh, OSError):
                yield Auftrag(nr, name, zeile, fehler=FallFehler(
                    f"Datei kann ab dieser Zeile nicht gelesen werden: {os_text(roh)}", Ort(name, zeile), "Datenträger prüfen"))
                return
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
    if leer:  # as a header-only CSV: the input is named, not silently passed over
        yield Auftrag(nr, name, 1, fehler=FallFehler("JSON-Lines-Datei enthält keinen Fall (sie ist leer)", Ort(name, 1),
                                                      "je Zeile einen Fall als JSON-Objekt angeben"))


def _zeilen(f: IO[bytes], grenze: int) -> Iterator[tuple[int, bytes | OSError | None]]:
    """(line number, bytes) of a binary stream, each line read with at most `grenze` bytes in memory; None for a line
    over the limit (its rest is skipped without being held), an OSError when reading fails (then the stream ends)."""
    zeile = 0
    while True:
        try:
            roh = f.readline(grenze + 1)
        except OSError as exc:
            yield zeile + 1, exc
            return
        if not roh:
            return
        zeile += 1
        if len(roh) > grenze and not roh.endswith(b"\n"):
            try:
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
            except OSError as exc:
                yield zeile, exc
                return
            yield zeile, None
            continue
        yield zeile, roh


# --- the levy CSV (one row per employer and month, the columns of the Anzeige) -------------

CSV_PFLICHT = ("betriebsnummer", "jahr", "monat", "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen",
               "besetzte_pflichtarbeitsplaetze")
CSV_FREI = ("name", "anschrift")
_MONATSFELDER = ("monat", "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen", "besetzte_pflichtarbeitsplaetze")


_GANZ = re.compile(r"-?[0-9]{1,30}")  # ASCII digits only: "١٢" or "12\n" stay text, which the schema rejects
CSV_ZEILE_BYTES = 1024 * 1024  # one CSV row at most
csv.field_size_limit(128 * 1024)


def _zahl(text: str) -> Any:
    """A cell as whole number when it is one (`-1` too, so the schema can say what is allowed); otherwise the text,
    which the schema then rejects with its place."""
    t = text.strip(" \t")
    return int(t) if _GANZ.fullmatch(t) else t


def _csv_faelle(pfad: Path, name: str, nr: int) -> Iterator[Auftrag]:
    f, fehler = _oeffne(pfad, name, nr, "CSV")
    if f is None:
        yield fehler  # type: ignore[misc]
        return
    with f:
        yield from csv_faelle(f, name, nr)


@dataclass
class _Reihe:
    """One row of the levy CSV as read: its cells, or what is wrong with it."""

    zeile: int
    zellen: list[str] | None  # None: the row could not be read as CSV
    schluessel: tuple[str, str] | None  # (Betriebsnummer, Jahr), also guessed for a broken row; None: unknown
    fehler: FallFehler | None = None


def csv_faelle(f: IO[bytes] | IO[str], name: str, nr: int = 0) -> Iterator[Auftrag]:
    """The cases of a levy CSV: consecutive rows with the same Betriebsnummer and year form one case (the Anzeige of
    one employer-year).

    Read row by row with a bounded line (`CSV_ZEILE_BYTES`), each row decoded on its own, so one bad row (bytes that
    are not UTF-8, an unclosed quote, too few cells) is an error record of its employer-year at its own line and
    never takes the employers before or after it along. A row holds one record: a line break inside quotes is not
    part of the Anzeige's format.
    """
    if isinstance(f, io.TextIOBase):  # a text body (the server): read as the bytes of a file
        f = io.BytesIO(f.read().encode("utf-8", "surrogatepass"))
    zeilen = _zeilen(f, CSV_ZEILE_BYTES)  # type: ignore[arg-type]
    erste = next(zeilen, None)
    kopf_hilfe = "erste Zeile mit den Spaltennamen " + ", ".join(CSV_PFLICHT) + " (Trennzeichen ; oder ,)"
    if erste is None or not isinstance(erste[1], bytes) or not erste[1].strip():
        yield Auftrag(nr, name, 1, fehler=FallFehler("CSV-Datei ist leer: die Kopfzeile fehlt", Ort(name, 1), kopf_hilfe))
        return
    roh = erste[1]
    while roh.startswith(b"\xef\xbb\xbf"):  # byte order marks (also doubled by a second conversion)
        roh = roh[3:]
    try:
        kopfzeile = roh.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        yield Auftrag(nr, name, 1, fehler=FallFehler(f"Kopfzeile ist nicht UTF-8-kodiert (Byte 0x{roh[exc.start]:02x})",
                                                      Ort(name, 1, exc.start + 1), "Datei als UTF-8 speichern"))
        return
    trenner = ";" if kopfzeile.count(";") >= kopfzeile.count(",") else ","
    try:
        kopf = [k.strip().lstrip("\ufeff").lower() for k in next(csv.reader([kopfzeile], delimiter=trenner, strict=True), [])]
    except csv.Error:  # e.g. a carriage return inside the first line, a cell over the size limit
        yield Auftrag(nr, name, 1, fehler=FallFehler(
            "Kopfzeile der CSV-Datei ist kein lesbares CSV (Zeilenumbruch oder Anführungszeichen mitten in der Zeile)",
            Ort(name, 1), kopf_hilfe))
        return
    fehlend = [k for k in CSV_PFLICHT if k not in kopf]
    unbekannt = [k for k in kopf if k not in CSV_PFLICHT + CSV_FREI]
    doppelt = [k for i, k in enumerate(kopf) if k in kopf[:i]]
    if fehlend or unbekannt or doppelt:
        if doppelt:
            erste_spalte = kopf.index(doppelt[0]) + 1
            zweite = kopf.index(doppelt[0], erste_spalte) + 1
            was, spalte_nr = f"Spalte `{_kurz(doppelt[0])}` steht doppelt (Spalten {erste_spalte} und {zweite})", zweite
        elif unbekannt:
            was, spalte_nr = f"Spalte `{_kurz(unbekannt[0])}` ist unbekannt", kopf.index(unbekannt[0]) + 1
        else:
            was, spalte_nr = f"Spalte `{fehlend[0]}` fehlt", None
        yield Auftrag(nr, name, 1, fehler=FallFehler(
            f"Kopfzeile der CSV-Datei: {was}", Ort(name, 1, spalte_nr),
            "jede Spalte einmal; erlaubt sind die Spalten " + ", ".join(CSV_PFLICHT + CSV_FREI) + " (Trennzeichen ; oder ,)"))
        return
    spalte = {k: i for i, k in enumerate(kopf)}
    i_bn, i_jahr, i_monat = spalte["betriebsnummer"], spalte["jahr"], spalte["monat"]

    def schluessel_aus(zellen: list[str]) -> tuple[str, str] | None:
        if len(zellen) <= max(i_bn, i_jahr):
            return None
        return zellen[i_bn].strip(), zellen[i_jahr].strip()

    def reihe(zeile: int, roh: bytes | OSError | None) -> _Reihe | None:
        """The row of a line; None for an empty line."""
        if roh is None:
            return _Reihe(zeile, None, None, FallFehler(
                f"Zeile ist zu groß (mehr als {groesse(CSV_ZEILE_BYTES)})", Ort(name, zeile),
                "eine Zeile je Arbeitgeber und Monat; Zellen kürzer als 128 KB"))
        if isinstance(roh, OSError):
            return _Reihe(zeile, None, None, FallFehler(
                f"Datei kann ab dieser Zeile nicht gelesen werden: {os_text(roh)}", Ort(name, zeile), "Datenträger prüfen"))
        try:
            text = roh.decode("utf-8")
        except UnicodeDecodeError as exc:
            geraten = roh.decode("utf-8", "replace").rstrip("\r\n").split(trenner)
            return _Reihe(zeile, None, schluessel_aus(geraten), FallFehler(
                f"Zeile ist nicht UTF-8-kodiert (Byte 0x{roh[exc.start]:02x}, z. B. ein Umlaut in Latin-1/Windows-1252)",
                Ort(name, zeile, exc.start + 1), "Datei als UTF-8 speichern"))
        text = text.rstrip("\r\n")
        if not text.strip():
            return None
        try:
            zellen = next(csv.reader([text], delimiter=trenner, strict=True))
        except csv.Error:
            return _Reihe(zeile, None, schluessel_aus(text.split(trenner)), FallFehler(
                "Zeile ist kein lesbares CSV (Anführungszeichen nicht geschlossen, Zeilenumbruch in einer Zelle "
                "oder Zelle zu lang)", Ort(name, zeile), "Anführungszeichen prüfen; Zellen kürzer als 128 KB"))
        if not any(z.strip() for z in zellen):
            return None
        if len(zellen) != len(kopf):
            return _Reihe(zeile, None, schluessel_aus(zellen), FallFehler(
                f"Zeile hat {len(zellen)} statt {len(kopf)} Spalten", Ort(name, zeile),
                f"Trennzeichen `{trenner}` prüfen; Texte mit `{trenner}` in Anführungszeichen setzen"))
        if not zellen[i_bn].strip():
            return _Reihe(zeile, zellen, schluessel_aus(zellen), FallFehler(
                "Betriebsnummer fehlt", Ort(name, zeile, i_bn + 1, "betriebsnummer"),
                "die Betriebsnummer des Arbeitgebers in jede Zeile schreiben"))
        return _Reihe(zeile, zellen, schluessel_aus(zellen))

    gesehen: set[tuple[str, str]] = set()

    def fall(gruppe: list[_Reihe], nr: int) -> Auftrag:
        erste = gruppe[0]
        schluessel = erste.schluessel
        fehler = next((r.fehler for r in gruppe if r.fehler is not None), None)
        if fehler is not None:
            return Auftrag(nr, name, fehler.ort.zeile if fehler.ort and fehler.ort.zeile else erste.zeile, fehler=fehler)
        assert schluessel is not None and all(r.zellen is not None for r in gruppe)
        if schluessel in gesehen:
            return Auftrag(nr, name, erste.zeile, fehler=FallFehler(
                f"Betriebsnummer {_kurz(schluessel[0])}, Jahr {_kurz(schluessel[1])}: die Zeilen stehen nicht zusammen",
                Ort(name, erste.zeile, i_bn + 1, "betriebsnummer"),
                "alle Monate eines Arbeitgebers und Jahres untereinander schreiben (Datei danach sortieren)"))
        gesehen.add(schluessel)
        zellen = erste.zellen or []
        arbeitgeber = {"betriebsnummer": schluessel[0]}
        pos: dict[tuple, tuple[int, int]] = {(): (erste.zeile, 1), ("jahr",): (erste.zeile, i_jahr + 1),
                                              ("arbeitgeber",): (erste.zeile, i_bn + 1),
                                              ("monate",): (erste.zeile, i_monat + 1)}
        for k in CSV_FREI:
            if k in spalte and zellen[spalte[k]].strip():
                arbeitgeber[k] = zellen[spalte[k]].strip()
                pos[("arbeitgeber", k)] = (erste.zeile, spalte[k] + 1)
        monate = []
        for i, r in enumerate(gruppe):
            monat = {}
            pos[("monate", i)] = (r.zeile, 1)
            for feld in _MONATSFELDER:
                wert = (r.zellen or [])[spalte[feld]]
                if wert.strip():
                    monat[feld] = _zahl(wert)
                    pos[("monate", i, feld)] = (r.zeile, spalte[feld] + 1)
            monate.append(monat)
        daten = {"art": "ausgleichsabgabe", "jahr": _zahl(schluessel[1]), "arbeitgeber": arbeitgeber, "monate": monate}
        return Auftrag(nr, name, erste.zeile, daten=daten, positionen=pos)

    def neuer_fall(gruppe: list[_Reihe], r: _Reihe) -> bool:
        """Does row `r` start a new employer-year? A row of unknown employer stands alone; rows without a
        Betriebsnummer belong together only while their months go up (a month again: the next Anzeige)."""
        vorige = gruppe[-1]
        if r.schluessel is None or gruppe[0].schluessel is None or r.schluessel != gruppe[0].schluessel:
            return True
        if not r.schluessel[0] and r.zellen is not None and vorige.zellen is not None:
            monat, davor = _zahl(r.zellen[i_monat]), _zahl(vorige.zellen[i_monat])
            return isinstance(monat, int) and isinstance(davor, int) and monat <= davor
        return False

    gruppe: list[_Reihe] = []
    zeilen_gelesen = False
    for zeile, roh in zeilen:
        r = reihe(zeile, roh)
        if r is None:
            continue
        zeilen_gelesen = True
        if gruppe and neuer_fall(gruppe, r):
            yield fall(gruppe, nr)
            nr += 1
            gruppe = []
        gruppe.append(r)
        if isinstance(roh, OSError):
            break
    if gruppe:
        yield fall(gruppe, nr)
    elif not zeilen_gelesen:
        yield Auftrag(nr, name, 1, fehler=FallFehler(
            "CSV-Datei enthält nur die Kopfzeile, keine Zeilen mit Monaten", Ort(name, 1),
            "je Arbeitgeber und Monat eine Zeile unter der Kopfzeile angeben"))


def _kurz(text: str, laenge: int = 60) -> str:
    return text if len(text) <= laenge else text[:laenge] + "…"
