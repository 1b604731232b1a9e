"""engine.kompilat (the plan) and engine.ausfuehrung (direct execution, trail)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.ausfuehrung import direkt
from engine.faelle import lade_fall
from engine.fehler import AusfuehrungsFehler, RegelFehler
from engine.kompilat import kompiliere
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wb():
    return lade_wissensbasis(REPO)


def test_reihenfolge_erzeuger_vor_verbraucher(wb):
    k = kompiliere(wb, "ausgleichsabgabe", date(2024, 12, 31))
    position = {kr.regel.id: i for i, kr in enumerate(k.regeln)}
    for kr in k.regeln:
        for fakt in kr.liest:
            for andere in k.regeln:
                if fakt in andere.regel.leitet_ab and andere is not kr:
                    assert position[andere.regel.id] < position[kr.regel.id]
    assert [kr.rang for kr in k.regeln] == list(range(1, len(k.regeln) + 1))


def test_nur_geltende_regeln_und_parameter_des_tages(wb):
    k = kompiliere(wb, "ausgleichsabgabe", date(2024, 12, 31))
    assert all(kr.regel.zeitraum.enthaelt(date(2024, 12, 31)) for kr in k.regeln)
    assert all(w.gilt_am(date(2024, 12, 31)) for w in k.parameter.values())
    assert set(k.konstanten) == {f"parameter.{p}" for p in k.parameter}


def test_unbekannte_art_und_tag_ohne_recht(wb):
    with pytest.raises(RegelFehler):
        kompiliere(wb, "gibtsnicht", date(2024, 1, 1))
    with pytest.raises(AusfuehrungsFehler):
        kompiliere(wb, "ausgleichsabgabe", date(1950, 1, 1))


def test_direkt_liefert_spur_mit_eingaben(wb):
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    k = kompiliere(wb, fall.art, fall.stichtag)
    lauf = direkt(k, fall.eingaben)
    assert lauf.schritte and all(s.ergebnisse for s in lauf.schritte)
    for fakt, regel in lauf.herkunft.items():
        assert any(s.regel.regel.id == regel and fakt in s.ergebnisse for s in lauf.schritte)
