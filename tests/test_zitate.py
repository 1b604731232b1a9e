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
    ("§ 160 SGB XII", "meinten Sie `SGB X`?"),  # the closest registered spelling since SGB X is known
    ("§ 160 SGB IXX", "meinten Sie `SGB IX`?"),
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


# --- procedural law, time limits, SchwbAV and the Kündigungsschutz provisions -------------------------

@pytest.mark.parametrize("text,tag,anker,beginn", [
    ("§ 26 Abs. 3 SGB X", date(2024, 3, 1), "sgb10/26/abs-3", "Fällt das Ende einer Frist auf einen Sonntag"),
    ("§ 26 Abs. 3 Satz 2 SGB 10", date(2024, 3, 1), "sgb10/26/abs-3/satz-2", "Dies gilt nicht"),
    ("§ 188 Abs. 2 BGB", date(2024, 3, 1), "bgb/188/abs-2", "Eine Frist, die nach Wochen"),
    ("§ 187 Abs. 2 Satz 2 BGB", date(2019, 3, 1), "bgb/187/abs-2/satz-2", "Das Gleiche gilt von dem Tage der Geburt"),
    ("§ 193 BGB", date(2024, 3, 1), "bgb/193", "Ist an einem bestimmten Tage"),
    ("§ 14 Abs. 1 Nr. 3 SchwbAV", date(2024, 1, 1), "schwbav/14/abs-1/satz-1/nr-3", "3. (weggefallen)"),
    ("§ 14 Abs. 1 Nr. 3 SchwbAV", date(2023, 12, 31), "schwbav/14/abs-1/satz-1/nr-3",
     "3. Leistungen für Einrichtungen zur Teilhabe"),
    ("§ 17 Abs. 1 Nr. 1 Buchst. e SchwbAV", date(2020, 6, 1), "schwbav/17/abs-1/satz-1/nr-1/bst-e", "e) (weggefallen)"),
    ("§ 90 Abs. 2a SGB IX a.F.", date(2010, 1, 1), "sgb9-af/90/abs-2a", "Die Vorschriften dieses Kapitels finden ferner keine"),
    ("§ 172 Abs. 1 Satz 1 SGB IX", date(2024, 3, 1), "sgb9/172/abs-1/satz-1", "Das Integrationsamt erteilt die Zustimmung"),
    ("§ 172 Abs. 3 Nr. 2 SGB IX", date(2024, 3, 1), "sgb9/172/abs-3/satz-1/nr-2", "2. die Schwerbehindertenvertretung"),
    ("§ 185 Abs. 3 Nr. 2 Buchst. c SGB IX", date(2024, 3, 1), "sgb9/185/abs-3/satz-1/nr-2/bst-c", "c) für Prämien"),
    ("§ 173 Abs. 1 Satz 2 SGB IX", date(2024, 3, 1), "sgb9/173/abs-1/satz-2", "Satz 1 Nummer 3 (Buchstabe a und b)"),
    ("§ 168 SGB IX", date(2019, 1, 1), "sgb9/168", "Die Kündigung des Arbeitsverhältnisses"),
    ("§ 175 Satz 2 SGB IX", date(2019, 1, 1), "sgb9/175/satz-2", "Die Vorschriften dieses Kapitels über"),
    ("§ 85 SGB IX a.F.", date(2010, 1, 1), "sgb9-af/85", "Die Kündigung des Arbeitsverhältnisses"),
    ("§ 241 Abs. 10 SGB IX", date(2025, 2, 1), "sgb9/241/abs-10", "(weggefallen)"),
    ("§ 241 Abs. 10 SGB IX", date(2024, 6, 1), "sgb9/241/abs-10", "Für Personen, die Leistungen nach dem Soldatenversorgungsgesetz"),
])
def test_neue_gesetze_und_vorschriften(text, tag, anker, beginn):
    f = loese_auf(parse_zitat(text, B)[0], B, tag)
    assert f.anker == anker
    assert f.wortlaut.startswith(beginn)


def test_absatz_mit_buchstabe_2a():
    z = parse_zitat("§ 90 Abs. 2a SGB IX a.F.", B)[0]
    assert (z.gesetz, z.paragraph, z.absatz) == ("sgb9-af", "90", "2a")
    # the a.F. Abs. 2a is Abs. 3 of § 173 in the new numbering; § 173 has no Abs. 2a
    with pytest.raises(ZitatFehler, match="Absatz 2a gibt es in der Vorschrift nicht"):
        loese_auf(parse_zitat("§ 173 Abs. 2a SGB IX", B)[0], B, date(2024, 1, 1))


