"""Execute a plan: fire one rule into the state of a decision and keep the explanation trail.

`feuere` is shared by both executors: the rule engine (`engine.durable_backend`, which has
already tested a rule's single-fact predicates) and `direkt`, the plain evaluation in
dependency order that serves as the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .fehler import AusfuehrungsFehler, FallFehler, RegelwerkFehler
from .format import datum as deutsches_datum, zahl  # `datum` here is the named date of a case
from .formel import (FESTSTELLUNGEN_PROTOKOLL, FehlendeFeststellung, Laufzeitfehler, Rechenaufwand, feldpfade,
                     schrittbudget_jetzt)
from .kompilat import Kompilat, KompilierteRegel, RegelStand, datumsquelle


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
    dokument: Any = None  # the case document (`.ort(pfad)`, `.datei`): errors caused by case values point into it
    aufwand: dict[str, int] = field(default_factory=dict)  # rule id -> evaluation steps used (within a step budget)
    # rules that would have applied but cite law that did not exist on their date: (rule, date, reasons)
    nicht_vorgesehen: list[tuple[KompilierteRegel, date, tuple[str, ...]]] = field(default_factory=list)
    # for the rule engine: what its patterns test (flags of derived facts known, values of single-fact tests)
    praedikate: dict[str, bool] = field(default_factory=dict)


def konstanten_am(k: Kompilat, lauf: Lauf, name: str) -> dict[str, Any]:
    """The values of all parameters on the named date `name` (those without a value on it are left out)."""
    tag = lauf.daten.get(name)
    return k.konstanten_am(tag) if tag is not None else {}


def _aus_quelle(quelle: tuple[str, str], lauf: Lauf, eintrag: Any) -> date | None:
    art, name = quelle
    if art == "daten":
        wert = lauf.daten.get(name)
    elif art == "fakt":
        wert = lauf.werte.get(name)
    else:
        wert = eintrag.get(name) if isinstance(eintrag, dict) else None
    return wert if isinstance(wert, date) else None


def datum_der_regel(k: Kompilat, kr: KompilierteRegel, lauf: Lauf, eintrag: Any = None) -> date | None:
    """The date whose law the rule applies in this case (None: not known, the rule cannot apply)."""
    return _aus_quelle(kr.datumsquelle, lauf, eintrag)


def datum(k: Kompilat, lauf: Lauf, name: str | None, eintrag: Any = None) -> date | None:
    """The value of the named date `name` (default: the Verfahren's) in this case; None when not known."""
    return _aus_quelle(datumsquelle(k.rechtsstaende, name or k.verfahren.rechtsstand), lauf, eintrag)


class _Gescheitert(Exception):
    """A formula of a rule failed while running: which formula, and why."""

    def __init__(self, quelle: str, fehler: Laufzeitfehler):
        super().__init__(str(fehler))
        self.quelle = quelle
        self.fehler = fehler


def _wende_an(kr: KompilierteRegel, werte: dict[str, Any], praedikate_geprueft: bool) -> dict[str, Any] | None:
    """Condition and conclusions of one rule; None when the condition does not hold."""
    wenn = kr.restliche_bedingung if praedikate_geprueft else kr.regel.wenn
    quelle = kr.regel.wenn_quelle or ""
    try:
        if wenn is not None and not wenn.ausfuehren(werte):
            return None
        ergebnisse = {}
        for fakt, formel, quelle in kr.schluesse:  # `quelle`: the formula running, for the error
            ergebnisse[fakt] = formel.ausfuehren(werte)
        return ergebnisse
    except FehlendeFeststellung:
        raise  # an open finding is not an error: `_bewerte` records it and the rule does not apply
    except Laufzeitfehler as exc:
        raise _Gescheitert(quelle, exc) from None


def _bewerte(k: Kompilat, kr: KompilierteRegel, lauf: Lauf, werte: dict[str, Any], praedikate_geprueft: bool,
             eintrag: Any = None) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Apply one rule to `werte`, recording open findings; returns its results and the findings it relied on."""
    budget = schrittbudget_jetzt()  # the same list before and after: the steps this rule used are the difference
    vorher = budget[0] if budget is not None else 0
    try:
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
    except _Gescheitert as g:
        raise nicht_auswertbar(k, lauf, g.quelle, g.fehler, kr, eintrag) from None
    finally:
        if budget is not None:
            rid = kr.regel.id
            lauf.aufwand[rid] = lauf.aufwand.get(rid, 0) + vorher - budget[0]
    for fid, vorhanden in protokoll.items():
        if not vorhanden and kr.regel.id not in lauf.offen.setdefault(fid, []):
            lauf.offen[fid].append(kr.regel.id)
    alle = werte.get("feststellungen") or {}
    return ergebnisse, {fid: alle[fid] for fid, da in protokoll.items() if da}


def nicht_auswertbar(k: Kompilat, lauf: Lauf, quelle: str, fehler: Laufzeitfehler,
                     kr: KompilierteRegel | None = None, eintrag: Any = None) -> RegelwerkFehler:
    """The error for a formula that failed on the values of a case.

    The case file and the field whose value the formula could not compute with come first (that is what the
    person can fix); the rule is named as context. Only a failure that reads no case value at all blames the rule.
    """
    regel = f"Regel `{kr.regel.id}`" if kr is not None else f"Bedingung `{quelle}`"
    if isinstance(fehler, Rechenaufwand):  # the work a formula does is the rule's doing, not the case's
        return _zu_viel_aufwand(lauf, regel, fehler, kr)
    felder = _felder_des_falls(k, lauf, quelle, kr, eintrag)
    if not felder:
        return AusfuehrungsFehler(f"{regel} konnte nicht angewandt werden: {fehler}", kr.regel.ort if kr else None,
                                  "Formel der Regel prüfen")
    text = str(fehler)
    passend = [p for p in felder if any(w and w in text for w in _schreibweisen(_wert(lauf.werte, p)))]
    felder = passend or felder
    pfad = felder[0]
    ort = lauf.dokument.ort(pfad) if lauf.dokument is not None else None
    weitere = [_pfadtext(p) for p in felder[1:]]
    hilfe = (f"Angabe `{_pfadtext(pfad)}`" + (" (und " + ", ".join(f"`{w}`" for w in weitere) + ")" if weitere else "")
             + " prüfen" + (f"; die Regel steht in {kr.regel.ort}" if kr is not None else ""))
    return FallFehler(f"mit den Angaben des Falls ist {regel} nicht anwendbar: {text}", ort, hilfe)


def _zu_viel_aufwand(lauf: Lauf, regel: str, fehler: Laufzeitfehler, kr: KompilierteRegel | None) -> RegelwerkFehler:
    groesster = max(lauf.aufwand.items(), key=lambda e: e[1], default=None)
    hinweis = ""
    if groesster is not None and kr is not None and groesster[0] != kr.regel.id and groesster[1] > 0:
        hinweis = f"; am meisten davon verbrauchte Regel `{groesster[0]}` ({zahl(groesster[1])} Schritte)"
    return AusfuehrungsFehler(f"{regel}: {fehler}, die Entscheidung wurde abgebrochen{hinweis}",
                              kr.regel.ort if kr is not None else None,
                              "Formel vereinfachen: keine verschachtelten Aufzählungen (fuer … in …) über lange Listen, "
                              "Zwischenergebnisse in eigene Regeln auslagern")


def _felder_des_falls(k: Kompilat, lauf: Lauf, quelle: str, kr: KompilierteRegel | None, eintrag: Any
                      ) -> list[tuple]:
    """Field paths of the case (as in the case file) a formula reads, directly or through derived facts."""
    eingaben = set(k.verfahren.eingaben)
    erzeuger = {f: r for r in k.regeln for f in r.regel.leitet_ab}
    felder: list[tuple] = []
    offen, gesehen = [quelle], set()
    while offen:
        q = offen.pop(0)
        if q in gesehen:
            continue
        gesehen.add(q)
        for pfad in feldpfade(q):
            name = pfad[0]
            if name == "eintrag" and kr is not None and kr.regel.je in eingaben and isinstance(eintrag, dict):
                liste = lauf.werte.get(kr.regel.je) or []
                index = next((i for i, e in enumerate(liste) if e is eintrag), None)
                if index is not None:
                    felder.append((kr.regel.je, index, *pfad[1:]))
            elif name in eingaben and name in lauf.werte and lauf.werte[name] is not None:
                felder.append(pfad)
            elif name in erzeuger and name in lauf.werte:  # a derived fact: the inputs of the rule that made it
                r = erzeuger[name].regel
                offen += ([r.wenn_quelle] if r.wenn_quelle else []) + [s.quelle for s in r.dann]
    return list(dict.fromkeys(felder))


def _wert(werte: dict[str, Any], pfad: tuple) -> Any:
    wert: Any = werte
    for teil in pfad:
        if isinstance(wert, dict):
            wert = wert.get(teil)
        elif isinstance(wert, list) and isinstance(teil, int) and teil < len(wert):
            wert = wert[teil]
        else:
            return None
    return wert


def _schreibweisen(wert: Any) -> list[str]:
    """How a value may appear in an error text of the formula language."""
    if isinstance(wert, date):
        return [deutsches_datum(wert), wert.isoformat()]
    if isinstance(wert, (str, int, Decimal)) and not isinstance(wert, bool):
        return [str(wert)]
    return []


def _pfadtext(pfad: tuple) -> str:
    return "".join(f"[{t}]" if isinstance(t, int) else ("." if i else "") + str(t) for i, t in enumerate(pfad))


def feuere(k: Kompilat, kr: KompilierteRegel, lauf: Lauf, praedikate_geprueft: bool = False) -> dict[str, Any] | None:
    """Apply one rule at its own date; `praedikate_geprueft` when the engine already tested its single-fact conditions."""
    regel = kr.regel
    if regel.je is not None:
        return _feuere_je(k, kr, lauf)
    tag = _aus_quelle(kr.datumsquelle, lauf, None)  # `datum_der_regel` without an element
    if tag is None or not regel.zeitraum.enthaelt(tag):
        return None  # not in force on its date
    stand = kr.staende.am(tag)
    werte = lauf.werte
    werte.update(stand.konstanten)
    ergebnisse, genutzt = _bewerte(k, kr, lauf, werte, praedikate_geprueft)
    if ergebnisse is None:
        return None
    if stand.fehlt:  # its provision did not exist on its date: the rule does not apply then, and the decision says so
        lauf.nicht_vorgesehen.append((kr, tag, tuple(n.text for n in stand.fehlt)))
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
        teil, genutzt = _bewerte(k, kr, lauf, umgebung, False, eintrag)
        if teil is None:
            continue
        if stand.fehlt:  # its provision did not exist on this element's date
            lauf.nicht_vorgesehen.append((kr, tag, tuple(n.text for n in stand.fehlt)))
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


def neuer_lauf(k: Kompilat, eingaben: dict[str, Any], dokument: Any = None) -> Lauf:
    """The state of a new decision: the case's inputs and its named dates (and the case document for errors)."""
    return Lauf(dict(eingaben), k.daten(eingaben), dokument=dokument)


def direkt(k: Kompilat, eingaben: dict[str, Any], dokument: Any = None) -> Lauf:
    """Evaluate without the rule engine: every rule whose inputs exist, in dependency order."""
    lauf = neuer_lauf(k, eingaben, dokument)
    for kr in k.regeln:
        if all(n in lauf.werte for n in kr.liest):
            feuere(k, kr, lauf)
    return lauf
