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


def _saetze(gesetz, paragraph, tag, absatz=None):
    wurzel = _fassung(gesetz, paragraph, tag).wurzel
    einheit = wurzel if absatz is None else wurzel.kind("absatz", absatz)
    return [k.text for k in einheit.kinder if k.art == "satz"]


@pytest.mark.parametrize("gesetz,paragraph,tag,absatz,anzahl", [
    ("sgb10", "26", date(2024, 1, 1), "3", 2),
    ("sgb10", "26", date(2024, 1, 1), "7", 3),
    ("bgb", "187", date(2024, 1, 1), "2", 2),     # "Das Gleiche gilt von dem Tage der Geburt …"
    ("bgb", "188", date(2024, 1, 1), "2", 1),     # "nach § 187 Abs. 1 mit dem Ablauf" does not split
    ("bgb", "193", date(2024, 1, 1), None, 1),    # no Absätze: sentences directly below the section
    ("sgb9", "14", date(2024, 1, 1), "1", 4),     # "§ 11 Absatz 2a Nummer 1 des Sechsten Buches"
    ("sgb9", "14", date(2024, 1, 1), "2", 5),
    ("sgb9-af", "14", date(2010, 1, 1), "1", 4),  # "§ 40 Abs. 4", "§ 11 Abs. 2a Nr. 1" (a.F. abbreviations)
    ("sgb9-af", "14", date(2010, 1, 1), "5", 7),
    ("sgb9", "15", date(2024, 1, 1), "3", 2),     # list, then "Anderenfalls entscheidet …" is Satz 2
    ("sgb9", "16", date(2024, 1, 1), "4", 2),     # list, lower-case closing part "es sei denn, …", then Satz 2
    ("sgb9", "17", date(2024, 1, 1), "2", 4),
    ("sgb9", "171", date(2024, 1, 1), "5", 3),
    ("sgb9", "172", date(2024, 1, 1), "1", 3),
    ("sgb9", "173", date(2024, 1, 1), "1", 2),    # "das 58. Lebensjahr" inside Buchst. a, then Satz 2
    ("sgb9-af", "90", date(2010, 1, 1), "1", 1),  # a.F.: the "wenn …" closing part stays in Satz 1
    ("sgb9-af", "90", date(2010, 1, 1), "2a", 1),
    ("sgb9", "174", date(2024, 1, 1), "2", 2),
    ("sgb9", "175", date(2024, 1, 1), None, 2),
    ("sgb9", "199", date(2024, 1, 1), "2", 3),
    ("sgb9", "215", date(2024, 1, 1), "3", 2),
    ("sgb9", "241", date(2024, 1, 1), "10", 1),   # dates "vom 16. September 2009 (BGBl. I S. 3054)" do not split
    ("sgb9", "241", date(2020, 1, 1), "9", 1),    # "Ab dem 1. August 2019 …" Nummern belong to Satz 1
    ("sgb9", "241", date(2024, 1, 1), "7", 2),    # "bis zum 31. Dezember 2018. Für die Aufgaben …"
    ("schwbav", "14", date(2024, 1, 1), "3", 1),  # "§ 41 Absatz 1 Nummer 4 bis 6"
    ("schwbav", "14", date(2010, 1, 1), "3", 1),  # "§ 41 Abs. 1 Nr. 3 bis 6"
    ("schwbav", "15", date(2024, 1, 1), "1", 2),  # Buchstaben under Nr. 1, closing "wenn …", then Satz 2
    ("schwbav", "15", date(2024, 1, 1), "2", 5),  # "10 vom Hundert"
    ("schwbav", "19", date(2024, 1, 1), None, 2),
    ("schwbav", "20", date(2024, 1, 1), None, 1),  # "vom 28. September 1987 (BGBl. I S. 2251)"
    ("schwbav", "26", date(2024, 1, 1), "1", 2),
    ("schwbav", "27", date(2024, 1, 1), "1", 2),  # "(§ 5 Abs. 4 der Werkstättenverordnung)"
])
def test_bekannte_satzzahlen_neue_vorschriften(gesetz, paragraph, tag, absatz, anzahl):
    saetze = _saetze(gesetz, paragraph, tag, absatz)
    assert len(saetze) == anzahl, saetze


def test_listen_der_neuen_vorschriften():
    abs1 = _fassung("sgb9", "173", date(2024, 1, 1)).wurzel.kind("absatz", "1")
    nr3 = abs1.kind("satz", "1").kind("nummer", "3")
    assert [b.nr for b in nr3.kinder] == ["a", "b"]
    assert abs1.kind("satz", "2").text.startswith("Satz 1 Nummer 3 (Buchstabe a und b) finden Anwendung")
    alt = _fassung("sgb9-af", "90", date(2010, 1, 1)).wurzel
    assert [a.nr for a in alt.kinder] == ["1", "2", "2a", "3"]
    assert alt.kind("absatz", "1").kind("satz", "1").text.endswith("bis zu deren Ausspruch nicht widersprechen.")
    av14 = _fassung("schwbav", "14", date(2024, 1, 1)).wurzel.kind("absatz", "1").kind("satz", "1")
    assert [n.nr for n in av14.kinder] == ["1", "2", "3", "4", "5", "6"]
    assert av14.kind("nummer", "3").text == "3. (weggefallen)"
    assert len(_fassung("schwbav", "14", date(2023, 1, 1)).wurzel.kind("absatz", "1").kind("satz", "1").kinder) == 7
    assert len(_fassung("schwbav", "14", date(2010, 1, 1)).wurzel.kind("absatz", "1").kind("satz", "1").kinder) == 4
    av17 = _fassung("schwbav", "17", date(2024, 1, 1)).wurzel.kind("absatz", "1").kind("satz", "1")
    assert [b.nr for b in av17.kind("nummer", "1").kinder] == list("abcdefg")
    assert av17.kind("nummer", "1").kind("buchstabe", "e").text == "e) (weggefallen)"
    assert [a.nr for a in _fassung("schwbav", "17", date(2024, 1, 1)).wurzel.kinder] == ["1", "1a", "1b", "2"]
    assert _saetze("sgb9", "168", date(2024, 1, 1)) == [
        "Die Kündigung des Arbeitsverhältnisses eines schwerbehinderten Menschen durch den Arbeitgeber bedarf "
        "der vorherigen Zustimmung des Integrationsamtes."]


def test_ordnungszahl_nach_artikel_trennt_keinen_satz():
    """Bug: "das 58. Lebensjahr" was split after "58." because a capitalised noun follows."""
    assert teile_saetze("Er hat das 58. Lebensjahr vollendet. Dann nicht.") == [
        "Er hat das 58. Lebensjahr vollendet.", "Dann nicht."]
    assert teile_saetze("Nach Vollendung des 18. Lebensjahres gilt das. Ende.") == [
        "Nach Vollendung des 18. Lebensjahres gilt das.", "Ende."]
    # a number at the real end of a sentence still ends it
    assert teile_saetze("Es gelten die §§ 187 bis 193. Die Frist läuft.") == [
        "Es gelten die §§ 187 bis 193.", "Die Frist läuft."]
    assert teile_saetze("Das gilt nach Absatz 1. Der Rest nicht.") == ["Das gilt nach Absatz 1.", "Der Rest nicht."]


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
