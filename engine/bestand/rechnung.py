"""The levy over a caseload under the law of one year: the rules of that year evaluated on columns.

What is derived from the rulebook (a legal expert's change changes the result):
  - which rules apply: the plan of `engine.kompilat` (topological order, `liest`, `fallgruppe`), each rule
    in force on its own date of the case (its `rechtsstand`, e.g. the end of the year) or not;
  - every condition and formula (`wenn`, `dann`), evaluated from its formula text by `vektor.werte_aus`:
    month sums, Jahresdurchschnitt, Pflichtarbeitsplätze with the rounding of § 157 Abs. 2 (`runden`),
    small employers, quota, tier, amount, Werkstatt credits;
  - every number: parameter values at the rule's date (`KompilierteRegel.stand_am`) and the constants
    written in the formulas;
  - the plausibility checks of the Verfahren (`pruefungen`) that decide whether a case is valid.
What is structural (written here): the facts the what-if reports (`ZIELE`), that the tier is "the rule of
the Fallgruppe `betrag_je_platz` that applied" (`STAFFEL`), the columns the reader builds, and the upper
size bands 250 and 1,000 (statistics, not law; the bands below come from the parameters).
A case the columns do not cover, a rule the evaluator does not know, or a conflict between rules of a
Fallgruppe is decided by the rule engine itself (`Entscheider`), one case at a time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from math import gcd
from typing import Any

import numpy as np

from ..entscheidung import Entscheider
from ..fehler import RegelwerkFehler
from ..faelle import pruefe_fall
from ..formel import Laufzeitfehler
from ..kompilat import Kompilat, KompilierteRegel
from ..wissensbasis import Wissensbasis
from ..yamlquelle import YamlDokument
from .spalten import BREITE, MONATSFELDER, Bestand
from .vektor import EPOCHE, Datum, NichtVektorisierbar, Tabelle, Umgebung, Zahl, mal, ausdruck, werte_aus

ART = "ausgleichsabgabe"
ZIELE = ("zahlbetrag", "ausgleichsabgabe", "anrechnung_werkstaetten", "betrag_je_platz", "pflichtarbeitsplaetze",
         "besetzte_pflichtarbeitsplaetze", "unbesetzte_pflichtarbeitsplaetze", "beschaeftigungspflichtig",
         "jahresdurchschnitt_arbeitsplaetze", "arbeitsplaetze_jahressumme", "beschaeftigungsquote")
STAFFEL = "betrag_je_platz"  # the tier of a case: the rule of this Fallgruppe that applied

# how a case was decided
VEKTOR, REGELMOTOR, FEHLER = 0, 1, 2


@dataclass
class Ergebnis:
    """Per case (column cases first, then the cases for the engine in input order): each fact of `ZIELE` as an
    exact fraction (`zaehler`/`nenner`, `da` where derived), the tier rule, how the case was decided."""

    jahr: int | None
    namen: list[str]
    zaehler: dict[str, np.ndarray]
    nenner: dict[str, np.ndarray]
    da: dict[str, np.ndarray]
    staffel: np.ndarray  # index into `regeln` (-1: none)
    regeln: list[tuple[str, str]]  # (rule id, title) of the tiers
    weg: np.ndarray  # VEKTOR | REGELMOTOR | FEHLER
    fehler: dict[int, str] = field(default_factory=dict)

    def cent(self, fakt: str) -> np.ndarray:
        """The fact in cents, half up as the Bescheid shows money (0 where not derived)."""
        n, d = self.zaehler[fakt], self.nenner[fakt]
        if n.size and (int(np.abs(n).max()) * 200 >= 1 << 62 or int(d.max()) >= 1 << 60):  # beyond int64: Python ints
            return np.array([(abs(int(a)) * 200 + int(b)) // (2 * int(b)) * (1 if a >= 0 else -1) if ok else 0
                             for a, b, ok in zip(n, d, self.da[fakt])], dtype=object)
        c = (np.abs(n) * 200 + d) // (2 * d)
        return np.where(self.da[fakt], np.sign(n) * c, 0)

    def wert(self, i: int, fakt: str) -> Fraction | None:
        return Fraction(int(self.zaehler[fakt][i]), int(self.nenner[fakt][i])) if self.da[fakt][i] else None

    def staffel_von(self, i: int) -> str | None:
        return self.regeln[self.staffel[i]][0] if self.staffel[i] >= 0 else None


def _tag(k: Kompilat, kr: KompilierteRegel, jahr: int) -> date | None:
    """The date whose law the rule applies for a case of `jahr` (None: not known from the year alone)."""
    art, name = kr.datumsquelle
    if art != "daten" or name not in k.rechtsstaende or k.rechtsstaende[name].formel is None:
        return None
    eingaben = {e: None for e in k.verfahren.eingaben}
    eingaben["jahr"] = Decimal(jahr)
    try:
        wert = k.rechtsstaende[name].formel.ausfuehren(eingaben)
    except Laufzeitfehler:
        return None
    return wert if isinstance(wert, date) else None


def hat_recht(k: Kompilat, jahr: int) -> bool:
    """Some rule of the art that applies the law of the Verfahren's default date is in force for a case of `jahr`
    (as `faelle.pruefe_fall` asks before deciding)."""
    return any(kr.regel.zeitraum.enthaelt(tag) for kr in k.regeln
               if kr.rechtsstand == k.verfahren.rechtsstand and (tag := _tag(k, kr, jahr)) is not None)


def benoetigte_regeln(k: Kompilat) -> list[KompilierteRegel]:
    """The rules the facts of `ZIELE` depend on (all times), in the plan's order."""
    erzeuger: dict[str, list[KompilierteRegel]] = {}
    for kr in k.regeln:
        for f in kr.regel.leitet_ab:
            erzeuger.setdefault(f, []).append(kr)
    gebraucht, offen = set(), list(ZIELE)
    while offen:
        f = offen.pop()
        for kr in erzeuger.get(f, []):
            if kr.regel.id not in gebraucht:
                gebraucht.add(kr.regel.id)
                offen.extend(kr.liest)
    return [kr for kr in k.regeln if kr.regel.id in gebraucht]


