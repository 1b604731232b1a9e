"""Writing decisions fast: the JSON trail from per-plan constant parts, the compact form,
CSV summary rows and error records.

`JsonSchreiber.json(e)` gives exactly the text of `rendere(e, "json")` (tests compare
them byte for byte), but serialises what is constant for a compiled plan — a rule's
title, citations with their quoted wording, conditions, formulas, parameters — once per
plan and rule, and per decision only what varies (inputs, results, explanation).
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring as _text  # the C string encoder json.dumps uses (ensure_ascii=False)
from typing import Any

from .adapter import Entscheidung, RegelwerkFehler, als_json, deutsch, erklaerung, platzhalter, schritt_json

_dumps = json.JSONEncoder(ensure_ascii=False).encode  # the same text as json.dumps(..., ensure_ascii=False)
_ERKLAERUNGEN_MAX = 50_000  # cached explanations per process (memory stays flat)


def _skalar(w: Any) -> str | None:
    """JSON text of a scalar engine value exactly as `_dumps(als_json(w))`; None for lists and dicts."""
    t = type(w)
    if t is str:
        return _text(w)
    if t is Decimal:
        return '"' + str(w) + '"'
    if t is bool:
        return "true" if w else "false"
    if w is None:
        return "null"
    if t is date:
        return '"' + w.isoformat() + '"'
    if t is int:
        return str(w)
    return None


_VARIABEL = ("nr", "eingaben", "ergebnisse", "erklaerung", "feststellungen")


def satz_schluessel(anker: str, fassung_ab: str) -> str:
    """Key of a quoted sentence in the compact form's dictionary: anchor and the Fassung's first day."""
    return f"{anker}@{fassung_ab}"


class _Vorlage:
    """The JSON of one compiled rule's step, split into constant text and variable slots."""

    __slots__ = ("teile", "regel", "kompakt_teile", "saetze")

    def __init__(self, beispiel: dict[str, Any], regel: Any):
        self.regel = regel  # keeps the compiled rule alive: the cache is keyed by its id
        self.teile = self._zerlege(beispiel)
        kompakt = dict(beispiel)
        self.saetze = {satz_schluessel(f["anker"], f["fassung_ab"]): f["wortlaut"] for f in beispiel["fundstellen"]}
        kompakt["fundstellen"] = [{"zitat": f["zitat"], "anker": f["anker"], "fassung_ab": f["fassung_ab"],
                                   "satz": satz_schluessel(f["anker"], f["fassung_ab"])} for f in beispiel["fundstellen"]]
        self.kompakt_teile = self._zerlege(kompakt)

    @staticmethod
    def _zerlege(d: dict[str, Any]) -> list[str]:
        """['{"nr": ', ', "regel": …, "eingaben": ', …]: constants between the variable values."""
        teile, laufend, erstes = [], "{", True
        for k, v in d.items():
            laufend += ("" if erstes else ", ") + _dumps(k) + ": "
            erstes = False
            if k in _VARIABEL:
                teile.append(laufend)
                laufend = ""
            else:
                laufend += _dumps(v)
        teile.append(laufend + "}")
        return teile


