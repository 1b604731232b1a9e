"""Writing decisions fast: the JSON trail from per-plan constant parts, the compact form,
CSV summary rows and error records.

`JsonSchreiber.json(e)` gives exactly the text of `rendere(e, "json")` (tests compare them
byte for byte), but serialises what is constant for one rule on the days of one epoch of its
law (`RegelStand`: citations in their Fassung with the quoted wording, parameter values with
their references; plus the rule's title, condition, formulas) once, and per step only what
varies: number, date, element, inputs, results, explanation, findings.
"""
from __future__ import annotations

import json
import re
from html import escape
from datetime import date
from decimal import Decimal
from itertools import chain
from operator import itemgetter, methodcaller
from json.encoder import encode_basestring as _text  # the C string encoder json.dumps uses (ensure_ascii=False)
from typing import Any

from .adapter import (FELDER_NACH, FELDER_VOR, Entscheidung, RegelwerkFehler, csv_zelle, deutsch, dezimal_ohne_gruppen,
                      geldwerte, ist_jahr, md_codeblock, melde_text, schritt_json, setze_ein, vorbehalte)

_dumps = json.JSONEncoder(ensure_ascii=False).encode  # the same text as json.dumps(..., ensure_ascii=False)


def _json_form(w: Any) -> str:
    """What `als_json` makes of a value the JSON encoder does not know: Decimal as exact text, dates ISO."""
    if isinstance(w, Decimal):
        return str(w)
    if isinstance(w, date):
        return w.isoformat()
    raise TypeError(f"Object of type {type(w).__name__} is not JSON serializable")


# `_dumps(als_json(w))` in one pass of the C encoder: containers walked in C, Decimal and dates by `_json_form`
_werte_json = json.JSONEncoder(ensure_ascii=False, default=_json_form).encode
_WERTE_MAX = 50_000  # German texts of values cached per process (memory stays flat)
_MARKE = "\x00lücke:{}\x00"  # a variable slot in a step's template; no rule or statute text holds NUL
_PLATZHALTER_TEILE = re.compile(r"\{([a-z0-9_.]+)\}")  # as darstellung's `{name}` placeholders
_LUECKE = re.compile(r'"\\u0000lücke:(\w+)\\u0000"')


_KODIERER: dict[type, Any] = {  # JSON text of scalar engine values exactly as `_dumps(als_json(w))`
    str: _text,
    Decimal: lambda w: '"' + str(w) + '"',
    bool: lambda w: "true" if w else "false",
    type(None): lambda w: "null",
    date: lambda w: '"' + w.isoformat() + '"',
    int: str,
}


def satz_schluessel(anker: str, fassung_ab: str) -> str:
    """Key of a quoted sentence in the compact form's dictionary: anchor and the Fassung's first day."""
    return f"{anker}@{fassung_ab}"


