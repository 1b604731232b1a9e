"""Compile the rules of one art into a plan (`Kompilat`) whose rules read their law at their own dates.

The plan is data only. It serves two executors with identical semantics, both built on
`engine.ausfuehrung` (firing one rule, the trail): durable_rules in `engine.durable_backend`
(conditions of the form `fakt OP konstante` become Rete tests on exact predicates computed
in Python) and the direct topological evaluation `ausfuehrung.direkt` (the reference the
benchmark compares against and tests check the engine with).
"""
from __future__ import annotations

import ast
import heapq
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from .fehler import AusfuehrungsFehler, RegelFehler, ZitatFehler
from .format import datum
from .formel import FESTSTELLUNGS_FUNKTIONEN, Formel, Laufzeitfehler, auf_deutsch, python_quelle, uebersetze
from .parameter import Parameter, Wert
from .regeln import Feststellung, NichtAutomatisiert, Rechtsstand, Regel, Verfahren
from .rechtstext import Rechtsbestand
from .wissensbasis import Wissensbasis
from .zitate import Fundstelle, Zitat, loese_auf, parse_zitat, zitierte_einheit

@dataclass
class Praedikat:
    """An exact test of one fact against constants, evaluated in Python when the fact is asserted.

    A test that reads parameters is read at the date `rechtsstand` of the rules that use it.
    """

    feld: str
    fakt: str
    formel: Formel
    rechtsstand: str | None = None  # named date whose parameter values the test reads (None: reads none)
    parameter: tuple[str, ...] = ()
    schluessel: tuple[str, ...] = field(init=False, repr=False, compare=False)  # "parameter.x" of `parameter`

    def __post_init__(self) -> None:
        self.schluessel = tuple(f"parameter.{pid}" for pid in self.parameter)


class Ungesichert(NamedTuple):
    """A caveat on a quoted Fassung for the days of one epoch: the provision, the Fassung's first day, the citation,
    and one German sentence saying which days and what is uncertain (`Fassung.vorbehalte_am`)."""

    vorschrift: str
    fassung_ab: str
    zitat: str
    hinweis: str


class NichtVorgesehen(NamedTuple):
    """A citation of a rule that names nothing in the law in force on the rule's date: the rule does not apply then."""

    zitat: str
    text: str  # e.g. "§ 102 Abs. 3a SGB IX a.F. gilt erst ab dem 30.12.2008"


def nicht_vorgesehen(zitat: Zitat, recht: Rechtsbestand, tag: date) -> NichtVorgesehen:
    """Why `zitat` names nothing on `tag`: from when, or until when, the cited unit exists."""
    v = recht.vorschrift(zitat.gesetz, zitat.paragraph)
    mit_einheit = []
    for f in (v.fassungen if v else ()):
        try:
            zitierte_einheit(f.wurzel, zitat)
        except ZitatFehler:
            continue
        mit_einheit.append(f)
    spaeter = [f.gueltig_ab for f in mit_einheit if f.gueltig_ab > tag]
    frueher = [f.gueltig_bis for f in mit_einheit if f.gueltig_bis is not None and f.gueltig_bis < tag]
    if spaeter:
        text = f"{zitat.text} gilt erst ab dem {datum(min(spaeter))}"
    elif frueher:
        text = f"{zitat.text} galt nur bis zum {datum(max(frueher))}"
    else:
        text = f"{zitat.text} gilt am {datum(tag)} nicht"
    return NichtVorgesehen(zitat.text, text)


@dataclass(frozen=True)
class RegelStand:
    """The law one rule applies on the days of one epoch: citations in their Fassung, parameter values."""

    fundstellen: tuple[Fundstelle, ...]
    parameter: dict[str, Wert]  # parameter id -> value with its reference
    konstanten: dict[str, Any]  # "parameter.x" -> value, for the formulas
    # the caveats on the quoted Fassungen for these days (the decision's Vorbehalt), found once per epoch
    ungesichert: tuple[Ungesichert, ...] = field(default=(), repr=False, compare=False)
    # citations naming nothing in the law of these days: the rule does not apply then
    fehlt: tuple[NichtVorgesehen, ...] = field(default=(), compare=False)

    def vorbehalt(self, f: Fundstelle) -> list[str]:
        """The caveat sentences on one of its citations."""
        return [u.hinweis for u in self.ungesichert if u.zitat == f.zitat.text and u.vorschrift == f.vorschrift.anker]


