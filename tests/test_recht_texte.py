"""Statute texts added or re-dated from the official consolidated XML (issue "Verified law").

Regression tests named after the wrong ranges they fix, and the data rules for the evidence
(`nachweis`) and the caveats (`vorbehalt`) of a Fassung. Expected wordings are quoted from the
statute (§ 24 SGB IV, § 37 SGB X), not from program output.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from engine.rechtstext import lade_rechtsbestand

WURZEL = Path(__file__).resolve().parents[1]
BESTAND = lade_rechtsbestand(WURZEL / "legal", WURZEL)


def _absaetze(gesetz: str, paragraph: str, tag: date) -> dict[str, str]:
    fassung = BESTAND.vorschrift(gesetz, paragraph).fassung_am(tag)
    assert fassung is not None, f"§ {paragraph} {gesetz}: kein Wortlaut am {tag}"
    return {e.nr: e.text for e in fassung.wurzel.kinder if e.art == "absatz"}


def test_paragraph_24_sgb4_absatz_3_lastschriftmandat_erst_ab_2017():
    # 6. SGB IV-ÄndG v. 11.11.2016 (BGBl. I S. 2500): Abs. 3 mit Wirkung zum 1.1.2017 angefügt
    assert "3" not in _absaetze("sgb4", "24", date(2016, 12, 31))
    assert _absaetze("sgb4", "24", date(2017, 1, 1))["3"].startswith("Hat der Zahlungspflichtige ein Lastschriftmandat")


def test_paragraph_24_sgb4_absatz_1a_nur_vom_1_4_2007_bis_31_7_2013():
    assert "1a" not in _absaetze("sgb4", "24", date(2007, 3, 31))
    for tag in (date(2007, 4, 1), date(2013, 7, 31)):
        assert "Säumniszuschlag von 5 vom Hundert" in _absaetze("sgb4", "24", tag)["1a"]
    assert _absaetze("sgb4", "24", date(2013, 8, 1))["1a"] == "(weggefallen)"


@pytest.mark.parametrize("tag,betrag,anfordern", [
    (date(2002, 1, 1), "unter 100 Euro", "gesondert schriftlich anzufordern"),
    (date(2022, 12, 31), "unter 100 Euro", "gesondert schriftlich anzufordern"),
    (date(2023, 1, 1), "unter 150 Euro", "gesondert anzufordern"),
])
def test_paragraph_24_sgb4_kleinbetrag_je_fassung(tag, betrag, anfordern):
    absatz_1 = _absaetze("sgb4", "24", tag)["1"]
    assert f"Bei einem rückständigen Betrag {betrag} ist der Säumniszuschlag nicht zu erheben, wenn dieser {anfordern} wäre." in absatz_1


@pytest.mark.parametrize("tag,ordnungszahl", [
    (date(2015, 6, 1), "dritten"), (date(2024, 12, 31), "dritten"), (date(2025, 1, 1), "vierten"),
])
def test_paragraph_37_sgb10_bekanntgabe_dritter_dann_vierter_tag(tag, ordnungszahl):
    # Art. 33 PostModG v. 15.7.2024 (BGBl. 2024 I Nr. 236): „am vierten Tag“ ab 1.1.2025
    assert _absaetze("sgb10", "37", tag)["2"].startswith(
        f"Ein schriftlicher Verwaltungsakt, der im Inland durch die Post übermittelt wird, gilt am {ordnungszahl} Tag")


def test_paragraph_193_bgb_gilt_seit_1965_und_in_jedem_fall_des_regelwerks():
    for tag in (date(2001, 7, 1), date(2002, 1, 1), date(2026, 1, 1)):
        assert BESTAND.vorschrift("bgb", "193").fassung_am(tag) is not None
    assert BESTAND.vorschrift("bgb", "193").fassung_am(date(1965, 9, 30)) is None


@pytest.mark.parametrize("tag,form", [
    (date(2018, 1, 1), "schriftlich, in elektronischer Form nach § 3a Absatz 2 des Verwaltungsverfahrensgesetzes oder zur Niederschrift"),
    (date(2024, 1, 1), "schriftlich, in elektronischer Form nach § 3a Absatz 2 des Verwaltungsverfahrensgesetzes, "
                       "schriftformersetzend nach § 3a Absatz 3 des Verwaltungsverfahrensgesetzes und § 9a Absatz 5 des Onlinezugangsgesetzes oder zur Niederschrift"),
])
def test_paragraph_70_vwgo_form_des_widerspruchs(tag, form):
    # Art. 20 Nr. 4, Art. 33 Abs. 1 G v. 5.7.2017 (BGBl. I S. 2208): elektronische Form ab 1.1.2018
    absatz_1 = _absaetze("vwgo", "70", tag)["1"]
    assert absatz_1.startswith("Der Widerspruch ist innerhalb eines Monats, nachdem der Verwaltungsakt dem Beschwerten "
                               "bekanntgegeben worden ist, " + form + " bei der Behörde zu erheben")
    assert absatz_1.endswith("Die Frist wird auch durch Einlegung bei der Behörde, die den Widerspruchsbescheid zu "
                             "erlassen hat, gewahrt.")
    assert _absaetze("vwgo", "70", tag)["2"] == "§§ 58 und 60 Abs. 1 bis 4 gelten entsprechend."


DATEIEN = sorted(p for d in ("sgb10", "vwgo", "bgb", "sgb4") for p in (WURZEL / "legal" / d).glob("*.yaml")) + \
    [WURZEL / "legal" / "sgb9" / f"{n}.yaml" for n in ("152", "167", "201", "202", "203", "204", "228")]


@pytest.mark.parametrize("pfad", DATEIEN, ids=[p.relative_to(WURZEL).as_posix() for p in DATEIEN])
def test_nachweis_und_vorbehalt_je_fassung(pfad):
    for i, f in enumerate(yaml.safe_load(pfad.read_text(encoding="utf-8"))["fassungen"]):
        ab, bis = f["gueltig_ab"], f["gueltig_bis"] or date.max
        nachweis = f.get("nachweis")
        if f["gueltigkeit_gesichert"]:
            assert nachweis, f"{pfad.name} Fassung {i}: gesichert ohne nachweis"
            a = nachweis["aenderung"]
            assert a["in_kraft_ab"] == ab, f"{pfad.name} Fassung {i}: in_kraft_ab ≠ gueltig_ab"
            assert re.search(r"BGBl\.|BAnz", a["fundstelle"]), a["fundstelle"]
            assert nachweis["verglichen_mit"] and all(v.get("ergebnis") for v in nachweis["verglichen_mit"])
        else:
            assert not nachweis, f"{pfad.name} Fassung {i}: nachweis nur bei gesicherten Fassungen"
        for v in f.get("vorbehalt") or []:
            assert ab <= v["ab"] <= (v.get("bis") or bis) <= bis, f"{pfad.name} Fassung {i}: vorbehalt außerhalb der Fassung"
            assert len(v["text"]) <= 400 and v["text"].endswith(".")
            assert not re.search(r"kmein|Commit|Abzug|[0-9a-f]{12}", v["text"]), v["text"]
