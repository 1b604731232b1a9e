"""The one place where the batch runner and the server touch the engine.

Deciding goes through the public API (`from engine import lade_regelwerk, lies_fall,
fall_aus_daten, rendere, RegelwerkFehler`). Beyond it, the tools need a few core pieces
that are not part of that API: the error types with a place (`Ort`, `FallFehler`), a
case document with known positions (CSV cells, a JSON line read again for its message),
the parts of the JSON trail for the fast writer (`engine.darstellung`), and read-only
views of the rulebook for the server. They are imported here and nowhere else in
`engine.stapel` and `engine.server`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .. import Falleingabe, RegelwerkFehler, __version__, fall_aus_daten, lies_fall, rendere
from .. import lade_regelwerk as _lade_regelwerk
from ..darstellung import (FELDER_NACH, FELDER_VOR, als_json, deutsch, geldwerte, ist_jahr, schritt_json, setze_ein,
                           vorbehalte)
from ..entscheidung import Entscheidung
from ..faelle import Fall
from ..fehler import FallFehler, FehlerSammlung, Ort, melde_text
from ..format import datum as datum_text
from ..format import dezimal_ohne_gruppen, zahl
from ..rechtstext import html_anker, seitenpfad
from ..schema import SCHEMA_ORDNER
from ..wissensbasis import projektwurzel
from ..format import csv_zelle, groesse, kurz, md_codeblock
from ..yamlquelle import GRENZEN, YamlDokument, lade_json_text, lade_yaml_text, lies_text, oeffne_datei, os_text

__all__ = ["Regelwerk", "lade_regelwerk", "lies_fall", "fall_aus_daten", "fall_mit_positionen", "fall_aus_json",
           "positionen_aus_text", "rendere", "RegelwerkFehler", "FallFehler", "FehlerSammlung", "Ort", "melde_text", "Entscheidung",
           "Fall", "als_json", "deutsch", "ist_jahr", "setze_ein", "schritt_json", "vorbehalte", "geldwerte",
           "FELDER_VOR", "FELDER_NACH",
           "datum_text", "dezimal_ohne_gruppen", "zahl", "html_anker", "seitenpfad",
           "SCHEMA_ORDNER", "projektwurzel", "lies_text", "mit_positionen", "lies_daten", "__version__", "groesse", "oeffne_datei",
           "os_text", "csv_zelle", "md_codeblock", "kurz"]


class Regelwerk:
    """A loaded, checked rulebook (the public `engine.Regelwerk`) plus read-only views for the server.

    Use from one thread only (the rule engine is not thread-safe); in a process of its own when
    several requests run at once. The rule engine starts with the first decision, so a process
    may load the rulebook and fork workers that decide.
    """

    def __init__(self, rw: Any, motor: str = "durable"):
        self.rw = rw
        self.wb = rw.wissensbasis
        self.motor = motor

    # --- deciding ---------------------------------------------------------------------

    def pruefe(self, fall: Falleingabe | Fall) -> Fall:
        """Check a case (schema, plausibility); raises `FallFehler` with file, line and field path."""
        return self.rw.pruefe(fall)

    def entscheide(self, fall: Falleingabe | Fall) -> Entscheidung:
        return self.rw.entscheide(fall)

    def schliessen(self) -> None:
        self.rw.schliessen()

    def __enter__(self) -> "Regelwerk":
        return self

    def __exit__(self, *exc) -> None:
        self.schliessen()

    # --- what the rulebook holds (for the server and the CSV summary) --------------------

    @property
    def fingerabdruck(self) -> str:
        return self.rw.fingerabdruck

    @property
    def wurzel(self) -> Path:
        return self.wb.wurzel

    def arten(self) -> dict[str, Any]:
        """art -> Verfahren (title, schema name, ergebnis fields)."""
        return dict(self.wb.regelbuch.verfahren)

    def ergebnisfelder(self, art: str) -> list[str]:
        return [f.feld for f in self.wb.regelbuch.verfahren[art].ergebnis]

    def regeln(self) -> list[Any]:
        return list(self.wb.regelbuch.regeln)

    def parameter(self) -> dict[str, Any]:
        return self.wb.parameter

    def gesetze(self) -> dict[str, Any]:
        return self.wb.recht.gesetze

    def vorschrift(self, gesetz: str, paragraph: str | None) -> Any:
        return self.wb.recht.vorschrift(gesetz, paragraph)


def lade_regelwerk(wurzel: Path | str | None = None, motor: str = "durable") -> Regelwerk:
    """Load and check legal/ and rules/ (raises `FehlerSammlung` for a broken rulebook)."""
    return Regelwerk(_lade_regelwerk(Path(wurzel).resolve() if wurzel else None, motor=motor), motor)


def fall_mit_positionen(daten: Any, quelle: str, positionen: dict) -> Falleingabe:
    """A case from parsed data whose field positions are known (e.g. CSV cells), for messages with line and column."""
    return Falleingabe(YamlDokument(daten, quelle, positionen))


# JSON that the standard library reads differently from the engine's own JSON reader: NaN/Infinity,
# integers with more digits than the engine reads (`ganzzahl_zu_lang`), numbers too large for a float,
# escapes of surrogates. The hooks of `_SCHNELL` reject the special floats while reading; text with a surrogate
# escape or a long run of digits is left to the careful path before it is read.
_SURROGAT_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")
_UNENDLICH = (float("inf"), float("-inf"))


class _Heikel(Exception):
    """The standard library would read this JSON differently: the careful reader takes it."""


def _gleitzahl(text: str) -> float:
    wert = float(text)
    if wert in _UNENDLICH:
        raise _Heikel
    return wert


def _konstante(text: str) -> Any:
    raise _Heikel  # NaN, Infinity, -Infinity


def _ohne_doppelte(paare: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(paare)
    if len(d) != len(paare):
        raise _Doppelt
    return d


class _Doppelt(Exception):
    """A JSON object with a key twice: the careful reader names it with its line."""


def fall_aus_json(text: str, quelle: str, zeile: int = 1) -> Falleingabe:
    """A case from JSON text (one JSON Lines line starting at line `zeile` of `quelle`, or a whole file).

    The fast path (`json.loads`) is taken only for text that it reads exactly as the engine's own JSON
    reader does; anything else is read by that reader, which gives the German message with line and
    column. The case carries no positions: a case that fails its check is read again with positions
    (`mit_positionen`) for the message.
    """
    daten = json_schnell(text)
    if daten is not _VORSICHTIG:
        # no field positions, but the case's own line: an error found while deciding (a rule that cannot be
        # applied to a value) points at the case's line, not at line 1 of the file
        return Falleingabe(YamlDokument(daten, quelle, {(): (zeile, 1)}, ohne_datumswerte=True))
    return mit_positionen(text, quelle, zeile)


_VORSICHTIG = object()
_SCHNELL = json.JSONDecoder(object_pairs_hook=_ohne_doppelte, parse_float=_gleitzahl, parse_constant=_konstante)
# integers are read by the C scanner; a text with a run of more digits than the engine reads an integer with (inside
# a string too) is left to the careful reader, which names a number too long (`ganzzahl_zu_lang`)
_LANGE_ZIFFERNFOLGE = re.compile(r"[0-9]{%d}" % (GRENZEN.ziffern + 1))


def json_schnell(text: str) -> Any:
    """JSON read by the standard library where it reads exactly as the engine's reader; else `_VORSICHTIG`."""
    if "\\u" in text and _SURROGAT_ESCAPE.search(text) is not None:
        return _VORSICHTIG
    if _LANGE_ZIFFERNFOLGE.search(text) is not None:
        return _VORSICHTIG
    try:
        return _SCHNELL.decode(text)
    except (ValueError, _Doppelt, _Heikel, RecursionError):
        return _VORSICHTIG  # the careful reader says what is wrong, with line and column


