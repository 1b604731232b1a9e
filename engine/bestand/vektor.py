"""The rules' formulas over a whole caseload: the formula language of `engine.formel`, evaluated on NumPy arrays.

This is a second evaluator of the same formula text (the parsed AST of `formel.python_quelle`), not a second
copy of the law: every number, threshold and parameter comes from the rulebook. A value is

- `Zahl`: an exact rational per case, an int64 numerator array over a positive denominator (a Python int
  when it is the same for all cases, otherwise an int64 array). Money therefore stays exact: 155 Euro is
  15500/100, a Werkstatt invoice of 119.99 Euro is 11999/100. No float is ever created; every product is
  checked against the int64 range first (a case outside it goes to the rule engine).
- a bool array (conditions), `Datum` (days since 1970-01-01 as int64), `Tabelle` (a list of the case:
  rows with the index of their case, columns, a mask of the rows that belong to it), `Spalte` (a field of a
  table's rows).

Evaluation follows the engine's semantics: `und`/`oder` and `wenn(…)` evaluate their second part only for the
cases that need it, and a failure (division by zero, an invalid date) is recorded only for cases that are
active at that point; such cases are decided by the rule engine instead. What the evaluator does not know
raises `NichtVektorisierbar`: the caller then sends the cases that reach that rule to the rule engine.
"""
from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import Any

import numpy as np

from ..formel import python_quelle
from ..fristen import naechster_werktag

GRENZE = 1 << 62  # products must stay below this (int64 holds 2**63 - 1)
EPOCHE = date(1970, 1, 1).toordinal()


class NichtVektorisierbar(Exception):
    """The formula uses something the vectorised evaluator does not cover."""


@dataclass
class Zahl:
    n: Any  # int64 array or Python int
    d: Any = 1  # positive: Python int or int64 array
    g: int | None = None  # a bound of |n| (None: found when first needed), so products are checked cheaply

    @staticmethod
    def von(wert: Any) -> "Zahl":
        if isinstance(wert, bool) or not isinstance(wert, (int, Decimal)):
            raise NichtVektorisierbar(f"kein Zahlenwert: {wert!r}")
        f = Fraction(wert)
        return Zahl(f.numerator, f.denominator)


@dataclass
class Datum:
    t: Any  # days since 1970-01-01 (int64 array or Python int)


@dataclass
class Tabelle:
    """A list of each case as rows: `fall` (sorted case index of each row), columns, the rows that belong."""

    fall: np.ndarray
    spalten: dict[str, Any]
    maske: np.ndarray  # rows in the list (a filtered list keeps the rows, masks them out)
    vorhanden: np.ndarray  # per case: the list is given (not `leer`)
    grenzen: np.ndarray  # per case: first row index; len n+1
    breite: int = 0  # > 0: every case has exactly this many rows (dense layout, sums by reshaping)
    nullen: bool = False  # the input columns are 0 in rows outside `maske` (the reader's dense layout)


@dataclass
class Spalte:
    tabelle: Tabelle
    wert: Any


@dataclass
class Umgebung:
    """The values of one evaluation: facts of the cases, parameter constants, the current row level."""

    n: int
    werte: dict[str, Any]
    konstanten: dict[str, Any]
    fehler: np.ndarray  # per case: evaluation failed for it (decided by the rule engine)
    lokale: dict[str, Tabelle] = field(default_factory=dict)  # row variable -> its table
    ebene: Tabelle | None = None  # evaluating per row of this table
    fehlend: frozenset = frozenset()  # inputs of the Verfahren that no case of the columns gives (`angegeben` is false)


def _max(x: Any) -> int:
    if isinstance(x, np.ndarray):
        return max(int(x.max()), -int(x.min())) if x.size else 0
    return abs(int(x))


def _gn(z: Zahl) -> int:
    if z.g is None:
        z.g = _max(z.n)
    return z.g


def _pruefe_grenze(schranke: int) -> int:
    if schranke >= GRENZE:
        raise NichtVektorisierbar("Zahlen zu groß für exakte 64-Bit-Rechnung")
    return schranke


def mal(a: Any, b: Any) -> Any:
    """a * b for arrays or ints, checked against the int64 range first."""
    _pruefe_grenze(_max(a) * _max(b))
    if isinstance(b, int) and b == 1:
        return a
    if isinstance(a, int) and a == 1:
        return b
    return a * b


