"""benchmarks/openfisca_abgabe.py: the levy as an OpenFisca model (only for the benchmark; skipped where the optional
extra `vergleich` is not installed) gives the hand-worked Zahlbeträge, per case and over columns, as the engine does.

Hand-worked cases (12 months each, nobody employed, no workshop invoice unless said):
- 2006, 100 Arbeitsplätze: average 100, Pflichtarbeitsplätze 5 % of 1,200 = 60 (§ 71 Abs. 1, § 74 Abs. 2 SGB IX a.F.);
  quota 0 %, under 2 %: 260 Euro each (§ 77 Abs. 2 Satz 1 Nr. 3 a.F.): 60 × 260 = 15,600.00 Euro; with the invoice of
  tests/test_caseload_schleife.py paid on 30 March 2007 (Arbeitsleistung 2,000.00, half credited, § 140 Abs. 1 a.F.):
  14,600.00 Euro.
- 2024, 100 Arbeitsplätze: 60 Pflichtarbeitsplätze; quota 0 %: since 1 January 2024 720 Euro each (§ 160 Abs. 2
  Satz 1 Nr. 4 SGB IX): 60 × 720 = 43,200.00 Euro.
- 2024, 30 Arbeitsplätze: average under 40, one Pflichtarbeitsplatz a month, 12 in the year (§ 154 Abs. 1 Satz 3);
  none filled: 210 Euro each (§ 160 Abs. 2 Satz 2 Nr. 1, for 0 % since 2024): 12 × 210 = 2,520.00 Euro.
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.stapel import adapter

pytest.importorskip("openfisca_core")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import caseload  # noqa: E402
import openfisca_abgabe  # noqa: E402


def _fall(jahr: int, ap: int, werkstatt: bool = False) -> dict:
    fall = {"art": "ausgleichsabgabe", "jahr": jahr, "arbeitgeber": {"name": "Test"},
            "monate": [{"monat": m, "arbeitsplaetze": ap, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0,
                        "besetzte_pflichtarbeitsplaetze": 0} for m in range(1, 13)]}
    if werkstatt:
        fall["werkstattauftraege"] = [{"rechnungsbetrag": "2050.00", "materialkosten": "50.00",
                                       "ausgefuehrt": f"{jahr}-07-15", "bezahlt": f"{jahr + 1}-03-30"}]
    return fall


FAELLE = [(_fall(2006, 100), "15600.00"), (_fall(2006, 100, werkstatt=True), "14600.00"),
          (_fall(2024, 100), "43200.00"), (_fall(2024, 30), "2520.00")]


def test_openfisca_modell_gibt_die_handgerechneten_zahlbetraege(stapel_rw):
    tbs = openfisca_abgabe.system(caseload._parameter_je_jahr({2006, 2024}))
    faelle = [f for f, _ in FAELLE]
    erwartet = [int(Decimal(z) * 100) for _, z in FAELLE]
    _, je_fall = openfisca_abgabe.je_fall(tbs, faelle)
    _, _, spalten = openfisca_abgabe.spalten(tbs, faelle)
    assert je_fall == erwartet
    assert spalten == erwartet
    for fall, zahlbetrag in FAELLE:  # the engine agrees with the hand-worked amount
        assert stapel_rw.entscheide(adapter.fall_aus_daten(fall)).ergebnis["zahlbetrag"] == zahlbetrag
