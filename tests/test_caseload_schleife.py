"""benchmarks/caseload.py: the plain loop of the levy is compared with the what-if only on the cases it models.

Regression: the benchmark printed "Schleife und Wirkung stimmen bei 2,967 von 3,000 Zahlbeträgen überein". All 33
differing cases had a workshop invoice paid on 1 April of the following year; the engine and the what-if agreed,
the loop did not move the deadline of 31 March by § 193 BGB.

Hand-worked case (2006, the law before 2018): 12 months with 100 Arbeitsplätze, nobody employed. Jahressumme 1,200,
average 100 (at least 60), Pflichtarbeitsplätze 5 % of 1,200 = 60 (§ 71 Abs. 1, § 74 Abs. 2 SGB IX a.F.); quota 0 %,
under 2 %: 260 Euro each (§ 77 Abs. 2 Satz 1 Nr. 3 a.F.), 60 × 260 = 15,600.00 Euro. One workshop invoice of
2,050.00 Euro with 50.00 Euro material, executed in 2006: Arbeitsleistung 2,000.00, half credited = 1,000.00 Euro
(§ 140 Abs. 1 Satz 1 a.F.) when paid by the deadline. 31 March 2007 was a Saturday, so the deadline is Monday
2 April 2007 (§ 193 BGB): paid on 1 April it counts, Zahlbetrag 14,600.00 Euro; the loop, which stops at 31 March,
says 15,600.00 Euro, and the benchmark leaves the case out of its comparison.
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.stapel import adapter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import caseload  # noqa: E402


def _fall(bezahlt: str) -> dict:
    return {"art": "ausgleichsabgabe", "jahr": 2006, "arbeitgeber": {"name": "Test"},
            "monate": [{"monat": m, "arbeitsplaetze": 100, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0,
                        "besetzte_pflichtarbeitsplaetze": 0} for m in range(1, 13)],
            "werkstattauftraege": [{"rechnungsbetrag": "2050.00", "materialkosten": "50.00", "ausgefuehrt": "2006-07-15",
                                    "bezahlt": bezahlt}]}


@pytest.fixture(scope="module")
def parameter_2006():
    return caseload._parameter_je_jahr({2006})[2006]


@pytest.mark.parametrize("bezahlt, zahlbetrag, schleife, bildet_ab", [
    ("2007-03-30", "14600.00", 1_460_000, True),  # in time for both
    ("2007-04-01", "14600.00", 1_560_000, False),  # in time by § 193 BGB only: the loop is simpler than the law
])
def test_schleife_verglichen_nur_wo_sie_das_recht_abbildet(stapel_rw, parameter_2006, bezahlt, zahlbetrag, schleife, bildet_ab):
    fall = _fall(bezahlt)
    e = stapel_rw.entscheide(adapter.fall_aus_daten(fall))
    assert e.ergebnis["zahlbetrag"] == zahlbetrag
    assert caseload.zahlbetrag_schleife(fall, parameter_2006) == schleife
    assert caseload.schleife_bildet_ab(fall) is bildet_ab
    if bildet_ab:
        assert Decimal(schleife) / 100 == Decimal(zahlbetrag)