def _skaliert(z: Zahl, faktor: int) -> tuple[Any, int]:
    """z's numerator times an int factor, with the bound of the result."""
    if faktor == 1:
        return z.n, _gn(z)
    return z.n * faktor, _pruefe_grenze(_gn(z) * faktor)


def _plus(a: Zahl, b: Zahl, vz: int = 1) -> Zahl:
    if not isinstance(a.d, np.ndarray) and not isinstance(b.d, np.ndarray):
        kgv = a.d * b.d // gcd(a.d, b.d)
        (na, ga), (nb, gb) = _skaliert(a, kgv // a.d), _skaliert(b, kgv // b.d)
        return Zahl(na + nb if vz > 0 else na - nb, kgv, _pruefe_grenze(ga + gb))
    na, nb = mal(a.n, b.d), mal(b.n, a.d)
    schranke = _pruefe_grenze(_max(na) + _max(nb))
    return Zahl(na + nb if vz > 0 else na - nb, mal(a.d, b.d), schranke)


def _gleichnamig(a: Zahl, b: Zahl) -> tuple[Any, Any]:
    """Numerators of a and b over a common denominator (for comparisons)."""
    if not isinstance(a.d, np.ndarray) and not isinstance(b.d, np.ndarray):
        if a.d == b.d:
            return a.n, b.n
        return _skaliert(a, b.d)[0], _skaliert(b, a.d)[0]
    return mal(a.n, b.d), mal(b.n, a.d)


def _differenz_vorzeichen(a: Zahl, b: Zahl) -> Any:
    """sign(a - b) per case, exactly."""
    links, rechts = _gleichnamig(a, b)
    return np.sign(np.asarray(links) - np.asarray(rechts))


def _auf_ebene(wert: Any, u: Umgebung) -> Any:
    """A per-case value read inside a row context: one value per row."""
    if u.ebene is None:
        return wert
    idx = u.ebene.fall
    if isinstance(wert, Zahl):
        return Zahl(wert.n[idx] if isinstance(wert.n, np.ndarray) else wert.n,
                    wert.d[idx] if isinstance(wert.d, np.ndarray) else wert.d, wert.g)  # a subset keeps the bound
    if isinstance(wert, Datum):
        return Datum(wert.t[idx] if isinstance(wert.t, np.ndarray) else wert.t)
    if isinstance(wert, np.ndarray):
        return wert[idx]
    if isinstance(wert, (bool, Tabelle)):
        return wert  # a list stays the list of its case (`angegeben(liste)` reads it per row)
    raise NichtVektorisierbar("Liste innerhalb einer Aufzählung")


def _merke_fehler(u: Umgebung, schlecht: Any, aktiv: Any) -> None:
    schlecht = np.asarray(schlecht & aktiv)
    if not schlecht.any():
        return
    if u.ebene is None:
        u.fehler |= np.broadcast_to(schlecht, (u.n,))
    else:
        u.fehler[u.ebene.fall[np.broadcast_to(schlecht, u.ebene.fall.shape)]] = True


class _Leer:
    """`leer`: an optional input that no case of the columns gives (the engine reads it as None)."""

    def __repr__(self) -> str:
        return "leer"


LEER = _Leer()


def _bool(x: Any) -> Any:
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, np.ndarray) and x.dtype == bool:
        return x
    raise NichtVektorisierbar("Bedingung ist kein Wahrheitswert")


def _alle(u: Umgebung) -> int:
    return u.n if u.ebene is None else len(u.ebene.fall)


def _voll(x: Any, u: Umgebung) -> np.ndarray:
    return np.broadcast_to(np.asarray(x), (_alle(u),))


def _segmentsumme(t: Tabelle, werte: np.ndarray, maske: np.ndarray, null_ausserhalb: bool = False) -> np.ndarray:
    """Sum of the masked rows per case (rows are sorted by case), exact in int64: by reshaping in the dense
    layout, else by `np.add.reduceat` over each case's rows."""
    w = werte if null_ausserhalb else np.where(maske, werte, 0)
    if not w.size:
        return np.zeros(len(t.grenzen) - 1, dtype=np.int64)
    if t.breite:
        return w.reshape(-1, t.breite).sum(axis=1)
    anfang = t.grenzen[:-1]
    belegt = t.grenzen[1:] > anfang  # cases with rows; their starts rise strictly, so each sum ends at the next
    summen = np.zeros(len(anfang), dtype=np.int64)
    summen[belegt] = np.add.reduceat(w, anfang[belegt])
    return summen