class _Vorlage:
    """The JSON of the steps of one rule on the days of one epoch: constant text between named slots, joined per step
    with the texts of what varies."""

    __slots__ = ("stand", "format", "kompakt_format", "saetze", "parameter", "geld", "erklaerung", "erklaerung_plan",
                 "eingaben_namen", "eingaben_format", "eingaben_werte", "ergebnis_namen", "ergebnis_format",
                 "ergebnis_werte")

    def __init__(self, beispiel: dict[str, Any], schritt: Any, geld: set[str]):
        self.stand = schritt.stand  # keeps the RegelStand alive: the cache is keyed by its id
        # parameter values are part of the constant text: they must be the epoch's values (checked per step)
        self.parameter = tuple(n for n in schritt.eingaben if n.startswith("parameter."))
        self.saetze = {satz_schluessel(f["anker"], f["fassung_ab"]): f["wortlaut"] for f in beispiel["fundstellen"]}
        self.format = self._zerlege(beispiel, kompakt=False)
        self.kompakt_format = self._zerlege(beispiel, kompakt=True)
        # the inputs and results by name in the step's order: a step with the same names in the same order is written
        # by one `%` formatting of its values' texts (others take the general path)
        self.eingaben_namen = tuple(schritt.eingaben)
        self.eingaben_format, self.eingaben_werte = _objekt_format([n for n in self.eingaben_namen
                                                                    if n[:10] != "parameter."])
        self.ergebnis_namen = tuple(schritt.ergebnisse)
        self.ergebnis_format, self.ergebnis_werte = _objekt_format(list(self.ergebnis_namen))
        # the explanation template split once: ["text", "name", "text", …] (see darstellung.setze_ein)
        self.geld = geld
        self.erklaerung = _PLATZHALTER_TEILE.split(schritt.regel.regel.erklaerung)
        # each placeholder with its reader format; money shows two decimals: a name in `geld`, or a placeholder
        # followed by " Euro" (darstellung.setze_ein)
        self.erklaerung_plan = tuple(
            (self.erklaerung[i], "jahr" if ist_jahr(self.erklaerung[i]) else
             "geld" if self.erklaerung[i] in geld or self.erklaerung[i + 1].startswith(" Euro") else None)
            for i in range(1, len(self.erklaerung), 2))

    @staticmethod
    def _zerlege(beispiel: dict[str, Any], kompakt: bool) -> tuple[tuple[bytes, ...], Any, bytes]:
        m = _MARKE.format
        d = dict(beispiel, nr=m("nr"), eintrag=m("eintrag"), eingaben=m("eingaben"), ergebnisse=m("ergebnisse"),
                 erklaerung=m("erklaerung"), feststellungen=m("feststellungen"))
        d["rechtsstand"] = dict(beispiel["rechtsstand"], datum=m("datum"))
        fundstellen = []
        for f in beispiel["fundstellen"]:
            f = dict(f, angewandt_fuer=m("datum"))
            if kompakt:  # the wording by key, at the wording's place
                f = {k: (satz_schluessel(f["anker"], f["fassung_ab"]) if k == "wortlaut" else v)
                     for k, v in f.items()}
                f = {("satz" if k == "wortlaut" else k): v for k, v in f.items()}
            fundstellen.append(f)
        d["fundstellen"] = fundstellen
        teile = _LUECKE.split(_dumps(d))
        # constant parts (UTF-8, encoded once) and the slots between them: joined per step as parts[0] slot[0]
        # parts[1] … parts[-1]
        namen = teile[1::2]
        holer = itemgetter(*namen) if len(namen) > 1 else (lambda d, n=namen[0]: (d[n],))
        return tuple(t.encode("utf-8") for t in teile[0:-1:2]), holer, teile[-1].encode("utf-8")


def _objekt_format(namen: list[str]) -> tuple[str, Any]:
    """A JSON object of these names as a `%` format ('{"a": %s, "b": %s}') and a getter of their values in order."""
    if not namen:
        return "{}", lambda d: ()
    holer = itemgetter(*namen)
    return ("{" + ", ".join(_text(n).replace("%", "%%") + ": %s" for n in namen) + "}",
            holer if len(namen) > 1 else (lambda d: (holer(d),)))


_FEHLT = object()
_utf8 = methodcaller("encode", "utf-8")


