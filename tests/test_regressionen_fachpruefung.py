"""One test per defect of the second expert review (issue 21, classes „Status und Leistung“ and
„Kündigung“) and of the SGB X procedural law taken from issue 20, named after the defect."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine import fall_aus_daten, lade_regelwerk
from engine.fehler import FallFehler

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rw():
    with lade_regelwerk(REPO) as r:
        yield r


def entscheide(rw, daten: dict):
    return rw.entscheide(fall_aus_daten(daten, quelle="test"))


# --- Status ---------------------------------------------------------------------------------------

def test_gleichgestellter_mit_spaeter_gdb_50_wurde_mit_exit_2_abgewiesen(rw):
    """GdB 50 next to an older Gleichstellung was rejected as contradictory; § 2 Abs. 2 makes the person
    schwerbehindert, the Gleichstellung does not make the case invalid."""
    e = entscheide(rw, {"art": "status", "entscheidungsdatum": "2024-06-12", "gdb": 50, "inlandsbezug": "wohnsitz",
                        "gleichstellung": {"antrag_eingang": "2022-03-01", "bescheid_vom": "2022-05-10"},
                        "feststellungen": {"rechtmaessiger_inlandsbezug": {"wert": True, "durch": "IA", "am": "2024-06-10"}}})
    assert e.ergebnis["status"] == "schwerbehindert"
    assert "Gleichstellung" in e.ergebnis["entscheidung"]


def test_gleichstellung_bei_gdb_unter_30_bleibt_ein_fehler(rw):
    with pytest.raises(FallFehler, match="wenigstens 30"):
        entscheide(rw, {"art": "status", "entscheidungsdatum": "2024-06-12", "gdb": 20, "inlandsbezug": "wohnsitz",
                        "gleichstellung": {"antrag_eingang": "2022-03-01", "bescheid_vom": "2022-05-10"}})
