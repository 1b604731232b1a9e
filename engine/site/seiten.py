"""The published rulebook: generate Markdown pages from legal/, rules/, parameters and test
cases, then build them with MkDocs (mkdocs-material, built-in search only) into static HTML.

Layout (all paths relative to the project root):
  site/docs/       hand-written pages (Startseite, guide, formula language, glossary)
  site/generiert/  build input: a copy of site/docs/ plus the generated pages (not committed)
  site/build/      the built HTML site (not committed)

Provision pages live at ``engine.rechtstext.seitenpfad`` (``recht/sgb9/160/``) and give every
unit of every Fassung the id ``engine.rechtstext.html_anker`` – the same addresses that
``regelwerk decide --format html --site-url …`` links to.
"""
from __future__ import annotations

import logging
import math
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..autoren.abdeckung import Abdeckung, FassungsAbdeckung, Testlaeufe, berechne, gefeuerte_fundstellen
from ..autoren.abdeckung import Stelle as AbdeckungsStelle
from ..entscheidung import Entscheider
from ..faelle import lade_fall
from ..darstellung import als_dict, ergebnis_namen, geldwerte
from ..fehler import RegelwerkFehler, ZitatFehler
from ..format import EINHEITEN, datum, deutsch, euro, mit_einheit
from ..formel import FUNKTIONEN, SCHLUESSELWOERTER
from ..parameter import Parameter
from ..rechtstext import Einheit, Fassung, Vorschrift, html_anker, seitenpfad
from ..regeln import NichtAutomatisiert, Regel
from ..zeitraum import Zeitraum, zeitraum_text
from ..wissensbasis import Wissensbasis, lade_wissensbasis
from ..zitate import loese_auf, parse_zitat

BEISPIEL = "tests/cases/ausgleichsabgabe/staffel-2-2024.yaml"
GRUENDE = {
    "ermessen": "Ermessen",
    "unbestimmter_rechtsbegriff": "unbestimmter Rechtsbegriff",
    "verfahren": "Verfahrensvorschrift",
    "ausserhalb_des_regelwerks": "außerhalb des Regelwerks",
}
_ART_NAMEN = {"absatz": "Absatz", "satz": "Satz", "nummer": "Nummer", "buchstabe": "Buchstabe"}
_VORLAGEN = Path(__file__).parent / "vorlagen"
_PLATZHALTER_FUNKTIONEN = "<!-- regelwerk:funktionen -->"


# --- small helpers ---------------------------------------------------------------------


