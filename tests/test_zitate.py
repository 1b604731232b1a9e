"""Citation parsing and resolution by date, including precise failures."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.fehler import ZitatFehler
from engine.rechtstext import lade_rechtsbestand
from engine.zitate import Zitat, loese_auf, loese_auf_zeitraum, parse_zitat

WURZEL = Path(__file__).resolve().parents[1]
B = lade_rechtsbestand(WURZEL / "legal", WURZEL)


@pytest.mark.parametrize("text,erwartet", [
    ("§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX", [("sgb9", "160", "2", "1", "3")]),
    ("§ 160 Abs. 2 S. 1 Nr. 3 SGB IX", [("sgb9", "160", "2", "1", "3")]),
    ("§§ 154, 160 SGB IX", [("sgb9", "154", None, None, None), ("sgb9", "160", None, None, None)]),
    ("§ 24 Abs. 1 SGB IV", [("sgb4", "24", "1", None, None)]),
    ("§ 77 Abs. 4 SGB IX a.F.", [("sgb9-af", "77", "4", None, None)]),
    ("§ 77 Abs. 4 SGB IX a. F.", [("sgb9-af", "77", "4", None, None)]),
    ("§ 158 Absatz 2 Satz 3", [("sgb9", "158", "2", "3", None)]),
    ("§ 2a Abs. 1 SGB IX", [("sgb9", "2a", "1", None, None)]),
])
def test_parse(text, erwartet):
    zitate = parse_zitat(text, B)
    assert [(z.gesetz, z.paragraph, z.absatz, z.satz, z.nummer) for z in zitate] == erwartet


def test_buchstabe_und_bekanntmachung():
    z = parse_zitat("§ 185 Abs. 3 Nr. 1 Buchst. c SGB IX", B)[0]
    assert (z.nummer, z.buchstabe) == ("1", "c")
    assert loese_auf(z, B, date(2024, 5, 1)).anker == "sgb9/185/abs-3/satz-1/nr-1/bst-c"
    bek = parse_zitat("Nr. 1 Satz 2 Bek. v. 16.12.2011", B)[0]
    assert bek == Zitat("bek-aa-2011", None, "1", satz="2", text="Nr. 1 Satz 2 Bek. v. 16.12.2011")
    assert loese_auf(bek, B, date(2012, 1, 1)).wortlaut.startswith("Die neuen Sätze gelten")


@pytest.mark.parametrize("tag,betrag", [(date(2023, 12, 31), "320 Euro"), (date(2024, 1, 1), "360 Euro")])
def test_aufloesung_nach_datum(tag, betrag):
    f = loese_auf(parse_zitat("§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX", B)[0], B, tag)
    assert f.anker == "sgb9/160/abs-2/satz-1/nr-3"
    assert betrag in f.wortlaut


def test_alte_nummerierung_2005_und_2012():
    z = parse_zitat("§ 77 Abs. 2 Satz 1 Nr. 3 SGB IX a.F.", B)[0]
    for tag in (date(2005, 12, 31), date(2012, 12, 31)):
        assert "260 Euro" in loese_auf(z, B, tag).wortlaut


@pytest.mark.parametrize("text,tag,meldung", [
    ("§ 160 Abs. 9 SGB IX", date(2024, 1, 1), "Absatz 9 gibt es in der Vorschrift nicht"),
    ("§ 160 Abs. 2 Satz 1 Nr. 4 SGB IX", date(2023, 6, 1), "Nummer 4 gibt es in Satz 1 nicht"),
    ("§ 160 Abs. 1 SGB IX", date(2010, 1, 1), "ist am 01.01.2010 nicht in Kraft"),
    ("§ 77 SGB IX a.F.", date(2020, 1, 1), "ist am 01.01.2020 nicht in Kraft"),
    ("§ 161 SGB IX", date(2024, 1, 1), "§ 161 SGB IX ist nicht im Regelwerk enthalten"),
    ("§ 160 Abs. 2 Nr. 1 SGB IX", date(2024, 1, 1), "mehrdeutig"),
])
def test_praezise_fehler(text, tag, meldung):
    with pytest.raises(ZitatFehler) as info:
        for z in parse_zitat(text, B):
            loese_auf(z, B, tag)
    assert meldung in str(info.value)


@pytest.mark.parametrize("text,meldung", [
    ("§ 160 SGB XII", "meinten Sie `SGB IX`?"),
    ("Paragraph 160", "beginnt nicht mit „§ Nummer“"),
    ("§ 160 Abs. 2 Absatzweise SGB IX", "nicht verstanden"),
    ("", "leeres Zitat"),
])
def test_unlesbare_zitate(text, meldung):
    with pytest.raises(ZitatFehler) as info:
        parse_zitat(text, B)
    assert meldung in str(info.value)


def test_zeitraum_ueber_fassungswechsel():
    z = parse_zitat("§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX", B)[0]
    fundstellen = loese_auf_zeitraum(z, B, date(2020, 1, 1), date(2025, 12, 31))
    assert [f.fassung.gueltig_ab for f in fundstellen] == [date(2018, 1, 1), date(2024, 1, 1)]
    with pytest.raises(ZitatFehler, match="Nummer 4"):
        loese_auf_zeitraum(parse_zitat("§ 160 Abs. 2 Satz 1 Nr. 4 SGB IX", B)[0], B, date(2020, 1, 1), None)
