"""The one structured model of a Bescheid; the writers (md, html, docx, pdf) only lay it out.

Every text in it is finished German for readers (values formatted, citations with their Fassung);
only `pruefprotokoll` carries the trail with rule ids, formulas and file:line.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Anschrift:
    name: str
    zeilen: list[str]
    rolle: str = ""


@dataclass
class Tabelle:
    titel: str
    kopf: list[str]
    zeilen: list[list[str]]
    fuss: list[str] = field(default_factory=list)


@dataclass
class Bescheid:
    art: str
    titel: str                       # "Bescheid" or "Entwurf eines Bescheids"
    entwurf: list[str]               # why it is a draft; empty: ready to sign
    behoerde: Anschrift
    behoerde_kontakt: list[str]
    adressaten: list[Anschrift]
    aktenzeichen: str
    datumszeile: str                 # "Musterstadt, 12.06.2024"
    bekanntgabe: str                 # "Mit Postzustellungsurkunde" …
    betreff: str
    tenor: list[str]                 # numbered Verfügungssätze
    nebenbestimmungen: list[str]
    sachverhalt: list[str]
    gruende: list[str]
    tabelle: Tabelle | None
    ermessen: list[str]              # the caseworker's considerations as stated, or the draft notice
    rechtsbehelfsbelehrung: list[str]
    hinweise: list[str]
    vorbehalte: list[str]            # one sentence per unverified Fassung
    unterzeichnung: list[str]
    pruefprotokoll: str              # Anlage: the full trail as `regelwerk decide` gives it
    ermessensdokumentation: list[str] = field(default_factory=list)  # who weighed when (Anlage)

    def als_daten(self) -> dict[str, Any]:
        return asdict(self)

    def lesetext(self) -> str:
        """Everything a reader sees outside the Anlage, as plain text (for checks)."""
        d = self.als_daten()
        d.pop("pruefprotokoll")
        d.pop("ermessensdokumentation")
        teile: list[str] = []

        def sammle(w: Any) -> None:
            if isinstance(w, str):
                teile.append(w)
            elif isinstance(w, dict):
                for v in w.values():
                    sammle(v)
            elif isinstance(w, list):
                for v in w:
                    sammle(v)
        sammle(d)
        return "\n".join(teile)
