"""Compile the rules and parameters valid on one date into an executable plan.

The plan serves two executors with identical semantics: durable_rules (the rule
engine; conditions of the form `fakt OP konstante` become Rete tests on exact
predicates computed in Python) and a direct topological evaluation (the reference the
benchmark compares against and tests check the engine with).
"""
from __future__ import annotations

import ast
import heapq
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .fehler import AusfuehrungsFehler, RegelFehler
from .formel import (FESTSTELLUNGEN_PROTOKOLL, FESTSTELLUNGS_FUNKTIONEN, FehlendeFeststellung, Formel, Laufzeitfehler, _uebersetze,
                     auf_deutsch, uebersetze)
from .parameter import Wert
from .regeln import Feststellung, NichtAutomatisiert, Regel, Verfahren
from .wissensbasis import Wissensbasis
from .zitate import Fundstelle, loese_auf, parse_zitat

FALL = "fall"  # the durable fact that carries all inputs of a case


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
class Schritt:
    """One fired rule: the unit of the explanation trail."""

    regel: KompilierteRegel
    eingaben: dict[str, Any]
    ergebnisse: dict[str, Any]
    feststellungen: dict[str, Any] = field(default_factory=dict)  # findings of the case the rule relied on


@dataclass
class Lauf:
    """The mutable state of one decision while rules fire."""

    werte: dict[str, Any]
    schritte: list[Schritt] = field(default_factory=list)
    herkunft: dict[str, str] = field(default_factory=dict)
    offen: dict[str, list[str]] = field(default_factory=dict)  # open finding -> rules that needed it


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

    # --- firing one rule (shared by both executors) ---------------------------------

    def _wende_an(self, kr: KompilierteRegel, werte: dict[str, Any], praedikate_geprueft: bool) -> dict[str, Any] | None:
        """Condition and conclusions of one rule; None when the condition does not hold."""
        regel = kr.regel
        try:
            if regel.wenn is not None and (kr.restbedingung or not kr.praedikate or not praedikate_geprueft):
                if not regel.wenn.ausfuehren(werte):
                    return None
            return {s.fakt: s.formel.ausfuehren(werte) for s in regel.dann}
        except Laufzeitfehler as exc:
            raise AusfuehrungsFehler(f"Regel `{regel.id}` konnte nicht angewandt werden: {exc}", regel.ort,
                                     "Formel der Regel oder Angaben des Falls prüfen") from None

    def feuere(self, kr: KompilierteRegel, lauf: Lauf, praedikate_geprueft: bool = False) -> dict[str, Any] | None:
        """Apply one rule; `praedikate_geprueft` when the engine already tested its single-fact conditions."""
        werte = lauf.werte
        regel = kr.regel
        genutzt: dict[str, Any] = {}
        if not kr.liest_feststellungen:
            ergebnisse = self._wende_an(kr, werte, praedikate_geprueft)
        else:
            protokoll: dict[str, bool] = {}  # finding id -> supplied by the case?
            marke = FESTSTELLUNGEN_PROTOKOLL.set(protokoll)
            try:
                ergebnisse = self._wende_an(kr, werte, praedikate_geprueft)
            except FehlendeFeststellung:
                ergebnisse = None  # an open finding: the rule does not apply (recorded below)
            finally:
                FESTSTELLUNGEN_PROTOKOLL.reset(marke)
            for fid, vorhanden in protokoll.items():
                if not vorhanden and regel.id not in lauf.offen.setdefault(fid, []):
                    lauf.offen[fid].append(regel.id)
            alle = werte.get("feststellungen") or {}
            genutzt = {fid: alle[fid] for fid, da in protokoll.items() if da}
        if ergebnisse is None:
            return None
        for fakt in ergebnisse:
            if fakt in lauf.herkunft:
                raise AusfuehrungsFehler(
                    f"Widerspruch: `{fakt}` wurde von `{lauf.herkunft[fakt]}` und `{regel.id}` abgeleitet", regel.ort,
                    "die Bedingungen der Regeln einer Fallgruppe müssen sich ausschließen")
            lauf.herkunft[fakt] = regel.id
        werte.update(ergebnisse)
        lauf.schritte.append(Schritt(kr, {n: werte.get(n) for n in kr.namen}, ergebnisse, genutzt))
        return ergebnisse

    def _praedikate(self, name: str, werte: dict[str, Any], fakt: dict[str, Any]) -> None:
        for p in self.praedikate_je_fakt[name]:
            try:
                fakt[p.feld] = bool(p.formel.ausfuehren(werte))
            except Laufzeitfehler as exc:  # same outcome as the direct evaluation of the condition
                raise AusfuehrungsFehler(f"Bedingung `{p.formel.quelle}` ist für `{name}` nicht auswertbar: {exc}",
                                         hilfe="Bedingung der Regel oder Angaben des Falls prüfen") from None

    def durable_fakt(self, name: str, werte: dict[str, Any]) -> dict[str, Any]:
        """The durable fact announcing that `name` is known, with its exact predicate values."""
        fakt: dict[str, Any] = {"id": name, "t": name}
        if name in self.praedikate_je_fakt:
            self._praedikate(name, werte, fakt)
        return fakt

    def fall_fakt(self, werte: dict[str, Any]) -> dict[str, Any]:
        """The durable fact carrying all inputs of a case (only their predicate values)."""
        fakt: dict[str, Any] = {"id": FALL, "t": FALL}
        for name in self.verfahren.eingaben:
            if name in self.praedikate_je_fakt:
                self._praedikate(name, werte, fakt)
        return fakt

    def direkt(self, eingaben: dict[str, Any]) -> Lauf:
        """Evaluate without the rule engine: every rule whose inputs exist, in dependency order."""
        lauf = Lauf(dict(eingaben) | self.konstanten)
        for kr in self.regeln:
            if all(n in lauf.werte for n in kr.liest):
                self.feuere(kr, lauf)
        return lauf


