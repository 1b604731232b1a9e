"""Read the official XML of gesetze-im-internet.de (DTD gii-norm) into norms with their wording in the format of
legal/: Absätze (`P`) and list items (`DL`/`DT`/`DD`) as blank-line separated paragraphs, exactly as legal/
writes them, so that the same parser (`rechtstext.gliedere`) structures both sides of a comparison.

The parser is the standard library's expat with entity declarations refused (no entity expansion, no external
DTD or entity is loaded): the official files declare no entities, so a file that does is not one of them and
could expand without bound ("billion laughs"). The standard library suffices for this; no dependency needed.
"""
from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder

from ..fehler import LadeFehler, Ort


@dataclass
class Norm:
    """One norm of the file: a section ("§ 160") or the body of a Bekanntmachung."""

    enbez: str  # "§ 160", "(XXXX)", "Inhaltsübersicht", "Schlussformel"
    titel: str
    doknr: str
    absaetze: list[str]  # paragraphs in the format of legal/ (Absatz text, list items, text after a list)
    fussnoten: list[str] = field(default_factory=list)

    @property
    def paragraph(self) -> str | None:
        """The section number ("160", "2a") when the norm is a §, else None."""
        treffer = re.fullmatch(r"§\s*(\d+[a-z]?)", self.enbez.strip())
        return treffer.group(1) if treffer else None

    @property
    def wortlaut(self) -> str:
        return "\n\n".join(self.absaetze) + "\n"


@dataclass
class GiiDatei:
    """The official XML file of one law or Bekanntmachung."""

    datei: str
    doknr: str
    builddate: str  # "20230731214044"
    jurabk: list[str]
    amtabk: str | None
    standangaben: list[tuple[str, str]]  # (standtyp, standkommentar), e.g. ("Stand", "Zuletzt geändert durch …")
    normen: list[Norm]

    @property
    def stand_datum(self) -> date | None:
        """The day the file was built (the law it shows is the law in force on that day); None without builddate."""
        try:
            return date(int(self.builddate[:4]), int(self.builddate[4:6]), int(self.builddate[6:8]))
        except ValueError:
            return None

    @property
    def stand_text(self) -> str:
        """The official Standangabe in one line, e.g. "Stand: Zuletzt geändert durch Art. 2 G v. 6.6.2023 I Nr. 146"."""
        return "; ".join(f"{typ}: {kommentar}" for typ, kommentar in self.standangaben) or "keine Standangabe"

    def norm(self, paragraph: str) -> Norm | None:
        return next((n for n in self.normen if n.paragraph == paragraph), None)


# --- parsing --------------------------------------------------------------------------------------


def _baum(daten: bytes, name: str) -> Element:
    """The element tree of the file, with entity declarations refused."""
    builder = TreeBuilder()
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name_, *args):
        raise LadeFehler(f"die Datei deklariert die Entität `{name_}`; amtliche XML-Dateien deklarieren keine",
                         Ort(name, parser.CurrentLineNumber), "nur die XML-Datei von gesetze-im-internet.de verwenden")

    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = lambda *args: 1  # never load an external entity (the DTD is not needed)
    parser.StartElementHandler = lambda tag, attrs: builder.start(tag, attrs)
    parser.EndElementHandler = lambda tag: builder.end(tag)
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(daten, True)
    except xml.parsers.expat.ExpatError as exc:
        raise LadeFehler(f"keine gültige XML-Datei: {xml.parsers.expat.errors.messages[exc.code]}",
                         Ort(name, exc.lineno, exc.offset + 1), "die XML-Datei von gesetze-im-internet.de unverändert verwenden") from None
    return builder.close()


def _text(e: Element | None) -> str:
    return " ".join("".join(e.itertext()).split()) if e is not None else ""


_INLINE_AUSGELASSEN = {"FnR", "noindex"}  # footnote references and markers: not part of the wording