def test_fassungswechsel_schwbav_14_und_sgb9_16():
    z = parse_zitat("§ 14 Abs. 1 Nr. 3 SchwbAV", B)[0]
    fundstellen = loese_auf_zeitraum(z, B, date(2012, 1, 1), None)
    # issue 19: the Fassungen at their documented dates (Nr. 5 from 1.8.2016, Nr. 6 from 2018, Budget für Ausbildung
    # from 1.1.2020, Nr. 7 from 1.3.2020); the one from 2006-11-08 is the one in force on 1.1.2012
    assert [f.fassung.gueltig_ab for f in fundstellen] == [
        date(2006, 11, 8), date(2016, 8, 1), date(2018, 1, 1), date(2020, 1, 1), date(2020, 3, 1), date(2022, 1, 1),
        date(2024, 1, 1)]
    with pytest.raises(ZitatFehler, match="Nummer 7 gibt es in Absatz 1 nicht"):
        loese_auf(parse_zitat("§ 14 Abs. 1 Nr. 7 SchwbAV", B)[0], B, date(2024, 1, 1))
    nr7 = loese_auf(parse_zitat("§ 14 Abs. 1 Nr. 7 SchwbAV", B)[0], B, date(2023, 12, 31))
    assert nr7.wortlaut.startswith("7. Leistungen an Werkstätten für behinderte Menschen")
    for tag in (date(2019, 2, 20), date(2020, 2, 29)):
        with pytest.raises(ZitatFehler, match="Nummer 7 gibt es in Absatz 1 nicht"):
            loese_auf(parse_zitat("§ 14 Abs. 1 Nr. 7 SchwbAV", B)[0], B, tag)
    assert loese_auf(parse_zitat("§ 14 Abs. 1 Nr. 7 SchwbAV", B)[0], B, date(2020, 3, 1))
    nr6 = parse_zitat("§ 14 Abs. 1 Nr. 6 SchwbAV", B)[0]
    assert "Budget für Ausbildung" not in loese_auf(nr6, B, date(2019, 12, 31)).wortlaut
    assert "Budget für Ausbildung" in loese_auf(nr6, B, date(2020, 1, 1)).wortlaut
    with pytest.raises(ZitatFehler, match="Nummer 6 gibt es in Absatz 1 nicht"):
        loese_auf(nr6, B, date(2017, 12, 31))
    nr4 = parse_zitat("§ 14 Abs. 1 Nr. 4 SchwbAV", B)[0]
    assert "Arbeit und Sozialordnung" in loese_auf(nr4, B, date(2003, 6, 30)).wortlaut
    assert "Gesundheit und Soziale Sicherung" in loese_auf(nr4, B, date(2005, 1, 1)).wortlaut
    assert "Arbeit und Soziales" in loese_auf(nr4, B, date(2012, 1, 1)).wortlaut
    abs6 = parse_zitat("§ 16 Abs. 6 SGB IX", B)[0]
    assert "Kriegsopferfürsorge" in loese_auf(abs6, B, date(2023, 12, 31)).wortlaut
    assert "der Sozialen Entschädigung gilt" in loese_auf(abs6, B, date(2024, 6, 1)).wortlaut
    assert "Soldatenentschädigung" in loese_auf(abs6, B, date(2025, 1, 1)).wortlaut


@pytest.mark.parametrize("text,meldung", [
    ("§ 188 Abs. 2 ZPO", "unbekanntes Gesetz „ZPO“"),
    ("§ 14 Abs. 1 Nr. 3 SchwbAVO", "meinten Sie `SchwbAV`?"),
    ("§ 26 Abs. 3 SGB XI", "meinten Sie `SGB X`?"),
])
def test_unbekannte_gesetzeskuerzel(text, meldung):
    with pytest.raises(ZitatFehler) as info:
        parse_zitat(text, B)
    assert meldung in str(info.value)


def test_kuendigungsschutz_alt_und_neu_sind_verknuepft():
    for neu, alt in zip(range(168, 176), range(85, 93)):
        assert ("sgb9-af", str(alt)) in B.vorschrift("sgb9", str(neu)).entspricht
        assert ("sgb9", str(neu)) in B.vorschrift("sgb9-af", str(alt)).entspricht
    with pytest.raises(ZitatFehler, match="ist am 01.01.2018 nicht in Kraft"):
        loese_auf(parse_zitat("§ 85 SGB IX a.F.", B)[0], B, date(2018, 1, 1))


