"""Coverage: which sentences of the statutes the rulebook implements and the test cases exercise.

Scope: every provision (Vorschrift) under legal/ and each of its stored Fassungen (the
current one and every a.F.); optionally only the Fassungen in force on one day or one
law. The counting unit is a *Stelle*: a Satz, or – where a Satz has Nummern – each
Nummer (Buchstaben of a Nummer count as their own Stellen). A citation covers the unit
it names and everything below it: a rule citing an Absatz covers all its Sätze, a rule
citing a Satz covers the Satz and its Nummern, citing a Nummer covers only that Nummer.

A Stelle is
- *umgesetzt* when a rule (or a parameter value, e.g. an amount of a Bekanntmachung)
  cites it for a period overlapping the Fassung,
- *nicht automatisiert* when only a `nicht_automatisiert` mark covers it,
- *offen* otherwise.
It is *getestet* when a rule citing it fired in at least one test-case run whose
date fell into that Fassung. The overall figure `prozent` is (umgesetzt + nicht
automatisiert) / all Stellen. With `nur_zitierte`, provisions that nothing cites
(context provisions such as definitions kept for reference) are left out.

`berechne(wb, faelle_ordner=None) -> Abdeckung` is the API (also for the site
generator); `Abdeckung.als_dict()` gives a stable JSON structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..fehler import RegelwerkFehler
from ..format import als_json, prozent
from ..entscheidung import Entscheider, Entscheidung
from .testfaelle import fuehre_aus, lade_testfall, sammle
from ..rechtstext import Einheit, Fassung, Vorschrift
from ..zeitraum import Zeitraum, zeitraum_text
from ..wissensbasis import Wissensbasis
from ..zitate import parse_zitat, zitierte_einheit

_NAMEN = {"abs": "Abs.", "satz": "Satz", "nr": "Nr.", "bst": "Buchst."}


def stellenname(anker: str) -> str:
    """"sgb9/160/abs-2/satz-1/nr-3" → "Abs. 2 Satz 1 Nr. 3"."""
    teile = []
    for teil in anker.split("/"):
        m = re.fullmatch(r"(abs|satz|nr|bst)-(\w+)", teil)
        if m:
            teile.append(f"{_NAMEN[m.group(1)]} {m.group(2)}")
    return " ".join(teile) or "ganze Vorschrift"


def _kurztext(text: str, laenge: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= laenge else text[: laenge - 1] + "…"


@dataclass
class Stelle:
    anker: str
    name: str  # "Abs. 2 Satz 1 Nr. 3"
    text: str  # beginning of the wording
    regeln: list[str] = field(default_factory=list)
    parameter: list[str] = field(default_factory=list)
    nicht_automatisiert: list[str] = field(default_factory=list)  # grund
    getestet_durch: list[str] = field(default_factory=list)  # rule ids that fired in a test case

    @property
    def status(self) -> str:
        if self.regeln or self.parameter:
            return "umgesetzt"
        if self.nicht_automatisiert:
            return "nicht_automatisiert"
        return "offen"

    def als_dict(self) -> dict[str, Any]:
        return {"anker": self.anker, "stelle": self.name, "status": self.status, "getestet": bool(self.getestet_durch),
                "regeln": self.regeln, "parameter": self.parameter, "nicht_automatisiert": self.nicht_automatisiert,
                "getestet_durch": self.getestet_durch, "text": self.text}


@dataclass
class FassungsAbdeckung:
    gueltig_ab: date
    gueltig_bis: date | None
    stellen: list[Stelle]

    def anzahl(self, status: str) -> int:
        return sum(1 for s in self.stellen if s.status == status)

    @property
    def getestet(self) -> int:
        return sum(1 for s in self.stellen if s.getestet_durch)

    @property
    def regeln(self) -> list[str]:
        return sorted({r for s in self.stellen for r in s.regeln})

    @property
    def regeln_getestet(self) -> list[str]:
        return sorted({r for s in self.stellen for r in s.getestet_durch})

    @property
    def zeitraum(self) -> str:
        return zeitraum_text(self.gueltig_ab, self.gueltig_bis)

    @property
    def bearbeitet(self) -> int:
        """Stellen implemented or marked as not automated."""
        return self.anzahl("umgesetzt") + self.anzahl("nicht_automatisiert")

    @property
    def anteil(self) -> int:
        """Whole percent of Stellen implemented or marked (the figure on pages, badges and the matrix)."""
        return round(100 * self.bearbeitet / len(self.stellen)) if self.stellen else 0

    def zahlen(self) -> dict[str, int]:
        """The figures shown for this Fassung everywhere (provision page, index, matrix)."""
        return {"stellen": len(self.stellen), "umgesetzt": self.anzahl("umgesetzt"),
                "nicht_automatisiert": self.anzahl("nicht_automatisiert"), "offen": self.anzahl("offen"),
                "getestet": self.getestet, "anteil": self.anteil}

    def als_dict(self) -> dict[str, Any]:
        return {"gueltig_ab": als_json(self.gueltig_ab), "gueltig_bis": als_json(self.gueltig_bis),
                "stellen_gesamt": len(self.stellen), "umgesetzt": self.anzahl("umgesetzt"),
                "nicht_automatisiert": self.anzahl("nicht_automatisiert"), "offen": self.anzahl("offen"),
                "getestet": self.getestet, "regeln": self.regeln, "regeln_getestet": self.regeln_getestet,
                "stellen": [s.als_dict() for s in self.stellen]}


@dataclass
class VorschriftAbdeckung:
    gesetz: str
    paragraph: str | None
    name: str  # "§ 160 SGB IX"
    ueberschrift: str
    anker: str
    datei: str
    fassungen: list[FassungsAbdeckung]

    def als_dict(self) -> dict[str, Any]:
        return {"gesetz": self.gesetz, "paragraph": self.paragraph, "vorschrift": self.name,
                "ueberschrift": self.ueberschrift, "anker": self.anker, "datei": self.datei,
                "fassungen": [f.als_dict() for f in self.fassungen]}


@dataclass
class Abdeckung:
    vorschriften: list[VorschriftAbdeckung]
    faelle: int  # test cases run
    faelle_fehlerhaft: list[str]  # test cases that could not be decided (not counted)

    def _summe(self, wert) -> int:
        return sum(wert(f) for v in self.vorschriften for f in v.fassungen)

    @property
    def gesamt(self) -> int:
        return self._summe(lambda f: len(f.stellen))

    @property
    def umgesetzt(self) -> int:
        return self._summe(lambda f: f.anzahl("umgesetzt"))

    @property
    def nicht_automatisiert(self) -> int:
        return self._summe(lambda f: f.anzahl("nicht_automatisiert"))

    @property
    def offen(self) -> int:
        return self._summe(lambda f: f.anzahl("offen"))

    @property
    def getestet(self) -> int:
        return self._summe(lambda f: f.getestet)

    @property
    def prozent(self) -> float:
        return 100.0 * (self.umgesetzt + self.nicht_automatisiert) / self.gesamt if self.gesamt else 100.0

    @property
    def prozent_getestet(self) -> float:
        return 100.0 * self.getestet / self.umgesetzt if self.umgesetzt else 100.0

    def als_dict(self) -> dict[str, Any]:
        return {
            "zusammenfassung": {"stellen_gesamt": self.gesamt, "umgesetzt": self.umgesetzt,
                                "nicht_automatisiert": self.nicht_automatisiert, "offen": self.offen,
                                "getestet": self.getestet, "abdeckung_prozent": round(self.prozent, 1),
                                "getestet_prozent": round(self.prozent_getestet, 1),
                                "faelle": self.faelle, "faelle_fehlerhaft": self.faelle_fehlerhaft},
            "vorschriften": [v.als_dict() for v in self.vorschriften],
        }


def _stellen(wurzel: Einheit) -> list[Einheit]:
    """Counting units: Sätze without Nummern, Nummern without Buchstaben, Buchstaben; else the unit itself."""
    ergebnis = []

    def besuche(e: Einheit) -> None:
        kinder = [k for k in e.kinder if k.art in ("absatz", "satz", "nummer", "buchstabe")]
        if not kinder:
            if e.art != "paragraph" or not ergebnis:
                ergebnis.append(e)
            return
        for k in kinder:
            besuche(k)

    besuche(wurzel)
    return ergebnis


def _unter(anker: str, ober: str) -> bool:
    return anker == ober or anker.startswith(ober + "/")


def _ueberlappt(fassung: Fassung, zeitraum: Zeitraum) -> bool:
    return fassung.zeitraum.schnitt(zeitraum) is not None


def _treffer(wb: Wissensbasis, zitat_text: str, zeitraum: Zeitraum):
    """(Vorschrift, Fassung, unit anchor) for every Fassung the citation reaches in the period."""
    try:
        zitate = parse_zitat(zitat_text, wb.recht)
    except RegelwerkFehler:
        return
    for z in zitate:
        v = wb.recht.vorschrift(z.gesetz, z.paragraph)
        if v is None:
            continue
        for f in v.fassungen:
            if not _ueberlappt(f, zeitraum):
                continue
            try:
                yield v, f, zitierte_einheit(f.wurzel, z).anker
            except RegelwerkFehler:
                continue


@dataclass
class Testlaeufe:
    """What the test cases exercised: (rule id, "vorschrift@fassung", unit anchor) of fired citations."""

    gefeuert: set[tuple[str, str, str]]
    anzahl: int  # test cases decided
    fehlerhaft: list[str]  # test cases that could not be decided


def gefeuerte_fundstellen(entscheidungen: Iterable[Entscheidung]) -> set[tuple[str, str, str]]:
    """(rule id, Fassung key, unit anchor) of every citation of a rule that fired in these decisions."""
    gefeuert: set[tuple[str, str, str]] = set()
    for e in entscheidungen:
        for s in e.schritte:
            for fs in s.fundstellen:
                gefeuert.add((s.regel.regel.id, f"{fs.vorschrift.anker}@{fs.fassung.kennung}", fs.anker))
    return gefeuert


def fuehre_testfaelle_aus(wb: Wissensbasis, ordner: Path) -> Testlaeufe:
    """Decide every test case below `ordner` once."""
    entscheidungen, fehlerhaft = [], []
    if not ordner.is_dir():
        return Testlaeufe(set(), 0, [])
    with Entscheider(wb) as entscheider:
        for datei in sammle([ordner]):
            try:
                ergebnis = fuehre_aus(lade_testfall(datei), wb, entscheider)
            except RegelwerkFehler:
                fehlerhaft.append(str(datei))
                continue
            if ergebnis.entscheidung is None:
                fehlerhaft.append(str(datei))
                continue
            entscheidungen.append(ergebnis.entscheidung)
    return Testlaeufe(gefeuerte_fundstellen(entscheidungen), len(entscheidungen), fehlerhaft)


def berechne(wb: Wissensbasis, faelle_ordner: Path | None = None, stichtag: date | None = None,
             gesetz: str | None = None, nur_zitierte: bool = False, laeufe: Testlaeufe | None = None) -> Abdeckung:
    """Coverage of every Vorschrift/Fassung in scope; test cases from `faelle_ordner` (default tests/cases).

    `laeufe`: the test cases already decided by the caller (the site decides each case once).
    """
    if laeufe is None:
        ordner = faelle_ordner if faelle_ordner is not None else wb.wurzel / "tests" / "cases"
        laeufe = fuehre_testfaelle_aus(wb, Path(ordner))
    gefeuert, anzahl, fehlerhaft = laeufe.gefeuert, laeufe.anzahl, laeufe.fehlerhaft
    # citations by (vorschrift anchor, fassung key) → list of (unit anchor, kind, name)
    verweise: dict[str, list[tuple[str, str, str]]] = {}

    def merke(text: str, zeitraum: Zeitraum, art: str, name: str) -> None:
        for v, f, anker in _treffer(wb, text, zeitraum):
            if art == "regel" and anker == f.wurzel.anker:
                # a rule citing a whole § (e.g. "this Fassung has no fiction") implements none of its sentences
                continue
            verweise.setdefault(f"{v.anker}@{f.kennung}", []).append((anker, art, name))

    for r in wb.regelbuch.regeln:
        for z in r.fundstellen:
            merke(z.zitat, z.zeitraum, "regel", r.id)
    for p in wb.parameter.values():
        for w in p.werte:
            merke(w.fundstelle, Zeitraum(w.gueltig_ab, w.gueltig_bis), "parameter", p.id)
    for n in wb.regelbuch.nicht_automatisiert:
        merke(n.zitat, n.zeitraum, "nicht_automatisiert", n.grund)
    getestet_je_fassung: dict[str, list[tuple[str, str]]] = {}
    for regel, schluessel, anker in gefeuert:
        getestet_je_fassung.setdefault(schluessel, []).append((anker, regel))

    vorschriften = []
    for v in sorted(wb.recht.vorschriften.values(), key=_sortierung):
        if gesetz and v.gesetz != gesetz:
            continue
        fassungen = []
        for f in v.fassungen:
            if stichtag is not None and not f.gilt_am(stichtag):
                continue
            schluessel = f"{v.anker}@{f.kennung}"
            stellen = []
            for e in _stellen(f.wurzel):
                s = Stelle(e.anker, stellenname(e.anker), _kurztext(e.text))
                for anker, art, name in verweise.get(schluessel, []):
                    if _unter(e.anker, anker):
                        ziel = {"regel": s.regeln, "parameter": s.parameter, "nicht_automatisiert": s.nicht_automatisiert}[art]
                        if name not in ziel:
                            ziel.append(name)
                for anker, regel in getestet_je_fassung.get(schluessel, []):
                    # tested: a rule that implements this Stelle fired in a test case
                    if _unter(e.anker, anker) and regel in s.regeln and regel not in s.getestet_durch:
                        s.getestet_durch.append(regel)
                s.regeln.sort()
                s.parameter.sort()
                s.getestet_durch.sort()
                stellen.append(s)
            fassungen.append(FassungsAbdeckung(f.gueltig_ab, f.gueltig_bis, stellen))
        if nur_zitierte and all(s.status == "offen" for f in fassungen for s in f.stellen):
            continue
        if fassungen:
            kurz = wb.recht.gesetze[v.gesetz].kurz
            name = f"§ {v.paragraph} {kurz}" if v.paragraph else kurz
            vorschriften.append(VorschriftAbdeckung(v.gesetz, v.paragraph, name, v.ueberschrift, v.anker, v.datei, fassungen))
    return Abdeckung(vorschriften, anzahl, fehlerhaft)


def _sortierung(v: Vorschrift):
    nr = re.match(r"(\d+)(.*)", v.paragraph or "")
    return (v.gesetz, int(nr.group(1)) if nr else 0, nr.group(2) if nr else "")


def als_text(a: Abdeckung, alle: bool = False) -> str:
    """German report: one line of figures per provision and Fassung, then the open Stellen with anchors."""
    zeilen = [f"Abdeckung des Regelwerks ({a.faelle} Testfälle ausgeführt"
              + (f", {len(a.faelle_fehlerhaft)} nicht entscheidbar" if a.faelle_fehlerhaft else "") + ")",
              "Zählweise: je Satz, bei Sätzen mit Nummern je Nummer; umgesetzt = von einer Regel oder einem Parameter zitiert.",
              ""]
    for v in a.vorschriften:
        for f in v.fassungen:
            n = len(f.stellen)
            zeile = (f"{v.name} ({f.zeitraum}): {n} Stellen, {f.anzahl('umgesetzt')} umgesetzt, "
                     f"{f.anzahl('nicht_automatisiert')} nicht automatisiert, {f.anzahl('offen')} offen, "
                     f"{f.getestet} getestet; Regeln: {len(f.regeln)}, davon getestet: {len(f.regeln_getestet)}")
            zeilen.append(zeile)
            ungetestet = sorted(set(f.regeln) - set(f.regeln_getestet))
            if ungetestet and alle:
                zeilen.append("    ungetestete Regeln: " + ", ".join(f"`{r}`" for r in ungetestet))
            for s in f.stellen:
                if s.status == "offen":
                    zeilen.append(f"    offen: {s.name} [{s.anker}] „{s.text}“")
    zeilen += ["", f"Gesamt: {a.gesamt} Stellen, {a.umgesetzt} umgesetzt, {a.nicht_automatisiert} nicht automatisiert, "
                   f"{a.offen} offen; Abdeckung {prozent(a.prozent, 1)}; durch Testfälle geprüft: {a.getestet} "
                   f"({prozent(a.prozent_getestet, 1)} der umgesetzten Stellen)"]
    return "\n".join(zeilen) + "\n"
