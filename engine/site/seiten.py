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

import html
import json
import logging
import math
import posixpath
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
from ..autoren.testfaelle import gleich
from ..entscheidung import Entscheider
from ..faelle import lade_fall
from ..darstellung import als_dict, ergebnis_namen, geldwerte
from ..fehler import RegelwerkFehler, ZitatFehler
from ..format import EINHEIT_NAMEN, EINHEITEN, datum, deutsch, euro, mit_einheit
from ..formel import FUNKTIONEN, SCHLUESSELWOERTER
from ..parameter import Parameter
from ..rechtstext import Einheit, Fassung, Vorschrift, html_anker, seitenpfad
from ..regeln import NichtAutomatisiert, Regel
from ..zeitraum import Zeitraum, zeitraum_text
from ..wissensbasis import Wissensbasis, lade_wissensbasis
from ..zitate import loese_auf, parse_zitat
from .hervorhebung import gemerkte_yaml_bloecke
from .suche import Suchindex, seiten_url

BEISPIEL = "tests/cases/ausgleichsabgabe/staffel-2-2024.yaml"
_SICHERER_LADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe either way; the C one where libyaml is built in
GRUENDE = {
    "ermessen": "Ermessen",
    "unbestimmter_rechtsbegriff": "unbestimmter Rechtsbegriff",
    "verfahren": "Verfahrensvorschrift",
    "ausserhalb_des_regelwerks": "außerhalb des Regelwerks",
}
NBSP = "\u00a0"
_ART_NAMEN = {"absatz": "Absatz", "satz": "Satz", "nummer": "Nummer", "buchstabe": "Buchstabe"}
_VORLAGEN = Path(__file__).parent / "vorlagen"
_PLATZHALTER_FUNKTIONEN = "<!-- regelwerk:funktionen -->"


# --- small helpers ---------------------------------------------------------------------


# A citation is never broken across lines: "§ 55 SGB IX", "Abs. 2 Satz 1 Nr. 3", "360 Euro". The run of
# spaces between two parts becomes one no-break space. Only spaces before a digit, a single letter, a Roman
# numeral or a unit word can qualify, so one scan finds the few candidates and the word before decides.
_KANDIDAT = re.compile(r" +(?=\d|[a-z]\b|[IVX]+\b|(?:SGB|Euro|Prozent|BGB|vom)\b)")
_VOR_NUMMER = re.compile(r"(?:§|(?<!\w)(?:Abs\.|Absatz|Absätze|Satz|Sätze|S\.|Nr\.|Nrn\.|Nummer|Buchst\.|Art\.|Artikel"
                         r"|Bek\.|v\.))\Z")  # "§ 55", "Abs. 2", "Buchst. a", "Bek. v. 2.12.2024"
_VOR_BUCH = re.compile(r"(?<!\w)SGB\Z")  # "SGB IX", "SGB 9"
_GESETZ_MIT_BUCH = re.compile(r"(?<!\w)SGB[ \u00a0]+[IVX\d]+\Z")  # "SGB IX a.F."
_ALTE_NEUE_FASSUNG = re.compile(r"[an]\. ?F\.")
_EINHEIT = re.compile(r"(?:SGB|Euro|Prozent|BGB)\b")  # "9 SGB", "360 Euro", "5 Prozent"
_BEK_DATUM = re.compile(r"v\.|vom\b")  # "Bek. vom …"
_ROEMISCH = re.compile(r"[IVX]+\b")
_BUCHSTABE = re.compile(r"[a-z]\b")


def zitat_nbsp(text: str) -> str:
    """No-break spaces inside citations and amounts, so that "§ 55 SGB IX" is never broken."""
    def ersetze(m: re.Match) -> str:
        start, ende = m.span()
        vor = text[max(0, start - 14):start]
        zahl = text[ende].isdecimal()
        if (zahl or _BUCHSTABE.match(text, ende)) and _VOR_NUMMER.search(vor):
            return NBSP
        if (zahl or _ROEMISCH.match(text, ende)) and _VOR_BUCH.search(vor):
            return NBSP
        if vor[-1:].isdecimal() and _EINHEIT.match(text, ende):
            return NBSP
        if vor.endswith("Bek.") and _BEK_DATUM.match(text, ende) and _VOR_NUMMER.search(vor):
            return NBSP
        if _ALTE_NEUE_FASSUNG.match(text, ende) and _GESETZ_MIT_BUCH.search(text[max(0, start - 20):start]):
            return NBSP
        return m.group()
    return _KANDIDAT.sub(ersetze, text)


