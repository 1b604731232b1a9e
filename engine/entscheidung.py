"""Decisions: run a case through the compiled rules and keep the explanation trail.

`Entscheider` is the public entry point: it owns the knowledge base, the compiled
plans per (art, date) and the rule-engine backend; `entscheide(fall)` returns an
`Entscheidung` with `ergebnis`, the trail and a receipt for reproducibility.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .version import __version__
from .fehler import AusfuehrungsFehler
from .faelle import Fall
from .format import json_wert
from . import durable_backend
from .ausfuehrung import Lauf, Schritt, datum, direkt, neuer_lauf
from .formel import schrittbudget
from .kompilat import Kompilat, kompiliere
from .regeln import NichtAutomatisiert
from .wissensbasis import Wissensbasis
from .zitate import loese_auf, parse_zitat


def vorbehalte_der_fassung(f, tag: date) -> list[dict[str, Any]]:
    """The caveats on a quoted Fassung as the law of `tag`: one per sentence (none when nothing is uncertain then)."""
    return [{"zitat": f.zitat.text, "fassung_ab": f.fassung.gueltig_ab.isoformat(), "angewandt_fuer": tag.isoformat(),
             "hinweis": satz} for satz in f.fassung.vorbehalte_am(tag, f.anker)]


@dataclass
class Entscheidung:
    fall: Fall
    kompilat: Kompilat
    ergebnis: dict[str, Any]  # JSON-ready values
    fehlend: dict[str, str]  # ergebnis fields not determined, with the reason
    schritte: list[Schritt]
    fingerabdruck: str
    nicht_automatisiert: list[NichtAutomatisiert]  # parts of the law in force that a person decides
    offene_feststellungen: list[dict[str, Any]] = field(default_factory=list)  # findings the rules needed but the case leaves open
    feststellungen: list[dict[str, Any]] = field(default_factory=list)  # findings the case supplies, with who made them
    ermessen: list[dict[str, Any]] = field(default_factory=list)  # discretion opened by fired rules: limits (templates) and the step's values
    rechtsstaende: list[dict[str, Any]] = field(default_factory=list)  # every law date used: name, bezeichnung, datum
    # rules that would have applied but whose provision did not exist on their date: regel, titel, datum, gruende
    nicht_vorgesehen: list[dict[str, Any]] = field(default_factory=list)
    datei: str = ""  # the case file for display (not part of the receipt: the receipt holds the content hash)

    @property
    def quittung(self) -> dict[str, Any]:
        return {
            "regelwerk_fingerabdruck": self.fingerabdruck,
            "engine_version": __version__,
            "rechtsstaende": [{"name": r["name"], "bezeichnung": r["bezeichnung"], "datum": r["datum"].isoformat()}
                              for r in self.rechtsstaende],
            "art": self.fall.art,
            # what was decided, by content: the same case gives the same receipt from any path or working directory
            "fall_sha256": self.fall.sha256,
        }


class Entscheider:
    """Makes decisions for one knowledge base; keep one per process (or thread)."""

    def __init__(self, wb: Wissensbasis, motor: str = "durable"):
        self.wb = wb
        self.motor = motor
        # one plan and one ruleset per art: the rules read their law at their own dates, so the
        # number of distinct dates decided does not grow memory
        self._kompilate: dict[str, Kompilat] = {}
        self._rulesets: dict[str, tuple[str, durable_backend.DurablePlan]] = {}
        self._lauf: Lauf | None = None
        self._backend = None

    def kompilat(self, art: str) -> Kompilat:
        if art not in self._kompilate:
            self._kompilate[art] = kompiliere(self.wb, art)
        return self._kompilate[art]

    def _ruleset(self, k: Kompilat) -> tuple[str, durable_backend.DurablePlan]:
        if k.art not in self._rulesets:
            if self._backend is None:
                self._backend = durable_backend.Backend()
            plan = durable_backend.durable_regeln(k, self._aktueller_lauf)
            name = self._backend.registriere(plan.regeln, plan.feldnamen, plan.fakt_ids, plan.anfang)
            self._rulesets[k.art] = (name, plan)
        return self._rulesets[k.art]

    def _aktueller_lauf(self) -> Lauf:
        assert self._lauf is not None
        return self._lauf

    def entscheide(self, fall: Fall) -> Entscheidung:
        # one step budget for the whole decision: many rules just under the per-formula budget cannot add up to hours
        with schrittbudget(fall.schrittbudget):
            return self._entscheide(fall)

    def _entscheide(self, fall: Fall) -> Entscheidung:
        k = self.kompilat(fall.art)
        if self.motor == "direkt":
            lauf = direkt(k, fall.eingaben, fall.dokument)
        else:
            name, plan = self._ruleset(k)
            self._lauf = neuer_lauf(k, fall.eingaben, fall.dokument)
            try:
                durable_backend.fall_fakt(k, self._lauf)  # the tests of the inputs, before any rule fires
                self._backend.fuehre_aus(name, durable_backend.stufenfakten(plan, self._lauf))
                lauf = self._lauf
            finally:
                self._lauf = None
        # findings and marks of non-automated law, each read at its own date (each named date looked up once)
        tage: dict[str | None, date | None] = {}

        def gilt(x) -> bool:
            if x.rechtsstand not in tage:
                tage[x.rechtsstand] = datum(k, lauf, x.rechtsstand)
            tag = tage[x.rechtsstand]
            return tag is not None and x.zeitraum.enthaelt(tag)
        deklariert = {f.id: f for f in k.feststellungen if gilt(f)}
        nicht_automatisiert = [n for n in k.nicht_automatisiert if gilt(n)]
        # provided by the engine: the findings the rules needed but the case leaves open
        lauf.werte["offene_feststellungen"] = [fid for fid in sorted(lauf.offen) if fid in deklariert]
        ergebnis: dict[str, Any] = {}
        fehlend: dict[str, str] = {}
        nicht_vorgesehen = self._nicht_vorgesehen(lauf)
        for feld in k.verfahren.ergebnis:
            wert = lauf.werte.get(feld.fakt)
            if feld.fakt not in lauf.werte:
                # a rule that would have derived it cites law not yet (or no longer) in force on its date
                grund = next((f"nicht vorgesehen: {'; '.join(n['gruende'])}" for n in nicht_vorgesehen
                              if feld.fakt in n["leitet_ab"]), None)
                if grund is not None:
                    fehlend[feld.feld] = grund
                elif feld.fehlt is None:
                    raise AusfuehrungsFehler(
                        f"Ergebnis `{feld.feld}` konnte nicht ermittelt werden: keine Regel traf für diesen Fall zu",
                        k.verfahren.ort, "Lücke im Regelwerk: Regeln für diesen Fall ergänzen")
                else:
                    fehlend[feld.feld] = feld.fehlt
            ergebnis[feld.feld] = json_wert(wert, feld.format)
        return Entscheidung(fall, k, ergebnis, fehlend, lauf.schritte, self.wb.fingerabdruck, nicht_automatisiert,
                            *self._feststellungen_und_ermessen(fall, lauf, k, deklariert),
                            rechtsstaende=self._rechtsstaende(fall, lauf, k), datei=fall.anzeigename(self.wb.wurzel),
                            nicht_vorgesehen=nicht_vorgesehen)

    @staticmethod
    def _nicht_vorgesehen(lauf: Lauf) -> list[dict[str, Any]]:
        """The rules not applied because their provision did not exist on their date, once per rule and date."""
        gesehen: dict[tuple[str, date], dict[str, Any]] = {}
        for kr, tag, gruende in lauf.nicht_vorgesehen:
            eintrag = gesehen.setdefault((kr.regel.id, tag), {
                "regel": kr.regel.id, "titel": kr.regel.titel, "datum": tag, "gruende": [],
                "leitet_ab": list(kr.regel.leitet_ab)})
            eintrag["gruende"] += [g for g in gruende if g not in eintrag["gruende"]]
        return list(gesehen.values())

    @staticmethod
    def _rechtsstaende(fall: Fall, lauf: Lauf, k: Kompilat) -> list[dict[str, Any]]:
        """Every date whose law the decision applied, in order of time (the default date always)."""
        gesehen = {(k.verfahren.rechtsstand, fall.stichtag)}
        gesehen |= {(s.regel.rechtsstand, s.datum) for s in lauf.schritte if s.datum is not None}
        return [{"name": name, "bezeichnung": k.rechtsstaende[name].bezeichnung if name in k.rechtsstaende else name,
                 "datum": tag} for name, tag in sorted(gesehen, key=lambda e: (e[1], e[0]))]

    def _feststellungen_und_ermessen(self, fall: Fall, lauf: Lauf, k: Kompilat, deklariert: dict) -> tuple[list, list, list]:
        def fundstellen(zitat: str, tag: date) -> list:
            return [loese_auf(z, self.wb.recht, tag) for z in parse_zitat(zitat, self.wb.recht)]

        def wortlaut(zitat: str, tag: date) -> str:
            return " … ".join(f.wortlaut for f in fundstellen(zitat, tag))

        def vorbehalt(zitat: str, tag: date) -> list[dict[str, Any]]:
            """The caveats on the quoted Fassungen as the law of `tag` (shown beside the quote)."""
            return [v for f in fundstellen(zitat, tag) for v in vorbehalte_der_fassung(f, tag)]

        offene = [{"id": fid, "frage": deklariert[fid].frage, "art": deklariert[fid].art,
                   "zitat": deklariert[fid].zitat,
                   "wortlaut": wortlaut(deklariert[fid].zitat, datum(k, lauf, deklariert[fid].rechtsstand)),
                   "vorbehalt": vorbehalt(deklariert[fid].zitat, datum(k, lauf, deklariert[fid].rechtsstand)),
                   "regeln": regeln}
                  for fid, regeln in sorted(lauf.offen.items()) if fid in deklariert]
        geliefert = []
        for fid, f in (fall.eingaben.get("feststellungen") or {}).items():
            d = deklariert.get(fid)
            geliefert.append({"id": fid, "frage": d.frage if d else fid, "art": d.art if d else None,
                              "zitat": d.zitat if d else None, "wert": f.get("wert"), "durch": f.get("durch"),
                              "am": f.get("am"), "begruendung": f.get("begruendung")})
        ermessen = []
        for s in lauf.schritte:
            e = s.regel.regel.ermessen
            if e is None:
                continue
            # the limits stay templates here; rendering fills in the step's values (darstellung)
            ermessen.append({"regel": s.regel.regel.id, "zitat": e.zitat, "wortlaut": wortlaut(e.zitat, s.datum),
                             "vorbehalt": vorbehalt(e.zitat, s.datum),
                             "grenzen": list(e.grenzen), "werte": {**s.eingaben, **s.ergebnisse}})
        return offene, geliefert, ermessen

    def schliessen(self) -> None:
        """Delete every registered ruleset from the rule engine."""
        if self._backend is not None:
            for name, _ in self._rulesets.values():
                self._backend.entferne(name)
        self._rulesets.clear()

    def __enter__(self) -> "Entscheider":
        return self

    def __exit__(self, *exc) -> None:
        self.schliessen()
