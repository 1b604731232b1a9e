"""Execute a plan: fire one rule into the state of a decision and keep the explanation trail.

`feuere` is shared by both executors: the rule engine (`engine.durable_backend`, which has
already tested a rule's single-fact predicates) and `direkt`, the plain evaluation in
dependency order that serves as the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .fehler import AusfuehrungsFehler
from .formel import FESTSTELLUNGEN_PROTOKOLL, FehlendeFeststellung, Laufzeitfehler
from .kompilat import Kompilat, KompilierteRegel


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


def _wende_an(kr: KompilierteRegel, werte: dict[str, Any], praedikate_geprueft: bool) -> dict[str, Any] | None:
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


def feuere(kr: KompilierteRegel, lauf: Lauf, praedikate_geprueft: bool = False) -> dict[str, Any] | None:
    """Apply one rule; `praedikate_geprueft` when the engine already tested its single-fact conditions."""
    werte = lauf.werte
    regel = kr.regel
    genutzt: dict[str, Any] = {}
    if not kr.liest_feststellungen:
        ergebnisse = _wende_an(kr, werte, praedikate_geprueft)
    else:
        protokoll: dict[str, bool] = {}  # finding id -> supplied by the case?
        marke = FESTSTELLUNGEN_PROTOKOLL.set(protokoll)
        try:
            ergebnisse = _wende_an(kr, werte, praedikate_geprueft)
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


def neuer_lauf(k: Kompilat, eingaben: dict[str, Any]) -> Lauf:
    """The state of a new decision: the case's inputs and the plan's parameter values."""
    return Lauf(dict(eingaben) | k.konstanten)


def direkt(k: Kompilat, eingaben: dict[str, Any]) -> Lauf:
    """Evaluate without the rule engine: every rule whose inputs exist, in dependency order."""
    lauf = neuer_lauf(k, eingaben)
    for kr in k.regeln:
        if all(n in lauf.werte for n in kr.liest):
            feuere(kr, lauf)
    return lauf
