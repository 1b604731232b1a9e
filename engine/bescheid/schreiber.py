"""Writers: the one Bescheid model laid out as Markdown, HTML (Jinja2 layouts), Word (python-docx,
appended to the authority's template when it has one) and PDF (Typst, compiled in-process by the
`typst` wheel, which carries the compiler and its fonts)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jinja2

from .modell import Bescheid

FORMATE = ("md", "html", "docx", "pdf")
MEDIENTYPEN = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "pdf": "application/pdf"}
_VORLAGEN = Path(__file__).parent / "vorlagen"
_umgebung = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(_VORLAGEN)),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), disabled_extensions=("md.j2",), default=True),
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def schreibe(b: Bescheid, format_: str, vorlage_docx: str | None = None) -> bytes:
    """The Bescheid as a file; `vorlage_docx`: the authority's Word template (letterhead) to append to."""
    if format_ == "md":
        return _umgebung.get_template("bescheid.md.j2").render(b=b).encode("utf-8")
    if format_ == "html":
        return _umgebung.get_template("bescheid.html.j2").render(b=b).encode("utf-8")
    if format_ == "docx":
        return _docx(b, vorlage_docx)
    if format_ == "pdf":
        return _pdf(b)
    raise ValueError(f"unbekanntes Format {format_!r}; erlaubt: {', '.join(FORMATE)}")


def _pdf(b: Bescheid) -> bytes:
    import typst

    return typst.compile(str(_VORLAGEN / "bescheid.typ"),
                         sys_inputs={"daten": json.dumps(_ohne_umbruch(b.als_daten()), ensure_ascii=False)})


def _ohne_umbruch(wert):
    """No line break between "§" or "Abs." and its number (no-break spaces) in the printed text."""
    if isinstance(wert, str):
        for vor in ("§§ ", "§ ", "Abs. ", "Satz ", "Nr. "):
            wert = wert.replace(vor, vor[:-1] + "\u00a0")
        return wert
    if isinstance(wert, dict):
        return {k: v if k == "pruefprotokoll" else _ohne_umbruch(v) for k, v in wert.items()}
    if isinstance(wert, list):
        return [_ohne_umbruch(v) for v in wert]
    return wert


def _docx(b: Bescheid, vorlage: str | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    doc = Document(vorlage) if vorlage else Document()
    rot = RGBColor(0xB0, 0x00, 0x00)
    if not vorlage:
        normal = doc.styles["Normal"]
        normal.font.name = "Liberation Serif"
        normal.font.size = Pt(11)
    if b.entwurf:
        for section in doc.sections:
            kopf = section.header.add_paragraph()
            lauf = kopf.add_run("ENTWURF – nicht unterschriftsreif")
            lauf.bold = True
            lauf.font.color.rgb = rot
        p = doc.add_paragraph()
        lauf = p.add_run("ENTWURF – nicht unterschriftsreif.")
        lauf.bold = True
        lauf.font.color.rgb = rot
        for g in b.entwurf:
            lauf = doc.add_paragraph(style="List Bullet").add_run(g)
            lauf.font.color.rgb = rot
    if not vorlage:  # the template carries the letterhead
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run(b.behoerde.name).bold = True
        for z in b.behoerde.zeilen + b.behoerde_kontakt:
            p.add_run("\n" + z)
    p = doc.add_paragraph()
    p.add_run(b.bekanntgabe).italic = True
    for a in b.adressaten:
        p = doc.add_paragraph()
        p.add_run(a.name).bold = True
        if a.rolle:
            p.add_run(f" ({a.rolle})")
        for z in a.zeilen:
            p.add_run("\n" + z)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(f"Aktenzeichen: {b.aktenzeichen}\n{b.datumszeile}")
    doc.add_heading(b.titel, level=1)
    p = doc.add_paragraph()
    p.add_run("Betreff: ").bold = True
    p.add_run(b.betreff)
    doc.add_heading("Entscheidung", level=2)
    for t in b.tenor:
        doc.add_paragraph(t, style="List Number")
    if b.nebenbestimmungen:
        doc.add_paragraph().add_run("Nebenbestimmungen (§ 32 SGB X)").bold = True
        for n in b.nebenbestimmungen:
            doc.add_paragraph(n, style="List Bullet")
    doc.add_heading("Begründung", level=2)
    doc.add_heading("I. Sachverhalt", level=3)
    for a in b.sachverhalt:
        doc.add_paragraph(a)
    doc.add_heading("II. Gründe", level=3)
    for a in b.gruende:
        doc.add_paragraph(a)
    if b.tabelle:
        doc.add_paragraph().add_run(b.tabelle.titel).bold = True
        zeilen = [b.tabelle.kopf] + b.tabelle.zeilen + ([b.tabelle.fuss] if b.tabelle.fuss else [])
        tab = doc.add_table(rows=len(zeilen), cols=len(b.tabelle.kopf))
        tab.style = "Table Grid"
        for i, zeile in enumerate(zeilen):
            for j, wert in enumerate(zeile):
                zelle = tab.cell(i, j)
                zelle.text = wert
                for absatz in zelle.paragraphs:
                    if j:
                        absatz.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    for lauf in absatz.runs:
                        lauf.font.size = Pt(8)
                        lauf.bold = i == 0 or (b.tabelle.fuss and i == len(zeilen) - 1)
    if b.ermessen:
        doc.add_heading("III. Ermessen", level=3)
        for a in b.ermessen:
            p = doc.add_paragraph()
            lauf = p.add_run(a)
            if a.startswith("Entwurf"):
                lauf.bold = True
                lauf.font.color.rgb = rot
    doc.add_heading("Rechtsbehelfsbelehrung", level=2)
    for a in b.rechtsbehelfsbelehrung:
        doc.add_paragraph(a)
    if b.hinweise:
        doc.add_heading("Hinweise", level=2)
        for a in b.hinweise:
            doc.add_paragraph(a, style="List Bullet")
    if b.vorbehalte:
        doc.add_heading("Vorbehalt", level=2)
        doc.add_paragraph(b.vorbehalte[0])
        for a in b.vorbehalte[1:]:
            doc.add_paragraph(a, style="List Bullet")
    p = doc.add_paragraph()
    p.add_run("\n".join(b.unterzeichnung))
    doc.add_page_break()
    doc.add_heading("Anlage: Prüfprotokoll", level=2)
    for z in b.ermessensdokumentation:
        doc.add_paragraph(z)
    for block in b.pruefprotokoll.split("\n\n"):  # one paragraph per block of the trail, lines as breaks
        p = doc.add_paragraph()
        lauf = p.add_run(block.strip("\n"))
        lauf.font.name = "DejaVu Sans Mono"
        lauf.font.size = Pt(7)
    puffer = io.BytesIO()
    doc.save(puffer)
    return puffer.getvalue()