def ausdruck(quelle: str) -> ast.AST:
    """The AST of a formula (German words replaced), as `engine.formel` parses it."""
    return ast.parse(python_quelle(quelle).strip(), mode="eval").body


def werte_aus(k: ast.AST, u: Umgebung, aktiv: Any) -> Any:
    """Evaluate the formula node `k` for all cases (or rows) at once; `aktiv`: where its value matters."""
    if isinstance(k, ast.Constant):
        if k.value is None:
            return LEER
        if isinstance(k.value, bool):
            return k.value
        if isinstance(k.value, (int, float)) and not isinstance(k.value, bool):
            return Zahl.von(Decimal(repr(k.value)) if isinstance(k.value, float) else k.value)
        raise NichtVektorisierbar(f"Konstante {k.value!r}")
    if isinstance(k, ast.Name):
        if k.id in u.lokale:
            raise NichtVektorisierbar("Listeneintrag als Ganzes")
        if k.id not in u.werte:
            if k.id in u.fehlend:
                return LEER
            raise NichtVektorisierbar(f"Wert `{k.id}` nicht vektorisiert")
        return _auf_ebene(u.werte[k.id], u)
    if isinstance(k, ast.Attribute):
        if isinstance(k.value, ast.Name) and k.value.id == "parameter" and "parameter" not in u.lokale:
            name = f"parameter.{k.attr}"
            if name not in u.konstanten:
                raise NichtVektorisierbar(f"Parameter {name} ohne Wert")
            w = u.konstanten[name]
            return w if isinstance(w, bool) else Zahl.von(w)
        if isinstance(k.value, ast.Name) and k.value.id in u.lokale:
            t = u.lokale[k.value.id]
            if t is not u.ebene or k.attr not in t.spalten:
                raise NichtVektorisierbar(f"Feld {k.attr}")
            return t.spalten[k.attr]
        basis = werte_aus(k.value, u, aktiv)
        if isinstance(basis, Tabelle) and k.attr in basis.spalten and u.ebene is None:
            return Spalte(basis, basis.spalten[k.attr])
        raise NichtVektorisierbar(f"Feld {k.attr}")
    if isinstance(k, ast.BoolOp):
        und = isinstance(k.op, ast.And)
        ergebnis = _bool(werte_aus(k.values[0], u, aktiv))
        for teil in k.values[1:]:
            offen = aktiv & (ergebnis if und else ~np.asarray(ergebnis))
            if not np.any(offen):
                continue
            rest = _bool(werte_aus(teil, u, offen))
            ergebnis = (ergebnis & rest) if und else (ergebnis | rest)
        return ergebnis
    if isinstance(k, ast.UnaryOp):
        x = werte_aus(k.operand, u, aktiv)
        if isinstance(k.op, ast.Not):
            b = _bool(x)
            return (not b) if isinstance(b, bool) else ~b
        if isinstance(x, Zahl) and isinstance(k.op, ast.USub):
            return Zahl(-x.n, x.d)
        if isinstance(x, Zahl) and isinstance(k.op, ast.UAdd):
            return x
        raise NichtVektorisierbar("Operator")
    if isinstance(k, ast.BinOp):
        a, b = werte_aus(k.left, u, aktiv), werte_aus(k.right, u, aktiv)
        if not (isinstance(a, Zahl) and isinstance(b, Zahl)):
            raise NichtVektorisierbar("Rechnung mit Nicht-Zahlen")
        if isinstance(k.op, ast.Add):
            return _plus(a, b)
        if isinstance(k.op, ast.Sub):
            return _plus(a, b, -1)
        if isinstance(k.op, ast.Mult):
            schranke = _pruefe_grenze(_gn(a) * _gn(b))
            n = a.n if isinstance(b.n, int) and b.n == 1 else b.n if isinstance(a.n, int) and a.n == 1 else a.n * b.n
            return Zahl(n, mal(a.d, b.d), schranke)
        if isinstance(k.op, ast.Div):
            null = np.asarray(b.n) == 0
            _merke_fehler(u, null, aktiv)
            nenner = np.where(null, 1, b.n) if isinstance(b.n, np.ndarray) else (b.n or 1)
            vz = np.sign(nenner)
            return Zahl(mal(mal(a.n, b.d), vz), mal(a.d, np.abs(nenner) if isinstance(nenner, np.ndarray) else abs(nenner)))
        raise NichtVektorisierbar("Operator")
    if isinstance(k, ast.Compare):
        if len(k.ops) == 1 and isinstance(k.ops[0], (ast.In, ast.NotIn)) and isinstance(k.left, ast.Constant) \
                and isinstance(k.left.value, str) and isinstance(k.comparators[0], ast.Name) \
                and u.ebene is not None and u.lokale.get(k.comparators[0].id) is u.ebene:
            da = k.left.value in u.ebene.spalten  # a field present in every row of the list (the reader ensures it)
            return da if isinstance(k.ops[0], ast.In) else not da
        links = werte_aus(k.left, u, aktiv)
        ergebnis: Any = True
        for op, rechts_k in zip(k.ops, k.comparators):
            rechts = werte_aus(rechts_k, u, aktiv)
            ergebnis = ergebnis & _vergleiche(op, links, rechts)
            links = rechts
        return ergebnis
    if isinstance(k, ast.Call) and isinstance(k.func, ast.Name) and not k.keywords:
        return _aufruf(k.func.id, k, u, aktiv)
    if isinstance(k, ast.ListComp):
        return _filter(k, u, aktiv)
    if isinstance(k, ast.List) and not k.elts and u.ebene is None:  # `[]`: an empty list in every case
        leer = np.zeros(0, dtype=np.int64)
        return Tabelle(leer, {}, np.zeros(0, dtype=bool), np.ones(u.n, dtype=bool), np.zeros(u.n + 1, dtype=np.int64))
    raise NichtVektorisierbar(type(k).__name__)


