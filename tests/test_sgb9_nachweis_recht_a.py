"""Regression tests for the SGB IX Fassungen verified in issue 19 (share recht-a: §§ 16, 152, 167, 170,
173, 185, 228, 241).

Each expectation comes from the amending law as quoted in the Fassung's `nachweis`, not from program output:
- § 167 Abs. 2 Satz 2 (Vertrauensperson eigener Wahl): Art. 7 Nr. 21a Teilhabestärkungsgesetz v. 2.6.2021
  (BGBl. I S. 1387, 1395), in force on the day after its promulgation on 9.6.2021 (Art. 14 Abs. 2), i.e.
  10.6.2021. The rulebook had dated it 17.6.2021, the first day the daily official text showed it.
- § 241 Abs. 9 (Mindest-Grundbetrag): Art. 5 Nr. 2 G v. 8.7.2019 (BGBl. I S. 1025), "ändert mWv. 1. August 2019"
  (buzer.de); absent from the official XML of 29.4.2019, present in that of 20.12.2019.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.rechtstext import lade_rechtsbestand

WURZEL = Path(__file__).resolve().parent.parent
BESTAND = lade_rechtsbestand(WURZEL / "legal", WURZEL)
VERTRAUENSPERSON = "Beschäftigte können zusätzlich eine Vertrauensperson eigener Wahl hinzuziehen."


def fassung(paragraph: str, tag: date):
    f = BESTAND.vorschrift("sgb9", paragraph).fassung_am(tag)
    assert f is not None, f"§ {paragraph} SGB IX hat am {tag} keine Fassung"
    return f


def wortlaut(paragraph: str, tag: date) -> str:
    return " ".join(fassung(paragraph, tag).wortlaut.split())


@pytest.mark.parametrize("tag, neu", [
    (date(2021, 6, 9), False),   # letzter Tag vor dem Inkrafttreten (verkündet am 9.6.2021)
    (date(2021, 6, 10), True),   # Art. 14 Abs. 2 TeilhStG: Tag nach der Verkündung
    (date(2021, 6, 16), True),   # vor der ersten Sichtung im amtlichen Text (17.6.2021), trotzdem schon in Kraft
    (date(2021, 12, 31), True),  # nicht erst zum 1.1.2022 (die übrigen Teile des Art. 7)
])
def test_167_vertrauensperson_ab_10_6_2021_nicht_erst_ab_erster_sichtung_17_6_2021(tag, neu):
    assert (VERTRAUENSPERSON in wortlaut("167", tag)) is neu


def test_167_vertrauensperson_gesichert_durch_art_7_nr_21a_teilhstg():
    f = fassung("167", date(2021, 7, 1))
    assert f.gesichert and f.gueltig_ab == date(2021, 6, 10)
    assert "Art. 7 Nr. 21a" in f.nachweis.aenderung.artikel
    assert "Art. 14 Abs. 2" in f.nachweis.aenderung.inkrafttreten
    # the caveat covers only the week before the first official text (10.-16.6.2021), not the second half of 2021
    assert f.vorbehalte_am(date(2021, 6, 12)) and not f.vorbehalte_am(date(2021, 7, 1))


@pytest.mark.parametrize("tag, abs9", [(date(2019, 7, 31), False), (date(2019, 8, 1), True)])
def test_241_abs9_ab_1_8_2019_gesichert_durch_art_5_nr_2(tag, abs9):
    f = fassung("241", tag)
    assert ("(9) § 221 Absatz 2 Satz 1" in " ".join(f.wortlaut.split())) is abs9
    if abs9:
        assert f.gesichert and f.nachweis.aenderung.in_kraft_ab == date(2019, 8, 1)
        assert f.nachweis.aenderung.artikel.startswith("Art. 5 Nr. 2")


def test_241_kein_vorbehalt_zu_abs9_vor_dem_1_8_2019_mehr():
    # Abs. 9 came into force on 1.8.2019; the caveat "ob Abs. 9 schon vor dem 01.08.2019 galt" is settled.
    f = fassung("241", date(2019, 7, 20))
    assert not any("Abs. 9" in s for s in f.vorbehalte_am(date(2019, 7, 20)))


def test_185_budget_fuer_ausbildung_ab_1_1_2020_gesichert_durch_art_2_aentlg():
    # Art. 2 AEntlG (BGBl. I 2019 S. 2135): Abs. 3 Nr. 6 with the Budget für Ausbildung from 1.1.2020; the doknr
    # counter 02 of 31.7.2023 leaves no room for another change of § 185 before the first official text (30.4.2021).
    f = fassung("185", date(2020, 6, 1))
    assert f.gesichert and f.gueltig_ab == date(2020, 1, 1)
    assert "Budget für Ausbildung" in " ".join(f.wortlaut.split())
    assert f.nachweis.aenderung.in_kraft_ab == date(2020, 1, 1) and "2135" in f.nachweis.aenderung.fundstelle


def test_170_seit_1_1_2018_gesichert_durch_art_23_nr_5_g_v_17_7_2017():
    # lexetius, § 170 SGB IX: one Fassung "[1. Januar 2018]"; Anmerkung 2: "1. Januar 2018: Artt. 23 Nr. 5, 31 Abs. 3
    # des Zweiten Gesetzes vom 17. Juli 2017" - the one amendment the doknr counter 01 of 29.4.2019 counts.
    f = fassung("170", date(2018, 6, 1))
    assert f.gesichert and f.gueltig_ab == date(2018, 1, 1)
    assert f.nachweis.aenderung.artikel.startswith("Art. 23 Nr. 5")
    assert "Art. 31 Abs. 3" in f.nachweis.aenderung.inkrafttreten
    assert f.vorbehalte_am(date(2018, 6, 1)) == ()


@pytest.mark.parametrize("paragraph, stelle", [("173", "abs-1"), ("241", "abs-6"), ("241", "abs-8")])
def test_2018_vorbehalt_nur_fuer_die_durch_art_23_g_v_17_7_2017_berichtigten_absaetze(paragraph, stelle):
    # Art. 23 Nr. 6 (§ 173 Abs. 1) and Nr. 10 (§ 241 Abs. 6, 8) are documented (Schell, Rz. 1), their in-force
    # clause is not: the caveat names exactly these places, until the first official text of 29.4.2019.
    f = fassung(paragraph, date(2018, 6, 1))
    anker = f"sgb9/{paragraph}/{stelle}"
    assert f.vorbehalte_am(date(2018, 6, 1), anker) and "Art. 23 Nr." in f.vorbehalte_am(date(2018, 6, 1), anker)[0]
    assert not any("Art. 23" in s for s in f.vorbehalte_am(date(2019, 5, 2), anker))


# --- recht-a2 (issue 19, second pass) -------------------------------------------------------------------------------
# § 152 Abs. 1 (2024): buzer.de, Art. 2 of the Gesetz zur Förderung eines inklusiven Arbeitsmarkts v. 6.6.2023
# (BGBl. 2023 I Nr. 146) "ändert mWv. 1. Januar 2024 SGB IX § 152, …"; its Nr. 2: "In Satz 1 wird das Wort
# „Bundesversorgungsgesetzes" durch die Wörter „Vierzehnten Buches" ersetzt. b) Satz 4 wird aufgehoben."
# So on 31.12.2023 Satz 1 still names the BVG and Satz 4 the Gesetz über das Verwaltungsverfahren der
# Kriegsopferversorgung; from 1.1.2024 Satz 1 names the Vierzehntes Buch and the KOV sentence is gone.
KOV_SATZ = "Das Gesetz über das Verwaltungsverfahren der Kriegsopferversorgung ist entsprechend anzuwenden"


@pytest.mark.parametrize("tag, vierzehntes_buch", [(date(2023, 12, 31), False), (date(2024, 1, 1), True),
                                                   (date(2026, 8, 12), True)])
def test_152_abs1_ab_1_1_2024_vierzehntes_buch_durch_art_2_nr_2_inklarbfg(tag, vierzehntes_buch):
    text = wortlaut("152", tag)
    assert ("für die Durchführung des Vierzehnten Buches zuständigen Behörden" in text) is vierzehntes_buch
    assert (KOV_SATZ in text) is not vierzehntes_buch


def test_152_2024_gesichert_durch_inklarbfg_nicht_sozerg():
    # The earlier guess (Art. 37 SozERG, by content and date) was wrong: the change is Art. 2 Nr. 2 InklArbFG.
    f = fassung("152", date(2024, 6, 1))
    assert f.gesichert and f.gueltig_ab == date(2024, 1, 1)
    a = f.nachweis.aenderung
    assert a.artikel.startswith("Art. 2 Nr. 2") and a.fundstelle == "BGBl. 2023 I Nr. 146"
    assert a.in_kraft_ab == date(2024, 1, 1) and a.vom == date(2023, 6, 6)
    assert "2652" not in a.fundstelle
    assert f.vorbehalte_am(date(2024, 6, 1)) == ()


@pytest.mark.parametrize("paragraph, tag, amtlich_ab", [
    ("228", date(2021, 7, 1), "01.07.2021"), ("228", date(2023, 12, 31), "01.07.2021"),
    ("228", date(2024, 1, 1), "01.01.2024"), ("228", date(2026, 8, 12), "01.01.2024"),
    ("16", date(2025, 6, 1), "20.01.2025"), ("241", date(2025, 6, 1), "20.01.2025"),
    ("167", date(2026, 8, 12), "12.08.2026"),
    ("173", date(2019, 4, 29), "29.04.2019"), ("173", date(2024, 6, 1), "29.04.2019"),
    ("241", date(2019, 7, 31), "29.04.2019"),
])
def test_offene_fassungen_nennen_jeden_tag_den_genauen_vorbehalt_statt_nicht_amtlich_belegt(paragraph, tag,
                                                                                               amtlich_ab):
    # Each of these Fassungen is officially documented from `amtlich_ab` (daily official text resp. official XML of
    # 29.4.2019); what is open is the amending law/article or the earlier start. The caveat says that on every
    # day of the Fassung instead of the general (here false) sentence that the wording is not officially documented.
    f = fassung(paragraph, tag)
    assert not f.gesichert
    saetze = f.vorbehalte_am(tag)
    assert saetze and f.vorbehalt_grund not in saetze
    assert any(f"ab dem {amtlich_ab} amtlich belegt" in s for s in saetze)


def test_228_2024_nicht_art_2_inklarbfg():
    # buzer.de lists the SGB IX paragraphs changed by Art. 2 InklArbFG on 1.1.2024: § 228 is not among them, so that
    # law is no source for the 2024 change of § 228 Abs. 4 Nr. 2; the Fassung stays open.
    f = fassung("228", date(2024, 1, 1))
    assert not f.gesichert and f.nachweis is None
    assert "Achten oder dem Vierzehnten Buch" in " ".join(f.wortlaut.split())


@pytest.mark.parametrize("tag, vorbehalt", [(date(2026, 7, 23), False), (date(2026, 7, 24), True),
                                            (date(2026, 8, 3), True), (date(2026, 8, 11), True)])
def test_167_vorbehalt_der_vorfassung_ab_24_7_2026(tag, vorbehalt):
    # The official text of 3.8.2026 still shows the old Abs. 2 Satz 1, but it had not yet consolidated the
    # GKV-Beitragssatzstabilisierungsgesetz of 24.7.2026 that first appears in the same daily text (12.8.2026) as the
    # change; so the old wording is uncertain from 24.7.2026, not only from 4.8.2026.
    f = fassung("167", tag)
    assert f.gesichert and "teilweise" not in " ".join(f.wortlaut.split())
    assert bool(f.vorbehalte_am(tag, "sgb9/167/abs-2")) is vorbehalt


def test_167_2026_aenderung_fuegt_teilweise_arbeitsunfaehig_ein_statt_zu_ersetzen():
    # Official text of 12.8.2026: "ununterbrochen oder wiederholt arbeitsunfähig oder teilweise arbeitsunfähig".
    assert "ununterbrochen oder wiederholt arbeitsunfähig oder teilweise arbeitsunfähig" in wortlaut(
        "167", date(2026, 8, 12))