class Staende:
    """Resolves a rule's law at a date, cached per epoch.

    An epoch is a stretch of days on which nothing the rule depends on changes: its own validity,
    the periods of its citations, the Fassungen of the cited provisions and the periods of the
    parameter values it reads. The cache holds one entry per epoch, so memory does not grow with
    the number of distinct dates decided.
    """

    def __init__(self, wb: Wissensbasis, regel: Regel, parameter: list[str]):
        self._wb = wb
        self._regel = regel
        self._parameter = parameter
        grenzen = {regel.zeitraum.ab}
        if regel.zeitraum.bis:
            grenzen.add(regel.zeitraum.bis + timedelta(days=1))
        for rz in regel.fundstellen:
            grenzen.add(rz.zeitraum.ab)
            if rz.zeitraum.bis:
                grenzen.add(rz.zeitraum.bis + timedelta(days=1))
            for z in parse_zitat(rz.zitat, wb.recht):
                v = wb.recht.vorschrift(z.gesetz, z.paragraph)
                for f in (v.fassungen if v else ()):
                    grenzen.add(f.gueltig_ab)
                    if f.gueltig_bis:
                        grenzen.add(f.gueltig_bis + timedelta(days=1))
                    grenzen |= f.vorbehalt_grenzen()
        for pid in parameter:
            for w in wb.parameter[pid].werte:
                grenzen.add(w.gueltig_ab)
                if w.gueltig_bis:
                    grenzen.add(w.gueltig_bis + timedelta(days=1))
        self._grenzen = sorted(grenzen)
        self._cache: dict[int, RegelStand] = {}

    def am(self, tag: date) -> RegelStand:
        epoche = bisect_right(self._grenzen, tag)
        stand = self._cache.get(epoche)
        if stand is None:
            wb, regel = self._wb, self._regel
            fundstellen: list[Fundstelle] = []
            fehlt: list[NichtVorgesehen] = []
            for rz in regel.zitate_am(tag):
                for z in parse_zitat(rz.zitat, wb.recht):
                    try:
                        fundstellen.append(loese_auf(z, wb.recht, tag))
                    except ZitatFehler:  # the cited unit does not exist in the Fassung of that day
                        fehlt.append(nicht_vorgesehen(z, wb.recht, tag))
            parameter = {pid: wb.parameter[pid].wert_am(tag) for pid in self._parameter}
            ungesichert = tuple(Ungesichert(f.vorschrift.anker, f.fassung.kennung, f.zitat.text, satz)
                                for f in fundstellen for satz in f.fassung.vorbehalte_am(tag, f.anker))
            stand = self._cache[epoche] = RegelStand(tuple(fundstellen), parameter,
                                                     {f"parameter.{pid}": w.wert for pid, w in parameter.items()},
                                                     ungesichert, tuple(fehlt))
        return stand


