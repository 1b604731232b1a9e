"""Regression tests: SGB IX Fassungen split at their real dates (issue 19).

Expected wordings from the official consolidated XML of gesetze-im-internet.de
(29.4.2019, 20.12.2019, 31.7.2023) and the daily official text since 30.4.2021.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.rechtstext import lade_rechtsbestand

WURZEL = Path(__file__).resolve().parent.parent
BESTAND = lade_rechtsbestand(WURZEL / "legal", WURZEL)
SATZ2 = "Der Anspruch richtet sich auf die Übernahme der vollen Kosten"
AUSBILDUNG = "Budget für Ausbildung"


def wortlaut(paragraph: str, tag: date) -> str:
    fassung = BESTAND.vorschrift("sgb9", paragraph).fassung_am(tag)
    assert fassung is not None, f"§ {paragraph} SGB IX hat am {tag} keine Fassung"
    return " ".join(fassung.wortlaut.split())


@pytest.mark.parametrize("tag, satz2, ausbildung", [
    (date(2018, 1, 1), False, False),     # BTHG, Urfassung
    (date(2019, 12, 12), False, False),   # letzter Tag der Urfassung (jurisPK)
    (date(2019, 12, 13), True, False),    # Art. 2 AEntlG: Abs. 5 Satz 2
    (date(2019, 12, 31), True, False),    # amtliche XML 20.12.2019: Nr. 6 nur Budget für Arbeit
    (date(2020, 1, 1), True, True),       # Budget für Ausbildung
    (date(2023, 12, 31), True, True),
    (date(2024, 1, 1), True, True),       # Abs. 9 (Genehmigungsfiktion) kommt hinzu
])
def test_185_falsche_spanne_2018_2023_an_echten_daten_geteilt(tag, satz2, ausbildung):
    text = wortlaut("185", tag)
    assert (SATZ2 in text) is satz2
    assert (AUSBILDUNG in text) is ausbildung
    assert ("(9) Ein Antrag auf eine Leistung" in text) is (tag >= date(2024, 1, 1))


def test_185_urfassung_gesichert_ab_2018():
    fassung = BESTAND.vorschrift("sgb9", "185").fassung_am(date(2019, 6, 1))
    assert fassung.gueltig_ab == date(2018, 1, 1) and fassung.gueltig_bis == date(2019, 12, 12)
    assert fassung.gesichert


@pytest.mark.parametrize("tag, neu", [(date(2021, 6, 9), False), (date(2021, 6, 10), True)])
def test_158_teilzeitberufsausbildung_ab_10_6_2021(tag, neu):
    assert ("Altersteilzeit oder Teilzeitberufsausbildung" in wortlaut("158", tag)) is neu


@pytest.mark.parametrize("tag, neu", [(date(2021, 6, 9), False), (date(2021, 6, 10), True)])
def test_241_abs3_inklusionsbetriebe_ab_10_6_2021(tag, neu):
    assert ("auch auf Inklusionsbetriebe" in wortlaut("241", tag)) is neu


@pytest.mark.parametrize("tag, abs9", [(date(2019, 4, 29), False), (date(2019, 7, 31), False),
                                       (date(2019, 8, 1), True), (date(2021, 6, 9), True)])
def test_241_abs9_fehlt_im_amtlichen_text_vom_29_4_2019(tag, abs9):
    assert ("(9) § 221 Absatz 2 Satz 1" in wortlaut("241", tag)) is abs9


@pytest.mark.parametrize("paragraph", ["2", "14", "15", "17", "55", "151", "154", "155", "156", "157", "163",
                                       "168", "169", "171", "172", "174", "175", "199", "200", "215", "223"])
def test_unveraenderte_vorschriften_seit_2018_gesichert(paragraph):
    vorschrift = BESTAND.vorschrift("sgb9", paragraph)
    assert len(vorschrift.fassungen) == 1
    fassung = vorschrift.fassungen[0]
    assert fassung.gueltig_ab == date(2018, 1, 1) and fassung.gesichert
