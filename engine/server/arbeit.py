"""Decisions for the server, run in dedicated worker processes.

Each worker process loads the rulebook once and owns its durable-rules engine; the
event loop only sends request bodies here and gets texts back, so the rule engine is
never called from the server's threads.
"""
from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass
from typing import Any

from ..stapel import adapter
from ..stapel.adapter import Ort, RegelwerkFehler
from ..stapel.ausgabe import JsonSchreiber
from ..stapel.eingabe import csv_faelle

MEDIEN = {"json": "application/json", "text": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
          "html": "text/html; charset=utf-8"}
TRENNER = {"text": "\n" + "-" * 72 + "\n\n", "md": "\n---\n\n", "html": "\n<hr>\n"}


@dataclass
class Antwort:
    status: int
    medium: str
    text: str


_rw: adapter.Regelwerk | None = None
_schreiber: JsonSchreiber | None = None


def starte(wurzel: str | None) -> None:
    """Process-pool initializer: the rulebook of this worker."""
    global _rw, _schreiber
    _rw = adapter.lade_regelwerk(wurzel)
    _schreiber = JsonSchreiber()


def bereit() -> bool:
    return _rw is not None


def _fehler(exc: RegelwerkFehler, index: int | None = None) -> dict[str, Any]:
    ort = exc.ort
    return {"index": index, "meldung": exc.was, "ort": str(ort) if ort else None,
            "feldpfad": ort.pfad if ort else None, "hilfe": exc.hilfe}


def fehler_antwort(fehler: list[dict[str, Any]], status: int = 422) -> Antwort:
    return Antwort(status, MEDIEN["json"], json.dumps({"fehler": fehler}, ensure_ascii=False))


class ZuVieleFaelle(Exception):
    """The body holds more cases than one request may (counted as read: after YAML aliases, JSON escapes, CSV rows)."""


MAX_FAELLE = 1000


def _faelle(text: str, typ: str, quelle: str, max_faelle: int = MAX_FAELLE) -> tuple[list[Any], list[dict], bool]:
    """(checked cases or None per case, errors, whether the body is a list) of a request body.

    Raises `ZuVieleFaelle` before checking any case when the body holds more than `max_faelle` cases."""
    assert _rw is not None
    if typ == "csv":
        faelle, fehler = [], []
        # read as a file is read, by the batch's CSV reader (the same limits and error records)
        auftraege = list(itertools.islice(csv_faelle(io.BytesIO(text.encode("utf-8", "surrogatepass")), quelle),
                                          max_faelle + 1))
        if len(auftraege) > max_faelle:
            raise ZuVieleFaelle
        for i, a in enumerate(auftraege):
            try:
                if a.fehler is not None:
                    raise a.fehler
                faelle.append(_rw.pruefe(adapter.fall_mit_positionen(a.daten, quelle, a.positionen or {})))
            except RegelwerkFehler as exc:
                faelle.append(None)
                fehler.append(_fehler(exc, i))
        return faelle, fehler, True
    try:
        daten, positionen = adapter.lies_daten(text, quelle, json_text=typ == "json")
    except RegelwerkFehler as exc:
        return [None], [_fehler(exc)], False
    liste = isinstance(daten, list)
    eintraege = daten if liste else [daten]
    if len(eintraege) > max_faelle:  # counted after aliases and escapes are resolved
        raise ZuVieleFaelle
    faelle, fehler = [], []
    for i, d in enumerate(eintraege):
        try:
            try:
                eigene = {} if positionen is None else \
                    {k[1:]: v for k, v in positionen.items() if k[:1] == (i,)} if liste else positionen
                fall = _rw.pruefe(adapter.fall_mit_positionen(d, quelle, eigene))
            except RegelwerkFehler:
                if positionen is not None:
                    raise
                # a bad case read fast: read the body again with positions for line and column
                _, positionen = adapter.positionen_aus_text(text, quelle, json_text=True)
                eigene = {k[1:]: v for k, v in positionen.items() if k[:1] == (i,)} if liste else positionen
                fall = _rw.pruefe(adapter.fall_mit_positionen(d, quelle, eigene))
            faelle.append(fall)
        except RegelwerkFehler as exc:
            if liste and exc.ort is not None and exc.ort.pfad is not None:
                exc.ort = Ort(exc.ort.datei, exc.ort.zeile, exc.ort.spalte, f"[{i}].{exc.ort.pfad}")
            faelle.append(None)
            fehler.append(_fehler(exc, i if liste else None))
    return faelle, fehler, liste


def entscheide(text: str, typ: str, format_: str, site_url: str, quelle: str, max_faelle: int = MAX_FAELLE) -> Antwort:
    """Decide the case(s) of a request body (JSON, YAML or levy CSV) and render them."""
    assert _rw is not None and _schreiber is not None
    try:
        faelle, fehler, mehrere = _faelle(text, typ, quelle, max_faelle)
    except ZuVieleFaelle:
        return fehler_antwort([{"index": None, "meldung": f"zu viele Fälle in einer Anfrage (mehr als {adapter.zahl(max_faelle)})",
                                "ort": quelle, "feldpfad": None,
                                "hilfe": f"höchstens {adapter.zahl(max_faelle)} Fälle; größere Bestände mit "
                                         "`regelwerk decide` entscheiden"}], 413)
    if fehler:
        return fehler_antwort(fehler)
    texte = []
    for i, fall in enumerate(faelle):
        try:
            e = _rw.entscheide(fall)
        except RegelwerkFehler as exc:
            fehler.append(_fehler(exc, i if len(faelle) > 1 else None))
            continue
        texte.append(_schreiber.json(e) if format_ == "json" else adapter.rendere(e, format_, site_url=site_url))
    if fehler:
        return fehler_antwort(fehler)
    if not texte:
        return fehler_antwort([{"index": None, "meldung": "keine Fälle in der Anfrage", "ort": quelle, "feldpfad": None,
                                "hilfe": "einen Fall oder eine Liste von Fällen senden"}])
    if format_ == "json":
        return Antwort(200, MEDIEN["json"], "[" + ", ".join(texte) + "]" if mehrere else texte[0])
    return Antwort(200, MEDIEN[format_], TRENNER[format_].join(texte))