class JsonSchreiber:
    """Renders decisions of one process; keeps the constant parts of every rule epoch it has seen."""

    def __init__(self) -> None:
        # fields after the trail (`darstellung.FELDER_NACH`) written from texts kept per process or from the engine's
        # values without building them through `als_json` first; each gives the text `_dumps(feld(e, geld))` gives
        self._feldtexte: dict[str, Any] = {
            "nicht_automatisiert": lambda e, feld, geld: self._nicht_automatisiert(e.nicht_automatisiert),
            "entscheidungsdatum": lambda e, feld, geld: _werte_json(e.fall.eingaben.get("entscheidungsdatum")),
            "feststellungen": lambda e, feld, geld: _werte_json(e.feststellungen),
            "offene_feststellungen": lambda e, feld, geld: _werte_json(e.offene_feststellungen),
            "vorbehalte": lambda e, feld, geld: self._vorbehalte_text(e),
            "nicht_vorgesehen": lambda e, feld, geld: _dumps(feld(e, geld)) if e.nicht_vorgesehen else "[]",
        }
        self._vorlagen: dict[int, _Vorlage] = {}
        self._na_texte: dict[tuple[int, ...], tuple[list, str]] = {}
        self._deutsche_werte: dict[tuple, str] = {}
        self._geldwerte: dict[int, tuple[Any, set[str]]] = {}
        self._vorbehalte: dict[tuple, tuple[list, str]] = {}

    def _vorbehalte_text(self, e: Entscheidung) -> str:
        """`vorbehalte(e)` as JSON, kept per sequence of (rule epoch, day) of the steps with caveats: the caveats
        depend on nothing else when the decision opens no discretion and leaves no finding open."""
        if e.ermessen or e.offene_feststellungen:
            return _dumps(vorbehalte(e))
        staende = [(s.stand, s.datum) for s in e.schritte if s.stand is not None and s.stand.ungesichert]
        schluessel = tuple((id(st), tag) for st, tag in staende)
        eintrag = self._vorbehalte.get(schluessel)
        if eintrag is None:
            if len(self._vorbehalte) >= _WERTE_MAX // 10:
                self._vorbehalte.clear()
            # the epochs kept with the text: their ids stay valid while it is cached
            eintrag = self._vorbehalte[schluessel] = ([st for st, _ in staende], _dumps(vorbehalte(e)))
        return eintrag[1]

    def _deutsch(self, w: Any, format_: str | None = None) -> str:
        """`deutsch(w, format_)` kept for scalars: type, text and format are the key (Decimal("1.0") and ("1.00")
        read differently)."""
        if type(w) in (list, dict):
            return deutsch(w, format_)
        schluessel = (type(w), str(w), format_)
        text = self._deutsche_werte.get(schluessel)
        if text is None:
            if len(self._deutsche_werte) >= _WERTE_MAX:
                self._deutsche_werte.clear()
            text = self._deutsche_werte[schluessel] = deutsch(w, format_)
        return text

    def _erklaerung(self, s: Any, v: "_Vorlage") -> str:
        """The step's explanation exactly as `darstellung.erklaerung(s, geld)`, each value formatted once per process."""
        teile = v.erklaerung
        if len(teile) == 1:
            return teile[0]
        eingaben, ergebnisse = s.eingaben, s.ergebnisse
        stuecke = [teile[0]]
        anhaengen = stuecke.append
        deutsch_ = self._deutsch
        i = 2
        for name, format_ in v.erklaerung_plan:
            w = ergebnisse.get(name, _FEHLT)
            if w is _FEHLT:
                w = eingaben.get(name, _FEHLT)
            if w is not _FEHLT:
                anhaengen(deutsch_(w, format_))
            elif "." in name:  # a path into a value (`eintrag.beginn`): as darstellung resolves it
                return setze_ein(s.regel.regel.erklaerung, {**eingaben, **ergebnisse}, v.geld, deutsch_)
            else:
                anhaengen("{" + name + "}")
            anhaengen(teile[i])
            i += 2
        return "".join(stuecke)

    def _vorlage(self, nr: int, s: Any, k: Any) -> _Vorlage | None:
        """The template of the step's rule epoch; None when the step cannot use one (it is then written in full)."""
        stand = s.stand
        if stand is None:
            return None
        v = self._vorlagen.get(id(stand))
        if v is None:
            geld = self._geld(k)
            v = self._vorlagen[id(stand)] = _Vorlage(schritt_json(nr, s, k, geld), s, geld)
        if v.parameter:
            konstanten = stand.konstanten
            eingaben = s.eingaben
            for n in v.parameter:
                if eingaben.get(n) is not konstanten.get(n):
                    return None
        return v

    def _geld(self, k: Any) -> set[str]:
        """The money names of a plan (`darstellung.geldwerte`), once per plan."""
        eintrag = self._geldwerte.get(id(k))
        if eintrag is None:
            eintrag = self._geldwerte[id(k)] = (k, geldwerte(k))
        return eintrag[1]

    def _nicht_automatisiert(self, liste: list) -> str:
        schluessel = tuple(map(id, liste))
        eintrag = self._na_texte.get(schluessel)
        if eintrag is None:
            text = _dumps([{"zitat": n.zitat, "grund": n.grund, "erlaeuterung": n.erlaeuterung} for n in liste])
            eintrag = self._na_texte[schluessel] = (list(liste), text)  # the list keeps the ids valid
        return eintrag[1]

    def json(self, e: Entscheidung, kompakt: bool = False, saetze: dict[str, str] | None = None) -> str:
        """One decision as a JSON line; in compact form the quoted wording goes to `saetze` instead."""
        return self.json_utf8(e, kompakt, saetze).decode("utf-8")

    def json_utf8(self, e: Entscheidung, kompakt: bool = False, saetze: dict[str, str] | None = None,
                  ende: str = "") -> bytes:
        """`json(e) + ende` as UTF-8 (what a batch writes, `ende` its line break): the constant parts of the steps are
        joined as they were encoded once, no text of the whole decision is built and encoded again."""
        k = e.kompilat
        # every part of the decision's UTF-8 in order, joined once at the end (no copy per step): the steps' constant
        # parts and slots, with ", " between steps
        teile_alle: list[bytes] = []
        anhaengen, erweitern = teile_alle.append, teile_alle.extend
        gesehen: dict[int, str] = {}  # the same list (e.g. `monate`) is read by many rules: encode it once

        kodierer = _KODIERER

        def wert(w: Any) -> str:
            f = kodierer.get(type(w))
            if f is not None:
                return f(w)
            text = gesehen.get(id(w))
            if text is None:
                text = gesehen[id(w)] = _werte_json(w)
            return text

        def objekt(d: dict[str, Any]) -> str:
            return "{" + ", ".join([_text(n) + ": " + wert(w) for n, w in d.items() if n[:10] != "parameter."]) + "}"

        datum_texte: dict[Any, str] = {}
        for nr, s in enumerate(e.schritte, 1):
            if nr > 1:
                anhaengen(b", ")
            v = self._vorlage(nr, s, k)
            if v is None:
                d = schritt_json(nr, s, k, self._geld(k))
                if kompakt:
                    for f in d["fundstellen"]:
                        schluessel = satz_schluessel(f["anker"], f["fassung_ab"])
                        if saetze is not None:
                            saetze[schluessel] = f["wortlaut"]
                    d["fundstellen"] = [{("satz" if n == "wortlaut" else n):
                                         (satz_schluessel(f["anker"], f["fassung_ab"]) if n == "wortlaut" else x)
                                         for n, x in f.items()} for f in d["fundstellen"]]
                anhaengen(_dumps(d).encode("utf-8"))
                continue
            if kompakt:
                vorlage = v.kompakt_format
                if saetze is not None:
                    saetze.update(v.saetze)
            else:
                vorlage = v.format
            eingaben, ergebnisse = s.eingaben, s.ergebnisse
            datum = s.datum
            datum_text = datum_texte.get(datum)
            if datum_text is None:
                datum_text = datum_texte[datum] = wert(datum)
            teile, holer, letzter = vorlage
            erweitern(chain.from_iterable(zip(teile, map(_utf8, holer({
                "nr": str(nr),
                "datum": datum_text,
                "eintrag": wert(s.eintrag),
                "eingaben": (v.eingaben_format % tuple(map(wert, v.eingaben_werte(eingaben)))
                             if tuple(eingaben) == v.eingaben_namen else objekt(eingaben)),
                "ergebnisse": (v.ergebnis_format % tuple(map(wert, v.ergebnis_werte(ergebnisse)))
                               if tuple(ergebnisse) == v.ergebnis_namen else objekt(ergebnisse)),
                "erklaerung": _text(self._erklaerung(s, v)),
                "feststellungen": _werte_json(s.feststellungen) if s.feststellungen else "{}",
            })))))
            anhaengen(letzter)
        # the fields around the trail as `darstellung.als_dict` has them (`FELDER_VOR`, `FELDER_NACH`)
        geld = self._geld(k)
        kopf = "{" + "".join([_text(name) + ": " + _dumps(feld(e, geld)) + ", " for name, feld in FELDER_VOR]) \
            + '"begruendung": ['
        texte = self._feldtexte
        fuss = "]" + "".join([", " + _text(name) + ": " + (texte[name](e, feld, geld) if name in texte
                                                              else _dumps(feld(e, geld))) for name, feld in FELDER_NACH]) + "}"
        anhaengen((fuss + ende).encode("utf-8"))
        teile_alle[0:0] = (kopf.encode("utf-8"),)
        return b"".join(teile_alle)


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
    return melde_text(fehler)


