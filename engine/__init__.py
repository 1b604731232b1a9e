"""Regelwerk: German disability-employment law as declarative rules with explained decisions.

Public API (everything else is internal)::

    from engine import lade_regelwerk, lies_fall, fall_aus_daten, rendere, RegelwerkFehler
    with lade_regelwerk() as rw:          # optional path to the project root; loads + checks
        e = rw.entscheide(lies_fall("fall.yaml"))
        print(rendere(e, "text"))         # "text" | "md" | "html" | "json"

Data flow of the core, one module per stage:
  rechtstext (legal/) → zitate → parameter, regeln (rules/) → pruefung → wissensbasis
  → kompilat (the plan of an art; each rule reads its law at its own date of the case)
  → ausfuehrung / durable_backend (execution, trail) → entscheidung → darstellung (text, Markdown, HTML, JSON).
The formula language (formel) carries the time-limit library (fristen: § 26 SGB X, §§ 187–193 BGB).
Tools sit in packages the core never imports: cli, autoren, site, stapel, server.
Shared by all stages: zeitraum (periods of validity and their German text) and format (the one
value formatter: German numbers, money with two decimals, dates; the JSON form of values).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .darstellung import rendere as _rendere
from .entscheidung import Entscheider, Entscheidung
from .faelle import Fall, falldokument_aus_daten, lies_falldokument, pruefe_fall
from .fehler import RegelwerkFehler
from .version import __version__
from .wissensbasis import Wissensbasis, lade_wissensbasis
from .yamlquelle import YamlDokument

__all__ = ["lade_regelwerk", "lies_fall", "fall_aus_daten", "rendere", "RegelwerkFehler"]


class Falleingabe:
    """A case as read (file or data), checked against the rulebook when it is decided."""

    def __init__(self, dokument: YamlDokument):
        self.dokument = dokument

    @property
    def quelle(self) -> str:
        return self.dokument.datei


class Regelwerk:
    """A loaded and checked rulebook that decides cases; one per thread (the rule engine is not thread-safe)."""

    def __init__(self, wb: Wissensbasis, motor: str = "durable"):
        self.wissensbasis = wb
        self._entscheider = Entscheider(wb, motor=motor)

    @property
    def fingerabdruck(self) -> str:
        return self.wissensbasis.fingerabdruck

    def pruefe(self, fall: Falleingabe | Fall) -> Fall:
        """Check a case against its art's schema and plausibility rules; raises `FallFehler`."""
        return fall if isinstance(fall, Fall) else pruefe_fall(fall.dokument, self.wissensbasis)

    def entscheide(self, fall: Falleingabe | Fall) -> Entscheidung:
        """Decide one case: `ergebnis`, the trail `schritte`, `quittung` (fingerprint, engine version, law date)."""
        return self._entscheider.entscheide(self.pruefe(fall))

    def schliessen(self) -> None:
        self._entscheider.schliessen()

    def __enter__(self) -> "Regelwerk":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.schliessen()


def lade_regelwerk(wurzel: str | Path | None = None, motor: str = "durable") -> Regelwerk:
    """Load and check legal/ and rules/ below `wurzel` (default: found from the working directory).

    Raises `FehlerSammlung` (a `RegelwerkFehler`) listing every problem of a broken rulebook.
    `motor="direkt"` evaluates without the rule engine (the reference evaluation).
    """
    return Regelwerk(lade_wissensbasis(Path(wurzel) if wurzel is not None else None), motor=motor)


def lies_fall(pfad: str | Path) -> Falleingabe:
    """Read a case file (YAML or JSON; a test-case file's `fall:` part counts too); raises `LadeFehler`."""
    return Falleingabe(lies_falldokument(Path(pfad)))


def fall_aus_daten(daten: dict[str, Any], quelle: str = "<daten>") -> Falleingabe:
    """A case given as data (as parsed from JSON); `quelle` names it in error messages."""
    return Falleingabe(falldokument_aus_daten(daten, quelle))


def rendere(entscheidung: Entscheidung, format_: str = "text", site_url: str = "") -> str:
    """The decision as "text", "md", "html" (links into the rulebook site at `site_url`) or "json"."""
    return _rendere(entscheidung, format_, site_url=site_url)
