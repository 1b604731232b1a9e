"""Execute a plan: fire one rule into the state of a decision and keep the explanation trail.

`feuere` is shared by both executors: the rule engine (`engine.durable_backend`, which has
already tested a rule's single-fact predicates) and `direkt`, the plain evaluation in
dependency order that serves as the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .fehler import AusfuehrungsFehler
from .formel import FESTSTELLUNGEN_PROTOKOLL, FehlendeFeststellung, Laufzeitfehler
from .kompilat import Kompilat, KompilierteRegel, RegelStand


@dataclass
class Schritt:
    """One fired rule (for a `je` rule: one element): the unit of the explanation trail."""

    regel: KompilierteRegel
    eingaben: dict[str, Any]
    ergebnisse: dict[str, Any]
    feststellungen: dict[str, Any] = field(default_factory=dict)  # findings of the case the rule relied on
    datum: date | None = None  # the date whose law the step applied
    stand: RegelStand | None = None  # citations in their Fassung and parameter values of that date
    eintrag: Any = None  # for a `je` rule: the element

    @property
    def fundstellen(self) -> tuple:
        """The citations the step applied, in the Fassung of its date."""
        return self.stand.fundstellen if self.stand is not None else ()

    @property
    def parameter(self) -> dict:
        """The parameter values of its date, with their references."""
        return self.stand.parameter if self.stand is not None else {}


@dataclass
class Lauf:
    """The mutable state of one decision while rules fire."""

    werte: dict[str, Any]
    daten: dict[str, date | None] = field(default_factory=dict)  # named dates known from the inputs
    schritte: list[Schritt] = field(default_factory=list)
    herkunft: dict[str, str] = field(default_factory=dict)
    offen: dict[str, list[str]] = field(default_factory=dict)  # open finding -> rules that needed it


def konstanten_am(k: Kompilat, lauf: Lauf, name: str) -> dict[str, Any]:
    """The values of all parameters on the named date `name` (those without a value on it are left out)."""
    tag = lauf.daten.get(name)
    return k.konstanten_am(tag) if tag is not None else {}


def datum_der_regel(k: Kompilat, kr: KompilierteRegel, lauf: Lauf, eintrag: Any = None) -> date | None:
    """The date whose law the rule applies in this case (None: not known, the rule cannot apply)."""
    art, name = kr.datumsquelle
    if art == "daten":
        wert = lauf.daten.get(name)
    elif art == "fakt":
        wert = lauf.werte.get(name)
    else:
        wert = eintrag.get(name) if isinstance(eintrag, dict) else None
    return wert if isinstance(wert, date) else None


def datum(k: Kompilat, lauf: Lauf, name: str | None, eintrag: Any = None) -> date | None:
    """The value of the named date `name` (default: the Verfahren's) in this case; None when not known."""
    name = name or k.verfahren.rechtsstand
    if name in lauf.daten:
        wert = lauf.daten[name]
    else:
        rs = k.rechtsstaende.get(name)
        if rs is None:
            wert = None
        elif rs.feld:
            wert = eintrag.get(rs.feld) if isinstance(eintrag, dict) else None
        else:
            wert = lauf.werte.get(rs.fakt) if rs.fakt else None
    return wert if isinstance(wert, date) else None


def _wende_an(kr: KompilierteRegel, werte: dict[str, Any], praedikate_geprueft: bool) -> dict[str, Any] | None:
    """Condition and conclusions of one rule; None when the condition does not hold."""
    regel = kr.regel
    try:
        if regel.wenn is not None and (kr.restbedingung or not kr.praedikate or not praedikate_geprueft):
            if not regel.wenn.ausfuehren(werte):
                return None
        return {s.fakt: s.formel.ausfuehren(werte) for s in regel.dann}
    except FehlendeFeststellung:
        raise  # an open finding is not an error: `feuere` records it and the rule does not apply
    except Laufzeitfehler as exc:
        raise AusfuehrungsFehler(f"Regel `{regel.id}` konnte nicht angewandt werden: {exc}", regel.ort,
                                 "Formel der Regel oder Angaben des Falls prüfen") from None


def _bewerte(kr: KompilierteRegel, lauf: Lauf, werte: dict[str, Any], praedikate_geprueft: bool
             ) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Apply one rule to `werte`, recording open findings; returns its results and the findings it relied on."""
    if not kr.liest_feststellungen:
        return _wende_an(kr, werte, praedikate_geprueft), {}
    protokoll: dict[str, bool] = {}  # finding id -> supplied by the case?
    marke = FESTSTELLUNGEN_PROTOKOLL.set(protokoll)
    try:
        ergebnisse = _wende_an(kr, werte, praedikate_geprueft)
    except FehlendeFeststellung:
        ergebnisse = None  # an open finding: the rule does not apply (recorded below)
    finally:
        FESTSTELLUNGEN_PROTOKOLL.reset(marke)
    for fid, vorhanden in protokoll.items():
        if not vorhanden and kr.regel.id not in lauf.offen.setdefault(fid, []):
            lauf.offen[fid].append(kr.regel.id)
    alle = werte.get("feststellungen") or {}
    return ergebnisse, {fid: alle[fid] for fid, da in protokoll.items() if da}


def feuere(k: Kompilat, kr: KompilierteRegel, lauf: Lauf, praedikate_geprueft: bool = False) -> dict[str, Any] | None:
    """Apply one rule at its own date; `praedikate_geprueft` when the engine already tested its single-fact conditions."""
    if kr.regel.je is not None:
        return _feuere_je(k, kr, lauf)
    tag = datum_der_regel(k, kr, lauf)
    if tag is None or not kr.regel.zeitraum.enthaelt(tag):
        return None  # not in force on its date
    stand = kr.stand_am(tag)
    werte = lauf.werte
    werte.update(stand.konstanten)
    ergebnisse, genutzt = _bewerte(kr, lauf, werte, praedikate_geprueft)
    if ergebnisse is None:
        return None
    _vermerke(kr, lauf, ergebnisse)
    werte.update(ergebnisse)
    lauf.schritte.append(Schritt(kr, {n: werte.get(n) for n in kr.namen}, ergebnisse, genutzt, tag, stand))
    return ergebnisse


def _feuere_je(k: Kompilat, kr: KompilierteRegel, lauf: Lauf) -> dict[str, Any] | None:
    """A `je` rule: each element at its own date; every conclusion becomes the list of the elements' values."""
    regel = kr.regel
    werte = lauf.werte
    liste = werte.get(regel.je)
    if not isinstance(liste, list):
        return None
    ergebnisse: dict[str, list] = {s.fakt: [] for s in regel.dann}
    schritte = []
    for eintrag in liste:
        tag = datum_der_regel(k, kr, lauf, eintrag)
        if tag is None or not regel.zeitraum.enthaelt(tag):
            continue
        stand = kr.stand_am(tag)
        umgebung = {**werte, **stand.konstanten, "eintrag": eintrag}
        teil, genutzt = _bewerte(kr, lauf, umgebung, False)
        if teil is None:
            continue
        for fakt, wert in teil.items():
            ergebnisse[fakt].append(wert)
        schritte.append(Schritt(kr, {n: umgebung.get(n) for n in kr.namen if n != regel.je}, teil, genutzt, tag, stand,
                                eintrag))
    _vermerke(kr, lauf, ergebnisse)
    werte.update(ergebnisse)
    lauf.schritte.extend(schritte)
    return ergebnisse


def _vermerke(kr: KompilierteRegel, lauf: Lauf, ergebnisse: dict[str, Any]) -> None:
    for fakt in ergebnisse:
        if fakt in lauf.herkunft:
            raise AusfuehrungsFehler(
                f"Widerspruch: `{fakt}` wurde von `{lauf.herkunft[fakt]}` und `{kr.regel.id}` abgeleitet", kr.regel.ort,
                "die Bedingungen der Regeln einer Fallgruppe müssen sich ausschließen")
        lauf.herkunft[fakt] = kr.regel.id


def neuer_lauf(k: Kompilat, eingaben: dict[str, Any]) -> Lauf:
    """The state of a new decision: the case's inputs and its named dates."""
    return Lauf(dict(eingaben), k.daten(eingaben))


def direkt(k: Kompilat, eingaben: dict[str, Any]) -> Lauf:
    """Evaluate without the rule engine: every rule whose inputs exist, in dependency order."""
    lauf = neuer_lauf(k, eingaben)
    for kr in k.regeln:
        if all(n in lauf.werte for n in kr.liest):
            feuere(k, kr, lauf)
    return lauf
