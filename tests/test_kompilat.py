"""engine.kompilat (the plan) and engine.ausfuehrung (direct execution, trail)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.ausfuehrung import direkt
from engine.faelle import lade_fall
from engine.fehler import RegelFehler
from engine.kompilat import kompiliere
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wb():
    return lade_wissensbasis(REPO)


def test_reihenfolge_erzeuger_vor_verbraucher(wb):
    k = kompiliere(wb, "ausgleichsabgabe")
    position = {kr.regel.id: i for i, kr in enumerate(k.regeln)}
    for kr in k.regeln:
        for fakt in kr.liest:
            for andere in k.regeln:
                if fakt in andere.regel.leitet_ab and andere is not kr:
                    assert position[andere.regel.id] < position[kr.regel.id]
    assert [kr.rang for kr in k.regeln] == list(range(1, len(k.regeln) + 1))


def test_ein_plan_je_art_mit_regeln_aller_zeiten(wb):
    """The plan holds the rules of all times; each rule resolves its law at the date it is applied for."""
    k = kompiliere(wb, "ausgleichsabgabe")
    ids = {kr.regel.id for kr in k.regeln}
    assert ids == {r.id for r in wb.regelbuch.regeln if r.art == "ausgleichsabgabe"}
    assert any(kr.regel.zeitraum.bis is not None for kr in k.regeln)  # old law is in the same plan


def test_stand_einer_regel_je_datum(wb):
    """A rule citing § 77 a.F. until 2017 and § 160 from 2018 resolves each at its date; one cache entry per epoch."""
    k = kompiliere(wb, "ausgleichsabgabe")
    kr = next(kr for kr in k.regeln if kr.regel.id == "aa.zahlbetrag")
    alt = kr.stand_am(date(2017, 12, 31))
    neu = kr.stand_am(date(2018, 1, 1))
    assert [f.zitat.text for f in alt.fundstellen][0].startswith("§ 77 Abs. 4")
    assert [f.zitat.text for f in neu.fundstellen][0].startswith("§ 160 Abs. 4")
    assert kr.stand_am(date(2018, 6, 1)) is neu  # same epoch, same cached object
    for tag in range(1, 29):  # many distinct dates in one epoch do not grow the cache
        kr.stand_am(date(2019, 2, tag))
    assert len(kr.staende._cache) <= 3


def test_parameter_einer_regel_am_datum(wb):
    k = kompiliere(wb, "ausgleichsabgabe")
    kr = next(kr for kr in k.regeln if "parameter.saeumniszuschlag_satz" in kr.namen)
    assert kr.stand_am(date(2022, 12, 31)).parameter["saeumniszuschlag_satz"].gueltig_bis == date(2022, 12, 31)
    assert kr.stand_am(date(2023, 1, 1)).parameter["saeumniszuschlag_satz"].gueltig_ab == date(2023, 1, 1)


def test_unbekannte_art(wb):
    with pytest.raises(RegelFehler):
        kompiliere(wb, "gibtsnicht")


def test_direkt_liefert_spur_mit_eingaben(wb):
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    k = kompiliere(wb, fall.art)
    lauf = direkt(k, fall.eingaben)
    assert lauf.schritte and all(s.ergebnisse for s in lauf.schritte)
    for fakt, regel in lauf.herkunft.items():
        assert any(s.regel.regel.id == regel and fakt in s.ergebnisse for s in lauf.schritte)
