"""What the rulebook pages show beside the statute: which rule, non-automation mark and test case belongs to
which unit of which Fassung (`Analyse`), and each Fassung's wording as lines of units (`zeilen`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..autoren.abdeckung import Abdeckung, FassungsAbdeckung, Testlaeufe, berechne, gefeuerte_fundstellen
from ..autoren.abdeckung import Stelle as AbdeckungsStelle
from ..entscheidung import Entscheider
from ..faelle import lade_fall
from ..darstellung import als_dict
from ..fehler import RegelwerkFehler, ZitatFehler
from ..format import deutsch
from ..parameter import Parameter
from ..rechtstext import Einheit, Fassung, Vorschrift, html_anker
from ..regeln import NichtAutomatisiert, Regel
from ..zeitraum import Zeitraum
from ..wissensbasis import Wissensbasis
from ..zitate import loese_auf, parse_zitat


_SICHERER_LADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe either way; the C one where libyaml is built in


# --- analysis: which rule, mark and test case belongs to which unit ------------------------

Schluessel = tuple[str, str, str]  # (provision anchor, Fassung kennung, unit anchor)


@dataclass
class FallLauf:
    name: str  # file stem
    datei: str  # relative path
    titel: str
    begruendung: str
    entscheidung: Any
    daten: dict[str, Any]  # als_dict of the decision
    stellen: set[Schluessel] = field(default_factory=set)
    erwartet: dict[str, Any] = field(default_factory=dict)  # "erwartet:" of the case file

    @property
    def seite(self) -> str:
        return f"faelle/{self.name}.md"

    @property
    def jahr_oder_tag(self) -> str:
        """The levy year, or for other kinds of case the date whose law applies (never "None")."""
        if self.daten.get("jahr") is not None:
            return str(self.daten["jahr"])
        staende = (self.daten.get("quittung") or {}).get("rechtsstaende") or []
        return deutsch(staende[0]["datum"]) if staende else "–"


@dataclass
class Status:
    """The badge of one counting unit (Stelle), taken from engine.autoren.abdeckung."""

    art: str  # "umgesetzt" | "nicht_automatisiert" | "offen" (Stelle.status)
    regeln: list[str]  # rule ids and parameter.<id> citing it
    gruende: list[str]  # reasons of the marks "nicht automatisiert"
    markiert: list[NichtAutomatisiert]  # the marks themselves (for their explanation)
    faelle: list[FallLauf]


class Analyse:
    """Rules, non-automation marks and test cases resolved to the units of every Fassung."""

    def __init__(self, wb: Wissensbasis, faelle_ordner: Path | None = None):
        self.wb = wb
        self.bestand = wb.recht
        self.regeln_an: dict[Schluessel, list[Regel]] = {}
        self.markiert_an: dict[Schluessel, list[NichtAutomatisiert]] = {}
        self.faelle_an: dict[Schluessel, list[FallLauf]] = {}
        self.regel_stellen: dict[str, list[tuple[Vorschrift, Fassung, Einheit]]] = {}
        self.yaml_je_regel: dict[str, str] = {}
        self._je_fassung: dict[int, dict[tuple[str, str], list[tuple[str, list]]]] = {}  # an_fassung
        self._zitiert_je_parameter: dict[str, set[tuple[str, str | None]]] | None = None
        self._regeln_je_vorschrift: dict[int, list[Regel]] | None = None
        self._faelle_je_vorschrift: dict[str, list[FallLauf]] | None = None
        self.fehler: list[str] = []
        for r in wb.regelbuch.regeln:
            stellen = []
            for z in r.fundstellen:
                stellen += self.stellen(z.zitat, z.zeitraum)
            self.regel_stellen[r.id] = stellen
            for v, f, e in stellen:
                liste = self.regeln_an.setdefault((v.anker, f.kennung, e.anker), [])
                if r not in liste:
                    liste.append(r)
        for n in wb.regelbuch.nicht_automatisiert:
            for v, f, e in self.stellen(n.zitat, n.zeitraum):
                self.markiert_an.setdefault((v.anker, f.kennung, e.anker), []).append(n)
        self.faelle_fehlerhaft: list[str] = []
        self.faelle = self._faelle(faelle_ordner or wb.wurzel / "tests" / "cases")
        self.faelle_je_regel: dict[str, list[FallLauf]] = {}
        for fl in self.faelle:
            for s in sorted(fl.stellen):  # a set: its order would follow the hash seed (differ per build)
                if fl not in self.faelle_an.setdefault(s, []):
                    self.faelle_an[s].append(fl)
            for rid in dict.fromkeys(schritt.regel.regel.id for schritt in fl.entscheidung.schritte):
                self.faelle_je_regel.setdefault(rid, []).append(fl)
        # the one coverage model, fed with the cases decided above (each case is decided once per build)
        laeufe = Testlaeufe(gefeuerte_fundstellen(fl.entscheidung for fl in self.faelle), len(self.faelle),
                            self.faelle_fehlerhaft)
        self.abdeckung_gesamt: Abdeckung = berechne(wb, laeufe=laeufe)
        self.fassung_abdeckung: dict[tuple[str, date], FassungsAbdeckung] = {}
        self.stelle_an: dict[tuple[str, date, str], AbdeckungsStelle] = {}
        for va in self.abdeckung_gesamt.vorschriften:
            for fa in va.fassungen:
                self.fassung_abdeckung[(va.anker, fa.gueltig_ab)] = fa
                for s in fa.stellen:
                    self.stelle_an[(va.anker, fa.gueltig_ab, s.anker)] = s

    # resolution -------------------------------------------------------------------

    def stellen(self, zitat_text: str, zeitraum: Zeitraum) -> list[tuple[Vorschrift, Fassung, Einheit]]:
        """The units a citation names in every Fassung overlapping `zeitraum`."""
        try:
            zitate = parse_zitat(zitat_text, self.bestand)
        except ZitatFehler as exc:
            self.fehler.append(str(exc))
            return []
        ergebnis = []
        for z in zitate:
            v = self.bestand.vorschrift(z.gesetz, z.paragraph)
            if v is None:
                continue
            for f in v.fassungen:
                schnitt = f.zeitraum.schnitt(zeitraum)
                if schnitt is None:
                    continue
                try:
                    fs = loese_auf(z, self.bestand, schnitt.ab)
                except ZitatFehler as exc:
                    self.fehler.append(str(exc))
                    continue
                ergebnis.append((v, f, fs.einheit))
        return ergebnis

    def _faelle(self, ordner: Path) -> list[FallLauf]:
        ergebnis: list[FallLauf] = []
        if not ordner.is_dir():
            return ergebnis
        dateien = sorted(p for p in ordner.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        with Entscheider(self.wb, motor="direkt") as entscheider:
            for datei in dateien:
                try:
                    text = datei.read_text(encoding="utf-8")
                    # titel, begruendung, erwartet: the safe loader in libyaml's C parser (PyYAML's Python
                    # parser took half of the analysis); the case itself is read by the engine's loader
                    roh = yaml.load(text, Loader=_SICHERER_LADER) or {}
                    fall = lade_fall(datei, self.wb, text)
                    e = entscheider.entscheide(fall)
                except (RegelwerkFehler, OSError, yaml.YAMLError) as exc:
                    self.fehler.append(f"{datei}: {exc}")
                    self.faelle_fehlerhaft.append(str(datei))
                    continue
                name = datei.stem
                if any(f.name == name for f in ergebnis):  # same file name in two folders
                    name = "-".join(datei.relative_to(ordner).with_suffix("").parts)
                fl = FallLauf(name, datei.relative_to(self.wb.wurzel).as_posix() if datei.is_relative_to(self.wb.wurzel) else str(datei),
                              str(roh.get("titel") or datei.stem), str(roh.get("begruendung") or ""), e, als_dict(e),
                              erwartet=dict(roh.get("erwartet") or {}) if isinstance(roh.get("erwartet"), dict) else {})
                for s in e.schritte:
                    for fs in s.fundstellen:
                        fl.stellen.add((fs.vorschrift.anker, fs.fassung.kennung, fs.anker))
                ergebnis.append(fl)
        return ergebnis

    # per unit ----------------------------------------------------------------------

    @staticmethod
    def _betrifft(anker: str, anderer: str) -> bool:
        """`anderer` is the unit itself, one of its ancestors or one of its descendants."""
        return anker == anderer or anker.startswith(anderer + "/") or anderer.startswith(anker + "/")

    def status(self, v: Vorschrift, f: Fassung, e: Einheit) -> Status | None:
        """The badge of a counting unit (a Stelle of engine.autoren.abdeckung); None for other units."""
        s = self.stelle_an.get((v.anker, f.gueltig_ab, e.anker))
        if s is None:
            return None
        markiert: list[NichtAutomatisiert] = []
        faelle: list[FallLauf] = []
        for tabelle, ziel in ((self.markiert_an, markiert), (self.faelle_an, faelle)):
            for anker, werte in self.an_fassung(tabelle, v, f):
                if self._betrifft(e.anker, anker):
                    ziel += [w for w in werte if w not in ziel]
        return Status(s.status, list(s.regeln) + [f"parameter.{p}" for p in s.parameter], list(s.nicht_automatisiert),
                      [n for n in markiert if n.grund in s.nicht_automatisiert], faelle)

    def an_fassung(self, tabelle: dict[Schluessel, list], v: Vorschrift, f: Fassung) -> list[tuple[str, list]]:
        """The entries of `tabelle` (markiert_an, faelle_an) in one Fassung, as (unit anchor, values), in the
        table's order; indexed once per table instead of scanning the whole table for every unit."""
        index = self._je_fassung.get(id(tabelle))
        if index is None:
            index = self._je_fassung[id(tabelle)] = {}
            for (va, fk, anker), werte in tabelle.items():
                index.setdefault((va, fk), []).append((anker, werte))
        return index.get((v.anker, f.kennung), [])

    def regeln_genau(self, v: Vorschrift, f: Fassung, e: Einheit) -> list[Regel]:
        return self.regeln_an.get((v.anker, f.kennung, e.anker), [])

    def markiert_genau(self, v: Vorschrift, f: Fassung, e: Einheit) -> list[NichtAutomatisiert]:
        return self.markiert_an.get((v.anker, f.kennung, e.anker), [])

    def regeln_der_vorschrift(self, v: Vorschrift) -> list[Regel]:
        """The rules citing the provision, in rulebook order (indexed once, not scanned per provision)."""
        if self._regeln_je_vorschrift is None:
            self._regeln_je_vorschrift = {}
            for r in self.wb.regelbuch.regeln:
                for sv in {id(sv): sv for sv, _, _ in self.regel_stellen[r.id]}.values():
                    self._regeln_je_vorschrift.setdefault(id(sv), []).append(r)
        return self._regeln_je_vorschrift.get(id(v), [])

    def faelle_der_regel(self, rid: str) -> list[FallLauf]:
        """The test cases whose decision applied the rule, in file order."""
        return self.faelle_je_regel.get(rid, [])

    def faelle_der_vorschrift(self, v: Vorschrift) -> list[FallLauf]:
        """The test cases citing the provision, in file order."""
        if self._faelle_je_vorschrift is None:
            self._faelle_je_vorschrift = {}
            for fl in self.faelle:
                for anker in {s[0] for s in fl.stellen}:
                    self._faelle_je_vorschrift.setdefault(anker, []).append(fl)
        return self._faelle_je_vorschrift.get(v.anker, [])

    def parameter_der_vorschrift(self, v: Vorschrift) -> list[Parameter]:
        genutzt: set[str] = set()
        for r in self.regeln_der_vorschrift(v):
            formeln = ([r.wenn] if r.wenn else []) + [s.formel for s in r.dann if s.formel]
            for formel in formeln:
                genutzt |= {n.split(".", 1)[1] for n in formel.namen if n.startswith("parameter.")}
        if self._zitiert_je_parameter is None:  # the provisions each parameter's values cite, parsed once
            self._zitiert_je_parameter = {}
            for p in self.wb.parameter.values():
                zitiert = self._zitiert_je_parameter[p.id] = set()
                for w in p.werte:
                    try:
                        zitiert |= {(z.gesetz, z.paragraph) for z in parse_zitat(w.fundstelle, self.bestand)}
                    except ZitatFehler:
                        pass
        return [p for p in self.wb.parameter.values()
                if p.id in genutzt or (v.gesetz, v.paragraph) in self._zitiert_je_parameter[p.id]]

    def abdeckung(self, v: Vorschrift, f: Fassung) -> dict[str, int]:
        """The Fassung's figures from engine.autoren.abdeckung: Stellen, umgesetzt, nicht automatisiert, offen, anteil."""
        return self.fassung_abdeckung[(v.anker, f.gueltig_ab)].zahlen()

    def regel_yaml(self, r: Regel) -> str:
        """The rule's own lines of its YAML file (comments included)."""
        if r.id in self.yaml_je_regel:
            return self.yaml_je_regel[r.id]
        text = ""
        try:
            zeilen = (self.wb.wurzel / r.datei).read_text(encoding="utf-8").splitlines()
            start = (r.ort.zeile or 1) - 1
            while start > 0 and not zeilen[start].lstrip().startswith("- "):
                start -= 1
            einzug = len(zeilen[start]) - len(zeilen[start].lstrip())
            ende = start + 1
            while ende < len(zeilen):
                z = zeilen[ende]
                if z.strip() and (len(z) - len(z.lstrip()) <= einzug) :
                    break
                ende += 1
            while ende > start + 1 and not zeilen[ende - 1].strip():
                ende -= 1
            text = "\n".join(zeile[einzug:] if len(zeile) >= einzug else zeile for zeile in zeilen[start:ende])
        except (OSError, IndexError):
            text = ""
        self.yaml_je_regel[r.id] = text or f"id: {r.id}"
        return self.yaml_je_regel[r.id]