@dataclass
class KompilierteRegel:
    regel: Regel
    liest: list[str]
    namen: list[str]  # everything its formulas read (facts and parameter.x), for the trail
    praedikate: list[Praedikat]
    restbedingung: bool  # the condition has parts durable cannot test
    rang: int  # position in the execution order; the rule engine's priority
    rechtsstand: str  # named date of the case whose law it applies (for `je` rules: a date field of the element)
    staende: Staende  # its law at a date
    liest_feststellungen: bool = False  # its formulas read findings of the case
    # how to find its date: ("daten", name) named date from the inputs, ("fakt", f) a derived fact,
    # ("feld", f) a field of the element of a `je` rule
    datumsquelle: tuple[str, str] = ("daten", "")
    # compiled once for every case: the condition left to evaluate after the rule engine tested the single-fact
    # predicates (None: nothing left), and each conclusion as (fact, formula, formula text)
    restliche_bedingung: Formel | None = field(init=False, repr=False, compare=False)
    schluesse: tuple[tuple[str, Formel, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        wenn = self.regel.wenn
        self.restliche_bedingung = wenn if wenn is not None and (self.restbedingung or not self.praedikate) else None
        self.schluesse = tuple((s.fakt, s.formel, s.quelle) for s in self.regel.dann)

    def stand_am(self, tag: date) -> RegelStand:
        return self.staende.am(tag)


@dataclass
class Kompilat:
    """The plan of one art: its rules of all times, each applying the law of its own date."""

    art: str
    verfahren: Verfahren
    regeln: list[KompilierteRegel]  # topological order
    konsumiert: set[str]  # facts some rule reads (only these are asserted to durable)
    praedikate_je_fakt: dict[str, list[Praedikat]]
    parameter: dict[str, Parameter]  # every parameter the rules read, with all its values
    rechtsstaende: dict[str, Rechtsstand]  # the named dates of a case
    feststellungen: list[Feststellung] = field(default_factory=list)  # findings declared for this art (all times)
    nicht_automatisiert: list[NichtAutomatisiert] = field(default_factory=list)  # what a person decides (all times)
    _parameter_grenzen: list[date] = field(default_factory=list)  # days on which some parameter value changes
    _konstanten: dict[int, dict[str, Any]] = field(default_factory=dict)  # per epoch of all parameters

    def __post_init__(self) -> None:
        grenzen = set()
        for param in self.parameter.values():
            for w in param.werte:
                grenzen.add(w.gueltig_ab)
                if w.gueltig_bis:
                    grenzen.add(w.gueltig_bis + timedelta(days=1))
        self._parameter_grenzen = sorted(grenzen)

    def konstanten_am(self, tag: date) -> dict[str, Any]:
        """Values of all parameters on `tag` as "parameter.x" (those without a value then are left out);
        cached per epoch of the parameters, so the cache does not grow with the number of dates."""
        epoche = bisect_right(self._parameter_grenzen, tag)
        konstanten = self._konstanten.get(epoche)
        if konstanten is None:
            konstanten = {}
            for pid, param in self.parameter.items():
                wert = param.wert_oder_none(tag)
                if wert is not None:
                    konstanten[f"parameter.{pid}"] = wert.wert
            self._konstanten[epoche] = konstanten
        return konstanten

    def daten(self, eingaben: dict[str, Any]) -> dict[str, date | None]:
        """The named dates computable from the inputs (those given by a formula); None where not computable."""
        ergebnis: dict[str, date | None] = {}
        for name, rs in self.rechtsstaende.items():
            if rs.formel is None:
                continue
            try:
                wert = rs.formel.ausfuehren(eingaben)
            except Laufzeitfehler:
                wert = None
            ergebnis[name] = wert if isinstance(wert, date) else None
        return ergebnis


def _praedikat_teile(regel: Regel, eingaben: set[str]) -> tuple[list[tuple[str, str]], bool]:
    """Split a condition into single-fact tests (fact, source) and whether a remainder exists."""
    if regel.wenn_quelle is None:
        return [], False
    baum = ast.parse(python_quelle(regel.wenn_quelle).strip(), mode="eval").body
    teile = baum.values if isinstance(baum, ast.BoolOp) and isinstance(baum.op, ast.And) else [baum]
    ergebnis, rest = [], False
    gelesen = set(regel.liest)
    for teil in teile:
        namen = {n.id for n in ast.walk(teil) if isinstance(n, ast.Name)} & gelesen
        liest_feststellungen = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                                   and n.func.id in FESTSTELLUNGS_FUNKTIONEN for n in ast.walk(teil))
        if len(namen) == 1 and not liest_feststellungen \
                and not any(isinstance(n, (ast.GeneratorExp, ast.ListComp)) for n in ast.walk(teil)):
            ergebnis.append((namen.pop(), auf_deutsch(ast.unparse(teil))))
        else:
            rest = True
    return ergebnis, rest


def datumsquelle(rechtsstaende: dict[str, Rechtsstand], name: str) -> tuple[str, str]:
    """Where the value of the named date `name` comes from: ("daten", name) computed from the inputs,
    ("fakt", f) a derived fact, ("feld", f) a field of the element of a `je` rule."""
    rs = rechtsstaende.get(name)
    if rs is not None and rs.feld:
        return ("feld", rs.feld)
    if rs is not None and rs.fakt:
        return ("fakt", rs.fakt)
    return ("daten", name)


def kompiliere(wb: Wissensbasis, art: str) -> Kompilat:
    """The plan of one art; it does not depend on the date (each rule reads its law at its own date)."""
    verfahren = wb.regelbuch.verfahren.get(art)
    if verfahren is None:
        raise RegelFehler(f"unbekannte Art `{art}`", hilfe="bekannt: " + ", ".join(sorted(wb.regelbuch.verfahren)))
    regeln = [r for r in wb.regelbuch.regeln if r.art == art]
    if not regeln:
        raise AusfuehrungsFehler(f"für {art} gibt es keine Regeln", hilfe="Regeln unter rules/ anlegen")
    eingaben = set(verfahren.eingaben)
    rechtsstaende = verfahren.rechtsstaende

    def rechtsstand(r: Regel) -> str:
        return r.rechtsstand or verfahren.rechtsstand

    def liest(r: Regel) -> list[str]:
        """What a rule waits for: its facts, and the fact that gives its date."""
        name = rechtsstand(r)
        rs = rechtsstaende.get(name)
        extra = [rs.fakt] if rs is not None and rs.fakt and rs.fakt not in r.liest and rs.fakt not in r.leitet_ab else []
        return list(r.liest) + extra

    # order: producers before consumers; among rules that are ready, the rulebook's own
    # order (files and rules as written), so the trail reads like the Begründung is written
    erzeuger: dict[str, list[Regel]] = {}
    for r in regeln:
        for f in r.leitet_ab:
            erzeuger.setdefault(f, []).append(r)
    position = {r.id: i for i, r in enumerate(regeln)}
    abhaengig = {r.id: {q.id for f in liest(r) for q in erzeuger.get(f, []) if q.id != r.id} for r in regeln}
    offen = {r.id: len(abhaengig[r.id]) for r in regeln}
    nutzer: dict[str, list[str]] = {}
    for rid, quellen in abhaengig.items():
        for q in quellen:
            nutzer.setdefault(q, []).append(rid)
    bereit = [(position[rid], rid) for rid, n in offen.items() if n == 0]
    heapq.heapify(bereit)
    reihenfolge: list[str] = []
    while bereit:
        _, rid = heapq.heappop(bereit)
        reihenfolge.append(rid)
        for n in nutzer.get(rid, ()):
            offen[n] -= 1
            if offen[n] == 0:
                heapq.heappush(bereit, (position[n], n))
    if len(reihenfolge) != len(regeln):
        zyklisch = sorted(set(position) - set(reihenfolge))
        raise RegelFehler(f"Zyklus zwischen den Regeln {', '.join(zyklisch)}", hilfe="`regelwerk check` zeigt den Kreis")
    rang = {rid: i + 1 for i, rid in enumerate(reihenfolge)}
    regeln.sort(key=lambda r: rang[r.id])
    konsumiert = {f for r in regeln for f in liest(r)}
    praedikate_je_fakt: dict[str, list[Praedikat]] = {}
    kompiliert: list[KompilierteRegel] = []
    zaehler = 0
    bekannte_praedikate: dict[tuple[str, str, str | None], Praedikat] = {}
    parameter: dict[str, Parameter] = {}
    for r in regeln:
        name = rechtsstand(r)
        # parameters in a test are read at the rule's date: only possible when that date is known from the inputs
        datum_vorab = r.je is None and name in rechtsstaende and rechtsstaende[name].formel is not None
        teile, rest = _praedikat_teile(r, eingaben | set(erzeuger)) if r.je is None else ([], r.wenn is not None)
        praedikate = []
        for fakt, quelle in teile:
            formel = uebersetze(quelle)
            pids = tuple(sorted(n.split(".", 1)[1] for n in formel.namen if n.startswith("parameter.")))
            if pids and not datum_vorab:
                rest = True
                continue
            schluessel = (fakt, quelle, name if pids else None)
            p = bekannte_praedikate.get(schluessel)
            if p is None:  # the same test in several rules is computed once per fact
                zaehler += 1
                p = bekannte_praedikate[schluessel] = Praedikat(f"p{zaehler}", fakt, formel, name if pids else None, pids)
                praedikate_je_fakt.setdefault(fakt, []).append(p)
            praedikate.append(p)
        formeln = [f for f in [r.wenn] + [s.formel for s in r.dann] if f is not None]
        namen = set().union(*(f.namen for f in formeln))
        pids = sorted(n.split(".", 1)[1] for n in namen if n.startswith("parameter."))
        for pid in pids:
            parameter[pid] = wb.parameter[pid]
        kompiliert.append(KompilierteRegel(r, liest(r), sorted(namen), praedikate, rest, rang[r.id], name,
                                           Staende(wb, r, pids), liest_feststellungen=any(f.feststellungen for f in formeln),
                                           datumsquelle=datumsquelle(rechtsstaende, name)))
    feststellungen = [f for f in wb.regelbuch.feststellungen if f.entscheidungsart == art]
    # parts of the law outside any case are not listed in a decision
    nicht_automatisiert = [n for n in wb.regelbuch.nicht_automatisiert
                           if n.art == art and n.grund != "ausserhalb_des_regelwerks"]
    return Kompilat(art, verfahren, kompiliert, konsumiert, praedikate_je_fakt, parameter, dict(rechtsstaende),
                    feststellungen, nicht_automatisiert)
