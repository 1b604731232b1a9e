"""Placeholders of explanation texts: `{name}` and `{name.feld}` (regression: dotted names stayed as text)."""
from __future__ import annotations

from engine.darstellung import setze_ein


def test_platzhalter_mit_feld_liest_das_feld_eines_eintrags():
    werte = {"vs": {"gesetz": "SGB IX", "entscheidung": "§ 171"}, "parameter.satz": 5}
    assert setze_ein("{vs.entscheidung} Abs. 3 {vs.gesetz}", werte) == "§ 171 Abs. 3 SGB IX"
    assert setze_ein("{parameter.satz} %", werte) == "5 %"  # a dotted value name wins


def test_unbekannter_platzhalter_bleibt_sichtbar():
    assert setze_ein("{vs.fehlt} und {nichts}", {"vs": {"a": 1}}) == "{vs.fehlt} und {nichts}"
