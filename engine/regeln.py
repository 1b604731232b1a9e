"""Rules, procedures (Verfahren) and marks of non-automatable law, loaded from rules/.

A rule file holds `regeln` (and optionally `nicht_automatisiert`) for one `art` of
decision. The Verfahren file of an art (``verfahren.yaml``) names its input checks and
the fields of its `ergebnis`. Loading only builds the model; the cross-checks over the
whole knowledge base live in `pruefung.py`.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any

from .fehler import FormelFehler, Ort, RegelFehler, RegelwerkFehler, relativ, vorschlag
from .formel import Formel, uebersetze
from .schema import schema_fehler
from .yamlquelle import YamlDokument, lade_yaml
from .zeitraum import ANFANG, Zeitraum

_TODO = re.compile(r"\bTODO\b")

@dataclass(frozen=True)
class RegelZitat:
    zitat: str
    zeitraum: Zeitraum  # the part of the rule's validity for which this citation applies
    ort: Ort


@dataclass
class Schlussfolgerung:
    fakt: str
    formel: Formel | None
    quelle: str
    ort: Ort


@dataclass
class Ermessen:
    """A rule whose consequence is discretionary: the engine reports "Ermessen eröffnet" with the limits."""

    zitat: str
    grenzen: list[str]  # German sentences; {name} inserts a value of the rule's step
    ort: Ort


@dataclass
class Feststellung:
    """A finding a person must make (indeterminate term, discretion or fact); the case supplies it."""

    id: str
    art: str  # "unbestimmter_rechtsbegriff" | "ermessen" | "tatsache"
    frage: str
    zitat: str  # the sentence of the law that asks for it
    zeitraum: Zeitraum
    entscheidungsart: str  # the `art` of decision whose rules use it
    ort: Ort
    rechtsstand: str | None = None  # named date at which its validity is read (None: the Verfahren's default)


@dataclass
class Regel:
    id: str
    art: str
    titel: str
    zeitraum: Zeitraum
    fundstellen: list[RegelZitat]
    liest: list[str]
    wenn: Formel | None
    wenn_quelle: str | None
    dann: list[Schlussfolgerung]
    erklaerung: str
    fallgruppe: str | None
    rundung: str | None
    lesart: str | None
    ort: Ort
    datei: str
    ermessen: Ermessen | None = None
    rechtsstand: str | None = None  # the named date of the case whose law the rule applies (None: the Verfahren's default)
    je: str | None = None  # a list: the rule applies once per element (`eintrag`), each at its own date

    @property
    def feststellungen(self) -> set[str]:
        ids: set[str] = set()
        for formel in [self.wenn] + [s.formel for s in self.dann]:
            if formel is not None:
                ids |= formel.feststellungen
        return ids

    @property
    def leitet_ab(self) -> list[str]:
        return [s.fakt for s in self.dann]

    def zitate_am(self, tag: date) -> list[RegelZitat]:
        return [z for z in self.fundstellen if z.zeitraum.enthaelt(tag)]


@dataclass
class NichtAutomatisiert:
    zitat: str
    grund: str
    erlaeuterung: str
    zeitraum: Zeitraum
    art: str
    ort: Ort
    rechtsstand: str | None = None  # named date at which its validity is read (None: the Verfahren's default)


@dataclass
class Pruefung:
    """A plausibility check of the case input (an invariant that must hold)."""

    bedingung: Formel | None
    quelle: str
    je: str | None
    meldung: str
    feld: str | None
    ort: Ort
    eindeutig: str | None = None  # instead of a condition: this field of the entries of `je` occurs once at most


@dataclass
class Ergebnisfeld:
    feld: str
    fakt: str
    format: str
    fehlt: str | None  # German explanation when the fact is not derived (optional field)
    bezeichnung: str = ""  # German label in the Bescheid and on the site (the list's order is the Bescheid's)


@dataclass
class Rechtsstand:
    """A named date of a case at which rules read their law: computed from the inputs or a derived fact."""

    name: str
    bezeichnung: str  # German, for the trail: "Ende des Erhebungsjahres"
    formel: Formel | None  # over the case inputs, evaluated before any rule fires
    fakt: str | None  # or: a fact derived by a rule
    ort: Ort
    feld: str | None = None  # or: a date field of the element of a `je` rule


@dataclass
class Verfahren:
    art: str
    titel: str
    rechtsstand: str  # name of the default date (one of `rechtsstaende`)
    fall_schema: str
    eingaben: list[str]
    pruefungen: list[Pruefung]
    ergebnis: list[Ergebnisfeld]
    tenor: list[dict[str, Any]]
    ort: Ort
    rechtsstaende: dict[str, Rechtsstand] = field(default_factory=dict)


@dataclass
class Entwurf:
    """A rule marked `entwurf: true`: it stays out of every decision until a legal expert completes it."""

    id: str
    titel: str
    ort: Ort


@dataclass
class Begriff:
    name: str
    bezeichnung: str
    ort: Ort


@dataclass
class Regelbuch:
    regeln: list[Regel] = field(default_factory=list)
    nicht_automatisiert: list[NichtAutomatisiert] = field(default_factory=list)
    feststellungen: list[Feststellung] = field(default_factory=list)
    verfahren: dict[str, Verfahren] = field(default_factory=dict)
    # drafts (`entwurf: true`, as `regelwerk neu regel` writes them): loaded, never applied, named by `check`
    entwuerfe: list[Entwurf] = field(default_factory=list)
    # the German label of every name a rule reads or derives (rules/begriffe.yaml), with its place
    begriffe: dict[str, Begriff] = field(default_factory=dict)
    # the German label of every fixed value a case field can take (the enums of the case schemas)
    werte: dict[str, Begriff] = field(default_factory=dict)

    def wert_bezeichnung(self, wert: str) -> str | None:
        """The German label of a fixed value of a case field (`technische_arbeitshilfe` -> "Technische Arbeitshilfen")."""
        b = self.werte.get(wert)
        return b.bezeichnung if b is not None else None

    def bezeichnung(self, name: str) -> str | None:
        """The German label of a fact (`monate_mit_taetigkeit` -> "Monate mit Geschäftstätigkeit"); None if it has none."""
        b = self.begriffe.get(name)
        return b.bezeichnung if b is not None else None

    @cached_property
    def regeln_je_art(self) -> dict[str, list[Regel]]:
        """The rules of each art in file order (the rulebook does not change once loaded)."""
        je_art: dict[str, list[Regel]] = {}
        for r in self.regeln:
            je_art.setdefault(r.art, []).append(r)
        return je_art


def _zeitraum(daten: dict, von: str = "gueltig_ab", bis: str = "gueltig_bis") -> Zeitraum:
    return Zeitraum(daten.get(von) or ANFANG, daten.get(bis))


def _formel(quelle: Any, dok: YamlDokument, pfad: tuple, fehler: list[RegelwerkFehler],
            bekannte: set[str] | None = None) -> Formel | None:
    try:
        return uebersetze(quelle, bekannte)
    except FormelFehler as exc:
        exc.ort = dok.ort(pfad)
        fehler.append(exc)
        return None


def lade_regeldatei(datei: Path, basis: Path, buch: Regelbuch, fehler: list[RegelwerkFehler]) -> None:
    dok = lade_yaml(datei, relativ(datei, basis))
    if isinstance(dok.daten, dict) and "verfahren" in dok.daten:
        _lade_verfahren(dok, buch, fehler)
        return
    if isinstance(dok.daten, dict) and "begriffe" in dok.daten:
        _lade_begriffe(dok, buch, fehler)
        return
    probleme = schema_fehler(dok, "regeln")
    if probleme:
        fehler.extend(probleme)
        return
    art = dok.daten["art"]
    datei_rechtsstand = dok.daten.get("rechtsstand")
    for i, r in enumerate(dok.daten.get("regeln", [])):
        pfad = ("regeln", i)
        if r.get("entwurf"):
            buch.entwuerfe.append(Entwurf(r["id"], r["titel"], dok.ort(pfad)))
            continue
        if _TODO.search(r["titel"]) or _TODO.search(r["erklaerung"]):
            fehler.append(RegelFehler(
                "die Regel enthält noch „TODO“, ist aber nicht als Entwurf markiert und würde in Entscheidungen erscheinen",
                dok.ort(pfad), "Titel und Erklärung fertig schreiben oder `entwurf: true` wieder setzen"))
        zeitraum = _zeitraum(r)
        liest = list(r.get("liest", []))
        if "je" in r and r["je"] not in liest:
            liest.append(r["je"])
        bekannte = set(liest) | ({"eintrag"} if "je" in r else set())
        zitate = []
        for j, z in enumerate(r["fundstellen"]):
            z = {"zitat": z} if isinstance(z, str) else z
            eigener = Zeitraum(z.get("ab") or ANFANG, z.get("bis"))
            zitate.append(RegelZitat(z["zitat"], zeitraum.schnitt(eigener) or eigener, dok.ort(pfad + ("fundstellen", j))))
        dann = []
        for fakt, quelle in r["dann"].items():
            dann.append(Schlussfolgerung(fakt, _formel(quelle, dok, pfad + ("dann", fakt), fehler, bekannte),
                                         str(quelle), dok.ort(pfad + ("dann", fakt))))
        wenn = _formel(r["wenn"], dok, pfad + ("wenn",), fehler, bekannte) if "wenn" in r else None
        buch.regeln.append(Regel(
            id=r["id"], art=art, titel=r["titel"], zeitraum=zeitraum, fundstellen=zitate, liest=liest,
            wenn=wenn, wenn_quelle=str(r["wenn"]) if "wenn" in r else None, dann=dann,
            erklaerung=r["erklaerung"], fallgruppe=r.get("fallgruppe"), rundung=r.get("rundung"),
            lesart=r.get("lesart"), ort=dok.ort(pfad), datei=dok.datei,
            ermessen=Ermessen(r["ermessen"]["zitat"], list(r["ermessen"].get("grenzen", [])), dok.ort(pfad + ("ermessen",)))
            if "ermessen" in r else None,
            rechtsstand=r.get("rechtsstand", datei_rechtsstand), je=r.get("je")))
    for i, n in enumerate(dok.daten.get("nicht_automatisiert", [])):
        buch.nicht_automatisiert.append(NichtAutomatisiert(
            n["zitat"], n["grund"], n["erlaeuterung"], _zeitraum(n, "ab", "bis"), art, dok.ort(("nicht_automatisiert", i)),
            n.get("rechtsstand", datei_rechtsstand)))
    for i, f in enumerate(dok.daten.get("feststellungen", [])):
        buch.feststellungen.append(Feststellung(f["id"], f["art"], f["frage"], f["zitat"], _zeitraum(f, "ab", "bis"),
                                                art, dok.ort(("feststellungen", i)), f.get("rechtsstand", datei_rechtsstand)))


def _lade_begriffe(dok: YamlDokument, buch: Regelbuch, fehler: list[RegelwerkFehler]) -> None:
    probleme = schema_fehler(dok, "begriffe")
    if probleme:
        fehler.extend(probleme)
        return
    for name, bezeichnung in dok.daten["begriffe"].items():
        if name in buch.begriffe:
            fehler.append(RegelFehler(f"Begriff `{name}` ist doppelt bezeichnet", dok.ort(("begriffe", name)),
                                      f"auch in {buch.begriffe[name].ort}"))
            continue
        buch.begriffe[name] = Begriff(name, " ".join(bezeichnung.split()), dok.ort(("begriffe", name)))
    for wert, bezeichnung in (dok.daten.get("werte") or {}).items():
        buch.werte[str(wert)] = Begriff(str(wert), " ".join(bezeichnung.split()), dok.ort(("werte", wert)))


def _lade_verfahren(dok: YamlDokument, buch: Regelbuch, fehler: list[RegelwerkFehler]) -> None:
    probleme = schema_fehler(dok, "verfahren")
    if probleme:
        fehler.extend(probleme)
        return
    v = dok.daten["verfahren"]
    pruefungen = []
    for i, p in enumerate(v.get("pruefungen", [])):
        pfad = ("verfahren", "pruefungen", i)
        if "bedingung" in p:
            pruefungen.append(Pruefung(_formel(p["bedingung"], dok, pfad + ("bedingung",), fehler), str(p["bedingung"]),
                                       p.get("je"), p["meldung"], p.get("feld"), dok.ort(pfad)))
        else:
            pruefungen.append(Pruefung(None, f"eindeutig: {p['eindeutig']}", p["je"], p["meldung"], p.get("feld"),
                                       dok.ort(pfad), p["eindeutig"]))
    ergebnis = [Ergebnisfeld(e["feld"], e.get("fakt", e["feld"]), e["format"], e.get("fehlt"), e["bezeichnung"])
                for e in v["ergebnis"]]
    rechtsstaende: dict[str, Rechtsstand] = {}
    for i, rs in enumerate(v.get("rechtsstaende", [])):
        pfad = ("verfahren", "rechtsstaende", i)
        formel = _formel(rs["formel"], dok, pfad + ("formel",), fehler, set(v["eingaben"])) if "formel" in rs else None
        rechtsstaende[rs["name"]] = Rechtsstand(rs["name"], rs["bezeichnung"], formel, rs.get("fakt"), dok.ort(pfad),
                                                rs.get("feld"))
    if v["rechtsstand"] not in rechtsstaende:
        fehler.append(RegelFehler(f"Standard-Rechtsstand `{v['rechtsstand']}` ist unter `rechtsstaende` nicht definiert",
                                  dok.ort(("verfahren", "rechtsstand")),
                                  vorschlag(v["rechtsstand"], rechtsstaende) or "einen der Namen unter `rechtsstaende` angeben"))
    if v["art"] in buch.verfahren:
        fehler.append(RegelwerkFehler(f"Verfahren `{v['art']}` ist doppelt definiert", dok.ort(("verfahren", "art")),
                                      f"auch in {buch.verfahren[v['art']].ort}"))
        return
    buch.verfahren[v["art"]] = Verfahren(v["art"], v["titel"], v["rechtsstand"], v["fall_schema"],
                                         list(v["eingaben"]), pruefungen, ergebnis, list(v.get("tenor", [])),
                                         dok.ort(("verfahren",)), rechtsstaende)


def lade_regelbuch(regeln_ordner: Path, basis: Path, fehler: list[RegelwerkFehler]) -> Regelbuch:
    buch = Regelbuch()
    for datei in sorted(regeln_ordner.rglob("*.yaml")):
        if "parameter" in datei.relative_to(regeln_ordner).parts:
            continue
        try:
            lade_regeldatei(datei, basis, buch, fehler)
        except RegelwerkFehler as exc:
            fehler.append(exc)
    return buch