def fehler_bescheid(fehler: RegelwerkFehler, format_: str) -> str:
    """In place of a Bescheid (text, md, html): what is wrong with the case, as the command line says it."""
    text = melde_text(fehler)
    if format_ == "html":
        return f'<section class="fehler"><h2>Fall nicht entschieden</h2><pre>{escape(text)}</pre></section>\n'
    if format_ == "md":  # in a code block whose fence no file name or value can close
        return "## Fall nicht entschieden\n\n" + md_codeblock(text) + "\n"
    return "FALL NICHT ENTSCHIEDEN\n\n" + text + "\n"


# --- CSV summary ------------------------------------------------------------------------

QUITTUNG = ("regelwerk_fingerabdruck", "engine_version", "rechtsstaende", "fall_sha256")


def _quittungszelle(q: dict[str, Any], feld: str) -> str:
    if feld == "rechtsstaende":  # every law date used: "jahresende 2024-12-31; faelligkeit 2025-03-31"
        return "; ".join(f"{r['name']} {r['datum']}" for r in q[feld])
    return str(q[feld])


def csv_kopf(ergebnisfelder: list[str]) -> list[str]:
    return ["quelle", "zeile", "art", "jahr", "bearbeitung", *ergebnisfelder, *QUITTUNG, "fehler", "feldpfad", "hilfe"]