def _vergleiche(op: ast.cmpop, a: Any, b: Any) -> Any:
    if a is LEER or b is LEER:  # `x == leer`, `x == wahr` with x not given: as the engine compares None
        if isinstance(op, (ast.Eq, ast.NotEq)) and (a is LEER or isinstance(a, bool)) and (b is LEER or isinstance(b, bool)):
            gleich = a is b
            return gleich if isinstance(op, ast.Eq) else not gleich
        raise NichtVektorisierbar("Vergleich mit leer")
    if isinstance(a, Zahl) and isinstance(b, Zahl):
        links, rechts = _gleichnamig(a, b)
    elif isinstance(a, Datum) and isinstance(b, Datum):
        links, rechts = a.t, b.t
    elif isinstance(op, (ast.Eq, ast.NotEq)) and not isinstance(a, (Zahl, Datum, Tabelle, Spalte)) \
            and not isinstance(b, (Zahl, Datum, Tabelle, Spalte)):
        gleich = np.asarray(_bool(a)) == np.asarray(_bool(b))
        return gleich if isinstance(op, ast.Eq) else ~gleich
    else:
        raise NichtVektorisierbar("Vergleich dieser Werte")
    vergleich = _VERGLEICHE.get(type(op))
    if vergleich is None:
        raise NichtVektorisierbar(type(op).__name__)
    return vergleich(links, rechts)


_VERGLEICHE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
               ast.Gt: operator.gt, ast.GtE: operator.ge}


def _runden(x: Zahl, stellen: int) -> Zahl:
    """Half up (ties away from zero), like ROUND_HALF_UP of `formel.runden`."""
    s = 10 ** stellen
    n, d = np.asarray(x.n, dtype=np.int64), x.d
    betrag = (mal(mal(np.abs(n), s), 2) + d) // mal(d, 2)
    return Zahl(np.sign(n) * betrag, s)


