"""The sandboxed formula language of the rules.

A formula is a Python-like expression with German keywords (`und`, `oder`, `nicht`,
`wahr`, `falsch`, `fuer … in … falls …`). It is parsed with `ast` and only a small,
whitelisted set of node types is accepted; it is compiled once into nested closures,
never passed to `eval`. Numbers are `Decimal` (literals keep their exact digits);
there is no attribute access to Python objects, no imports, no assignments.

    summe(monate.arbeitsplaetze) - summe(monate.ausbildungsstellen)
    wenn(quote >= 3, parameter.staffel_1, 0)
    summe(abrunden_auf_vielfaches(r, 50) * parameter.saeumniszuschlag_satz / 100 fuer r in rueckstaende falls r > 0)
"""
from __future__ import annotations

import ast
import calendar
import contextvars
import decimal
import io
import operator
import tokenize
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable

from . import fristen
from .fehler import FormelFehler
from .format import datum, ja_nein, zahl

Umgebung = dict[str, Any]
Ausdruck = Callable[[Umgebung], Any]

SCHLUESSELWOERTER = {"und": "and", "oder": "or", "nicht": "not", "wahr": "True", "falsch": "False",
                     "fuer": "for", "falls": "if", "leer": "None"}
_PYTHON_WOERTER = {v: k for k, v in SCHLUESSELWOERTER.items()}


class Laufzeitfehler(Exception):
    """A formula failed while running (division by zero, wrong types); carries German text."""


class FehlendeFeststellung(Laufzeitfehler):
    """`festgestellt("id")` for a finding the case leaves open: the rule is treated as not applicable."""

    def __init__(self, fid: str):
        super().__init__(f"Feststellung `{fid}` ist offen")
        self.fid = fid


