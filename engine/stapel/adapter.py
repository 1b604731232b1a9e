"""The one place where the batch runner and the server touch the engine.

Everything `engine.stapel` and `engine.server` need from the core goes through this
module, so a change of the core's layout (e.g. the public API in `engine/__init__.py`)
is a change of this file only.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..darstellung import _PLATZHALTER as platzhalter
from ..darstellung import als_json, deutsch, erklaerung, rendere, schritt_json
from ..entscheidung import Entscheider, Entscheidung
from ..faelle import Fall, lade_fall, pruefe_fall
from ..fehler import FallFehler, FehlerSammlung, Ort, RegelwerkFehler
from ..rechtstext import html_anker, seitenpfad
from ..schema import SCHEMA_ORDNER
from ..wissensbasis import Wissensbasis, lade_wissensbasis, projektwurzel
from ..yamlquelle import YamlDokument, lade_yaml_text
from ..zitate import loese_auf, parse_zitat

__all__ = ["Regelwerk", "lade_regelwerk", "lies_fall", "fall_aus_daten", "fall_mit_positionen", "rendere",
           "RegelwerkFehler", "FallFehler", "FehlerSammlung", "Ort", "Entscheidung", "Fall", "als_json", "deutsch", "platzhalter", "erklaerung",
           "schritt_json", "html_anker", "seitenpfad", "SCHEMA_ORDNER", "projektwurzel", "__version__"]


class Regelwerk:
    """A loaded, checked rulebook and one decision maker (its own durable-rules engine).

    Use from one thread only; in a process of its own when several requests run at once.
    """

    def __init__(self, wb: Wissensbasis):
        self.wb = wb
        self._entscheider: Entscheider | None = None

    # --- deciding ---------------------------------------------------------------------

    def entscheide(self, fall: Fall) -> Entscheidung:
        if self._entscheider is None:  # the rule engine starts in the process that decides
            self._entscheider = Entscheider(self.wb)
        return self._entscheider.entscheide(fall)

    def schliessen(self) -> None:
        if self._entscheider is not None:
            self._entscheider.schliessen()
            self._entscheider = None

    def __enter__(self) -> "Regelwerk":
        return self

    def __exit__(self, *exc) -> None:
        self.schliessen()

    # --- what the rulebook holds (for the server) ---------------------------------------

    @property
    def fingerabdruck(self) -> str:
        return self.wb.fingerabdruck

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

    def loese_zitat_auf(self, zitat: str, stichtag: date) -> list[Any]:
        """Parse a citation and resolve each unit on a date (raises RegelwerkFehler)."""
        return [loese_auf(z, self.wb.recht, stichtag) for z in parse_zitat(zitat, self.wb.recht)]


def lade_regelwerk(wurzel: Path | str | None = None) -> Regelwerk:
    return Regelwerk(lade_wissensbasis(Path(wurzel).resolve() if wurzel else None))


def lies_fall(pfad: Path | str, rw: Regelwerk) -> Fall:
    """A case file (YAML or JSON) with positions for messages."""
    return lade_fall(Path(pfad), rw.wb)


def fall_aus_daten(daten: Any, quelle: str, rw: Regelwerk) -> Fall:
    """A case from already parsed data, without positions (the fast path)."""
    return pruefe_fall(YamlDokument(daten, quelle, {}), rw.wb)


def fall_mit_positionen(daten: Any, quelle: str, positionen: dict, rw: Regelwerk) -> Fall:
    """A case from parsed data whose field positions are known (e.g. CSV cells)."""
    return pruefe_fall(YamlDokument(daten, quelle, positionen), rw.wb)


def positionen_aus_text(text: str, quelle: str, zeile_versatz: int = 0) -> tuple[Any, dict]:
    """Parse YAML/JSON text only to learn where each field stands (for error messages).

    Raises RegelwerkFehler for syntax errors, with the line shifted by `zeile_versatz`.
    """
    try:
        dok = lade_yaml_text(text, quelle)
    except RegelwerkFehler as exc:
        if exc.ort is not None and exc.ort.zeile is not None and zeile_versatz:
            exc.ort = Ort(exc.ort.datei, exc.ort.zeile + zeile_versatz, exc.ort.spalte, exc.ort.pfad)
        raise
    positionen = {p: (z + zeile_versatz, s) for p, (z, s) in dok.positionen.items()}
    return dok.daten, positionen
