"""Text helpers of the rulebook pages: citations with no-break spaces, Markdown escaping, German words for
names, links between pages, the titles of rule boxes."""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..formel import SCHLUESSELWOERTER
from ..rechtstext import Vorschrift, seitenpfad
from ..regeln import NichtAutomatisiert, Regel
from .suche import seiten_url


GRUENDE = {
    "ermessen": "Ermessen",
    "unbestimmter_rechtsbegriff": "unbestimmter Rechtsbegriff",
    "verfahren": "Verfahrensvorschrift",
    "ausserhalb_des_regelwerks": "außerhalb des Regelwerks",
}
NBSP = "\u00a0"
ART_NAMEN = {"absatz": "Absatz", "satz": "Satz", "nummer": "Nummer", "buchstabe": "Buchstabe"}


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


# a Markdown escape (skipped: md_text escapes backticks as "\`"), a fenced code block, a code span or a part
# written as HTML (engine.site.roh: its text got its no-break spaces when it was written)
_CODE = re.compile(r"\\.|(```.*?```|`[^`\n]*`|<!--rw:roh-->\n.*?<!--rw:/roh-->)", re.DOTALL)


def nbsp_ausser_code(text: str) -> str:
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


ISO_IN_TEXT = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\w/-])")


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


def sortierschluessel(v: Vorschrift) -> tuple:
    reihenfolge = {"sgb9": 0, "sgb9-af": 1, "sgb4": 2}
    nr = re.match(r"(\d+)(.*)", v.paragraph or "0")
    return (reihenfolge.get(v.gesetz, 3), v.gesetz, int(nr.group(1)) if nr else 0, nr.group(2) if nr else "")


def md_pfad(v: Vorschrift) -> str:
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


@lru_cache(maxsize=65536)
def html_link(von_md: str, zu_md: str, anker: str | None = None) -> str:
    """Relative address of a page as built (directory URLs), for raw HTML that MkDocs does not rewrite."""
    von, zu = seiten_url(von_md) or ".", seiten_url(zu_md) or "."
    pfad = posixpath.relpath(zu, von) + "/"
    return ("" if pfad == "./" and anker else pfad) + (f"#{anker}" if anker else "")


FORMELWOERTER = set(SCHLUESSELWOERTER) | {"in", "wenn"}  # words of the formula language, not facts


def regel_anker(rid: str) -> str:
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