# --- limits: what a formula may be and do ------------------------------------------------------
MAX_ZEICHEN = 10_000  # length of a formula's text
MAX_TIEFE = 100  # nesting of the expression tree
MAX_KNOTEN = 5_000  # nodes of the expression tree
MAX_EXPONENT = 30  # literal numbers: at most 10^30 (and at least 10^-30 apart from 0)
MAX_STELLEN = 20  # places for runden/abschneiden
SCHRITTE = 1_000_000  # evaluation steps (list entries visited) per evaluation, or per `schrittbudget()` scope
ERSTES_JAHR, LETZTES_JAHR = 1900, 2199  # dates the formulas compute with
# Decimal arithmetic as usual (28 digits, banker's rounding unless a function says otherwise), but the exponent is
# bounded: a result beyond 10^999 or an invalid operation is an error, never Infinity or NaN.
KONTEXT = decimal.Context(prec=28, rounding=ROUND_HALF_EVEN, Emin=-999, Emax=999, capitals=1, clamp=0,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
_BUDGET: contextvars.ContextVar[list | None] = contextvars.ContextVar("schrittbudget", default=None)


SCHRITTE_JE_WERT = 20  # evaluation steps a decision may spend per value of its case, on top of `SCHRITTE`


def schrittbudget_fuer(eingaben: Any) -> int:
    """The step budget of one decision: a fixed base plus a share per value of the case, so legitimate
    large cases (thousands of employees or payments, a few passes each) fit and runaway formulas do not."""
    werte, stapel = 0, [eingaben]
    while stapel:
        x = stapel.pop()
        werte += 1
        if isinstance(x, dict):
            stapel.extend(x.values())
        elif isinstance(x, list):
            stapel.extend(x)
    return SCHRITTE + SCHRITTE_JE_WERT * werte


class Rechenaufwand(Laufzeitfehler):
    """The step budget is used up: the formula (or the decision) does more work than it may."""


class schrittbudget:
    """Share one step budget and the bounded Decimal context among all evaluations inside the `with`
    block (e.g. one decision): set up once, not again for every formula."""

    def __init__(self, schritte: int = SCHRITTE):
        self.schritte = schritte
        self._token = None
        self._kontext = None

    def __enter__(self):
        self._kontext = decimal.localcontext(KONTEXT)
        self._kontext.__enter__()
        self._token = _BUDGET.set([self.schritte, self.schritte])  # [left, at the start]
        return self

    def __exit__(self, *exc):
        _BUDGET.reset(self._token)
        self._kontext.__exit__(*exc)

    @property
    def verbraucht(self) -> int:
        """Steps used so far in this scope (valid inside the `with` block)."""
        budget = _BUDGET.get()
        return budget[1] - budget[0] if budget is not None else 0


def schrittbudget_jetzt() -> list[int] | None:
    """The current step budget as [steps left, steps at the start] (None outside any budget); the same list object
    for the whole `schrittbudget` scope."""
    return _BUDGET.get()


def _verbrauche(n: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget[0] -= n
        if budget[0] < 0:
            raise Rechenaufwand(f"Rechenaufwand zu groß: mehr als {zahl(budget[1])} Schritte"
                                + " (verschachtelte Aufzählungen über lange Listen?)")


def _geschuetzt(ausdruck: "Ausdruck") -> "Ausdruck":
    """Run a compiled formula with the bounded Decimal context and a step budget; every failure is a Laufzeitfehler."""
    def ausfuehren(u):
        if _BUDGET.get() is None:  # outside a `schrittbudget` scope: one of its own for this formula
            with schrittbudget():
                return ausfuehren(u)
        try:
            return ausdruck(u)
        except Laufzeitfehler:
            raise
        except (decimal.Overflow, OverflowError):
            raise Laufzeitfehler("Zahl oder Datum zu groß: das Ergebnis liegt außerhalb des darstellbaren Bereichs") from None
        except decimal.DivisionByZero:
            raise Laufzeitfehler("Division durch null") from None
        except (decimal.InvalidOperation, ValueError):
            raise Laufzeitfehler("Rechnung nicht möglich: ungültiger oder zu großer Wert") from None
        except RecursionError:
            raise Laufzeitfehler("Formel zu tief verschachtelt") from None
        except (TypeError, AttributeError, KeyError, IndexError):
            raise Laufzeitfehler("Angaben passen nicht zusammen (falsche Art von Wert)") from None
    return ausfuehren


def _pruefe_datum(d: date, funktion: str) -> date:
    if not ERSTES_JAHR <= d.year <= LETZTES_JAHR:
        raise Laufzeitfehler(f"{funktion}: Datum {datum(d)} liegt außerhalb der Jahre {ERSTES_JAHR} bis {LETZTES_JAHR}")
    return d


# Findings (Feststellungen) read while one rule is evaluated: id -> True (supplied) / False (missing).
FESTSTELLUNGEN_PROTOKOLL: contextvars.ContextVar[dict | None] = contextvars.ContextVar("feststellungen", default=None)


def _feststellung(u: dict, fid: str) -> Any:
    """The supplied finding `fid` of the case (a dict with wert/durch/am) or None when open."""
    alle = u.get("feststellungen") or {}
    f = alle.get(fid) if isinstance(alle, dict) else None
    vorhanden = isinstance(f, dict) and isinstance(f.get("wert"), bool)
    protokoll = FESTSTELLUNGEN_PROTOKOLL.get()
    if protokoll is not None:
        protokoll[fid] = protokoll.get(fid, False) or vorhanden
    return f if vorhanden else None


def _zahl(wert: Any, funktion: str) -> Decimal:
    if type(wert) is Decimal and wert.is_finite():  # the common case: a validated number (Decimals are immutable)
        return wert
    if isinstance(wert, bool) or not isinstance(wert, (Decimal, int)):
        raise Laufzeitfehler(f"{funktion} erwartet eine Zahl, erhielt `{_zeige(wert)}`")
    d = Decimal(wert)
    if not d.is_finite():
        raise Laufzeitfehler(f"{funktion}: `{d}` ist keine endliche Zahl")
    return d


def _ganz(wert: Any, funktion: str, grenze: int) -> int:
    """A whole number within ±grenze (day counts, months, places, years)."""
    d = _zahl(wert, funktion)
    if d != d.to_integral_value() or abs(d) > grenze:
        raise Laufzeitfehler(f"{funktion}: `{_zeige(d)}` ist keine ganze Zahl zwischen -{grenze} und {grenze}")
    return int(d)


def _text_arg(wert: Any, funktion: str) -> str:
    if not isinstance(wert, str):
        raise Laufzeitfehler(f"{funktion} erwartet einen Text, erhielt `{_zeige(wert)}`")
    return wert


def _zeige(wert: Any) -> str:
    if wert is None:
        return "leer"
    if isinstance(wert, bool):
        return "wahr" if wert else "falsch"
    return str(wert)


def _stellen(n: Any) -> Decimal:
    return Decimal(1).scaleb(-_ganz(n, "Stellen", MAX_STELLEN))


def _runden(x, stellen=Decimal(0)):
    return _zahl(x, "runden").quantize(_stellen(stellen), rounding=ROUND_HALF_UP)


def _abschneiden(x, stellen=Decimal(0)):
    return _zahl(x, "abschneiden").quantize(_stellen(stellen), rounding=ROUND_DOWN)


def _aufrunden(x):
    return _zahl(x, "aufrunden").to_integral_value(rounding=ROUND_CEILING)


def _abrunden(x):
    return _zahl(x, "abrunden").to_integral_value(rounding=ROUND_FLOOR)


def _abrunden_auf_vielfaches(x, n):
    n = _zahl(n, "abrunden_auf_vielfaches")
    if n <= 0:
        raise Laufzeitfehler("abrunden_auf_vielfaches: Vielfaches muss größer als 0 sein")
    return (_zahl(x, "abrunden_auf_vielfaches") / n).to_integral_value(rounding=ROUND_FLOOR) * n


def _liste(werte: Any, funktion: str) -> list:
    if not isinstance(werte, (list, tuple)):
        raise Laufzeitfehler(f"{funktion} erwartet eine Liste, erhielt `{_zeige(werte)}`")
    return list(werte)


def _summe(werte):
    werte = _liste(werte, "summe")
    if all(type(w) is Decimal for w in werte):  # fast path: validated input is Decimal
        return sum(werte, Decimal(0))
    return sum((_zahl(w, "summe") for w in werte), Decimal(0))


def _anzahl(werte):
    return Decimal(len(_liste(werte, "anzahl")))


def _minmax(f, name):
    def berechne(*args):
        werte = _liste(args[0], name) if len(args) == 1 else list(args)
        if not werte:
            raise Laufzeitfehler(f"{name} einer leeren Liste ist nicht bestimmt")
        return f(werte)
    return berechne


def _datum(j, m, t):
    jahr, monat, tag = _ganz(j, "datum", 10**6), _ganz(m, "datum", 10**6), _ganz(t, "datum", 10**6)
    if not ERSTES_JAHR <= jahr <= LETZTES_JAHR:
        raise Laufzeitfehler(f"datum({jahr}, {monat}, {tag}): Jahr außerhalb von {ERSTES_JAHR} bis {LETZTES_JAHR}")
    try:
        return date(jahr, monat, tag)
    except ValueError:
        raise Laufzeitfehler(f"datum({jahr}, {monat}, {tag}) ist kein gültiges Datum") from None


def _als_datum(d, funktion):
    if not isinstance(d, date):
        raise Laufzeitfehler(f"{funktion} erwartet ein Datum, erhielt `{_zeige(d)}`")
    return d


def _plus_monate(d: date, n: int) -> date:
    monat = d.month - 1 + n
    jahr = d.year + monat // 12
    monat = monat % 12 + 1
    if not ERSTES_JAHR <= jahr <= LETZTES_JAHR:
        raise Laufzeitfehler(f"Datum {datum(d)} plus {n} Monate liegt außerhalb der Jahre {ERSTES_JAHR} bis {LETZTES_JAHR}")
    return date(jahr, monat, min(d.day, calendar.monthrange(jahr, monat)[1]))


def _monatsbeginne_der_saeumnis(faellig_am, bis):
    """First days of each started month of Säumnis: the day after the due date, then monthly."""
    beginn = _als_datum(faellig_am, "monatsbeginne_der_saeumnis") + timedelta(days=1)
    ende = _als_datum(bis, "monatsbeginne_der_saeumnis")
    ergebnis = []
    n = 0
    while True:
        tag = _plus_monate(beginn, n)
        if tag > ende or n > 1200:
            return ergebnis
        ergebnis.append(tag)
        n += 1


def _plus_tage(d, n):
    tage = _ganz(n, "plus_tage", 400 * 366)
    ergebnis = _als_datum(d, "plus_tage").toordinal() + tage
    if not date(ERSTES_JAHR, 1, 1).toordinal() <= ergebnis <= date(LETZTES_JAHR, 12, 31).toordinal():
        raise Laufzeitfehler(f"plus_tage: {_als_text(d)} plus {tage} Tage liegt außerhalb der Jahre {ERSTES_JAHR} bis {LETZTES_JAHR}")
    return date.fromordinal(ergebnis)


def _fristende_monate(beginn, n):
    """Last day of a period of n months that starts on `beginn` and counts that day.

    The period ends with the day before the day of the n-th month that corresponds to
    `beginn` by number; if that month has no such day, with its last day.
    """
    b = _als_datum(beginn, "fristende_monate")
    entsprechend = _plus_monate(b, _ganz(n, "fristende_monate", 12 * 400))
    # no day with b's number in that month: the period ends with the month's last day
    return entsprechend if entsprechend.day < b.day else entsprechend - timedelta(days=1)


def _als_text(wert: Any) -> str:
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return ja_nein(wert)
    if isinstance(wert, date):
        return datum(wert)
    if isinstance(wert, (list, tuple)):
        return ", ".join(_als_text(w) for w in wert)
    return str(wert)


def _verbinde(werte, trenner=", ", letzter=None):
    _text_arg(trenner, "verbinde (Trenner)")
    if letzter is not None:
        _text_arg(letzter, "verbinde (letzter Trenner)")
    teile = [_als_text(w) for w in _liste(werte, "verbinde")]
    if letzter is not None and len(teile) > 1:
        return trenner.join(teile[:-1]) + letzter + teile[-1]
    return trenner.join(teile)


FUNKTIONEN: dict[str, tuple[Callable, str]] = {
    "summe": (_summe, "Summe einer Liste von Zahlen"),
    "anzahl": (_anzahl, "Anzahl der Einträge einer Liste"),
    "min": (_minmax(min, "min"), "kleinster Wert (Liste oder mehrere Werte)"),
    "max": (_minmax(max, "max"), "größter Wert (Liste oder mehrere Werte)"),
    "betrag": (lambda x: abs(_zahl(x, "betrag")), "Absolutbetrag"),
    "runden": (_runden, "kaufmännisch runden (ab 5 auf), optional auf n Nachkommastellen"),
    "abschneiden": (_abschneiden, "Nachkommastellen abschneiden (nie aufrunden)"),
    "aufrunden": (_aufrunden, "auf die nächste ganze Zahl aufrunden"),
    "abrunden": (_abrunden, "auf die nächste ganze Zahl abrunden"),
    "abrunden_auf_vielfaches": (_abrunden_auf_vielfaches, "auf ein Vielfaches von n abrunden (z. B. 50 Euro)"),
    "datum": (_datum, "Datum aus Jahr, Monat, Tag"),
    "jahr_von": (lambda d: Decimal(_als_datum(d, "jahr_von").year), "Jahr eines Datums"),
    "monat_von": (lambda d: Decimal(_als_datum(d, "monat_von").month), "Monat eines Datums"),
    "monatsbeginne_der_saeumnis": (_monatsbeginne_der_saeumnis,
                                   "Beginn jedes angefangenen Säumnismonats nach dem Fälligkeitstag bis zu einem Datum"),
    "angegeben": (lambda x: x is not None, "wahr, wenn eine optionale Angabe des Falls vorhanden ist"),
    "plus_tage": (_plus_tage, "Datum plus n Tage (sechs Wochen = 42 Tage)"),
    "fristende_monate": (_fristende_monate, "letzter Tag einer Frist von n Monaten, die an einem Tag beginnt und ihn mitzählt"),
    "text": (lambda *teile: "".join(_als_text(t) for t in teile), "Texte und Werte aneinanderhängen (Datum als TT.MM.JJJJ)"),
    "verbinde": (_verbinde, "Einträge einer Liste zu einem Text verbinden: verbinde(liste, trenner[, letzter_trenner])"),
}
# Argument kinds of the functions above, checked by `regelwerk check` where an argument's kind is known
# (constants, results of functions). (kinds, at least, at most); None = any kind. Functions missing here are
# checked only while running.
_SIGNATUREN: dict[str, tuple[list, int, int]] = {
    "summe": (["liste"], 1, 1), "anzahl": (["liste"], 1, 1), "betrag": (["zahl"], 1, 1),
    "runden": (["zahl", "zahl"], 1, 2), "abschneiden": (["zahl", "zahl"], 1, 2), "aufrunden": (["zahl"], 1, 1),
    "abrunden": (["zahl"], 1, 1), "abrunden_auf_vielfaches": (["zahl", "zahl"], 2, 2), "datum": (["zahl"] * 3, 3, 3),
    "jahr_von": (["datum"], 1, 1), "monat_von": (["datum"], 1, 1),
    "monatsbeginne_der_saeumnis": (["datum", "datum"], 2, 2), "angegeben": ([None], 1, 1),
    "plus_tage": (["datum", "zahl"], 2, 2), "fristende_monate": (["datum", "zahl"], 2, 2),
    "verbinde": (["liste", "text", "text"], 1, 3),
    "laender_mit_spaeterem_fristende": (["datum", "datum"], 2, 2),
}
_RUECKGABE = {"summe": "zahl", "anzahl": "zahl", "betrag": "zahl", "runden": "zahl", "abschneiden": "zahl",
              "aufrunden": "zahl", "abrunden": "zahl", "abrunden_auf_vielfaches": "zahl", "datum": "datum",
              "jahr_von": "zahl", "monat_von": "zahl", "monatsbeginne_der_saeumnis": "liste", "angegeben": "wahr",
              "plus_tage": "datum", "fristende_monate": "datum", "text": "text", "verbinde": "text",
              "laender_mit_spaeterem_fristende": "liste"}
_TYPNAMEN = {"zahl": "eine Zahl", "text": "ein Text", "datum": "ein Datum", "wahr": "wahr/falsch", "liste": "eine Liste",
             "leer": "leer"}


def _typ_von(wert: Any) -> str | None:
    if isinstance(wert, bool):
        return "wahr"
    if isinstance(wert, Decimal):
        return "zahl"
    if isinstance(wert, str):
        return "text"
    if isinstance(wert, date):
        return "datum"
    if isinstance(wert, list):
        return "liste"
    if wert is None:
        return "leer"
    return None


# Special forms that read the case's findings (Feststellungen); their arguments are fixed ids.
FESTSTELLUNGS_FUNKTIONEN = {
    "festgestellt": "Wert (wahr/falsch) einer Feststellung des Falls; ist sie offen, greift die Regel nicht",
    "fehlende_feststellungen": "Liste der genannten Feststellungen, die der Fall offen lässt",
    "feststellung": "Wert einer Feststellung: wahr, falsch oder leer (offen) – für Regeln, die „offen“ ableiten",
}
_LAZY = {"wenn"} | set(FESTSTELLUNGS_FUNKTIONEN)  # evaluated specially, not as plain functions


# --- statutory time limits (engine/fristen.py; DECISIONS.md "Time limits") ---------------------------

def _frist_ganzzahl(n: Any, funktion: str) -> int:
    wert = _zahl(n, funktion)
    if wert != wert.to_integral_value() or wert < 1:
        raise Laufzeitfehler(f"{funktion} erwartet als Fristlänge eine ganze Zahl ab 1, erhielt `{_zeige(n)}`")
    return int(wert)


def _frist_land(land: Any, funktion: str) -> str | None:
    if land is not None and not isinstance(land, str):
        raise Laufzeitfehler(f"{funktion} erwartet als Land ein Kürzel wie \"HE\" oder leer, erhielt `{_zeige(land)}`")
    return land


def _frist_aufruf(funktion: str, berechne: Callable[[], Any]) -> Any:
    try:
        return berechne()
    except fristen.FristFehler as exc:
        raise Laufzeitfehler(f"{funktion}: {exc}") from None


def _fristende_mit(beginn: str, funktion: str) -> Callable:
    def berechne(d, anzahl, einheit):
        d, n = _als_datum(d, funktion), _frist_ganzzahl(anzahl, funktion)
        if not isinstance(einheit, str):
            raise Laufzeitfehler(f"{funktion} erwartet als Einheit \"tage\", \"wochen\", \"monate\" oder \"jahre\", "
                                 f"erhielt `{_zeige(einheit)}`")
        return _frist_aufruf(funktion, lambda: fristen.rechnerisches_ende(d, n, einheit, beginn)[0])
    return berechne


def _frist_tagesfunktion(funktion: str, f: Callable) -> Callable:
    def berechne(d, land):
        d, land = _als_datum(d, funktion), _frist_land(land, funktion)
        return _frist_aufruf(funktion, lambda: f(d, land))
    return berechne


FUNKTIONEN.update({
    "fristende": (_fristende_mit("ereignis", "fristende"),
                  "letzter Tag einer Frist ab einem Ereignis, dessen Tag nicht mitzählt: fristende(datum, anzahl, einheit) "
                  "mit einheit \"tage\", \"wochen\", \"monate\" oder \"jahre\", nach § 187 Abs. 1 und § 188 BGB, ohne Verschiebung "
                  "(31.01. + 1 Monat = 28./29.02., § 188 Abs. 3 BGB)"),
    "fristende_tagesbeginn": (_fristende_mit("tagesbeginn", "fristende_tagesbeginn"),
                              "letzter Tag einer Frist, die mit dem Beginn eines Tages anfängt und diesen Tag mitzählt: "
                              "fristende_tagesbeginn(datum, anzahl, einheit) nach § 187 Abs. 2 und § 188 BGB, ohne Verschiebung"),
    "naechster_werktag": (_frist_tagesfunktion("naechster_werktag", fristen.naechster_werktag),
                          "naechster_werktag(datum, land): das Datum selbst, wenn es ein Werktag ist, sonst der nächste "
                          "Werktag (nicht Samstag, Sonntag, gesetzlicher Feiertag; § 26 Abs. 3 SGB X, § 193 BGB); "
                          "land leer = nur bundesweite Feiertage"),
    "verschiebungsgrund": (_frist_tagesfunktion("verschiebungsgrund", fristen.verschiebungsgrund),
                           "verschiebungsgrund(datum, land): \"\" an einem Werktag, sonst Wochentag/Feiertag, "
                           "z. B. \"25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag\"; ohne Land mit dem Zusatz "
                           "„(nur bundesweite Feiertage berücksichtigt, kein Land angegeben)“"),
    "laender_mit_spaeterem_fristende": (
        lambda ende, tag: _frist_aufruf("laender_mit_spaeterem_fristende", lambda: fristen.laender_mit_spaeterem_ende(
            _als_datum(ende, "laender_mit_spaeterem_fristende"), _als_datum(tag, "laender_mit_spaeterem_fristende"))),
        "laender_mit_spaeterem_fristende(rechnerisches_ende, tag): ohne Angabe des Landes die Länder, in denen eine Frist mit "
        "diesem rechnerischen Ende wegen eines Landesfeiertags erst am Tag `tag` oder später endet (dort wäre eine "
        "Handlung an diesem Tag rechtzeitig); leere Liste, wenn das Ergebnis nicht vom Land abhängt"),
    "ist_werktag": (_frist_tagesfunktion("ist_werktag", fristen.ist_werktag),
                    "ist_werktag(datum, land): wahr von Montag bis Freitag, wenn kein gesetzlicher Feiertag "
                    "(des Landes; bei leer nur bundesweite)"),
})


@dataclass
class Formel:
    quelle: str
    ausfuehren: Ausdruck
    namen: frozenset[str]  # fact names and "parameter.x" it reads
    feststellungen: frozenset[str] = frozenset()  # ids of findings it reads (festgestellt, fehlende_feststellungen)


def _uebersetze(quelle: str) -> str:
    """German keywords → Python tokens; reject Python keywords written directly."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(quelle).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        raise FormelFehler(f"Formel `{quelle}` ist unvollständig: eine Klammer oder ein Anführungszeichen ist nicht geschlossen",
                           hilfe="Klammern und Anführungszeichen paarweise setzen") from None
    ergebnis = []
    for tok in tokens:
        if tok.type == tokenize.NAME:
            if tok.string in _PYTHON_WOERTER and tok.string not in ("in",):
                raise FormelFehler(f"`{tok.string}` ist kein Wort der Formelsprache",
                                   hilfe=f"`{_PYTHON_WOERTER[tok.string]}` verwenden")
            tok = tok._replace(string=SCHLUESSELWOERTER.get(tok.string, tok.string))
        ergebnis.append(tok)
    return tokenize.untokenize(ergebnis)


def auf_deutsch(python: str) -> str:
    """Inverse of `_uebersetze`: Python keywords back to the German formula words."""
    tokens = list(tokenize.generate_tokens(io.StringIO(python).readline))
    return tokenize.untokenize(
        t._replace(string=_PYTHON_WOERTER.get(t.string, t.string)) if t.type == tokenize.NAME and t.string != "in" else t
        for t in tokens).strip()


_VERGLEICHE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


def _vergleich(op: ast.cmpop) -> Callable[[Any, Any], bool]:
    """The comparison `op` of two values; an order or membership test of values that have none is the formula's
    error (comparing for equality never fails)."""
    f = _VERGLEICHE[type(op)]
    if isinstance(op, (ast.Eq, ast.NotEq)):
        return f

    def sicher(a, b):
        try:
            return f(a, b)
        except TypeError:
            raise Laufzeitfehler(f"`{_zeige(a)}` und `{_zeige(b)}` sind nicht vergleichbar") from None
    return sicher


def _aufruf(funktion: Callable, fname: str, args: list[Ausdruck]) -> Ausdruck:
    """A call of a built-in function; a wrong kind of value, in the call or while computing an argument, is named
    as the function's error."""
    def falsch() -> Laufzeitfehler:
        return Laufzeitfehler(f"{fname}: falsche Anzahl oder Art der Angaben")
    if len(args) == 1:
        (a,) = args

        def rufe1(u):
            try:
                return funktion(a(u))
            except (TypeError, AttributeError):
                raise falsch() from None
        return rufe1
    if len(args) == 2:
        a, b = args

        def rufe2(u):
            try:
                return funktion(a(u), b(u))
            except (TypeError, AttributeError):
                raise falsch() from None
        return rufe2

    def rufe(u):
        try:
            return funktion(*[a(u) for a in args])
        except (TypeError, AttributeError):
            raise falsch() from None
    return rufe


def _rechnen(op: ast.operator) -> Callable[[Any, Any], Any]:
    def add(a, b):
        if type(a) is Decimal and type(b) is Decimal:  # fast path, the common case
            return a + b
        if isinstance(a, list) and isinstance(b, list):
            return a + b
        return _zahl(a, "+") + _zahl(b, "+")

    def sub(a, b):
        if type(a) is Decimal and type(b) is Decimal:
            return a - b
        return _zahl(a, "-") - _zahl(b, "-")

    def mul(a, b):
        if type(a) is Decimal and type(b) is Decimal:
            return a * b
        return _zahl(a, "*") * _zahl(b, "*")

    def div(a, b):
        b = _zahl(b, "/")
        if b == 0:
            raise Laufzeitfehler("Division durch null")
        return _zahl(a, "/") / b
    return {ast.Add: add, ast.Sub: sub, ast.Mult: mul, ast.Div: div}[type(op)]


def _feld(wert: Any, name: str) -> Any:
    if isinstance(wert, dict):
        if name not in wert:
            raise Laufzeitfehler(f"Feld `{name}` fehlt")
        return wert[name]
    if isinstance(wert, list):
        _verbrauche(len(wert))
        return [_feld(w, name) for w in wert]
    raise Laufzeitfehler(f"`{_zeige(wert)}` hat kein Feld `{name}`")


class _Uebersetzer:
    def __init__(self, quelle: str, bekannte: set[str] | None, parameter: set[str] | None):
        self.quelle = quelle
        self._utf8: bytes | None = None  # the formula as UTF-8, for `ausschnitt`
        self.bekannte = bekannte
        self.parameter = parameter
        self.namen: set[str] = set()
        self.feststellungen: set[str] = set()
        self.lokale: list[str] = []
        self.konstant: set[int] = set()  # ids of closures whose value is known now
        self.typen: dict[int, str] = {}  # ids of closures whose kind of value is known now
        self._halte: list = []  # keeps constant closures alive so that their ids stay unique

    def falte(self, f: Ausdruck, teile: list, knoten: ast.AST, typ: str | None) -> Ausdruck:
        """Constant parts are computed now: what cannot be computed is an error of `check`, not of a decision."""
        if teile and all(id(t) in self.konstant for t in teile):
            try:
                wert = _geschuetzt(f)({})
            except Laufzeitfehler as exc:
                raise self.fehler(f"nicht berechenbar: {exc}", knoten) from None
            return self.konstante(wert)
        if typ is not None:
            self.typen[id(f)] = typ
        return f

    def rechnung(self, knoten: ast.operator, op: Callable[[Any, Any], Any], links: Ausdruck, rechts: Ausdruck
                 ) -> Ausdruck:
        """`links OP rechts` with `op` from `_rechnen`; + - * of two Decimals directly (op's own first case), and a
        constant right side read now (`jahr + 1`)."""
        direkt = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}.get(type(knoten))
        if id(rechts) in self.konstant:
            w = rechts({})
            if direkt is not None and type(w) is Decimal:
                return lambda u: direkt(a, w) if type(a := links(u)) is Decimal else op(a, w)
            return lambda u: op(links(u), w)
        if direkt is None:
            return lambda u: op(links(u), rechts(u))

        def rechne(u):
            a, b = links(u), rechts(u)
            return direkt(a, b) if type(a) is Decimal and type(b) is Decimal else op(a, b)
        return rechne

    def vergleich(self, op: ast.cmpop, links: Ausdruck, rechts: Ausdruck) -> Ausdruck:
        """One comparison `links OP rechts` (`_vergleich`); a constant right side is read now (`x >= 60`, the common
        case)."""
        f = _vergleich(op)
        if id(rechts) in self.konstant:
            w = rechts({})
            return lambda u: f(links(u), w)
        return lambda u: f(links(u), rechts(u))

    def konstante(self, wert: Any) -> Ausdruck:
        f = lambda u, w=wert: w  # noqa: E731
        self.konstant.add(id(f))
        self._halte.append(f)
        typ = _typ_von(wert)
        if typ is not None:
            self.typen[id(f)] = typ
        return f

    def pruefe_aufruf(self, fname: str, args: list, k: ast.Call) -> None:
        """Number and kind of arguments of the functions whose signature is known."""
        signatur = _SIGNATUREN.get(fname)
        if signatur is None:
            return
        typen, mindestens, hoechstens = signatur
        if not mindestens <= len(args) <= hoechstens:
            anzahl = str(mindestens) if mindestens == hoechstens else f"{mindestens} bis {hoechstens}"
            raise self.fehler(f"{fname}(…) braucht {anzahl} Angabe(n), erhielt {len(args)}", k)
        for nr, (a, erwartet) in enumerate(zip(args, typen), 1):
            typ = self.typen.get(id(a))
            if erwartet is not None and typ is not None and typ != erwartet:
                raise self.fehler(f"{fname}: Angabe {nr} muss {_TYPNAMEN[erwartet]} sein, ist aber {_TYPNAMEN[typ]}", k)

    def fehler(self, was: str, knoten: ast.AST | None = None, hilfe: str | None = None) -> FormelFehler:
        if knoten is not None and hasattr(knoten, "col_offset"):
            was += f" (bei Zeichen {knoten.col_offset + 1})"
        return FormelFehler(was, hilfe=hilfe)

    def name(self, knoten: ast.Name) -> Ausdruck:
        n = knoten.id
        if n in self.lokale:
            return lambda u: u[n]
        if n == "parameter":
            raise self.fehler("`parameter` braucht einen Namen: `parameter.NAME`", knoten)
        if n in FUNKTIONEN or n in _LAZY:
            raise self.fehler(f"`{n}` ist eine Funktion und muss aufgerufen werden: `{n}(…)`", knoten)
        if self.bekannte is not None and n not in self.bekannte:
            from .fehler import vorschlag
            raise self.fehler(f"unbekannter Name `{n}`", knoten,
                              vorschlag(n, self.bekannte | set(FUNKTIONEN)) or "in `liest` aufnehmen oder Schreibweise prüfen")
        self.namen.add(n)

        def lies(u, n=n):
            try:
                return u[n]
            except KeyError:
                raise Laufzeitfehler(f"Wert `{n}` ist nicht bekannt") from None
        return lies

    def ausschnitt(self, k: ast.AST) -> str | None:
        """`ast.get_source_segment(self.quelle, k)`; a one-line formula is cut without splitting it into lines again
        for every number (that took a tenth of loading the rulebook). The offsets count UTF-8 bytes."""
        if "\n" in self.quelle or k.end_col_offset is None or k.lineno != 1 or k.end_lineno != 1:
            return ast.get_source_segment(self.quelle, k)
        if self._utf8 is None:
            self._utf8 = self.quelle.encode("utf-8")
        return self._utf8[k.col_offset:k.end_col_offset].decode("utf-8")

    def uebersetze(self, k: ast.AST) -> Ausdruck:
        if isinstance(k, ast.Expression):
            return self.uebersetze(k.body)
        if isinstance(k, ast.Constant):
            if isinstance(k.value, bool) or k.value is None or isinstance(k.value, str):
                wert = k.value
            elif isinstance(k.value, (int, float)):
                text = self.ausschnitt(k) or repr(k.value)
                try:
                    wert = Decimal(text)
                except InvalidOperation:
                    raise self.fehler(f"Zahl `{text}` nicht lesbar", k) from None
                if not wert.is_finite() or (wert != 0 and abs(wert.adjusted()) > MAX_EXPONENT):
                    raise self.fehler(f"Zahl `{text}` ist zu groß oder zu klein (erlaubt: Beträge zwischen 10^-{MAX_EXPONENT} "
                                      f"und 10^{MAX_EXPONENT})", k, "die Zahl ausschreiben, z. B. 1000000")
            else:
                raise self.fehler("nicht erlaubter Wert", k)
            return self.konstante(wert)
        if isinstance(k, ast.Name):
            return self.name(k)
        if isinstance(k, ast.Attribute):
            if isinstance(k.value, ast.Name) and k.value.id == "parameter" and "parameter" not in self.lokale:
                pname = k.attr
                if self.parameter is not None and pname not in self.parameter:
                    from .fehler import vorschlag
                    raise self.fehler(f"unbekannter Parameter `{pname}`", k,
                                      vorschlag(pname, self.parameter) or "Parameter unter rules/parameter/ anlegen")
                schluessel = f"parameter.{pname}"
                self.namen.add(schluessel)

                def param(u, s=schluessel):
                    try:
                        return u[s]
                    except KeyError:
                        raise Laufzeitfehler(f"Parameter `{s}` hat an diesem Stichtag keinen Wert") from None
                return param
            if k.attr.startswith("_"):
                raise self.fehler(f"Feldname `{k.attr}` ist nicht erlaubt", k)
            basis = self.uebersetze(k.value)
            return lambda u, f=k.attr: _feld(basis(u), f)
        if isinstance(k, ast.BoolOp):
            teile = [self.uebersetze(v) for v in k.values]
            if len(teile) == 2:  # the common case without a generator; the same short-circuit order
                a, b = teile
                if isinstance(k.op, ast.And):
                    return lambda u: _wahrheit(a(u)) and _wahrheit(b(u))
                return lambda u: _wahrheit(a(u)) or _wahrheit(b(u))
            if isinstance(k.op, ast.And):
                return lambda u: all(_wahrheit(t(u)) for t in teile)
            return lambda u: any(_wahrheit(t(u)) for t in teile)
        if isinstance(k, ast.UnaryOp):
            inner = self.uebersetze(k.operand)
            if isinstance(k.op, ast.Not):
                return lambda u: not _wahrheit(inner(u))
            if isinstance(k.op, ast.USub):
                return self.falte(lambda u: -_zahl(inner(u), "-"), [inner], k, "zahl")
            if isinstance(k.op, ast.UAdd):
                return self.falte(lambda u: _zahl(inner(u), "+"), [inner], k, "zahl")
            raise self.fehler("nicht erlaubter Operator", k)
        if isinstance(k, ast.BinOp):
            if type(k.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div):
                raise self.fehler("nur + - * / sind erlaubt", k)
            links, rechts, op = self.uebersetze(k.left), self.uebersetze(k.right), _rechnen(k.op)
            zeichen = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}[type(k.op)]
            erlaubt = ("zahl", "liste") if zeichen == "+" else ("zahl",)
            for seite in (links, rechts):
                if self.typen.get(id(seite)) not in (None,) + erlaubt:
                    raise self.fehler(f"`{zeichen}` rechnet mit Zahlen, hier steht aber {_TYPNAMEN[self.typen[id(seite)]]}", k)
            return self.falte(self.rechnung(k.op, op, links, rechts), [links, rechts], k,
                              "zahl" if "zahl" in (self.typen.get(id(links)), self.typen.get(id(rechts))) else None)
        if isinstance(k, ast.Compare):
            teile = [self.uebersetze(k.left)] + [self.uebersetze(c) for c in k.comparators]
            ops = [_vergleich(o) for o in k.ops]
            if len(ops) == 1:
                return self.falte(self.vergleich(k.ops[0], teile[0], teile[1]), teile, k, "wahr")

            def vergleiche(u):
                werte = [t(u) for t in teile]
                return all(op(werte[i], werte[i + 1]) for i, op in enumerate(ops))
            return vergleiche
        if isinstance(k, ast.Call):
            if not isinstance(k.func, ast.Name):
                raise self.fehler("nur eingebaute Funktionen dürfen aufgerufen werden", k)
            if k.keywords:
                raise self.fehler("Funktionsargumente ohne Namen angeben", k)
            fname = k.func.id
            args = [self.uebersetze(a) for a in k.args]
            if fname == "wenn":
                if len(args) != 3:
                    raise self.fehler("wenn(bedingung, dann, sonst) braucht genau drei Angaben", k)
                b, d, s = args
                return lambda u: d(u) if _wahrheit(b(u)) else s(u)
            if fname in FESTSTELLUNGS_FUNKTIONEN:
                return self.feststellungs_aufruf(fname, k)
            if fname not in FUNKTIONEN:
                from .fehler import vorschlag
                raise self.fehler(f"unbekannte Funktion `{fname}`", k,
                                  vorschlag(fname, list(FUNKTIONEN) + sorted(_LAZY)) or "erlaubt: " + ", ".join(sorted(FUNKTIONEN)))
            funktion = FUNKTIONEN[fname][0]
            self.pruefe_aufruf(fname, args, k)

            return self.falte(_aufruf(funktion, fname, args), args, k, _RUECKGABE.get(fname))
        if isinstance(k, (ast.GeneratorExp, ast.ListComp)):
            if len(k.generators) != 1 or not isinstance(k.generators[0].target, ast.Name):
                raise self.fehler("nur eine einfache Aufzählung `x fuer v in liste falls …` ist erlaubt", k)
            gen = k.generators[0]
            quelle = self.uebersetze(gen.iter)
            var = gen.target.id
            self.lokale.append(var)
            try:
                element = self.uebersetze(k.elt)
                filter_ = [self.uebersetze(f) for f in gen.ifs]
            finally:
                self.lokale.pop()

            def aufzaehlen(u):
                ergebnis = []
                lokal = dict(u)
                eintraege = _liste(quelle(u), "fuer … in")
                _verbrauche(len(eintraege) + 1)
                for eintrag in eintraege:
                    lokal[var] = eintrag
                    if all(_wahrheit(f(lokal)) for f in filter_):
                        ergebnis.append(element(lokal))
                return ergebnis
            return aufzaehlen
        if isinstance(k, ast.List):
            teile = [self.uebersetze(e) for e in k.elts]
            return lambda u: [t(u) for t in teile]
        if isinstance(k, ast.Dict):
            if not all(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in k.keys):
                raise self.fehler("Schlüssel eines Eintrags müssen Texte in Anführungszeichen sein", k)
            paare = [(s.value, self.uebersetze(v)) for s, v in zip(k.keys, k.values)]
            return lambda u: {s: v(u) for s, v in paare}
        raise self.fehler(f"`{self.ausschnitt(k) or type(k).__name__}` ist in Formeln nicht erlaubt", k)