class JsonSchreiber:
    """Renders decisions of one process; keeps the constant parts of every plan it has seen."""

    def __init__(self) -> None:
        self._vorlagen: dict[int, _Vorlage] = {}
        self._plan_texte: dict[int, tuple[Any, str]] = {}
        self._deutsche_werte: dict[tuple, str] = {}

    def _deutsch(self, w: Any) -> str:
        """`deutsch(w)` kept for scalars: type and text are the key (Decimal("1.0") and ("1.00") read differently)."""
        if type(w) in (list, dict):
            return deutsch(w)
        schluessel = (type(w), str(w))
        text = self._deutsche_werte.get(schluessel)
        if text is None:
            if len(self._deutsche_werte) >= _ERKLAERUNGEN_MAX:
                self._deutsche_werte.clear()
            text = self._deutsche_werte[schluessel] = deutsch(w)
        return text

    def _erklaerung(self, s: Any) -> str:
        """The step's explanation as `erklaerung(s)` gives it, with each value formatted once per process."""
        werte = {**s.eingaben, **s.ergebnisse}
        return platzhalter.sub(lambda m: self._deutsch(werte.get(m.group(1), m.group(0))), s.regel.regel.erklaerung)

    def _vorlage(self, nr: int, schritt: Any, kompilat: Any) -> _Vorlage:
        v = self._vorlagen.get(id(schritt.regel))
        if v is None:
            v = self._vorlagen[id(schritt.regel)] = _Vorlage(schritt_json(nr, schritt, kompilat), schritt.regel)
        return v

    def _nicht_automatisiert(self, k: Any) -> str:
        eintrag = self._plan_texte.get(id(k))
        if eintrag is None:
            text = _dumps([{"zitat": n.zitat, "grund": n.grund, "erlaeuterung": n.erlaeuterung}
                           for n in k.nicht_automatisiert])
            eintrag = self._plan_texte[id(k)] = (k, text)
        return eintrag[1]

    def json(self, e: Entscheidung, kompakt: bool = False, saetze: dict[str, str] | None = None) -> str:
        """One decision as a JSON line; in compact form the quoted wording goes to `saetze` instead."""
        k = e.kompilat
        schritte = []
        gesehen: dict[int, str] = {}  # the same list (e.g. `monate`) is read by many rules: encode it once

        def wert(w: Any) -> str:
            text = _skalar(w)
            if text is None:
                text = gesehen.get(id(w))
                if text is None:
                    text = gesehen[id(w)] = _dumps(als_json(w))
            return text

        for nr, s in enumerate(e.schritte, 1):
            v = self._vorlage(nr, s, k)
            if kompakt:
                teile = v.kompakt_teile
                if saetze is not None:
                    saetze.update(v.saetze)
            else:
                teile = v.teile
            eingaben = "{" + ", ".join(_text(n) + ": " + wert(w) for n, w in s.eingaben.items()
                                       if not n.startswith("parameter.")) + "}"
            ergebnisse = "{" + ", ".join(_text(n) + ": " + wert(w) for n, w in s.ergebnisse.items()) + "}"
            schritte.append("".join((teile[0], str(nr), teile[1], eingaben, teile[2], ergebnisse,
                                     teile[3], _text(self._erklaerung(s)), teile[4],
                                     _dumps(als_json(s.feststellungen)) if s.feststellungen else "{}", teile[5])))
        jahr = e.fall.eingaben.get("jahr")
        return "".join((
            '{"datei": ', _dumps(e.fall.datei), ', "art": ', _dumps(e.fall.art),
            ', "jahr": ', _dumps(int(jahr) if jahr is not None else None),
            ', "ergebnis": ', _dumps(e.ergebnis), ', "nicht_ermittelt": ', _dumps(e.fehlend),
            ', "begruendung": [', ", ".join(schritte), "]",
            ', "nicht_automatisiert": ', self._nicht_automatisiert(k),
            ', "entscheidungsdatum": ', _dumps(als_json(e.fall.eingaben.get("entscheidungsdatum"))),
            ', "feststellungen": ', _dumps(als_json(e.feststellungen)),
            ', "offene_feststellungen": ', _dumps(als_json(e.offene_feststellungen)),
            ', "ermessen": ', _dumps(als_json(e.ermessen)),
            ', "quittung": ', _dumps(e.quittung), "}"))


# --- error records ----------------------------------------------------------------------


def fehler_daten(fehler: RegelwerkFehler, quelle: str, zeile: int | None) -> dict[str, Any]:
    """The error record of a case that could not be decided, at its place in the output."""
    ort = fehler.ort
    return {
        "datei": quelle,
        "zeile": ort.zeile if ort is not None and ort.zeile is not None else zeile,
        "fehler": {
            "art": type(fehler).__name__,
            "meldung": fehler.was,
            "ort": str(ort) if ort is not None else quelle,
            "feldpfad": ort.pfad if ort is not None else None,
            "hilfe": fehler.hilfe,
        },
    }


def fehler_text(fehler: RegelwerkFehler) -> str:
    """The error in ruff/cargo style, as the command line prints it."""
    ort = f"{fehler.ort}: " if fehler.ort else ""
    feld = f" (Feld `{fehler.ort.pfad}`)" if fehler.ort and fehler.ort.pfad else ""
    hilfe = f"\n  = hilfe: {fehler.hilfe}" if fehler.hilfe else ""
    return f"{ort}{fehler.art}: {fehler.was}{feld}{hilfe}"


# --- CSV summary ------------------------------------------------------------------------

QUITTUNG = ("regelwerk_fingerabdruck", "engine_version", "rechtsstand")


def csv_kopf(ergebnisfelder: list[str]) -> list[str]:
    return ["quelle", "zeile", "art", "jahr", "bearbeitung", *ergebnisfelder, *QUITTUNG, "fehler", "feldpfad", "hilfe"]


def _zelle(w: Any) -> str:
    if w is None:
        return ""
    if isinstance(w, bool):
        return "ja" if w else "nein"
    if isinstance(w, list):
        return ", ".join(_zelle(x) for x in w)
    if isinstance(w, dict):
        return ", ".join(f"{k}: {_zelle(x)}" for k, x in w.items())
    return str(w)


def csv_zeile(e: Entscheidung, quelle: str, zeile: int | None, ergebnisfelder: list[str]) -> list[str]:
    jahr = e.fall.eingaben.get("jahr")
    q = e.quittung
    return [quelle, _zelle(zeile), e.fall.art, _zelle(int(jahr) if jahr is not None else None), "entschieden",
            *(_zelle(e.ergebnis.get(f)) for f in ergebnisfelder), *(q[f] for f in QUITTUNG), "", "", ""]


def csv_fehlerzeile(fehler: RegelwerkFehler, quelle: str, zeile: int | None, ergebnisfelder: list[str]) -> list[str]:
    d = fehler_daten(fehler, quelle, zeile)
    f = d["fehler"]
    return [quelle, _zelle(d["zeile"]), "", "", "fehler", *("" for _ in ergebnisfelder), *("" for _ in QUITTUNG),
            f"{f['ort']}: {f['meldung']}", f["feldpfad"] or "", f["hilfe"] or ""]
