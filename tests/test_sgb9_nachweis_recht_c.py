"""Issue 19, third round (share recht-c): what the caveats of the still unverified SGB IX Fassungen say.

Hand-worked from the evidence recorded in the Fassungen (no program output copied):
- The Gesetz zur Änderung des Bundesversorgungsgesetzes und anderer Vorschriften v. 17.7.2017 (BGBl. I S. 2541)
  came into force "im Übrigen" on 25.7.2017: the official XML of the Gesetz zur Sicherung von Arbeitnehmerrechten
  in der Fleischwirtschaft, its Art. 30, says "Es ist gem. Art. 31 Abs. 1 dieses G am 25.7.2017 in Kraft
  getreten." Its Art. 23 Nr. 5 (§ 170 Abs. 1 SGB IX) came into force on 1.1.2018 under Art. 31 Abs. 3 (lexetius).
  The SGB IX of the BTHG itself applies from 1.1.2018 (BTHG Art. 26 Abs. 1 Satz 1). So the corrections of
  Art. 23 Nr. 6 (§ 173 Abs. 1) and Nr. 10 (§ 241 Abs. 6, 8) apply from 1.1.2018 if Art. 31 puts them in force under
  Abs. 1 or Abs. 3; only a later day named in Art. 31 would change that, and Art. 31 itself is not read.
  The caveat for 1.1.2018-28.4.2019 therefore names exactly that condition (both days), and no longer says that
  the in-force date "of this correction" is simply unknown.
- From the first official text (29.4.2019) on, the caveat stays the short one: wording documented, only the start
  of the corrected Absätze unclear.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.rechtstext import lade_rechtsbestand

WURZEL = Path(__file__).resolve().parent.parent
BESTAND = lade_rechtsbestand(WURZEL / "legal", WURZEL)


def fassung(paragraph: str, tag: date):
    f = BESTAND.vorschrift("sgb9", paragraph).fassung_am(tag)
    assert f is not None, f"§ {paragraph} SGB IX hat am {tag} keine Fassung"
    return f


@pytest.mark.parametrize("paragraph, nummer, stelle", [("173", "Art. 23 Nr. 6", "abs-1"),
                                                       ("241", "Art. 23 Nr. 10", "abs-6"),
                                                       ("241", "Art. 23 Nr. 10", "abs-8")])
@pytest.mark.parametrize("tag", [date(2018, 1, 1), date(2018, 12, 31), date(2019, 4, 28)])
def test_2018_vorbehalt_nennt_die_beiden_belegten_inkrafttretenstage_des_gesetzes_v_17_7_2017(
        paragraph, nummer, stelle, tag):
    f = fassung(paragraph, tag)
    assert not f.gesichert
    saetze = f.vorbehalte_am(tag, f"sgb9/{paragraph}/{stelle}")
    assert len(saetze) == 1
    satz = saetze[0]
    assert nummer in satz
    assert "25.07.2017" in satz and "01.01.2018" in satz  # Art. 31 Abs. 1 (documented) and Abs. 3 (Nr. 5)
    assert "29.04.2019" in satz  # first official text


@pytest.mark.parametrize("paragraph", ["173", "241"])
def test_ab_dem_ersten_amtlichen_text_bleibt_der_kurze_vorbehalt(paragraph):
    f = fassung(paragraph, date(2019, 4, 29))
    saetze = f.vorbehalte_am(date(2019, 4, 29))
    assert len(saetze) == 1
    assert "ab dem 29.04.2019 amtlich belegt" in saetze[0]
    assert "25.07.2017" not in saetze[0]


def test_173_241_bleiben_ungesichert_solange_art_31_nicht_eingesehen_ist():
    # The general in-force day is evidence about the law, not about Art. 23 Nr. 6 and Nr. 10: no nachweis names
    # Art. 23 Nr. 6 or Nr. 10 with an in-force clause, so the Fassungen stay unverified.
    for paragraph in ("173", "241"):
        f = fassung(paragraph, date(2018, 6, 1))
        assert not f.gesichert
        assert "Art. 23" not in f.nachweis.aenderung.artikel