def _feststellungs_aufruf(self, fname: str, k: ast.Call) -> Ausdruck:
    ids = []
    for a in k.args:
        if not (isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value):
            raise self.fehler(f"{fname}(…) erwartet Kennungen von Feststellungen in Anführungszeichen, "
                              f"z. B. {fname}(\"zumutbar\")", k)
        ids.append(a.value)
    einzeln = fname in ("festgestellt", "feststellung")
    if not ids or (einzeln and len(ids) != 1):
        raise self.fehler(f"{fname}(…) braucht {'genau eine Kennung' if einzeln else 'mindestens eine Kennung'}", k)
    self.feststellungen.update(ids)
    if fname == "feststellung":
        fid = ids[0]

        def feststellung(u):
            f = _feststellung(u, fid)
            return None if f is None else f["wert"]
        return feststellung
    if fname == "festgestellt":
        fid = ids[0]

        def festgestellt(u):
            f = _feststellung(u, fid)
            if f is None:
                raise FehlendeFeststellung(fid)
            return f["wert"]
        return festgestellt
    return lambda u: [fid for fid in ids if _feststellung(u, fid) is None]


_Uebersetzer.feststellungs_aufruf = _feststellungs_aufruf


def _wahrheit(wert: Any) -> bool:
    if wert is True or wert is False:
        return wert
    raise Laufzeitfehler(f"Bedingung muss wahr oder falsch sein, ist aber `{_zeige(wert)}`")