def test_nummer_ohne_satz_nennt_die_vorhandenen_nummern():
    """Bug: "§ 14 Abs. 1 Nr. 7 SchwbAV" (2024) said "Absatz 1 hat keine Untergliederung nach Nummer",
    although Absatz 1 Satz 1 has Nummern 1 to 6; the help must list them."""
    with pytest.raises(ZitatFehler) as info:
        loese_auf(parse_zitat("§ 14 Abs. 1 Nr. 7 SchwbAV", B)[0], B, date(2024, 1, 1))
    assert "vorhanden: 1, 2, 3, 4, 5, 6" in str(info.value)
    assert "keine Untergliederung" not in str(info.value)


def test_bekanntmachungsbetrag_als_zitatkette_mit_abs_3_und_bek():
    """Issue 11, finding 9: "§ 160 Abs. 2 … i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. …" names three units."""
    zitate = parse_zitat("§ 160 Abs. 2 Satz 1 Nr. 3 i.V.m. Abs. 3 SGB IX und Nr. 1 Satz 1 Bek. v. 19.11.2020", B)
    assert [z.text for z in zitate] == ["§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX", "§ 160 Abs. 3 SGB IX", "Nr. 1 Satz 1 Bek. v. 19.11.2020"]
    assert [(z.gesetz, z.paragraph, z.punkt, z.absatz) for z in zitate] == [
        ("sgb9", "160", None, "2"), ("sgb9", "160", None, "3"), ("bek-aa-2020", None, "1", None)]
    alt = parse_zitat("§ 77 Abs. 2 Satz 1 Nr. 3 i.V.m. Abs. 3 SGB IX a.F. und Nr. 1 Bek. v. 16.12.2011", B)
    assert [z.gesetz for z in alt] == ["sgb9-af", "sgb9-af", "bek-aa-2011"]
    assert [z.text for z in parse_zitat("§ 159 Abs. 2 Satz 1 SGB IX i.V.m. § 158 Abs. 2 SGB IX", B)] == [
        "§ 159 Abs. 2 Satz 1 SGB IX", "§ 158 Abs. 2 SGB IX"]
    assert len(parse_zitat("§§ 154 und 160 SGB IX", B)) == 2  # a list of paragraphs is no chain


def test_agentur_fuer_arbeit_erst_ab_2004():
    """Issue 19: for 2003 the a.F. quoted "Agentur für Arbeit", a name in use only since 1.1.2004."""
    anzeige = parse_zitat("§ 80 Abs. 2 Satz 1 SGB IX a.F.", B)[0]
    frueher = loese_auf(anzeige, B, date(2003, 3, 31)).wortlaut
    assert "Arbeitsamt" in frueher and "Agentur" not in frueher
    assert "Agentur für Arbeit" in loese_auf(anzeige, B, date(2006, 3, 31)).wortlaut
    gleichstellung = parse_zitat("§ 68 Abs. 2 Satz 1 SGB IX a.F.", B)[0]
    assert "Bundesagentur" not in loese_auf(gleichstellung, B, date(2003, 1, 1)).wortlaut
    zahlung = parse_zitat("§ 77 Abs. 4 SGB IX a.F.", B)[0]
    assert "Bundesanstalt für Arbeit" in loese_auf(zahlung, B, date(2004, 6, 1)).wortlaut
    assert "Bundesagentur für Arbeit" in loese_auf(zahlung, B, date(2005, 6, 1)).wortlaut


def test_alte_fassung_bestimmungen_erst_ab_ihrem_inkrafttreten():
    """Issue 19: § 102 Abs. 3a a.F. (Berufsbegleitung) only since 30.12.2008; § 102 Abs. 3 Nr. 2 Buchst. d (BEM-Prämie)
    and § 68 Abs. 4 a.F. (Gleichstellung in der Ausbildung) only since 1.5.2004; § 77 Abs. 3 Satz 5 a.F. named the
    Bundesministerium für Gesundheit und Soziale Sicherung until November 2006."""
    for text, vorher, ab in (("§ 102 Abs. 3a SGB IX a.F.", date(2008, 12, 29), date(2008, 12, 30)),
                             ("§ 102 Abs. 3 Nr. 2 Buchst. d SGB IX a.F.", date(2004, 4, 30), date(2004, 5, 1)),
                             ("§ 68 Abs. 4 SGB IX a.F.", date(2004, 4, 30), date(2004, 5, 1))):
        z = parse_zitat(text, B)[0]
        with pytest.raises(ZitatFehler, match="gibt es in"):
            loese_auf(z, B, vorher)
        assert loese_auf(z, B, ab).wortlaut
    minister = parse_zitat("§ 77 Abs. 3 SGB IX a.F.", B)[0]
    assert "Gesundheit und Soziale Sicherung" in loese_auf(minister, B, date(2005, 6, 1)).wortlaut
    assert "Arbeit und Soziales" in loese_auf(minister, B, date(2007, 1, 1)).wortlaut