def _aufruf(name: str, k: ast.Call, u: Umgebung, aktiv: Any) -> Any:
    args = k.args
    if name == "wenn" and len(args) == 3:
        b = _bool(werte_aus(args[0], u, aktiv))
        ja = werte_aus(args[1], u, aktiv & b)
        nein = werte_aus(args[2], u, aktiv & ~np.asarray(b))
        return _waehle(b, ja, nein, u)
    if name == "summe" and len(args) == 1:
        a = args[0]
        if isinstance(a, ast.GeneratorExp):
            t, zeilen, u2, var = _aufzaehlung(a, u, aktiv)
            try:
                x = werte_aus(a.elt, u2, zeilen)
            finally:
                u.lokale.pop(var, None)
            return _summe(t, x, zeilen)
        x = werte_aus(a, u, aktiv)
        if isinstance(x, Spalte) and u.ebene is None:
            t = x.tabelle  # an input column of the dense layout is 0 outside its rows: no masking needed
            return _summe(t, x.wert, t.maske, t.nullen and any(x.wert is w for w in t.spalten.values()))
        raise NichtVektorisierbar("summe")
    if name == "anzahl" and len(args) == 1:
        t = werte_aus(args[0], u, aktiv)
        if isinstance(t, Tabelle) and u.ebene is None:
            return Zahl(_segmentsumme(t, np.ones(len(t.fall), dtype=np.int64), t.maske), 1)
        raise NichtVektorisierbar("anzahl")
    if name == "angegeben" and len(args) == 1:
        if isinstance(args[0], ast.Name) and args[0].id in u.fehlend and args[0].id not in u.werte:
            return False  # an optional input the columns do not carry (e.g. `entscheidungsdatum`): not given
        x = werte_aus(args[0], u, aktiv)
        if x is LEER:
            return False
        if isinstance(x, Tabelle):
            return _auf_ebene(x.vorhanden, u)
        return True
    if name in ("min", "max") and len(args) == 2:
        a, b = werte_aus(args[0], u, aktiv), werte_aus(args[1], u, aktiv)
        if not (isinstance(a, Zahl) and isinstance(b, Zahl)):
            raise NichtVektorisierbar(name)
        s = _differenz_vorzeichen(a, b)
        return _waehle((s <= 0) if name == "min" else (s >= 0), a, b, u)
    if name == "runden" and len(args) in (1, 2):
        x = werte_aus(args[0], u, aktiv)
        stellen = werte_aus(args[1], u, aktiv) if len(args) == 2 else Zahl(0)
        if not isinstance(x, Zahl) or not isinstance(stellen, Zahl) or isinstance(stellen.n, np.ndarray) \
                or stellen.d != 1 or not 0 <= stellen.n <= 6:
            raise NichtVektorisierbar("runden")
        return _runden(x, int(stellen.n))
    if name == "jahr_von" and len(args) == 1:
        x = werte_aus(args[0], u, aktiv)
        if not isinstance(x, Datum):
            raise NichtVektorisierbar("jahr_von")
        jahre = np.asarray(x.t, dtype="datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return Zahl(jahre, 1)
    if name == "datum" and len(args) == 3:
        j, m, t = (werte_aus(a, u, aktiv) for a in args)
        if not all(isinstance(x, Zahl) for x in (j, m, t)):
            raise NichtVektorisierbar("datum")
        ganz = [np.asarray(x.n) // np.asarray(x.d) for x in (j, m, t)]
        schlecht = np.zeros(_alle(u), dtype=bool)
        for x, g in zip((j, m, t), ganz):
            schlecht |= _voll(np.asarray(x.n) != g * np.asarray(x.d), u)
        jahr, monat, tag = ganz
        schlecht |= _voll((jahr < 1900) | (jahr > 2199) | (monat < 1) | (monat > 12) | (tag < 1), u)
        jahr, monat, tag = (np.where(schlecht, 1, _voll(g, u)) for g in (jahr, monat, tag))
        jahr = np.where(schlecht, 1970, jahr)
        erster = ((jahr - 1970) * 12 + (monat - 1)).astype("datetime64[M]")
        laenge = ((erster + 1).astype("datetime64[D]") - erster.astype("datetime64[D]")).astype(np.int64)
        schlecht |= tag > laenge
        _merke_fehler(u, schlecht, aktiv)
        tage = erster.astype("datetime64[D]").astype(np.int64) + np.minimum(tag, laenge) - 1
        return Datum(tage)
    if name == "naechster_werktag" and len(args) == 2:
        # § 193 BGB / § 26 Abs. 3 SGB X without a Land (cases that give one go to the engine): the time-limit
        # library for each distinct day, spread back over the cases
        d, land = werte_aus(args[0], u, aktiv), werte_aus(args[1], u, aktiv)
        if not isinstance(d, Datum) or land is not LEER:
            raise NichtVektorisierbar(name)
        tage = np.asarray(d.t, dtype=np.int64)
        eindeutig, zurueck = np.unique(tage, return_inverse=True)
        verschoben = np.array([naechster_werktag(date.fromordinal(EPOCHE + int(t))).toordinal() - EPOCHE
                               for t in eindeutig], dtype=np.int64)
        return Datum(verschoben[zurueck].reshape(tage.shape) if tage.ndim else int(verschoben[0]))
    raise NichtVektorisierbar(f"Funktion {name}")


def _waehle(b: Any, ja: Any, nein: Any, u: Umgebung) -> Any:
    if isinstance(b, bool):
        return ja if b else nein
    if isinstance(ja, Zahl) and isinstance(nein, Zahl):
        if not isinstance(ja.d, np.ndarray) and not isinstance(nein.d, np.ndarray) and ja.d == nein.d:
            return Zahl(np.where(b, ja.n, nein.n), ja.d)
        return Zahl(np.where(b, ja.n, nein.n), np.where(b, ja.d, nein.d))
    if isinstance(ja, Datum) and isinstance(nein, Datum):
        return Datum(np.where(b, ja.t, nein.t))
    if not isinstance(ja, (Zahl, Datum, Tabelle, Spalte)) and not isinstance(nein, (Zahl, Datum, Tabelle, Spalte)):
        return np.where(b, _bool(ja), _bool(nein))
    raise NichtVektorisierbar("wenn mit unterschiedlichen Werten")


def _summe(t: Tabelle, x: Any, zeilen: np.ndarray, null_ausserhalb: bool = False) -> Zahl:
    if not isinstance(x, Zahl) or isinstance(x.d, np.ndarray):
        raise NichtVektorisierbar("summe")
    breite = t.breite or (int(np.diff(t.grenzen).max()) if len(t.grenzen) > 1 else 0)
    _pruefe_grenze(_gn(x) * max(breite, 1))
    return Zahl(_segmentsumme(t, np.broadcast_to(np.asarray(x.n, dtype=np.int64), t.fall.shape), zeilen,
                              null_ausserhalb), x.d,
                _gn(x) * max(breite, 1))


def _aufzaehlung(k: ast.GeneratorExp | ast.ListComp, u: Umgebung, aktiv: Any):
    """The table of `fuer v in LISTE falls …` and the rows selected by its filter."""
    if u.ebene is not None or len(k.generators) != 1 or not isinstance(k.generators[0].target, ast.Name):
        raise NichtVektorisierbar("Aufzählung")
    gen = k.generators[0]
    t = werte_aus(gen.iter, u, aktiv)
    if not isinstance(t, Tabelle):
        raise NichtVektorisierbar("Aufzählung über etwas anderes als eine Liste")
    var = gen.target.id
    zeilen = t.maske & _voll(aktiv, u)[t.fall] if len(t.fall) else t.maske
    u2 = Umgebung(u.n, u.werte, u.konstanten, u.fehler, u.lokale, t, u.fehlend)
    u.lokale[var] = t
    try:
        for f in gen.ifs:
            if not zeilen.any():
                break
            zeilen = zeilen & _voll(_bool(werte_aus(f, u2, zeilen)), u2)
    except BaseException:
        u.lokale.pop(var, None)
        raise
    return t, zeilen, u2, var


def _filter(k: ast.ListComp, u: Umgebung, aktiv: Any) -> Tabelle:
    """`[v fuer v in LISTE falls …]`: the same rows, fewer of them in the list."""
    t, zeilen, _, var = _aufzaehlung(k, u, aktiv)
    u.lokale.pop(var, None)
    if not (isinstance(k.elt, ast.Name) and k.elt.id == var):
        raise NichtVektorisierbar("Aufzählung, die neue Einträge bildet")
    return Tabelle(t.fall, t.spalten, zeilen, np.ones(u.n, dtype=bool), t.grenzen, t.breite)
