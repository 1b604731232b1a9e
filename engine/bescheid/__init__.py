"""The Bescheid: a finished decision written as a Verwaltungsakt (§§ 31, 33, 35 SGB X) an
Integrationsamt can sign and send – letterhead, Verfügungssätze, Begründung, Ermessenserwägungen,
Rechtsbehelfsbelehrung, Hinweise, Vorbehalt, and the trail as its Anlage „Prüfprotokoll“.

A tool package: it reads only the finished decision through the public API (`engine.rendere`:
its JSON form and the text trail) and the case data; the core never imports it. Wording lives
in vorlagen/*.yaml (per decision type) for legal experts; one model (`modell.Bescheid`), four
writers (md, html, docx, pdf).

    from engine import lade_regelwerk, lies_fall
    from engine.bescheid import bescheid_fuer, schreibe, lade_behoerde
    with lade_regelwerk() as rw:
        e = rw.entscheide(lies_fall("fall.yaml"))
        pdf = schreibe(bescheid_fuer(e, lade_behoerde("behoerde.yaml")), "pdf")
"""
from __future__ import annotations

import json
from typing import Any

from .. import rendere
from ..format import als_json
from .aufbau import ARTEN, baue_bescheid
from .behoerde import lade_behoerde, pruefe_behoerde
from .lesbarkeit import befunde
from .modell import Bescheid
from .schreiber import FORMATE, MEDIENTYPEN, schreibe

__all__ = ["ARTEN", "FORMATE", "MEDIENTYPEN", "Bescheid", "baue_bescheid", "befunde", "bescheid_fuer",
           "datei_fuer", "lade_behoerde", "pruefe_behoerde", "schreibe"]


def bescheid_fuer(entscheidung: Any, behoerde: dict[str, Any] | None = None) -> Bescheid:
    """The Bescheid of a decision of `Regelwerk.entscheide` (only its public renderings are read)."""
    daten = json.loads(rendere(entscheidung, "json"))
    protokoll = rendere(entscheidung, "text")
    return baue_bescheid(daten, als_json(entscheidung.fall.daten), behoerde, protokoll)


def datei_fuer(entscheidung: Any, format_: str, behoerde: dict[str, Any] | None = None) -> bytes:
    """The Bescheid of a decision as a file in `format_` (md, html, docx, pdf)."""
    return schreibe(bescheid_fuer(entscheidung, behoerde), format_, (behoerde or {}).get("vorlage_docx"))