def md_text(text: str) -> str:
    """Escape statute text for Markdown so it renders verbatim (no lists, emphasis, attr lists)."""
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([`*_\[\]{}|#])", r"\\\1", text)
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)  # "1. …" is no ordered list
    text = re.sub(r"^([-+>])", r"\\\1", text)
    return text


def md_titel(text: str) -> str:
    """Text for an admonition title in double quotes."""
    return text.replace('"', "'").replace("\n", " ")


def lesbar(formel: str | None) -> str:
    """A formula with mathematical signs instead of programming ones (display only)."""
    if not formel:
        return ""
    ersatz = [(">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "="), (" * ", " × ")]
    for alt, neu in ersatz:
        formel = formel.replace(alt, neu)
    return formel


def vorschrift_name(v: Vorschrift, kurz: str) -> str:
    return f"§ {v.paragraph} {kurz}" if v.paragraph else kurz


def _sortierschluessel(v: Vorschrift) -> tuple:
    reihenfolge = {"sgb9": 0, "sgb9-af": 1, "sgb4": 2}
    nr = re.match(r"(\d+)(.*)", v.paragraph or "0")
    return (reihenfolge.get(v.gesetz, 3), v.gesetz, int(nr.group(1)) if nr else 0, nr.group(2) if nr else "")


def _md_pfad(v: Vorschrift) -> str:
    """Source file of a provision page; MkDocs turns ``recht/sgb9/160.md`` into ``recht/sgb9/160/``."""
    return seitenpfad(v.gesetz, v.paragraph).rstrip("/") + ".md"


def relativ_link(von_md: str, zu_md: str, anker: str | None = None) -> str:
    """Relative Markdown link from one source page to another (MkDocs checks and rewrites it)."""
    von = Path(von_md).parent
    teile_von = [] if str(von) == "." else list(von.parts)
    teile_zu = list(Path(zu_md).parts)
    gemeinsam = 0
    while gemeinsam < min(len(teile_von), len(teile_zu) - 1) and teile_von[gemeinsam] == teile_zu[gemeinsam]:
        gemeinsam += 1
    pfad = "/".join([".."] * (len(teile_von) - gemeinsam) + teile_zu[gemeinsam:])
    return pfad + (f"#{anker}" if anker else "")


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

    @property
    def seite(self) -> str:
        return f"faelle/{self.name}.md"


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
        for fl in self.faelle:
            for s in fl.stellen:
                if fl not in self.faelle_an.setdefault(s, []):
                    self.faelle_an[s].append(fl)
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
                    roh = yaml.safe_load(datei.read_text(encoding="utf-8")) or {}
                    fall = lade_fall(datei, self.wb)
                    e = entscheider.entscheide(fall)
                except (RegelwerkFehler, OSError, yaml.YAMLError) as exc:
                    self.fehler.append(f"{datei}: {exc}")
                    self.faelle_fehlerhaft.append(str(datei))
                    continue
                name = datei.stem
                if any(f.name == name for f in ergebnis):  # same file name in two folders
                    name = "-".join(datei.relative_to(ordner).with_suffix("").parts)
                fl = FallLauf(name, datei.relative_to(self.wb.wurzel).as_posix() if datei.is_relative_to(self.wb.wurzel) else str(datei),
                              str(roh.get("titel") or datei.stem), str(roh.get("begruendung") or ""), e, als_dict(e))
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
            for (va, fk, anker), werte in tabelle.items():
                if va == v.anker and fk == f.kennung and self._betrifft(e.anker, anker):
                    ziel += [w for w in werte if w not in ziel]
        return Status(s.status, list(s.regeln) + [f"parameter.{p}" for p in s.parameter], list(s.nicht_automatisiert),
                      [n for n in markiert if n.grund in s.nicht_automatisiert], faelle)

    def regeln_genau(self, v: Vorschrift, f: Fassung, e: Einheit) -> list[Regel]:
        return self.regeln_an.get((v.anker, f.kennung, e.anker), [])

    def markiert_genau(self, v: Vorschrift, f: Fassung, e: Einheit) -> list[NichtAutomatisiert]:
        return self.markiert_an.get((v.anker, f.kennung, e.anker), [])

    def regeln_der_vorschrift(self, v: Vorschrift) -> list[Regel]:
        return [r for r in self.wb.regelbuch.regeln if any(sv is v for sv, _, _ in self.regel_stellen[r.id])]

    def faelle_der_vorschrift(self, v: Vorschrift) -> list[FallLauf]:
        return [fl for fl in self.faelle if any(s[0] == v.anker for s in fl.stellen)]

    def parameter_der_vorschrift(self, v: Vorschrift) -> list[Parameter]:
        genutzt: set[str] = set()
        for r in self.regeln_der_vorschrift(v):
            formeln = ([r.wenn] if r.wenn else []) + [s.formel for s in r.dann if s.formel]
            for formel in formeln:
                genutzt |= {n.split(".", 1)[1] for n in formel.namen if n.startswith("parameter.")}
        ergebnis = []
        for p in self.wb.parameter.values():
            zitiert = False
            for w in p.werte:
                try:
                    zitiert = zitiert or any(z.gesetz == v.gesetz and z.paragraph == v.paragraph
                                             for z in parse_zitat(w.fundstelle, self.bestand))
                except ZitatFehler:
                    pass
            if p.id in genutzt or zitiert:
                ergebnis.append(p)
        return ergebnis

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


# --- parameter chart ---------------------------------------------------------------------


def _zahl(w: Decimal | str) -> float | None:
    try:
        return float(w)
    except (TypeError, ValueError):
        return None


def parameter_svg(p: Parameter, heute: date | None = None) -> str | None:
    """A step chart of a numeric parameter's history as a self-contained SVG (no script)."""
    punkte = [(w.gueltig_ab, w.gueltig_bis, _zahl(w.wert), w) for w in p.werte]
    if not punkte or any(y is None for _, _, y, _ in punkte):
        return None
    heute = heute or date.today()
    start = date(punkte[0][0].year, 1, 1)
    ende_offen = max(heute, punkte[-1][0]).year + 2
    ende = date(ende_offen, 1, 1)
    breite, hoehe, links, rechts, oben, unten = 720, 260, 60, 20, 30, 40
    hoechster = max(y for _, _, y, _ in punkte)
    teilung = _schoene_teilung(hoechster / 4 if hoechster > 0 else 1)
    ymin = 0.0
    ymax = teilung * (int(hoechster / teilung) + 1)
    tage = (ende - start).days or 1

    def px(d: date) -> float:
        return links + (breite - links - rechts) * (d - start).days / tage

    def py(y: float) -> float:
        return oben + (hoehe - oben - unten) * (1 - (y - ymin) / (ymax - ymin))

    einheit = EINHEITEN.get(p.einheit, "")
    teile = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {hoehe}" width="{breite}" height="{hoehe}" '
             f'role="img" aria-labelledby="t-{p.id} d-{p.id}" class="rw-verlauf" font-family="sans-serif" font-size="11">']
    teile.append(f'<title id="t-{p.id}">{_xml(p.titel)}</title>')
    beschreibung = "; ".join(f"{zeitraum_text(a, b)}: {mit_einheit(w.wert, p.einheit)}" for a, b, _, w in punkte)
    teile.append(f'<desc id="d-{p.id}">{_xml(beschreibung)}</desc>')
    teile.append(f'<rect x="0" y="0" width="{breite}" height="{hoehe}" fill="#ffffff"/>')
    # axes and grid
    for i in range(int(round(ymax / teilung)) + 1):
        y = teilung * i
        teile.append(f'<line x1="{links}" y1="{py(y):.1f}" x2="{breite - rechts}" y2="{py(y):.1f}" stroke="#e0e0e0"/>')
        teile.append(f'<text x="{links - 6}" y="{py(y) + 4:.1f}" text-anchor="end" fill="#555">{_xml(deutsch(Decimal(str(round(y, 2))).normalize()))}</text>')
    schritt = max(1, round((ende.year - start.year) / 12))
    for jahr in range(start.year, ende.year + 1, schritt):
        x = px(date(jahr, 1, 1))
        teile.append(f'<line x1="{x:.1f}" y1="{hoehe - unten}" x2="{x:.1f}" y2="{hoehe - unten + 4}" stroke="#555"/>')
        teile.append(f'<text x="{x:.1f}" y="{hoehe - unten + 16}" text-anchor="middle" fill="#555">{jahr}</text>')
    teile.append(f'<line x1="{links}" y1="{hoehe - unten}" x2="{breite - rechts}" y2="{hoehe - unten}" stroke="#555"/>')
    teile.append(f'<line x1="{links}" y1="{oben}" x2="{links}" y2="{hoehe - unten}" stroke="#555"/>')
    # steps
    pfad = []
    for i, (a, b, y, w) in enumerate(punkte):
        x1 = px(a)
        x2 = px(b) if b else px(ende)
        pfad.append(f"{'M' if i == 0 else 'L'}{x1:.1f},{py(y):.1f} L{x2:.1f},{py(y):.1f}")
    teile.append(f'<path d="{" ".join(pfad)}" fill="none" stroke="#3f51b5" stroke-width="2.5"/>')
    letzter = None
    for a, b, y, w in punkte:
        x1 = px(a)
        teile.append(f'<circle cx="{x1:.1f}" cy="{py(y):.1f}" r="3.5" fill="#3f51b5"><title>{_xml(f"{zeitraum_text(a, b)}: {mit_einheit(w.wert, p.einheit)} ({w.fundstelle})")}</title></circle>')
        if y != letzter:
            teile.append(f'<text x="{x1 + 3:.1f}" y="{py(y) - 7:.1f}" fill="#1a237e">{_xml(deutsch(w.wert, "geld" if p.einheit == "euro" else None))}</text>')
            teile.append(f'<text x="{x1 + 3:.1f}" y="{py(y) + 15:.1f}" fill="#777" font-size="9">{a.year}</text>')
        letzter = y
    if einheit:
        teile.append(f'<text x="{links}" y="{oben - 12}" fill="#555">{_xml(einheit)}</text>')
    teile.append("</svg>")
    return "\n".join(teile) + "\n"


def _schoene_teilung(roh: float) -> float:
    """A tick distance of 1, 2, 2.5 or 5 times a power of ten, at least `roh`."""

    basis = 10 ** math.floor(math.log10(roh))
    for faktor in (1, 2, 2.5, 5, 10):
        if faktor * basis >= roh:
            return faktor * basis
    return 10 * basis


def _xml(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


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


# --- the site generator ----------------------------------------------------------------------


class Generator:
    def __init__(self, wb: Wissensbasis, ziel: Path, docs: Path | None = None, faelle: Path | None = None):
        self.wb = wb
        self.ziel = ziel
        self.docs = docs
        self.faelle_ordner = faelle or wb.wurzel / "tests" / "cases"
        self.analyse = Analyse(wb, self.faelle_ordner)
        self.kurz = {g.id: g.kurz for g in wb.recht.gesetze.values()}
        self.vorschriften = sorted(wb.recht.vorschriften.values(), key=_sortierschluessel)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_VORLAGEN)), autoescape=False,
                                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                      undefined=jinja2.ChainableUndefined)
        self.env.filters.update(md=md_text, titel=md_titel, datum=lambda d: datum(d, leer="offen"), deutsch=deutsch,
                                euro=euro, mit_einheit=mit_einheit, lesbar=lesbar)
        self.env.globals.update(zeitraum_text=zeitraum_text, GRUENDE=GRUENDE, EINHEITEN=EINHEITEN,
                                html_anker=html_anker, name=self.name, link=relativ_link, md_pfad=_md_pfad,
                                ART_NAMEN=_ART_NAMEN, NAMEN=ergebnis_namen(wb.regelbuch.verfahren.values()))
        self.seiten: list[str] = []

    def name(self, v: Vorschrift) -> str:
        return vorschrift_name(v, self.kurz[v.gesetz])

    def schreibe(self, pfad: str, text: str) -> None:
        datei = self.ziel / pfad
        datei.parent.mkdir(parents=True, exist_ok=True)
        datei.write_text(text, encoding="utf-8")
        if pfad.endswith(".md"):
            self.seiten.append(pfad)

    def render(self, vorlage: str, **werte) -> str:
        return self.env.get_template(vorlage).render(**werte)

    def erzeuge(self) -> None:
        if self.ziel.exists():
            shutil.rmtree(self.ziel)
        self.ziel.mkdir(parents=True)
        if self.docs and self.docs.is_dir():
            shutil.copytree(self.docs, self.ziel, dirs_exist_ok=True)
            for datei in self.ziel.rglob("*.md"):
                text = datei.read_text(encoding="utf-8")
                if _PLATZHALTER_FUNKTIONEN in text:
                    datei.write_text(text.replace(_PLATZHALTER_FUNKTIONEN, self.funktionen_tabelle()), encoding="utf-8")
        self.parameter_seiten()
        for v in self.vorschriften:
            self.vorschrift_seite(v)
        self.schreibe("recht/index.md", self.render("recht-index.md.j2", gesetze=self.nach_gesetz(), a=self.analyse))
        self.fall_seiten()
        self.schreibe("beispiel.md", self.beispiel_seite())
        self.schreibe("matrix.md", self.matrix_seite())
        self.schreibe("aenderungen.md", self.aenderungen_seite())

    # pieces ---------------------------------------------------------------------

    def funktionen_tabelle(self) -> str:
        zeilen_ = ["| Funktion | Bedeutung |", "|---|---|"]
        for n, (_, text) in sorted(FUNKTIONEN.items()):
            zeilen_.append(f"| `{n}(…)` | {text} |")
        zeilen_.append("| `wenn(bedingung, dann, sonst)` | wählt einen von zwei Werten; ausgewertet wird nur der gewählte Zweig |")
        zeilen_ += ["", "| Wort | Bedeutung |", "|---|---|"]
        bedeutung = {"und": "beide Bedingungen", "oder": "mindestens eine Bedingung", "nicht": "Verneinung",
                     "wahr": "Wahrheitswert wahr", "falsch": "Wahrheitswert falsch",
                     "fuer": "Listenausdruck: `x fuer x in liste`", "falls": "Filter im Listenausdruck",
                     "leer": "keine Angabe"}
        for wort in SCHLUESSELWOERTER:
            zeilen_.append(f"| `{wort}` | {bedeutung.get(wort, '')} |")
        return "\n".join(zeilen_)

    def nach_gesetz(self) -> list[tuple[Any, list[Vorschrift]]]:
        gruppen: dict[str, list[Vorschrift]] = {}
        for v in self.vorschriften:
            gruppen.setdefault(v.gesetz, []).append(v)
        return [(self.wb.recht.gesetze[g], vs) for g, vs in gruppen.items()]

    def vorschrift_seite(self, v: Vorschrift) -> None:
        pfad = _md_pfad(v)
        fassungen = []
        for f in v.fassungen:
            fassungen.append({"f": f, "zeilen": zeilen(self.analyse, v, f), "abdeckung": self.analyse.abdeckung(v, f),
                              "ganz": self.analyse.regeln_genau(v, f, f.wurzel),
                              "ganz_markiert": self.analyse.markiert_genau(v, f, f.wurzel), "vorgaenger": None})
        entsprechungen = [self.wb.recht.vorschrift(g, p) for g, p in v.entspricht]
        entsprechungen = [e for e in entsprechungen if e is not None]
        # the predecessor's (old numbering) wording as the oldest tab: the version switch reaches back
        for alt in entsprechungen:
            for f in alt.fassungen:
                if f.gueltig_ab < v.fassungen[-1].gueltig_ab:
                    fassungen.append({"f": f, "zeilen": [], "abdeckung": None, "ganz": [], "ganz_markiert": [],
                                      "vorgaenger": alt})
        parameter = self.analyse.parameter_der_vorschrift(v)
        faelle = self.analyse.faelle_der_vorschrift(v)
        text = self.render("vorschrift.md.j2", v=v, pfad=pfad, gesetz=self.wb.recht.gesetze[v.gesetz],
                           fassungen=fassungen, entsprechungen=entsprechungen, parameter=parameter, faelle=faelle,
                           a=self.analyse, regeln=self.analyse.regeln_der_vorschrift(v))
        self.schreibe(pfad, text)

    def parameter_seiten(self) -> None:
        params = sorted(self.wb.parameter.values(), key=lambda p: p.id)
        for p in params:
            svg = parameter_svg(p)
            if svg:
                self.schreibe(f"parameter/{p.id}.svg", svg)
        self.schreibe("parameter/index.md", self.render("parameter-index.md.j2", parameter=params,
                                                        mit_svg={p.id for p in params if parameter_svg(p)}))

    def fall_seiten(self) -> None:
        for fl in self.analyse.faelle:
            self.schreibe(fl.seite, self.render("fall.md.j2", fl=fl, pfad=fl.seite, schritte=self.schritte(fl, fl.seite),
                                                eingabe=self.eingabe(fl)))
        self.schreibe("faelle/index.md", self.render("faelle-index.md.j2", faelle=self.analyse.faelle,
                                                     fehler=[f for f in self.analyse.fehler if "tests" in f]))

    def eingabe(self, fl: FallLauf) -> dict[str, Any]:
        return fl.entscheidung.fall.daten

    def schritte(self, fl: FallLauf, von: str) -> list[dict[str, Any]]:
        ergebnis = []
        geld = geldwerte(fl.entscheidung.kompilat)  # money shows two decimals
        for s, roh in zip(fl.daten["begruendung"], fl.entscheidung.schritte):
            fundstellen = []
            for f, fs in zip(s["fundstellen"], roh.fundstellen):
                fundstellen.append(dict(f, link=relativ_link(von, _md_pfad(fs.vorschrift), html_anker(fs.fassung.gueltig_ab, fs.anker))))
            ergebnis.append(dict(s, fundstellen=fundstellen, geld=geld))
        return ergebnis

    def beispiel_seite(self) -> str:
        fl = next((f for f in self.analyse.faelle if f.datei.endswith(Path(BEISPIEL).name)), None)
        if fl is None and self.analyse.faelle:
            fl = self.analyse.faelle[0]
        return self.render("beispiel.md.j2", fl=fl, pfad="beispiel.md",
                           schritte=self.schritte(fl, "beispiel.md") if fl else [], eingabe=self.eingabe(fl) if fl else {})

    def matrix_seite(self) -> str:
        """Traceability matrix: the same coverage figures as `regelwerk coverage` (engine.autoren.abdeckung)."""
        zeilen_ = self._matrix_abdeckung()
        a = self.analyse.abdeckung_gesamt
        gesamt = {"stellen": a.gesamt, "umgesetzt": a.umgesetzt, "nicht_automatisiert": a.nicht_automatisiert,
                  "offen": a.offen, "getestet": a.getestet, "anteil": round(a.prozent) if a.gesamt else 0}
        return self.render("matrix.md.j2", zeilen=zeilen_, gesamt=gesamt, pfad="matrix.md")

    def _faelle_an(self, v: Vorschrift, f: Fassung, anker: str) -> list[FallLauf]:
        ergebnis = []
        for (va, fk, a), faelle in self.analyse.faelle_an.items():
            if va == v.anker and fk == f.kennung and Analyse._betrifft(anker, a):
                ergebnis += [fl for fl in faelle if fl not in ergebnis]
        return ergebnis

    def _matrix_abdeckung(self) -> list[dict[str, Any]]:
        zeilen_ = []
        for va in self.analyse.abdeckung_gesamt.vorschriften:
            v = self.wb.recht.vorschrift(va.gesetz, va.paragraph)
            for fa in va.fassungen:
                f = next(x for x in v.fassungen if x.gueltig_ab == fa.gueltig_ab)
                stellen = [{"anker": s.anker, "status": s.status, "gruende": list(s.nicht_automatisiert),
                            "regeln": list(s.regeln) + [f"parameter.{p}" for p in s.parameter],
                            "faelle": self._faelle_an(v, f, s.anker), "getestet": bool(s.getestet_durch)}
                           for s in fa.stellen]
                zeilen_.append({"v": v, "f": f, "stellen": stellen, "zahlen": fa.zahlen()})
        zeilen_.sort(key=lambda z: (_sortierschluessel(z["v"]), -z["f"].gueltig_ab.toordinal()))
        return zeilen_

    def aenderungen_seite(self) -> str:
        ereignisse: dict[date, list[dict[str, Any]]] = {}
        for v in self.vorschriften:
            for i, f in enumerate(reversed(v.fassungen)):
                ereignisse.setdefault(f.gueltig_ab, []).append({"art": "fassung", "v": v, "f": f, "erste": i == 0})
        for p in sorted(self.wb.parameter.values(), key=lambda p: p.id):
            vorher = None
            for w in p.werte:
                if vorher is None or w.wert != vorher.wert:
                    ereignisse.setdefault(w.gueltig_ab, []).append({"art": "parameter", "p": p, "w": w, "vorher": vorher})
                vorher = w
        liste = sorted(ereignisse.items(), key=lambda x: x[0], reverse=True)
        return self.render("aenderungen.md.j2", ereignisse=liste, pfad="aenderungen.md")

    def nav(self) -> list:
        """Navigation: the fixed pages of mkdocs.yml plus every provision page."""
        recht: list = [{"Übersicht": "recht/index.md"}]
        for g, vs in self.nach_gesetz():
            recht.append({g.kurz: [{f"{self.name(v)} – {v.ueberschrift}"[:80]: _md_pfad(v)} for v in vs]})
        return recht


# --- building ---------------------------------------------------------------------------------


@dataclass
class BauErgebnis:
    generiert: Path
    build: Path
    seiten: int
    sekunden_generieren: float
    sekunden_mkdocs: float
    hinweise: list[str]


def baue(wurzel: Path | None = None, generiert: Path | None = None, build: Path | None = None,
         wb: Wissensbasis | None = None, strict: bool = True, leise: bool = True) -> BauErgebnis:
    """Generate the pages and build the site with MkDocs (strict: any warning aborts)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    wb = wb or lade_wissensbasis(wurzel)
    wurzel = wb.wurzel
    generiert = (generiert or wurzel / "site" / "generiert").resolve()
    build = (build or wurzel / "site" / "build").resolve()
    gen = Generator(wb, generiert, wurzel / "site" / "docs")
    gen.erzeuge()
    mitte = time.perf_counter()
    konfig = wurzel / "mkdocs.yml"
    cfg_roh = yaml.safe_load(konfig.read_text(encoding="utf-8"))
    nav = _nav_ergaenzen(cfg_roh.get("nav") or [], gen.nav())
    logger = logging.getLogger("mkdocs")
    alte_stufe = logger.level
    if leise:
        logger.setLevel(logging.WARNING)
    try:
        cfg = load_config(str(konfig), docs_dir=str(generiert), site_dir=str(build), strict=strict, nav=nav)
        mkdocs_build(cfg)
    finally:
        logger.setLevel(alte_stufe)
    ende = time.perf_counter()
    return BauErgebnis(generiert, build, len(gen.seiten), mitte - start, ende - mitte, gen.analyse.fehler)


def _nav_ergaenzen(nav: list, recht: list) -> list:
    """Replace the `recht/index.md` entry of the configured nav by the full list of provisions."""
    ergebnis = []
    for eintrag in nav:
        if isinstance(eintrag, dict) and len(eintrag) == 1:
            titel, ziel = next(iter(eintrag.items()))
            if ziel == "recht/index.md":
                ergebnis.append({titel: recht})
                continue
        ergebnis.append(eintrag)
    return ergebnis
