"""Compile the rules and parameters valid on one date into a plan (`Kompilat`).

The plan is data only. It serves two executors with identical semantics, both built on
`engine.ausfuehrung` (firing one rule, the trail): durable_rules in `engine.durable_backend`
(conditions of the form `fakt OP konstante` become Rete tests on exact predicates computed
in Python) and the direct topological evaluation `ausfuehrung.direkt` (the reference the
benchmark compares against and tests check the engine with).
"""
from __future__ import annotations

import ast
import heapq
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .fehler import AusfuehrungsFehler, RegelFehler
from .formel import FESTSTELLUNGS_FUNKTIONEN, Formel, auf_deutsch, python_quelle, uebersetze
from .parameter import Wert
from .regeln import Feststellung, NichtAutomatisiert, Regel, Verfahren
from .wissensbasis import Wissensbasis
from .zitate import Fundstelle, loese_auf, parse_zitat

@dataclass
class Praedikat:
    """An exact test of one fact against constants, evaluated in Python when the fact is asserted."""

    feld: str
    fakt: str
    formel: Formel


@dataclass
class KompilierteRegel:
    regel: Regel
    fundstellen: list[Fundstelle]
    liest: list[str]
    namen: list[str]  # everything its formulas read (facts and parameter.x), for the trail
    praedikate: list[Praedikat]
    restbedingung: bool  # the condition has parts durable cannot test
    rang: int  # position in the execution order; the rule engine's priority
    liest_feststellungen: bool = False  # its formulas read findings of the case


@dataclass
class Kompilat:
    art: str
    stichtag: date
    verfahren: Verfahren
    regeln: list[KompilierteRegel]  # topological order
    parameter: dict[str, Wert]
    konsumiert: set[str]  # facts some rule reads (only these are asserted to durable)
    praedikate_je_fakt: dict[str, list[Praedikat]]
    konstanten: dict[str, Any]  # parameter values as "parameter.x"
    feststellungen: dict[str, Feststellung] = field(default_factory=dict)  # findings declared for this art and date
    nicht_automatisiert: list[NichtAutomatisiert] = field(default_factory=list)  # what a person decides in such a case


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


def kompiliere(wb: Wissensbasis, art: str, stichtag: date) -> Kompilat:
    verfahren = wb.regelbuch.verfahren.get(art)
    if verfahren is None:
        raise RegelFehler(f"unbekannte Art `{art}`", hilfe="bekannt: " + ", ".join(sorted(wb.regelbuch.verfahren)))
    regeln = [r for r in wb.regelbuch.regeln if r.art == art and r.zeitraum.enthaelt(stichtag)]
    if not regeln:
        raise AusfuehrungsFehler(f"für {art} gibt es am {stichtag:%d.%m.%Y} keine geltenden Regeln",
                                 hilfe="für dieses Jahr ist kein Recht im Regelwerk hinterlegt")
    eingaben = set(verfahren.eingaben)
    # parameters on the date
    parameter: dict[str, Wert] = {}
    for r in regeln:
        for formel in [r.wenn] + [s.formel for s in r.dann]:
            for n in (formel.namen if formel else ()):
                if n.startswith("parameter."):
                    pid = n.split(".", 1)[1]
                    parameter[pid] = wb.parameter[pid].wert_am(stichtag)
    # order: producers before consumers; among rules that are ready, the rulebook's own
    # order (files and rules as written), so the trail reads like the Begründung is written
    erzeuger: dict[str, list[Regel]] = {}
    for r in regeln:
        for f in r.leitet_ab:
            erzeuger.setdefault(f, []).append(r)
    position = {r.id: i for i, r in enumerate(regeln)}
    abhaengig = {r.id: {q.id for f in r.liest for q in erzeuger.get(f, []) if q.id != r.id} for r in regeln}
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
    konsumiert = {f for r in regeln for f in r.liest}
    praedikate_je_fakt: dict[str, list[Praedikat]] = {}
    kompiliert: list[KompilierteRegel] = []
    zaehler = 0
    bekannte_praedikate: dict[tuple[str, str], Praedikat] = {}
    for r in regeln:
        fundstellen = [loese_auf(z, wb.recht, stichtag) for rz in r.zitate_am(stichtag) for z in parse_zitat(rz.zitat, wb.recht)]
        teile, rest = _praedikat_teile(r, eingaben | set(erzeuger))
        praedikate = []
        for fakt, quelle in teile:
            p = bekannte_praedikate.get((fakt, quelle))
            if p is None:  # the same test in several rules is computed once per fact
                zaehler += 1
                p = bekannte_praedikate[(fakt, quelle)] = Praedikat(f"p{zaehler}", fakt, uebersetze(quelle))
                praedikate_je_fakt.setdefault(fakt, []).append(p)
            praedikate.append(p)
        formeln = [f for f in [r.wenn] + [s.formel for s in r.dann] if f is not None]
        namen = set().union(*(f.namen for f in formeln))
        kompiliert.append(KompilierteRegel(r, fundstellen, list(r.liest), sorted(namen), praedikate, rest, rang[r.id],
                                           liest_feststellungen=any(f.feststellungen for f in formeln)))
    konstanten = {f"parameter.{pid}": w.wert for pid, w in parameter.items()}
    feststellungen = {f.id: f for f in wb.regelbuch.feststellungen
                      if f.entscheidungsart == art and f.zeitraum.enthaelt(stichtag)}
    # parts of the law outside any case are not listed in a decision
    nicht_automatisiert = [n for n in wb.regelbuch.nicht_automatisiert
                           if n.art == art and n.zeitraum.enthaelt(stichtag) and n.grund != "ausserhalb_des_regelwerks"]
    return Kompilat(art, stichtag, verfahren, kompiliert, parameter, konsumiert, praedikate_je_fakt, konstanten,
                    feststellungen, nicht_automatisiert)