def benoetigte_fakten(k: Kompilat) -> set[str]:
    """The facts `ZIELE` depend on: a needed rule's other results (e.g. a text saying why a deadline moved) are
    not computed in the columns."""
    erzeuger: dict[str, list[KompilierteRegel]] = {}
    for kr in k.regeln:
        for f in kr.regel.leitet_ab:
            erzeuger.setdefault(f, []).append(kr)
    fakten, offen = set(ZIELE), list(ZIELE)
    while offen:
        for kr in erzeuger.get(offen.pop(), []):
            for g in kr.liest:
                if g not in fakten:
                    fakten.add(g)
                    offen.append(g)
    return fakten


def _ablegen(alt: Any, neu: Any, feuert: np.ndarray, n: int) -> Any:
    """The value of a fact after a rule derived it for the cases `feuert` (other rules may have for others).

    Values of cases for which the fact is not derived are 0 (never read: a rule reads only derived facts).
    A denominator common to all cases stays one Python int, so the arithmetic after it stays cheap."""
    alle = bool(feuert.all())
    if isinstance(neu, Tabelle):
        if alt is not None:
            raise NichtVektorisierbar("Liste aus mehreren Regeln")
        return neu
    if isinstance(neu, Zahl):
        nn = np.broadcast_to(np.asarray(neu.n, dtype=np.int64), (n,))
        if alt is not None and not isinstance(alt.d, np.ndarray) and not isinstance(neu.d, np.ndarray):
            kgv = alt.d * neu.d // gcd(alt.d, neu.d)
            nn = mal(nn, kgv // neu.d)
            an = mal(alt.n, kgv // alt.d)
            return Zahl(np.where(feuert, nn, an), kgv)
        if alt is None and not isinstance(neu.d, np.ndarray):
            return Zahl(nn.copy() if alle else np.where(feuert, nn, 0), neu.d)
        nd = np.broadcast_to(np.asarray(neu.d, dtype=np.int64), (n,))
        if alt is None:
            return Zahl(np.where(feuert, nn, 0), np.where(feuert, nd, 1))
        ad = np.broadcast_to(np.asarray(alt.d, dtype=np.int64), (n,))
        return Zahl(np.where(feuert, nn, alt.n), np.where(feuert, nd, ad))
    if isinstance(neu, Datum):
        t = np.broadcast_to(np.asarray(neu.t, dtype=np.int64), (n,))
        return Datum(np.where(feuert, t, alt.t if alt is not None else 0))
    if isinstance(neu, (bool, np.bool_, np.ndarray)):
        neu_a = np.broadcast_to(np.asarray(neu, dtype=bool), (n,))
        return np.where(feuert, neu_a, alt if alt is not None else False)
    raise NichtVektorisierbar("Art des Werts")


class Jahresplan:
    """The rules needed for `ZIELE`, as they apply to a case of `jahr`, with their parsed formulas."""

    def __init__(self, k: Kompilat, jahr: int):
        self.kompilat, self.jahr = k, jahr
        self.schritte: list[tuple[KompilierteRegel, dict[str, Any] | None, Any, list[tuple[str, Any]]]] = []
        fakten = benoetigte_fakten(k)
        for kr in benoetigte_regeln(k):
            tag = _tag(k, kr, jahr)
            if tag is not None and not kr.regel.zeitraum.enthaelt(tag):
                continue  # not in force on its date: it does not apply to any case of the year
            try:
                if tag is None or kr.regel.je is not None:
                    raise NichtVektorisierbar("Datum oder `je`")
                konstanten = kr.stand_am(tag).konstanten
                wenn = ausdruck(kr.regel.wenn_quelle) if kr.regel.wenn_quelle else None
                dann = [(s.fakt, ausdruck(s.quelle)) for s in kr.regel.dann if s.fakt in fakten]
            except (NichtVektorisierbar, SyntaxError):
                konstanten, wenn, dann = None, None, []  # the cases that reach it go to the engine
            self.schritte.append((kr, konstanten, wenn, dann))
        self.pruefungen = [(p, ausdruck(p.quelle) if p.bedingung is not None else None)
                           for p in k.verfahren.pruefungen]

    def rechne(self, b: Bestand) -> tuple[dict[str, Any], dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """(values, where derived, tier rule index per case, cases for the rule engine)."""
        n = b.n
        tabellen = b.tabellen()
        werte: dict[str, Any] = {"jahr": Zahl(np.full(n, self.jahr, dtype=np.int64), 1), **tabellen}
        for e in self.kompilat.verfahren.eingaben:
            werte.setdefault(e, None)
        da = {name: np.ones(n, dtype=bool) for name in werte}
        motor = np.zeros(n, dtype=bool)
        u = Umgebung(n, {k: v for k, v in werte.items() if v is not None}, {}, motor,
                     fehlend=frozenset(k for k, v in werte.items() if v is None))
        self._pruefe(u, tabellen)
        staffel = np.full(n, -1, dtype=np.int16)
        for nr, (kr, konstanten, wenn, dann) in enumerate(self.schritte):
            bereit = np.ones(n, dtype=bool)
            for f in kr.liest:
                bereit &= da.get(f, np.zeros(n, dtype=bool))
            aktiv = bereit & ~motor
            if not aktiv.any():
                continue
            try:
                if konstanten is None:
                    raise NichtVektorisierbar("Regel")
                u.konstanten = konstanten
                feuert = aktiv & np.broadcast_to(np.asarray(werte_aus(wenn, u, aktiv)), (n,)) if wenn is not None \
                    else aktiv
                feuert = feuert & ~motor  # a failure in the condition: the engine decides
                if not feuert.any():
                    continue
                neu = {fakt: werte_aus(formel, u, feuert) for fakt, formel in dann}
            except NichtVektorisierbar:
                motor |= aktiv
                continue
            feuert &= ~motor
            for fakt, wert in neu.items():
                widerspruch = feuert & da.get(fakt, np.zeros(n, dtype=bool))
                motor |= widerspruch  # two rules of a Fallgruppe: the engine reports the conflict
                try:
                    u.werte[fakt] = _ablegen(u.werte.get(fakt), wert, feuert, n)
                except NichtVektorisierbar:
                    motor |= feuert
                    continue
                da[fakt] = da.get(fakt, np.zeros(n, dtype=bool)) | feuert
                if fakt == STAFFEL:
                    staffel[feuert] = nr
        return u.werte, da, staffel, motor

    def _pruefe(self, u: Umgebung, tabellen: dict[str, Tabelle]) -> None:
        """The Verfahren's plausibility checks: a case that fails one goes to the engine, which names the error."""
        for p, formel in self.pruefungen:
            if formel is None:
                continue  # `eindeutig` (each month once): the reader admits only cases with distinct months
            try:
                if p.je is None:
                    ok = werte_aus(formel, u, np.ones(u.n, dtype=bool))
                    u.fehler |= ~np.broadcast_to(np.asarray(ok, dtype=bool), (u.n,))
                    continue
                t = tabellen.get(p.je)
                if t is None:
                    raise NichtVektorisierbar(p.je)
                if not t.maske.any():
                    continue  # no entries in any case: nothing to check
                u.lokale["eintrag"] = t
                zeilen = Umgebung(u.n, u.werte, {}, u.fehler, u.lokale, t, u.fehlend)
                ok = np.broadcast_to(np.asarray(werte_aus(formel, zeilen, t.maske), dtype=bool), t.fall.shape)
                u.fehler[t.fall[t.maske & ~ok]] = True
            except NichtVektorisierbar:
                u.fehler[:] = True  # a check we cannot evaluate: every case through the engine
            finally:
                u.lokale.pop("eintrag", None)


def _fakten_der_entscheidung(e) -> tuple[dict[str, Any], str | None]:
    werte: dict[str, Any] = {}
    staffel = None
    for s in e.schritte:
        werte.update(s.ergebnisse)
        if STAFFEL in s.ergebnisse:
            staffel = s.regel.regel.id
    return werte, staffel


def _dokument_der_spalten(b: Bestand, i: int) -> YamlDokument:
    """The case of column `i` as data again (for the engine): the fields the levy reads."""
    m = b.monate
    monate = [{f: int(m[f][r]) for f in MONATSFELDER} for r in range(i * BREITE, (i + 1) * BREITE) if m["da"][r]]
    daten: dict[str, Any] = {"art": ART, "jahr": int(b.jahr[i]), "monate": monate}
    if b.werkstatt_vorhanden[i]:
        w = b.werkstatt
        von, bis = np.searchsorted(w["fall"], [i, i + 1])
        daten["werkstattauftraege"] = [
            {"rechnungsbetrag": f"{w['rechnungsbetrag'][r] // 100}.{w['rechnungsbetrag'][r] % 100:02d}",
             "materialkosten": f"{w['materialkosten'][r] // 100}.{w['materialkosten'][r] % 100:02d}",
             "ausgefuehrt": date.fromordinal(int(w["ausgefuehrt"][r]) + EPOCHE).isoformat(),
             "bezahlt": date.fromordinal(int(w["bezahlt"][r]) + EPOCHE).isoformat()} for r in range(von, bis)]
    return YamlDokument(daten, b.namen[i], {})


def _mit_jahr(dok: YamlDokument, jahr: int | None) -> YamlDokument:
    if jahr is None or not isinstance(dok.daten, dict):
        return dok
    return YamlDokument(dict(dok.daten, jahr=jahr), dok.datei, dok.positionen)


def entscheide_einzeln(wb: Wissensbasis, entscheider: Entscheider, dok: YamlDokument, jahr: int | None
                       ) -> tuple[dict[str, Any], str | None]:
    """One case through the rule engine: its raw facts and its tier rule; raises RegelwerkFehler."""
    fall = pruefe_fall(_mit_jahr(dok, jahr), wb)
    return _fakten_der_entscheidung(entscheider.entscheide(fall))


def _teil(b: Bestand, auswahl: np.ndarray) -> Bestand:
    """The column cases `auswahl` (sorted indices) as a caseload of their own."""
    neu = np.full(b.n, -1, dtype=np.int64)
    neu[auswahl] = np.arange(len(auswahl))

    def zeilen(t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        behalten = neu[t["fall"]] >= 0 if len(t["fall"]) else np.zeros(0, dtype=bool)
        return {k: (neu[v[behalten]] if k == "fall" else v[behalten]) for k, v in t.items()}

    dicht = (auswahl[:, None] * BREITE + np.arange(BREITE)).ravel()
    return Bestand([b.namen[i] for i in auswahl], b.jahr[auswahl], {k: v[dicht] for k, v in b.monate.items()},
                   zeilen(b.werkstatt), b.werkstatt_vorhanden[auswahl])


def rechne(wb: Wissensbasis, b: Bestand, jahr: int | None, entscheider: Entscheider,
           plaene: dict[int, Jahresplan] | None = None) -> Ergebnis:
    """The facts of `ZIELE` for every case under the law of `jahr` (None: each case's own year)."""
    k = entscheider.kompilat(ART)
    plaene = plaene if plaene is not None else {}
    gesamt = b.n + len(b.einzeln)
    zaehler = {f: np.zeros(gesamt, dtype=np.int64) for f in ZIELE}
    nenner = {f: np.ones(gesamt, dtype=np.int64) for f in ZIELE}
    da = {f: np.zeros(gesamt, dtype=bool) for f in ZIELE}
    staffel = np.full(gesamt, -1, dtype=np.int16)
    weg = np.full(gesamt, VEKTOR, dtype=np.int8)
    regeln: list[tuple[str, str]] = []
    regel_nr: dict[str, int] = {}

    def nummer(rid: str | None) -> int:
        if rid is None:
            return -1
        if rid not in regel_nr:
            regel_nr[rid] = len(regeln)
            regeln.append((rid, next(kr.regel.titel for kr in k.regeln if kr.regel.id == rid)))
        return regel_nr[rid]

    einzeln: list[tuple[int, YamlDokument | None, RegelwerkFehler | None]] = []
    jahre = np.full(b.n, jahr) if jahr is not None else b.jahr
    for y in np.unique(jahre):
        auswahl = np.flatnonzero(jahre == y)
        teil = b if len(auswahl) == b.n else _teil(b, auswahl)
        if not hat_recht(k, int(y)):
            motor = np.ones(len(auswahl), dtype=bool)  # no law for the year: the engine says so
            werte, fakten_da, st = {}, {}, np.full(len(auswahl), -1)
        else:
            plan = plaene.get(int(y)) or plaene.setdefault(int(y), Jahresplan(k, int(y)))
            werte, fakten_da, st, motor = plan.rechne(teil)
            for nr in np.unique(st[st >= 0]):
                rid = plan.schritte[nr][0].regel.id
                staffel[auswahl[(st == nr) & ~motor]] = nummer(rid)
        for f in ZIELE:
            w = werte.get(f)
            if w is None:
                continue
            ok = fakten_da[f] & ~motor
            if len(auswahl) == gesamt:  # one year for all cases and none for the engine: whole arrays
                n_ = np.broadcast_to(np.asarray(w.n if isinstance(w, Zahl) else w, dtype=np.int64), (gesamt,))
                zaehler[f] = np.where(ok, n_, 0)
                if isinstance(w, Zahl):
                    nenner[f] = np.where(ok, np.broadcast_to(np.asarray(w.d, dtype=np.int64), (gesamt,)), 1)
                da[f] = ok
            elif isinstance(w, Zahl):
                zaehler[f][auswahl[ok]] = np.broadcast_to(np.asarray(w.n), (len(auswahl),))[ok]
                nenner[f][auswahl[ok]] = np.broadcast_to(np.asarray(w.d), (len(auswahl),))[ok]
            else:
                zaehler[f][auswahl[ok]] = np.broadcast_to(np.asarray(w, dtype=np.int64), (len(auswahl),))[ok]
            da[f][auswahl[ok]] = True
        for i in auswahl[motor]:
            einzeln.append((int(i), _dokument_der_spalten(b, int(i)), None))
    einzeln += [(b.n + j, e.dokument, e.fehler) for j, e in enumerate(b.einzeln)]
    fehler: dict[int, str] = {}
    for i, dok, problem in einzeln:
        weg[i] = REGELMOTOR
        try:
            if problem is not None:
                raise problem
            fakten, rid = entscheide_einzeln(wb, entscheider, dok, jahr)
        except RegelwerkFehler as exc:
            weg[i] = FEHLER
            fehler[i] = str(exc)
            continue
        staffel[i] = nummer(rid)
        for f in ZIELE:
            if f not in fakten or fakten[f] is None:
                continue
            wert = fakten[f]
            q = Fraction(int(wert)) if isinstance(wert, bool) else Fraction(wert)
            if q.denominator >= 1 << 40:  # a quotient at 28 digits (Jahresdurchschnitt, Quote): cut to 10^-12
                q = Fraction(Decimal(wert).quantize(Decimal("1e-12"), rounding=ROUND_DOWN))
            if abs(q.numerator) >= 1 << 62 or q.denominator >= 1 << 62:
                weg[i] = FEHLER
                fehler[i] = f"{f}: Wert zu groß für die Auswertung"
                break
            zaehler[f][i], nenner[f][i], da[f][i] = q.numerator, q.denominator, True
    namen = b.namen + [e.name for e in b.einzeln]
    return Ergebnis(jahr, namen, zaehler, nenner, da, staffel, regeln, weg, fehler)
