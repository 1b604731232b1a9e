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
import io
import tokenize
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable

from . import fristen
from .fehler import FormelFehler

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
    if isinstance(wert, bool) or not isinstance(wert, (Decimal, int)):
        raise Laufzeitfehler(f"{funktion} erwartet eine Zahl, erhielt `{_zeige(wert)}`")
    return Decimal(wert)


def _zeige(wert: Any) -> str:
    if wert is None:
        return "leer"
    if isinstance(wert, bool):
        return "wahr" if wert else "falsch"
    return str(wert)


def _stellen(n: Any) -> Decimal:
    return Decimal(1).scaleb(-int(_zahl(n, "Stellen")))


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
    try:
        return date(int(_zahl(j, "datum")), int(_zahl(m, "datum")), int(_zahl(t, "datum")))
    except ValueError as exc:
        raise Laufzeitfehler(f"datum({j}, {m}, {t}) ist kein gültiges Datum") from exc


def _als_datum(d, funktion):
    if not isinstance(d, date):
        raise Laufzeitfehler(f"{funktion} erwartet ein Datum, erhielt `{_zeige(d)}`")
    return d


def _plus_monate(d: date, n: int) -> date:
    monat = d.month - 1 + n
    jahr = d.year + monat // 12
    monat = monat % 12 + 1
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
    return _als_datum(d, "plus_tage") + timedelta(days=int(_zahl(n, "plus_tage")))


def _fristende_monate(beginn, n):
    """Last day of a period of n months that starts on `beginn` and counts that day.

    The period ends with the day before the day of the n-th month that corresponds to
    `beginn` by number; if that month has no such day, with its last day.
    """
    b = _als_datum(beginn, "fristende_monate")
    entsprechend = _plus_monate(b, int(_zahl(n, "fristende_monate")))
    # no day with b's number in that month: the period ends with the month's last day
    return entsprechend if entsprechend.day < b.day else entsprechend - timedelta(days=1)


def _als_text(wert: Any) -> str:
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, date):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, (list, tuple)):
        return ", ".join(_als_text(w) for w in wert)
    return str(wert)


def _verbinde(werte, trenner=", ", letzter=None):
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


def _vergleich(op: ast.cmpop) -> Callable[[Any, Any], bool]:
    def sicher(f):
        def g(a, b):
            try:
                return f(a, b)
            except TypeError:
                raise Laufzeitfehler(f"`{_zeige(a)}` und `{_zeige(b)}` sind nicht vergleichbar") from None
        return g
    return {
        ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
        ast.Lt: sicher(lambda a, b: a < b), ast.LtE: sicher(lambda a, b: a <= b),
        ast.Gt: sicher(lambda a, b: a > b), ast.GtE: sicher(lambda a, b: a >= b),
        ast.In: sicher(lambda a, b: a in b), ast.NotIn: sicher(lambda a, b: a not in b),
    }[type(op)]


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
        return [_feld(w, name) for w in wert]
    raise Laufzeitfehler(f"`{_zeige(wert)}` hat kein Feld `{name}`")


class _Uebersetzer:
    def __init__(self, quelle: str, bekannte: set[str] | None, parameter: set[str] | None):
        self.quelle = quelle
        self.bekannte = bekannte
        self.parameter = parameter
        self.namen: set[str] = set()
        self.feststellungen: set[str] = set()
        self.lokale: list[str] = []

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

    def uebersetze(self, k: ast.AST) -> Ausdruck:
        if isinstance(k, ast.Expression):
            return self.uebersetze(k.body)
        if isinstance(k, ast.Constant):
            if isinstance(k.value, bool) or k.value is None or isinstance(k.value, str):
                wert = k.value
            elif isinstance(k.value, (int, float)):
                text = ast.get_source_segment(self.quelle, k) or repr(k.value)
                try:
                    wert = Decimal(text)
                except InvalidOperation:
                    raise self.fehler(f"Zahl `{text}` nicht lesbar", k) from None
            else:
                raise self.fehler("nicht erlaubter Wert", k)
            return lambda u, w=wert: w
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
            if isinstance(k.op, ast.And):
                return lambda u: all(_wahrheit(t(u)) for t in teile)
            return lambda u: any(_wahrheit(t(u)) for t in teile)
        if isinstance(k, ast.UnaryOp):
            inner = self.uebersetze(k.operand)
            if isinstance(k.op, ast.Not):
                return lambda u: not _wahrheit(inner(u))
            if isinstance(k.op, ast.USub):
                return lambda u: -_zahl(inner(u), "-")
            if isinstance(k.op, ast.UAdd):
                return lambda u: _zahl(inner(u), "+")
            raise self.fehler("nicht erlaubter Operator", k)
        if isinstance(k, ast.BinOp):
            if type(k.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div):
                raise self.fehler("nur + - * / sind erlaubt", k)
            links, rechts, op = self.uebersetze(k.left), self.uebersetze(k.right), _rechnen(k.op)
            return lambda u: op(links(u), rechts(u))
        if isinstance(k, ast.Compare):
            teile = [self.uebersetze(k.left)] + [self.uebersetze(c) for c in k.comparators]
            ops = [_vergleich(o) for o in k.ops]
            if len(ops) == 1:
                links, rechts, op = teile[0], teile[1], ops[0]
                return lambda u: op(links(u), rechts(u))

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

            def rufe(u):
                try:
                    return funktion(*[a(u) for a in args])
                except TypeError as exc:
                    raise Laufzeitfehler(f"{fname}: falsche Anzahl oder Art der Angaben ({exc})") from None
            return rufe
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
                for eintrag in _liste(quelle(u), "fuer … in"):
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
        raise self.fehler(f"`{ast.get_source_segment(self.quelle, k) or type(k).__name__}` ist in Formeln nicht erlaubt", k)


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
    if isinstance(wert, bool):
        return wert
    raise Laufzeitfehler(f"Bedingung muss wahr oder falsch sein, ist aber `{_zeige(wert)}`")


def uebersetze(quelle: str, bekannte: set[str] | None = None, parameter: set[str] | None = None) -> Formel:
    """Compile a formula. With `bekannte`/`parameter`, unknown names are errors."""
    if not isinstance(quelle, str):
        quelle = str(quelle).lower() if isinstance(quelle, bool) else str(quelle)
        quelle = {"true": "wahr", "false": "falsch"}.get(quelle, quelle)
    python = _uebersetze(quelle)
    try:
        baum = ast.parse(python.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormelFehler(f"Formel `{quelle}` ist fehlerhaft: {exc.msg} (bei Zeichen {exc.offset or '?'})",
                           hilfe="Klammern, Operatoren und Schreibweise prüfen") from None
    u = _Uebersetzer(python.strip(), bekannte, parameter)
    try:
        ausfuehren = u.uebersetze(baum)
    except FormelFehler as exc:
        exc.was = f"Formel `{quelle}`: {exc.was}"
        raise
    return Formel(quelle, ausfuehren, frozenset(u.namen), frozenset(u.feststellungen))