class _Absaetze:
    """Turns the mixed content of `P` elements into the paragraphs of legal/."""

    def __init__(self) -> None:
        self.absaetze: list[str] = []
        self.puffer: list[str] = []

    def schliesse(self) -> None:
        text = " ".join("".join(self.puffer).split())
        if text:
            self.absaetze.append(text)
        self.puffer = []

    def inhalt(self, e: Element, mit_text: bool = True) -> None:
        """The text and children of `e` (its own text first when `mit_text`), then nothing of its tail."""
        if mit_text and e.text:
            self.puffer.append(e.text)
        for kind in e:
            self.element(kind)
            if kind.tail:
                self.puffer.append(kind.tail)

    def element(self, e: Element) -> None:
        tag = e.tag
        if tag == "DL":
            self.schliesse()
            for kind in e:
                if kind.tag == "DT":
                    self.schliesse()
                    marke = _text(kind)
                    if marke:
                        self.puffer.append(marke + " ")
                elif kind.tag == "DD":
                    for la in kind:
                        self.inhalt(la)
                        self.puffer.append(" ")
            self.schliesse()
        elif tag == "table":
            self.schliesse()
            zeilen = []
            for zeile in e.iter("row"):
                zellen = [_text(z) for z in zeile if z.tag == "entry"]
                zeilen.append("| " + " | ".join(zellen) + " |")
            if zeilen:
                self.absaetze.append("\n".join(zeilen))
        elif tag == "BR":
            self.puffer.append(" ")
        elif tag in _INLINE_AUSGELASSEN:
            return
        else:  # inline markup (B, I, SUP, NB, …), LA, pre, Revision: their text belongs to the paragraph
            self.inhalt(e)


def _absaetze(content: Element | None) -> list[str]:
    if content is None:
        return []
    sammler = _Absaetze()
    for p in content:
        sammler.schliesse()
        if p.tag == "P":
            sammler.inhalt(p)
        else:
            sammler.element(p)
    sammler.schliesse()
    return sammler.absaetze


def lies_gii(pfad: Path, anzeigename: str | None = None) -> GiiDatei:
    """Read one official XML file of gesetze-im-internet.de."""
    name = anzeigename or str(pfad)
    try:
        daten = pfad.read_bytes()
    except OSError as exc:
        raise LadeFehler(f"Datei kann nicht gelesen werden: {exc.strerror}", Ort(name),
                         "Pfad der XML-Datei prüfen") from None
    wurzel = _baum(daten, name)
    if wurzel.tag != "dokumente":
        raise LadeFehler(f"das Wurzelelement ist <{wurzel.tag}>, nicht <dokumente>", Ort(name),
                         "die XML-Datei (gii-norm) von gesetze-im-internet.de verwenden")
    normen_xml = wurzel.findall("norm")
    if not normen_xml:
        raise LadeFehler("die Datei enthält keine Norm", Ort(name), "die vollständige XML-Datei verwenden")
    kopf = normen_xml[0].find("metadaten")
    jurabk = [_text(j) for j in kopf.findall("jurabk")] if kopf is not None else []
    amtabk = _text(kopf.find("amtabk")) if kopf is not None and kopf.find("amtabk") is not None else None
    standangaben = [(_text(s.find("standtyp")), _text(s.find("standkommentar")))
                    for s in (kopf.findall("standangabe") if kopf is not None else [])]
    normen = []
    for n in normen_xml[1:]:
        meta = n.find("metadaten")
        enbez = _text(meta.find("enbez")) if meta is not None else ""
        text = n.find("textdaten/text/Content")
        fussnoten = _absaetze(n.find("textdaten/fussnoten/Content"))
        normen.append(Norm(enbez, _text(meta.find("titel")) if meta is not None else "", n.get("doknr", ""),
                           _absaetze(text), fussnoten))
    return GiiDatei(name, wurzel.get("doknr", ""), wurzel.get("builddate", ""), jurabk, amtabk, standangaben, normen)
