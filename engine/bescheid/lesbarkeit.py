"""What a reader of a Bescheid must never see outside its Prüfprotokoll: result codes and other
snake_case names, rule ids and paths, formula code, "nicht ermittelt" rows, source-note jargon,
grouped years ("2.024"), money not written "4.025,00 Euro".

`befunde(text)` lists each finding with the text around it; the tests render every case and
expect none, and the builder uses it to leave out a text of the decision it cannot show.
"""
from __future__ import annotations

import re

_MUSTER: dict[str, re.Pattern] = {
    "Name in snake_case": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "Regelkennung": re.compile(r"(?<![\w@.])[a-z]{2,4}\.[a-z][a-z0-9_]{2,}\b(?!\.\w)"),
    "Dateipfad": re.compile(r"\b(?:rules|legal|engine|tests)/|\.(?:ya?ml|py|json)\b|\w:\d+:\d+\b"),
    "Formel": re.compile(r"\b(?:summe|anzahl|wenn|abrunden\w*|aufrunden\w*|runde|angegeben|datum|min|max)\(|"
                         r"Berechnung:|\{\"|\}\}|\{\{|\{[a-z_.]+\}"),
    "nicht ermittelt": re.compile(r"nicht ermittelt", re.IGNORECASE),
    "Quellenjargon": re.compile(r"kmein|Commit|Quelldatei|Schnappschuss|Standangabe|Sichtung|"
                                r"aus dem Gedächtnis|bundestag/gesetze|gesetze-im-internet|unverifiziert", re.IGNORECASE),
    "Jahr mit Tausenderpunkt": re.compile(r"(?:Jahr(?:es)?|Erhebungsjahr|im|für|seit|bis)\s+(?:1\.9\d\d|2\.0\d\d)\b(?!,\d)"),
    "Wahrheitswert": re.compile(r"\b(?:True|False|None|true|false|null)\b"),
}
_BETRAG = re.compile(r"(\d[\d.,]*)\s+Euro\b")
_GELD = re.compile(r"\d{1,3}(?:\.\d{3})*,\d{2}")


def befunde(text: str, codes: frozenset[str] = frozenset()) -> list[str]:
    """Findings in `text` ("Art: …Umgebung…"); `codes` are further words that must not appear (result codes)."""
    funde = []
    for art, muster in _MUSTER.items():
        for m in muster.finditer(text):
            funde.append(f"{art}: …{text[max(0, m.start() - 40):m.end() + 40]}…")
    for m in _BETRAG.finditer(text):
        if not _GELD.fullmatch(m.group(1)):
            funde.append(f"Geldbetrag: …{text[max(0, m.start() - 40):m.end() + 10]}…")
    for code in codes:
        for m in re.finditer(rf"\b{re.escape(code)}\b", text):
            funde.append(f"Ergebniskennung: …{text[max(0, m.start() - 40):m.end() + 40]}…")
    return funde


def lesbar(text: str) -> bool:
    return not befunde(text)
