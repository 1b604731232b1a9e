"""Sentence splitting for German statute text.

A full stop ends a sentence only when it is not part of an abbreviation ("Abs.",
"Nr.", "v.", "S.", "BGBl.", "e. V."), not an ordinal ("1. Januar", "31. März") and
the next word starts like a sentence (capital letter, opening quote, "§").
The split is lossless: joining the pieces with single spaces gives the input back
(after whitespace normalisation).
"""
from __future__ import annotations

import re

ABKUERZUNGEN = frozenset(
    """
    abs absatz abschn alt anl art aufl az bd bek bgbl banz buchst bzw ca dr evtl ff gem ges ggf
    halbs inkl kap lit nr nrn rz s st tz u usw var vgl vo ziff zb idf bzgl insb einschl sog
    """.split()
)
MONATE = frozenset(
    "januar februar märz april mai juni juli august september oktober november dezember".split()
)
# An article or contracted preposition before a number makes it an ordinal ("das 58. Lebensjahr").
ARTIKEL = frozenset("der die das des dem den am im vom zum zur beim".split())
_ENDE = re.compile(r"[.!?][\"“”'»)]*\s+")
_SATZANFANG = re.compile(r"[A-ZÄÖÜ„\"§(]")


def normalisiere(text: str) -> str:
    """Collapse all whitespace runs to one space."""
    return " ".join(text.split())


def _ist_satzende(text: str, punkt: int, naechstes: int) -> bool:
    if text[punkt] != ".":
        return _SATZANFANG.match(text, naechstes) is not None
    wort_start = punkt
    while wort_start > 0 and not text[wort_start - 1].isspace() and text[wort_start - 1] not in "(„\"":
        wort_start -= 1
    wort = text[wort_start:punkt]
    folgewort = text[naechstes:].split(" ", 1)[0].strip(",;:").lower()
    if not wort:
        return False
    letzter_teil = wort.split(".")[-1]
    if "." in wort and len(letzter_teil) <= 2:  # "z.B", "i.V.m", "a.F"
        return False
    if len(letzter_teil) == 1 and letzter_teil.isalpha():  # "S.", "v.", "e."
        return False
    if letzter_teil.lower() in ABKUERZUNGEN:
        return False
    if letzter_teil.isdigit() and (folgewort in MONATE or not text[naechstes:naechstes + 1].isupper()):
        return False  # ordinal: "1. Januar 2012", "3. Buches"
    if letzter_teil.isdigit() and text[:wort_start].split()[-1:] and text[:wort_start].split()[-1].lower() in ARTIKEL:
        return False  # ordinal after an article: "das 58. Lebensjahr", "des 18. Lebensjahres"
    return _SATZANFANG.match(text, naechstes) is not None


def teile_saetze(text: str) -> list[str]:
    """Split a paragraph of statute text into sentences."""
    text = normalisiere(text)
    saetze: list[str] = []
    start = 0
    for treffer in _ENDE.finditer(text):
        ende_zeichen = treffer.start()
        if _ist_satzende(text, ende_zeichen, treffer.end()):
            saetze.append(text[start:treffer.end()].strip())
            start = treffer.end()
    rest = text[start:].strip()
    if rest:
        saetze.append(rest)
    return saetze
