"""engine.darstellung: labels from the Verfahren files, German value formatting, JSON contract."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from engine import lade_regelwerk, lies_fall, rendere
from engine.darstellung import ergebnis_namen, setze_ein
from engine.format import deutsch

REPO = Path(__file__).resolve().parent.parent
FALL = REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml"


def test_deutsche_werte():
    assert deutsch(Decimal("9065.00")) == "9.065,00"
    assert deutsch(date(2024, 3, 31)) == "31.03.2024"
    assert deutsch("2024-03-31") == "31.03.2024"
    assert deutsch(True) == "ja" and deutsch(None) == "—" and deutsch([]) == "keine"
    # an amount in Euro is money: always two decimals (see test_regressionen)
    assert setze_ein("{betrag} Euro bis {frist}", {"betrag": Decimal("125"), "frist": date(2025, 1, 2)}) == "125,00 Euro bis 02.01.2025"
    assert setze_ein("{n} Plätze, {betrag}", {"n": Decimal("3"), "betrag": Decimal("9065")}, {"betrag"}) == "3 Plätze, 9.065,00"


def test_bezeichnungen_und_reihenfolge_aus_dem_verfahren():
    with lade_regelwerk(REPO) as rw:
        e = rw.entscheide(lies_fall(FALL))
        text = rendere(e, "text")
        verfahren = e.kompilat.verfahren
    namen = ergebnis_namen([verfahren])
    assert list(namen) == [f.feld for f in verfahren.ergebnis]
    positionen = [text.index(namen[f]) for f in e.ergebnis if e.ergebnis[f] is not None]
    assert positionen == sorted(positionen)


def test_json_ist_der_vertrag():
    with lade_regelwerk(REPO) as rw:
        e = rw.entscheide(lies_fall(FALL))
        daten = json.loads(rendere(e, "json"))
    assert daten["ergebnis"]["zahlbetrag"] == "14700.00"
    assert {"name": "jahresende", "bezeichnung": "Ende des Erhebungsjahres", "datum": "2024-12-31"} in daten["quittung"]["rechtsstaende"]
    assert [s["nr"] for s in daten["begruendung"]] == list(range(1, len(daten["begruendung"]) + 1))