# a Markdown escape (skipped: md_text escapes backticks as "\`"), a fenced code block or a code span
_CODE = re.compile(r"\\.|(```.*?```|`[^`\n]*`)", re.DOTALL)


def _nbsp_ausser_code(text: str) -> str:
    """No-break spaces inside every citation of a generated page, also in values and labels filled in from
    data; code (formulas, YAML) is left exactly as written. Applied once per page, so the values themselves
    (md_text, md_titel, the filters) are not treated again."""
    teile, pos = [], 0
    for m in _CODE.finditer(text):
        if m.group(1) is None:
            continue
        teile += [zitat_nbsp(text[pos:m.start()]), m.group(1)]
        pos = m.end()
    teile.append(zitat_nbsp(text[pos:]))
    return "".join(teile)


_ISO_IN_TEXT = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\w/-])")


def satz(text: str) -> str:
    """A sentence end after a name that may itself end in a full stop ("§ 75 SGB IX a.F." + "." -> one stop)."""
    return text if text.rstrip().endswith(".") else text + "."


def md_text(text: str) -> str:
    """Escape statute text for Markdown so it renders verbatim (no lists, emphasis, attr lists)."""
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([`*_\[\]{}|#])", r"\\\1", text)
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)  # "1. …" is no ordered list
    return re.sub(r"^([-+>])", r"\\\1", text)


def md_titel(text: str) -> str:
    """Text for an admonition title in double quotes."""
    return text.replace('"', "'").replace("\n", " ")


def kuerze(text: str, laenge: int = 80) -> str:
    """`text` cut at a word boundary to at most `laenge` characters, with "…" when cut."""
    text = " ".join(str(text).split())
    if len(text) <= laenge:
        return text
    schnitt = text[: laenge - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return schnitt + " …"


def stellenname(anker: str) -> str:
    """A unit's place as in a citation: "abs-2/satz-1/nr-3" -> "Abs. 2 Satz 1 Nr. 3"."""
    namen = {"abs": "Abs.", "satz": "Satz", "nr": "Nr.", "bst": "Buchst."}
    teile = []
    for teil in anker.split("/"):
        art, _, nr = teil.partition("-")
        if art in namen and nr:
            teile.append(f"{namen[art]}{NBSP}{nr}")
    return " ".join(teile) or "ganze Vorschrift"


_UMLAUT = [(re.compile(r"ae"), "ä"), (re.compile(r"oe"), "ö"),
           (re.compile(r"(?<![aeiouäöüq])ue(?!ll)"), "ü")]


def wort(name: str) -> str:
    """A fact's name in readable German: "beschaeftigungsquote" -> "Beschäftigungsquote"."""
    text = name.replace("_", " ")
    for muster, ersatz in _UMLAUT:
        text = muster.sub(ersatz, text)
    return text[:1].upper() + text[1:]


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


def html_link(von_md: str, zu_md: str, anker: str | None = None) -> str:
    """Relative address of a page as built (directory URLs), for raw HTML that MkDocs does not rewrite."""
    von, zu = seiten_url(von_md) or ".", seiten_url(zu_md) or "."
    pfad = posixpath.relpath(zu, von) + "/"
    return ("" if pfad == "./" and anker else pfad) + (f"#{anker}" if anker else "")


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

    def faelle_der_regel(self, rid: str) -> list[FallLauf]:
        """The test cases whose decision applied the rule, in file order."""
        return self.faelle_je_regel.get(rid, [])

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


_WOERTER = set(SCHLUESSELWOERTER) | {"in", "wenn"}  # words of the formula language, not facts


def _regel_anker(rid: str) -> str:
    """HTML id of a rule's row in the rule table of a provision page."""
    return re.sub(r"[^a-z0-9_-]", "-", rid.lower())


def grund_worte(gruende: Any) -> str:
    """Reasons of marks "nicht automatisiert" in German words, each once: "Ermessen, Verfahrensvorschrift"."""
    return ", ".join(GRUENDE.get(g, g) for g in dict.fromkeys(gruende))


def kasten_titel(regeln: list[Regel], markiert: list[NichtAutomatisiert]) -> str:
    """The title of the folded box beside a unit: its rules (titles are good search words), then its marks."""
    if not regeln:
        return f"Nicht automatisiert: {grund_worte(n.grund for n in markiert)}"
    titel = f"Regel: {regeln[0].titel}" if len(regeln) == 1 else f"{len(regeln)} Regeln: " + " · ".join(r.titel for r in regeln)
    return titel + (f" · nicht automatisiert: {grund_worte(n.grund for n in markiert)}" if markiert else "")


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
    # 480 units wide with 13-unit text: on a 390 px phone the labels stay at about 9 px
    breite, hoehe, links, rechts, oben, unten = 480, 250, 58, 14, 34, 40
    hoechster = max(y for _, _, y, _ in punkte)
    teilung = _schoene_teilung(hoechster / 4 if hoechster > 0 else 1)
    ymin = 0.0
    ymax = teilung * (int(hoechster / teilung) + 1)
    tage = (ende - start).days or 1

    def px(d: date) -> float:
        return links + (breite - links - rechts) * (d - start).days / tage

    def py(y: float) -> float:
        return oben + (hoehe - oben - unten) * (1 - (y - ymin) / (ymax - ymin))

    teile = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {hoehe}" width="{breite}" height="{hoehe}" '
             f'role="img" aria-labelledby="t-{p.id} d-{p.id}" class="rw-verlauf" font-family="sans-serif" font-size="13">']
    teile.append(f'<title id="t-{p.id}">{_xml(p.titel)}</title>')
    beschreibung = "; ".join(f"{zeitraum_text(a, b)}: {mit_einheit(w.wert, p.einheit)}" for a, b, _, w in punkte)
    teile.append(f'<desc id="d-{p.id}">{_xml(beschreibung)}</desc>')
    teile.append(f'<rect x="0" y="0" width="{breite}" height="{hoehe}" fill="#ffffff"/>')
    # axes and grid
    for i in range(int(round(ymax / teilung)) + 1):
        y = teilung * i
        teile.append(f'<line x1="{links}" y1="{py(y):.1f}" x2="{breite - rechts}" y2="{py(y):.1f}" stroke="#e0e0e0"/>')
        teile.append(f'<text x="{links - 6}" y="{py(y) + 4:.1f}" text-anchor="end" fill="#555">{_xml(deutsch(Decimal(str(round(y, 2))).normalize()))}</text>')
    schritt = max(1, round((ende.year - start.year) / 7))
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
            teile.append(f'<text x="{x1 + 3:.1f}" y="{py(y) + 17:.1f}" fill="#777" font-size="11">{a.year}</text>')
        letzter = y
    # the unit of the values axis, and the time axis
    teile.append(f'<text x="{links - 6}" y="{oben - 14}" text-anchor="end" fill="#555" font-weight="bold">{_xml(EINHEIT_NAMEN.get(p.einheit, ""))}</text>')
    teile.append(f'<text x="{breite - rechts}" y="{hoehe - 4}" text-anchor="end" fill="#555">Jahr (gültig ab)</text>')
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
        self.env.filters.update(md=md_text, titel=md_titel, datum=lambda d: datum(d, leer="offen"),
                                deutsch=deutsch, euro=euro,
                                mit_einheit=mit_einheit, lesbar=lesbar,
                                kuerze=kuerze, nbsp=zitat_nbsp, sprache=self.sprache, satz=satz)
        self.env.globals.update(regel_anker=_regel_anker, kasten_titel=kasten_titel, grund_worte=grund_worte,
                                zeitraum_text=zeitraum_text, GRUENDE=GRUENDE, EINHEITEN=EINHEITEN,
                                EINHEIT_NAMEN=EINHEIT_NAMEN, stellenname=stellenname, wort=wort,
                                regel_worte=self.regel_worte, fundstelle_link=self.fundstelle_link, bezeichnung=self.bezeichnung,
                                parameter_link=self.parameter_link, gleich=gleich, regel_link=self.regel_link,
                                html_anker=html_anker, name=self.name, link=relativ_link, md_pfad=_md_pfad,
                                ART_NAMEN=_ART_NAMEN,
                                NAMEN={k: zitat_nbsp(t) for k, t in ergebnis_namen(wb.regelbuch.verfahren.values()).items()})
        self.seiten: list[str] = []
        self.suchindex = Suchindex()  # the statute and test case pages (search: exclude for the plugin)

    def name(self, v: Vorschrift) -> str:
        return zitat_nbsp(vorschrift_name(v, self.kurz[v.gesetz]))

    # links and words for rules and parameters ---------------------------------------

    def parameter_link(self, pid: str, von: str, text: str | None = None) -> str:
        """Markdown link to a parameter's own page."""
        if pid not in self.wb.parameter:
            return md_text(text or pid)
        return f"[{text or md_text(self.wb.parameter[pid].titel)}]({relativ_link(von, f'parameter/{pid}.md')})"

    def fundstelle_link(self, zitat: str, tag: date, von: str) -> str:
        """A citation as links to its units in the Fassung in force on `tag`. Compound Fundstellen
        ("§ 160 Abs. 2 Satz 1 Nr. 1 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024") link each part that
        names a unit; a part without its law takes the law named after it; the rest stays text."""
        teile = re.split(r"( und | i\.\s?V\.\s?m\. |; )", zitat)
        formen = sorted(((f, g.kurz) for g in self.wb.recht.gesetze.values() for f in g.zitierformen + [g.kurz]),
                        key=lambda x: -len(x[0]))
        gesetz_danach = ""
        ergebnis: list[str] = []
        for i in range(len(teile) - 1, -1, -1):
            teil = teile[i]
            if i % 2:  # separator
                ergebnis.append(md_text(teil))
                continue
            eigenes = next((k for f, k in formen if teil.endswith(" " + f) or teil == f), "")
            gesetz_danach = eigenes or gesetz_danach
            voll = teil if eigenes or not teil.startswith("§") else f"{teil} {gesetz_danach}"
            try:
                fs = loese_auf(parse_zitat(voll, self.wb.recht)[0], self.wb.recht, tag)
            except (ZitatFehler, IndexError):
                ergebnis.append(md_text(teil))
                continue
            ergebnis.append(f"[{md_text(teil)}]({relativ_link(von, _md_pfad(fs.vorschrift), html_anker(fs.fassung.gueltig_ab, fs.anker))})")
        return "".join(reversed(ergebnis))

    def regel_link(self, rid: str, von: str) -> str:
        """A rule id linked to its row on the page of the first provision it cites."""
        if rid.startswith("parameter."):
            return self.parameter_link(rid.split(".", 1)[1], von, f"`{rid}`")
        stellen = self.analyse.regel_stellen.get(rid) or []
        if not stellen:
            return f"`{rid}`"
        v = next((sv for sv, _, _ in stellen if sv.gesetz == "sgb9"), stellen[0][0])  # current numbering first
        return f"[`{rid}`]({relativ_link(von, _md_pfad(v), 'regel-' + _regel_anker(rid))})"

    def _wert(self, pid: str, zeit: date | Zeitraum, mit_einheit: bool, von: str) -> str:
        """A parameter's value, linked to its page: on a day, or every value in force in a period (a Fassung's tab
        shows the amounts of its own years: "125 Euro (ab 01.01.2021: 140 Euro)")."""
        p = self.wb.parameter.get(pid)
        if p is None:
            return self.parameter_link(pid, von, f"`parameter.{pid}`")
        if isinstance(zeit, date):
            w = p.wert_oder_none(zeit)
            werte = [w] if w is not None else []
        else:
            werte = sorted((w for w in p.werte if w.zeitraum.schnitt(zeit)), key=lambda w: w.gueltig_ab)
        if not werte:
            return self.parameter_link(pid, von, f"`parameter.{pid}`")

        def text(w) -> str:
            return deutsch(w.wert) + (f"{NBSP}{EINHEITEN.get(p.einheit, '')}" if mit_einheit and EINHEITEN.get(p.einheit) else "")
        erster = text(werte[0])
        if len(werte) > 1:
            erster += " (" + "; ".join(f"ab {datum(w.gueltig_ab)}: {text(w)}" for w in werte[1:]) + ")"
        return self.parameter_link(pid, von, erster)

    def _formel_worte(self, formel: str, tag: date | Zeitraum, von: str) -> str:
        """A formula for readers: parameters as their linked values on `tag`, facts as words."""
        text = lesbar(" ".join(formel.split()))
        # parameters; names of facts (not functions "name(", keywords, fields after "." or inside quotes)
        stuecke = re.split(r'(parameter\.[a-z0-9_]+|"[^"]*"|(?<![.\w])[a-z_][a-z0-9_]*\b(?!\s*\())', text)
        ergebnis = []
        for stueck in stuecke:
            if stueck.startswith("parameter."):
                ergebnis.append(self._wert(stueck.split(".", 1)[1], tag, True, von))
            elif re.fullmatch(r"[a-z_][a-z0-9_]*", stueck or "-") and stueck not in _WOERTER and len(stueck) > 2:
                ergebnis.append(f"*{md_text(self.bezeichnung(stueck))}*")
            else:
                ergebnis.append(md_text(stueck))
        return "".join(ergebnis)

    def regel_worte(self, r: Regel, zeitraum: Zeitraum | date, von: str) -> dict[str, Any]:
        """A rule in plain German for its box: the Bescheid's sentence with the parameter values of the period (a
        Fassung's tab, cut to the rule's own validity) filled in and linked; facts of a case stay gaps "…" with
        their German label on hover; and, for the fold, the formula in words."""
        if isinstance(zeitraum, Zeitraum):
            zeit: date | Zeitraum = zeitraum.schnitt(r.zeitraum) or zeitraum
            tag = (zeit.bis or date.today()) if zeit.ab <= date.today() else zeit.ab
        else:
            zeit = tag = zeitraum
        werte: list[str] = []

        def platzhalter(m: re.Match) -> str:
            name = m.group(1)
            if name.startswith("parameter."):
                werte.append(name)
                return self._wert(name.split(".", 1)[1], zeit, False, von)
            wurzel = name.split(".", 1)[0]
            bezeichnung = self.wb.regelbuch.bezeichnung(wurzel) or wort(wurzel)
            return f'<abbr class="rw-platzhalter" title="{html.escape(bezeichnung, quote=True)}">…</abbr>'
        stuecke = re.split(r"(\{[a-z_][a-z0-9_.]*\})", " ".join(r.erklaerung.split()))
        satz = "".join(platzhalter(re.match(r"\{(.+)\}", t)) if re.fullmatch(r"\{[a-z_][a-z0-9_.]*\}", t)
                       else md_text(self.sprache(t)) for t in stuecke)
        wenn = self._formel_worte(r.wenn_quelle, zeit, von) if r.wenn_quelle else ""
        dann = "; ".join(f"*{md_text(self.bezeichnung(d.fakt))}* = {self._formel_worte(d.quelle, zeit, von)}" for d in r.dann)
        return {"satz": satz, "wenn": wenn, "dann": dann, "tag": datum(tag), "werte": werte}

    _CODE = re.compile(r"`([A-Za-z_][A-Za-z0-9_.]*)`|([„\"])([a-z0-9]+(?:_[a-z0-9]+)+)([“\"])"
                       r"|(?<![\w./#-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/#-])")

    def sprache(self, text: str) -> str:
        """A rule's own text (erklaerung, lesart, rundung) as readers see it: names of facts in backticks and quoted
        codes of case values replaced by their German labels (rules/begriffe.yaml)."""
        def ersetze(m: re.Match) -> str:
            if m.group(1):
                teile = m.group(1).split(".")
                return self.wb.regelbuch.bezeichnung(teile[-1]) or self.wb.regelbuch.bezeichnung(teile[0]) \
                    or self.wb.regelbuch.wert_bezeichnung(teile[-1]) or wort(teile[-1])
            code = m.group(3) or m.group(5)
            wort_ = self.wb.regelbuch.wert_bezeichnung(code) or self.wb.regelbuch.bezeichnung(code) or wort(code)
            return f"{m.group(2)}{wort_}{m.group(4)}" if m.group(3) else wort_
        text = self._CODE.sub(ersetze, text)
        # ISO dates in prose as German readers write them ("2024-12-31" -> "31.12.2024")
        return _ISO_IN_TEXT.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", text)

    def bezeichnung(self, name: str) -> str:
        """A fact's German label from rules/begriffe.yaml (the readable name as a fallback)."""
        return self.wb.regelbuch.bezeichnung(name) or wort(name)

    def schreibe(self, pfad: str, text: str) -> None:
        datei = self.ziel / pfad
        datei.parent.mkdir(parents=True, exist_ok=True)
        if pfad.endswith(".md"):
            text = _nbsp_ausser_code(text)
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
        self.zitierformen_js()
        for v in self.vorschriften:
            self.vorschrift_seite(v)
        self.schreibe("recht/index.md", self.render("recht-index.md.j2", gesetze=self.nach_gesetz(), a=self.analyse))
        self.fall_seiten()
        self.schreibe("beispiel.md", self.beispiel_seite())
        self.schreibe("matrix.md", self.matrix_seite())
        self.schreibe("aenderungen.md", self.aenderungen_seite())

    # pieces ---------------------------------------------------------------------

    def zitierformen_js(self) -> None:
        """The law spellings of legal/gesetze.yaml for the citation search (javascripts/regelwerk.js)."""
        daten = [{"id": g.id, "formen": list(dict.fromkeys(g.zitierformen + [g.kurz])), "ohne_paragraphen": g.ohne_paragraphen}
                 for g in self.wb.recht.gesetze.values()]
        self.schreibe("javascripts/zitierformen.js", "/* generated from legal/gesetze.yaml by regelwerk site build */\n"
                      f"window.RW_ZITIERFORMEN = {json.dumps(daten, ensure_ascii=False)};\n")

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
        heute = date.today()
        for f in v.fassungen:
            # the rule boxes of this Fassung show the parameter values in force during its own period
            fassungen.append({"f": f, "zeitraum": Zeitraum(f.gueltig_ab, f.gueltig_bis), "zeilen": zeilen(self.analyse, v, f), "abdeckung": self.analyse.abdeckung(v, f),
                              "ganz": self.analyse.regeln_genau(v, f, f.wurzel),
                              "ganz_markiert": self.analyse.markiert_genau(v, f, f.wurzel), "vorgaenger": None})
        entsprechungen = [self.wb.recht.vorschrift(g, p) for g, p in v.entspricht]
        entsprechungen = [e for e in entsprechungen if e is not None]
        # the predecessor's (old numbering) wording as the oldest tab: the version switch reaches back
        for alt in entsprechungen:
            for f in alt.fassungen:
                if f.gueltig_ab < v.fassungen[-1].gueltig_ab:
                    fassungen.append({"f": f, "zeitraum": Zeitraum(f.gueltig_ab, f.gueltig_bis), "zeilen": [], "abdeckung": None, "ganz": [], "ganz_markiert": [],
                                      "vorgaenger": alt})
        parameter = self.analyse.parameter_der_vorschrift(v)
        faelle = self.analyse.faelle_der_vorschrift(v)
        text = self.render("vorschrift.md.j2", v=v, pfad=pfad, gesetz=self.wb.recht.gesetze[v.gesetz],
                           fassungen=fassungen, entsprechungen=entsprechungen, parameter=parameter, faelle=faelle,
                           a=self.analyse, regeln=self.analyse.regeln_der_vorschrift(v), heute=date.today())
        self.schreibe(pfad, text)
        self._suche_vorschrift(v, pfad, fassungen)

    def _suche_vorschrift(self, v: Vorschrift, pfad: str, fassungen: list[dict[str, Any]]) -> None:
        """Search entries of a provision page, section by section as the page shows them (vorschrift.md.j2,
        fassung.md.j2): the page; "Wortlaut" with the head of each Fassung and the units before its first
        Absatz; one entry per Absatz with its sentences and the titles of their rule boxes; the predecessor's
        wording. Status badges, box contents, provenance and the tables below are not searched."""
        index, n = self.suchindex, zitat_nbsp
        index.seite(pfad, n(f"{self.name(v)} – {v.ueberschrift}"), boost=10)

        def kasten(regeln: list[Regel], markiert: list[NichtAutomatisiert]) -> None:
            if regeln or markiert:
                index.worte(n(kasten_titel(regeln, markiert)))

        for i, fa in enumerate(fassungen):
            f = fa["f"]
            zeitraum = zeitraum_text(f.gueltig_ab, f.gueltig_bis)
            index.abschnitt("wortlaut", "Wortlaut")  # each tab's head belongs to the section of the tabs
            if fa["vorgaenger"]:
                alt = self.name(fa["vorgaenger"])
                index.absatz(n(f"Vorgängervorschrift {alt} · gültig {zeitraum} · Stand: {f.stand}"))
                index.abschnitt(f"vorgaenger-{f.gueltig_ab.isoformat()}", n(f"{alt}, Vorgängervorschrift (gültig {zeitraum})"))
                index.absatz(n(f"Bis 31.12.2017 stand diese Regelung in {alt}. Hier steht dessen Wortlaut zum Vergleich; "
                               f"die verlinkbaren Stellen, die Regeln und die Abdeckung dazu stehen auf der Seite {alt}."))
                for absatz in f.wortlaut.strip().split("\n\n"):
                    index.absatz(n(" ".join(z.strip(" |") for z in absatz.split("\n") if set(z.strip()) - set("|-: "))))
                continue
            index.absatz(n(f"Fassung gültig {zeitraum}" + (" (gilt heute)" if not f.gueltig_bis else "")
                           + f" · Stand: {f.stand}" + ("" if f.gesichert else " · Geltungsbeginn nicht gesichert")))
            if v.paragraph is None:  # a Bekanntmachung: found by the years whose amounts it set ("Ausgleichsabgabe 2021")
                bis = (f.gueltig_bis or date(date.today().year, 12, 31)).year
                index.worte(f"{v.ueberschrift} Beträge für die Jahre "
                            + " ".join(str(j) for j in range(f.gueltig_ab.year, bis + 1)))
            kasten(fa["ganz"], fa["ganz_markiert"])
            vorher = None
            for z in fa["zeilen"]:
                e = z.einheit
                absatz_nr = vorher.einheit.nr if vorher and vorher.html_id and vorher.einheit.art == "absatz" else None
                vor = f"({absatz_nr}) " if absatz_nr else ""
                if not z.html_id:
                    index.absatz(n(z.schluss))
                elif e.art == "absatz":
                    index.abschnitt(z.html_id, f"Abs. {e.nr}" if i == 0 else f"Abs. {e.nr} (Fassung {zeitraum})")
                elif e.art == "nummer" and not z.text and not z.tabelle:
                    index.absatz(f"{vor}{e.nr}.")
                else:
                    sup = f"<sup>{html.escape(e.nr or '')}</sup> " if e.art == "satz" else ""
                    index.absatz(n(z.text), html.escape(vor) + sup)
                    for zeile in z.tabelle:
                        if set(zeile.strip()) - set("|-: "):
                            index.worte(n(" ".join(zelle.strip() for zelle in zeile.strip(" |").split("|"))))
                if e.art != "absatz":
                    if absatz_nr:
                        kasten(vorher.regeln + z.regeln, vorher.markiert + z.markiert)
                    else:
                        kasten(z.regeln, z.markiert)
                vorher = z

    def _parameter_thema(self, p: Parameter) -> Vorschrift | None:
        """The provision a parameter belongs to (legal topic): the newest value's statute citation,
        preferring the current numbering over a.F. and over a Bekanntmachung."""
        kandidaten = []
        for w in reversed(p.werte):
            try:
                for z in parse_zitat(w.fundstelle, self.wb.recht):
                    v = self.wb.recht.vorschrift(z.gesetz, z.paragraph)
                    if v is not None:
                        kandidaten.append(v)
            except ZitatFehler:
                continue
        rang = {"sgb9": 0, "sgb4": 1, "sgb9-af": 2}
        return min(kandidaten, key=lambda v: rang.get(v.gesetz, 3)) if kandidaten else None

    def parameter_seiten(self) -> None:
        params = sorted(self.wb.parameter.values(), key=lambda p: p.id)
        mit_svg = set()
        for p in params:
            svg = parameter_svg(p)
            if svg:
                self.schreibe(f"parameter/{p.id}.svg", svg)
                mit_svg.add(p.id)
        verwendet: dict[str, list[Regel]] = {}
        for r in self.wb.regelbuch.regeln:
            for formel in ([r.wenn] if r.wenn else []) + [d.formel for d in r.dann if d.formel]:
                for n in formel.namen:
                    if n.startswith("parameter.") and r not in verwendet.setdefault(n.split(".", 1)[1], []):
                        verwendet[n.split(".", 1)[1]].append(r)
        gruppen: dict[str, dict[str, Any]] = {}
        for p in params:
            v = self._parameter_thema(p)
            schluessel = v.anker if v else "~"
            gruppe = gruppen.setdefault(schluessel, {"v": v, "parameter": []})
            gruppe["parameter"].append(p)
            pfad = f"parameter/{p.id}.md"
            self.schreibe(pfad, self.render("parameter.md.j2", p=p, pfad=pfad, svg=p.id in mit_svg, thema=v,
                                            regeln=verwendet.get(p.id, []), heute=date.today()))
        geordnet = sorted(gruppen.values(), key=lambda g: _sortierschluessel(g["v"]) if g["v"] else (9,))
        self.schreibe("parameter/index.md", self.render("parameter-index.md.j2", gruppen=geordnet, pfad="parameter/index.md",
                                                        heute=date.today()))

    def fall_seiten(self) -> None:
        for fl in self.analyse.faelle:
            self.schreibe(fl.seite, self.render("fall.md.j2", fl=fl, pfad=fl.seite, schritte=self.schritte(fl, fl.seite),
                                                eingabe=self.eingabe(fl)))
            self._suche_fall(fl)
        self.schreibe("faelle/index.md", self.render("faelle-index.md.j2", faelle=self.analyse.faelle,
                                                     fehler=[f for f in self.analyse.fehler if "tests" in f]))

    def _suche_fall(self, fl: FallLauf) -> None:
        """Search entries of a test case page (fall.md.j2): the case with its hand calculation, the result, each
        step of the decision with its explanation, citations and values, the marks "nicht automatisiert". The
        wording quoted in each step is not repeated here: it is found on the statute page it links to."""
        index, n, namen = self.suchindex, zitat_nbsp, self.env.globals["NAMEN"]
        d = fl.daten
        index.seite(fl.seite, f"Testfall {fl.name}", boost=0.1)
        staende = "; ".join(f"{r['bezeichnung']} {deutsch(r['datum'])}" for r in (d.get("quittung") or {}).get("rechtsstaende") or [])
        jahr = f" · Jahr {d['jahr']}" if d.get("jahr") is not None else ""
        index.absatz(n(f"{fl.titel}{jahr} · Datei {fl.datei} · Rechtsstand {staende}"))
        index.absatz(n(fl.begruendung))
        index.abschnitt("ergebnis", "Ergebnis")
        for feld, wert in (d.get("ergebnis") or {}).items():
            index.worte(n(f"{namen.get(feld, feld)}: {deutsch(wert) if wert is not None else 'nicht ermittelt'}"))
        for s in d.get("begruendung") or []:
            index.abschnitt(f"schritt-{s['nr']}", n(f"Schritt {s['nr']}: {s['titel']}"))
            index.absatz(n(s.get("erklaerung") or ""))
            for f in s.get("fundstellen") or []:
                index.absatz(n(f"{f['zitat']} (Fassung ab {deutsch(f['fassung_ab'])})"))
            for fakt, wert in (s.get("ergebnisse") or {}).items():
                index.worte(n(f"{fakt} = {deutsch(wert)}"))
            index.worte(f"Regel {s.get('regel', '')}")
        if d.get("nicht_automatisiert"):
            index.abschnitt("nicht-automatisiert", "Nicht automatisiert")
            for m in d["nicht_automatisiert"]:
                index.absatz(n(f"{m['zitat']} ({GRUENDE.get(m['grund'], m['grund'])}): {m['erlaeuterung']}"))

    def eingabe(self, fl: FallLauf) -> dict[str, Any]:
        return fl.entscheidung.fall.daten

    def schritte(self, fl: FallLauf, von: str) -> list[dict[str, Any]]:
        ergebnis = []
        geld = geldwerte(fl.entscheidung.kompilat)  # money shows two decimals
        for s, roh in zip(fl.daten["begruendung"], fl.entscheidung.schritte):
            fundstellen = []
            for f, fs in zip(s["fundstellen"], roh.fundstellen):
                fundstellen.append(dict(f, url=html_link(von, _md_pfad(fs.vorschrift), html_anker(fs.fassung.gueltig_ab, fs.anker))))
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
            # titles cut at a word, with "…" (Bekanntmachungen have titles of several lines)
            recht.append({g.kurz: [{kuerze(f"{self.name(v)} – {v.ueberschrift}", 90): _md_pfad(v)} for v in vs]})
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
    seiten_im_kind: int = 0  # pages whose Markdown a forked child rendered (engine.site.parallel)


def baue(wurzel: Path | None = None, generiert: Path | None = None, build: Path | None = None,
         wb: Wissensbasis | None = None, strict: bool = True, leise: bool = True,
         parallel: bool = True) -> BauErgebnis:
    """Generate the pages and build the site with MkDocs (strict: any warning aborts).

    parallel: a forked child renders the Markdown of about half of the pages (engine.site.parallel);
    the site is the same byte for byte as with ``parallel=False``.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .parallel import ZweiterKern

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
    zweiter_kern = ZweiterKern() if parallel else None
    try:
        cfg = load_config(str(konfig), docs_dir=str(generiert), site_dir=str(build), strict=strict, nav=nav)
        gemerkte_yaml_bloecke(cfg["mdx_configs"])
        if zweiter_kern is not None:
            cfg.plugins["regelwerk/zweiter-kern"] = zweiter_kern
        mkdocs_build(cfg)
    finally:
        logger.setLevel(alte_stufe)
        if zweiter_kern is not None:
            zweiter_kern.beende()
    gen.suchindex.ergaenze(build)
    ende = time.perf_counter()
    return BauErgebnis(generiert, build, len(gen.seiten), mitte - start, ende - mitte, gen.analyse.fehler,
                       zweiter_kern.uebernommen if zweiter_kern is not None else 0)


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