def _praedikat_teile(regel: Regel, eingaben: set[str]) -> tuple[list[tuple[str, str]], bool]:
    """Split a condition into single-fact tests (fact, source) and whether a remainder exists."""
    if regel.wenn_quelle is None:
        return [], False
    baum = ast.parse(_uebersetze(regel.wenn_quelle).strip(), mode="eval").body
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


def durable_regeln(k: Kompilat, lauf_von: Callable[[], Lauf]):
    """The compiled rules as durable patterns; actions fire into the current `Lauf`."""
    from .durable_backend import DurableRegel

    eingaben = set(k.verfahren.eingaben)
    ergebnis = []
    feldnamen: set[str] = set()
    for kr in k.regeln:
        muster: list[dict] = []
        durable_fakten: dict[str, list[dict]] = {}
        for fakt in kr.liest or [FALL]:
            ziel = FALL if fakt in eingaben or fakt == FALL else fakt
            durable_fakten.setdefault(ziel, [])
        for p in kr.praedikate:
            ziel = FALL if p.fakt in eingaben else p.fakt
            durable_fakten[ziel].append({p.feld: True})
            feldnamen.add(p.feld)
        for i, (ziel, tests) in enumerate(durable_fakten.items()):
            bedingung = {"t": ziel} if not tests else {"$and": [{"t": ziel}] + tests}
            muster.append({f"a{i}": bedingung})

        weiter = [f for f in kr.regel.leitet_ab if f in k.konsumiert]  # only facts some rule reads are asserted

        def aktion(behaupte, kr=kr, weiter=weiter):
            lauf = lauf_von()
            if k.feuere(kr, lauf, praedikate_geprueft=True) is not None:
                for fakt in weiter:
                    behaupte(k.durable_fakt(fakt, lauf.werte))
        ergebnis.append(DurableRegel(kr.regel.id.replace(".", "__"), muster, kr.rang, aktion))
    fakt_ids = {FALL} | {f for kr in k.regeln for f in kr.regel.leitet_ab}
    return ergebnis, feldnamen, fakt_ids
