"""Dated parameters: lookup by date at every boundary, no silent fall-back, legal reference per value."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.fehler import ParameterFehler
from engine.wissensbasis import lade_wissensbasis

WB = lade_wissensbasis(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("pid,tag,wert,fundstelle", [
    ("aa_staffel_1", date(2011, 12, 31), "105", "§ 77 Abs. 2 Satz 1 Nr. 1 SGB IX a.F."),
    ("aa_staffel_1", date(2012, 1, 1), "115", "§ 77 Abs. 2 Satz 1 Nr. 1 i.V.m. Abs. 3 SGB IX a.F. und Nr. 1 Bek. v. 16.12.2011"),
    ("aa_staffel_2", date(2015, 12, 31), "200", "§ 77 Abs. 2 Satz 1 Nr. 2 i.V.m. Abs. 3 SGB IX a.F. und Nr. 1 Bek. v. 16.12.2011"),
    ("aa_staffel_2", date(2016, 1, 1), "220", "§ 77 Abs. 2 Satz 1 Nr. 2 i.V.m. Abs. 3 SGB IX a.F. und Nr. 1 Bek. v. 14.12.2015"),
    ("aa_staffel_3", date(2020, 12, 31), "320", "§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX"),
    ("aa_staffel_3", date(2021, 1, 1), "360", "§ 160 Abs. 2 Satz 1 Nr. 3 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 19.11.2020"),
    ("aa_klein_60_weniger_als_1", date(2023, 12, 31), "245", "§ 160 Abs. 2 Satz 2 Nr. 2 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 19.11.2020"),
    ("aa_klein_60_weniger_als_1", date(2024, 1, 1), "245", "§ 160 Abs. 2 Satz 2 Nr. 2 SGB IX"),
    ("aa_staffel_4", date(2024, 12, 31), "720", "§ 160 Abs. 2 Satz 1 Nr. 4 SGB IX"),
    ("aa_staffel_4", date(2025, 1, 1), "815", "§ 160 Abs. 2 Satz 1 Nr. 4 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024"),
    ("aa_klein_40_null", date(2026, 12, 31), "235", "§ 160 Abs. 2 Satz 2 Nr. 1 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024"),
    ("pflichtsatz", date(2005, 6, 1), "5", "§ 71 Abs. 1 Satz 1 SGB IX a.F."),
    ("pflichtsatz", date(2018, 1, 1), "5", "§ 154 Abs. 1 Satz 1 SGB IX"),
    ("saeumniszuschlag_kleinbetrag", date(2022, 12, 31), "100", "§ 24 Abs. 1 Satz 2 SGB IV"),
    ("saeumniszuschlag_kleinbetrag", date(2023, 1, 1), "150", "§ 24 Abs. 1 Satz 3 SGB IV"),
])
def test_wert_an_grenzen(pid, tag, wert, fundstelle):
    """Amounts from a Bekanntmachung cite the chain § 160 Abs. 2 i.V.m. Abs. 3 and the Bek. (issue 11, finding 9)."""
    w = WB.parameter[pid].wert_am(tag)
    assert w.wert == Decimal(wert)
    assert w.fundstelle == fundstelle


@pytest.mark.parametrize("pid,tag", [("aa_staffel_1", date(2001, 12, 31)), ("aa_staffel_4", date(2023, 12, 31)),
                                     ("aa_klein_60_null", date(2010, 1, 1))])
def test_kein_stiller_rueckfall(pid, tag):
    with pytest.raises(ParameterFehler) as info:
        WB.parameter[pid].wert_am(tag)
    assert f"hat am {tag:%d.%m.%Y} keinen Wert" in str(info.value)
    assert "gespeicherte Zeiträume" in (info.value.hilfe or "")


def test_2026_setzt_2025_fort_und_sagt_es():
    for pid in ("aa_staffel_1", "aa_staffel_2", "aa_staffel_3", "aa_staffel_4"):
        w = WB.parameter[pid].wert_am(date(2026, 12, 31))
        assert w.gueltig_ab == date(2025, 1, 1) and w.gueltig_bis is None
        assert "2026" in (w.hinweis or "")


def test_abgeleitete_betraege_sind_gekennzeichnet():
    w = WB.parameter["aa_klein_40_weniger_als_1"].wert_am(date(2013, 1, 1))
    assert w.beleg == "abgeleitet" and "abgeleitet" in w.hinweis


def test_alle_werte_lueckenlos_und_zitiert():
    for p in WB.parameter.values():
        for frueher, spaeter in zip(p.werte, p.werte[1:]):
            assert (spaeter.gueltig_ab - frueher.gueltig_bis).days == 1, p.id
        assert all(w.fundstelle for w in p.werte)