# --- statute text as Markdown ---------------------------------------------------------------


@dataclass
class Zeile:
    """One rendered line group of a Fassung: a unit's own text with its id and status."""

    einheit: Einheit
    html_id: str
    text: str  # the unit's own words (without sub-units)
    tabelle: list[str]
    schluss: str  # words after the last sub-unit (closing part of a sentence with a list)
    status: Status | None
    regeln: list[Regel]
    markiert: list[NichtAutomatisiert]
    tiefe: int


def _eigener_text(e: Einheit) -> tuple[str, list[str], str]:
    text = e.text
    zeilen = text.split("\n")
    tabelle = [z for z in zeilen if z.lstrip().startswith("|")]
    text = " ".join(z for z in zeilen if not z.lstrip().startswith("|"))
    schluss = ""
    if e.kinder and e.art in ("satz", "nummer"):
        erster = text.find(e.kinder[0].text.split("\n")[0])
        letzter = e.kinder[-1].text.split("\n")[0]
        ende = text.rfind(letzter)
        if erster >= 0 and ende >= 0:
            schluss = text[ende + len(letzter):].strip()
            text = text[:erster].strip()
    return text, tabelle, schluss


def zeilen(analyse: Analyse, v: Vorschrift, f: Fassung) -> list[Zeile]:
    ergebnis: list[Zeile] = []

    def gehe(e: Einheit, tiefe: int) -> None:
        if e.art == "paragraph":
            for k in e.kinder:
                gehe(k, 0)
            return
        hat_saetze = e.art in ("absatz",) or (e.art == "nummer" and any(k.art == "satz" for k in e.kinder))
        if hat_saetze:
            ergebnis.append(Zeile(e, html_anker(f.gueltig_ab, e.anker), "", [], "", None,
                                  analyse.regeln_genau(v, f, e), analyse.markiert_genau(v, f, e), tiefe))
            for k in e.kinder:
                gehe(k, tiefe)
            return
        text, tabelle, schluss = _eigener_text(e)
        status = analyse.status(v, f, e)  # a badge on every counting unit (Stelle)
        ergebnis.append(Zeile(e, html_anker(f.gueltig_ab, e.anker), text, tabelle, schluss, status,
                              analyse.regeln_genau(v, f, e), analyse.markiert_genau(v, f, e), tiefe))
        ergebnis[-1].schluss = ""
        for k in e.kinder:
            gehe(k, tiefe + 1)
        if schluss:  # closing words after a list: a line of their own, after the list
            ergebnis.append(Zeile(e, "", "", [], schluss, None, [], [], tiefe))
    gehe(f.wurzel, 0)
    return ergebnis