def uebersetze(quelle: str, bekannte: set[str] | None = None, parameter: set[str] | None = None) -> Formel:
    """Compile a formula. With `bekannte`/`parameter`, unknown names are errors."""
    if not isinstance(quelle, str):
        quelle = str(quelle).lower() if isinstance(quelle, bool) else str(quelle)
        quelle = {"true": "wahr", "false": "falsch"}.get(quelle, quelle)
    kurz = quelle if len(quelle) <= 80 else quelle[:80] + "…"
    if len(quelle) > MAX_ZEICHEN:
        raise FormelFehler(f"Formel `{kurz}` ist zu lang ({len(quelle)} Zeichen, erlaubt {MAX_ZEICHEN})",
                           hilfe="in mehrere Regeln mit Zwischenergebnissen aufteilen")
    python = _uebersetze(quelle)
    try:
        baum = ast.parse(python.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormelFehler(f"Formel `{kurz}` ist fehlerhaft: {_syntax_deutsch(exc.msg)} (bei Zeichen {exc.offset or '?'})",
                           hilfe="Klammern, Operatoren und Schreibweise prüfen") from None
    except (RecursionError, MemoryError):
        raise FormelFehler(f"Formel `{kurz}` ist zu tief verschachtelt oder zu lang",
                           hilfe="in mehrere Regeln mit Zwischenergebnissen aufteilen") from None
    _pruefe_groesse(baum, kurz)
    u = _Uebersetzer(python.strip(), bekannte, parameter)
    try:
        ausfuehren = u.uebersetze(baum)
    except FormelFehler as exc:
        exc.was = f"Formel `{kurz}`: {exc.was}"
        raise
    return Formel(quelle, _geschuetzt(ausfuehren), frozenset(u.namen), frozenset(u.feststellungen))


def _pruefe_groesse(baum: ast.AST, kurz: str) -> None:
    """Depth and size of the expression tree, walked without recursion."""
    stapel = [(baum, 1)]
    knoten = 0
    while stapel:
        k, tiefe = stapel.pop()
        knoten += 1
        if tiefe > MAX_TIEFE or knoten > MAX_KNOTEN:
            was = f"zu tief verschachtelt (mehr als {MAX_TIEFE} Ebenen)" if tiefe > MAX_TIEFE \
                else f"zu lang (mehr als {MAX_KNOTEN} Bestandteile)"
            raise FormelFehler(f"Formel `{kurz}` ist {was}", hilfe="in mehrere Regeln mit Zwischenergebnissen aufteilen "
                               "oder Listen mit summe(…) zusammenfassen")
        stapel.extend((kind, tiefe + 1) for kind in ast.iter_child_nodes(k))


_SYNTAX_TEXTE = [("invalid syntax", "ungültige Schreibweise"), ("unexpected EOF", "Formel endet unerwartet"),
                 ("unmatched", "Klammer ohne Gegenstück"), ("was never closed", "Klammer wird nicht geschlossen"),
                 ("does not match opening parenthesis", "Klammern passen nicht zueinander"),
                 ("invalid decimal literal", "ungültige Zahl"), ("leading zeros", "Zahl mit führender Null"),
                 ("Perhaps you forgot a comma", "fehlt ein Komma?"), ("unterminated string", "Text wird nicht geschlossen"),
                 ("too many nested parentheses", "zu viele verschachtelte Klammern"), ("invalid character", "ungültiges Zeichen")]


def _syntax_deutsch(text: str | None) -> str:
    for englisch, deutsch in _SYNTAX_TEXTE:
        if text and englisch in text:
            return deutsch
    return "ungültige Schreibweise"


python_quelle = _uebersetze  # public name: the formula text with German words replaced by Python's


def feldpfade(quelle: str) -> list[tuple[str, ...]]:
    """The field paths a formula reads, in order of appearance: `antrag.eingang` -> ("antrag", "eingang").

    Used to point an error caused by a case value at the fields of the case; names bound inside the
    formula (`fuer m in …`) come out as paths too and are filtered by the caller.
    """
    try:
        baum = ast.parse(_uebersetze(quelle).strip(), mode="eval")
    except (SyntaxError, RecursionError, FormelFehler):
        return []
    gefunden: list[tuple[int, tuple[str, ...]]] = []
    innere: set[int] = set()
    for k in ast.walk(baum):  # outer nodes come first, so an attribute chain is seen before its parts
        if id(k) in innere or not isinstance(k, (ast.Attribute, ast.Name)):
            continue
        teile, wert = [], k
        while isinstance(wert, ast.Attribute):
            innere.add(id(wert))
            teile.append(wert.attr)
            wert = wert.value
        if isinstance(wert, ast.Name):
            innere.add(id(wert))
            gefunden.append((k.col_offset, (wert.id, *reversed(teile))))
    return list(dict.fromkeys(p for _, p in sorted(gefunden, key=lambda e: e[0])))
