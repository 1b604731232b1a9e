"""Statute texts: structure and sentence splitting on every file, anchors, known sentence counts."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from engine.rechtstext import gliedere, html_anker, lade_rechtsbestand, seitenpfad
from engine.saetze import normalisiere, teile_saetze

WURZEL = Path(__file__).resolve().parents[1]
BESTAND = lade_rechtsbestand(WURZEL / "legal", WURZEL)
FASSUNGEN = [(v, f) for v in BESTAND.vorschriften.values() for f in v.fassungen]


def _saetze_je_einheit(fassung):
    """(unit, its sentences) for every Absatz (or Bek. Nummer, or a section without Absätze)."""
    oben = fassung.wurzel.kinder
    if oben and oben[0].art == "satz":
        yield fassung.wurzel, oben
        return
    for einheit in oben:
        yield einheit, [k for k in einheit.kinder if k.art == "satz"]


@pytest.mark.parametrize("vorschrift,fassung", FASSUNGEN, ids=[f"{v.anker}@{f.gueltig_ab}" for v, f in FASSUNGEN])
def test_saetze_jeder_fassung(vorschrift, fassung):
    for einheit, saetze in _saetze_je_einheit(fassung):
        assert saetze, f"{einheit.anker}: keine Sätze erkannt"
        # lossless: the sentences together are exactly the unit's text
        assert normalisiere(" ".join(s.text for s in saetze)) == normalisiere(einheit.text)
        for s in saetze:
            # a sentence starts like a sentence (capital, quote, §, parenthesis, a list number, a table row)
            assert re.match(r'[A-ZÄÖÜ„"§(]|\d+\.|\|', s.text), f"{s.anker} beginnt falsch: {s.text[:50]!r}"
            # and never ends on an abbreviation, which would mean a false split
            assert not re.search(r"\b(Abs|Nr|S|v|Art|vgl|bzw|Buchst|BGBl|BAnz|Bek)\.$", s.text), f"{s.anker}: {s.text[-40:]!r}"
            assert s.anker.startswith(vorschrift.anker + "/")


def _fassung(gesetz, paragraph, tag):
    return BESTAND.vorschrift(gesetz, paragraph).fassung_am(tag)


def _anzahl(einheit, art):
    return len([k for k in einheit.kinder if k.art == art])


def test_bekannte_satzzahlen():
    f = _fassung("sgb9", "160", date(2024, 6, 1)).wurzel
    abs2 = f.kind("absatz", "2")
    assert _anzahl(abs2, "satz") == 2
    assert _anzahl(abs2.kind("satz", "1"), "nummer") == 4
    assert _anzahl(abs2.kind("satz", "2"), "nummer") == 2
    assert _anzahl(f.kind("absatz", "4"), "satz") == 8
    assert _anzahl(_fassung("sgb9", "154", date(2024, 1, 1)).wurzel.kind("absatz", "1"), "satz") == 3
    assert _anzahl(_fassung("sgb9", "223", date(2024, 1, 1)).wurzel.kind("absatz", "1"), "satz") == 4
    assert _anzahl(_fassung("sgb4", "24", date(2024, 1, 1)).wurzel.kind("absatz", "1"), "satz") == 4
    assert _anzahl(_fassung("sgb4", "24", date(2012, 1, 1)).wurzel.kind("absatz", "1"), "satz") == 2
    nr1 = _fassung("sgb9", "185", date(2024, 1, 1)).wurzel.kind("absatz", "3").kind("satz", "1").kind("nummer", "1")
    assert [k.nr for k in nr1.kinder] == list("abcdef")
    bek = _fassung("bek-aa-2011", None, date(2012, 1, 1)).wurzel.kind("nummer", "1")
    assert _anzahl(bek, "satz") == 3
    assert "| 105 Euro | 115 Euro |" in bek.kind("satz", "1").text


def test_abkuerzungen_und_daten_trennen_keine_saetze():
    text = ("Gemäß § 77 Abs. 3 SGB IX i. V. m. Art. 6 G v. 22.12.2023 I Nr. 412 gilt dies ab dem 1. Januar 2012. "
            "Die Werkstatträte Deutschland e. V. erhalten 1,81 Euro. Satz 1 Nr. 2 gilt entsprechend.")
    assert teile_saetze(text) == [
        "Gemäß § 77 Abs. 3 SGB IX i. V. m. Art. 6 G v. 22.12.2023 I Nr. 412 gilt dies ab dem 1. Januar 2012.",
        "Die Werkstatträte Deutschland e. V. erhalten 1,81 Euro.",
        "Satz 1 Nr. 2 gilt entsprechend.",
    ]
    assert teile_saetze("Siehe BAnz. S. 4624 und BGBl. I S. 3234. Ende.") == ["Siehe BAnz. S. 4624 und BGBl. I S. 3234.", "Ende."]
    assert teile_saetze("Er sagte „Ja.“ Dann ging er.") == ["Er sagte „Ja.“", "Dann ging er."]


def test_nummern_gehoeren_zum_satz_davor_und_schlussteil_bleibt_im_satz():
    wurzel = gliedere("x/1", "(1) Voraussetzung ist, dass\n\n1. A gilt,\n\n2. B gilt\n\nund C vorliegt. Neuer Satz.", False)
    abs1 = wurzel.kind("absatz", "1")
    assert [s.text for s in abs1.kinder] == ["Voraussetzung ist, dass 1. A gilt, 2. B gilt und C vorliegt.", "Neuer Satz."]
    assert [n.anker for n in abs1.kind("satz", "1").kinder] == ["x/1/abs-1/satz-1/nr-1", "x/1/abs-1/satz-1/nr-2"]


def test_anker_und_seitenpfade():
    assert seitenpfad("sgb9", "160") == "recht/sgb9/160/"
    assert seitenpfad("bek-aa-2024", None) == "recht/bek-aa-2024/"
    assert html_anker(date(2024, 1, 1), "sgb9/160/abs-2/satz-1/nr-3") == "f2024-01-01-abs-2-satz-1-nr-3"
    assert html_anker(date(2024, 1, 1), "sgb9/160") == "f2024-01-01"
    assert html_anker(date(2025, 1, 1), "bek-aa-2024/nr-1/satz-2") == "f2025-01-01-nr-1-satz-2"


def test_fassung_nach_datum_und_zuordnung_alt_neu():
    v160 = BESTAND.vorschrift("sgb9", "160")
    assert v160.fassung_am(date(2023, 12, 31)).gueltig_ab == date(2018, 1, 1)
    assert v160.fassung_am(date(2024, 1, 1)).gueltig_ab == date(2024, 1, 1)
    assert v160.fassung_am(date(2017, 12, 31)) is None
    assert ("sgb9-af", "77") in v160.entspricht
    assert ("sgb9", "160") in BESTAND.vorschrift("sgb9-af", "77").entspricht