def lies_daten(text: str, quelle: str, json_text: bool) -> tuple[Any, dict | None]:
    """(data, positions) of a JSON or YAML text; positions None when the JSON was read fast (read again on error)."""
    if json_text:
        daten = json_schnell(text)
        if daten is not _VORSICHTIG:
            return daten, None
    return positionen_aus_text(text, quelle, json_text=json_text)


def mit_positionen(text: str, quelle: str, zeile: int = 1, json_text: bool = True) -> Falleingabe:
    """The case read by the engine's own reader with the position of every field (lines shifted to `zeile`).

    Raises `RegelwerkFehler` for a syntax error, at the right line of `quelle`.
    """
    daten, positionen = positionen_aus_text(text, quelle, zeile - 1, json_text)
    return fall_mit_positionen(daten, quelle, positionen)


def positionen_aus_text(text: str, quelle: str, zeile_versatz: int = 0, json_text: bool = False) -> tuple[Any, dict]:
    """Parse JSON or YAML text with the engine's readers: (data, field path -> (line, column)).

    Raises RegelwerkFehler for syntax errors, with the line shifted by `zeile_versatz`.
    """
    try:
        dok = lade_json_text(text, quelle) if json_text else lade_yaml_text(text, quelle)
    except RegelwerkFehler as exc:
        if exc.ort is not None and exc.ort.zeile is not None and zeile_versatz:
            exc.ort = Ort(exc.ort.datei, exc.ort.zeile + zeile_versatz, exc.ort.spalte, exc.ort.pfad)
        raise
    if not zeile_versatz:
        return dok.daten, dok.positionen
    return dok.daten, {p: (z + zeile_versatz, s) for p, (z, s) in dok.positionen.items()}