_DEZIMALZAHL = re.compile(r"-?\d+\.\d+")


def _zelle(w: Any) -> str:
    """A cell of the German CSV summary (`;`-separated): decimal comma, no thousands separator ("4115,00"),
    so that spreadsheets set to German read numbers as numbers; dates stay ISO."""
    if w is None:
        return ""
    if isinstance(w, bool):
        return "ja" if w else "nein"
    if isinstance(w, list):
        return ", ".join(_zelle(x) for x in w)
    if isinstance(w, dict):
        return ", ".join(f"{k}: {_zelle(x)}" for k, x in w.items())
    if isinstance(w, Decimal) or (isinstance(w, str) and _DEZIMALZAHL.fullmatch(w)):
        return dezimal_ohne_gruppen(w)
    return str(w)


def csv_zeile(e: Entscheidung, quelle: str, zeile: int | None, ergebnisfelder: list[str]) -> list[str]:
    """The summary row of a decision; every cell safe for spreadsheets (`format.csv_zelle`)."""
    jahr = e.fall.eingaben.get("jahr")
    q = e.quittung
    return [csv_zelle(z) for z in [quelle, _zelle(zeile), e.fall.art, _zelle(int(jahr) if jahr is not None else None), "entschieden",
            *(_zelle(e.ergebnis.get(f)) for f in ergebnisfelder), *(_quittungszelle(q, f) for f in QUITTUNG), "", "", ""]]


def csv_fehlerzeile(fehler: RegelwerkFehler, quelle: str, zeile: int | None, ergebnisfelder: list[str]) -> list[str]:
    d = fehler_daten(fehler, quelle, zeile)
    f = d["fehler"]
    return [csv_zelle(z) for z in [quelle, _zelle(d["zeile"]), "", "", "fehler", *("" for _ in ergebnisfelder),
                                   *("" for _ in QUITTUNG), f"{f['ort']}: {f['meldung']}", f["feldpfad"] or "",
                                   f["hilfe"] or ""]]
