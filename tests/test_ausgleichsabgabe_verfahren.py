"""The levy procedure the Bescheid needs (issue 20) and the levy class of issue 21: one regression test per defect.

Expected values are those worked out by hand in the test cases under tests/cases/ausgleichsabgabe/ (reasoning there).
"""
from __future__ import annotations

import json
import re
from copy import deepcopy
from pathlib import Path

import pytest
import yaml

from engine import fall_aus_daten, rendere
from engine.fehler import FallFehler

REPO = Path(__file__).resolve().parent.parent
FAELLE = REPO / "tests" / "cases" / "ausgleichsabgabe"


def fall_aus(name: str) -> dict:
    return yaml.safe_load((FAELLE / f"{name}.yaml").read_text(encoding="utf-8"))["fall"]


def entscheide(rw, daten: dict):
    return rw.entscheide(fall_aus_daten(deepcopy(daten), quelle="test"))


def als_json(e) -> dict:
    return json.loads(rendere(e, "json"))


# --- issue 20: payment state at the decision date ---------------------------------------------------------


def test_ueberzahlung_des_beispiels_wird_genannt(rw):
    """The README example paid 8,140.00 Euro on a Zahlbetrag of 4,115.00 Euro; the overpayment appeared nowhere."""
    daten = yaml.safe_load((REPO / "site" / "docs" / "beispiele" / "muster-gmbh-2024.yaml").read_text(encoding="utf-8"))
    ergebnis = entscheide(rw, daten).ergebnis
    assert ergebnis["zahlbetrag"] == "4115.00"
    assert ergebnis["gezahlt"] == "8140.00"
    assert ergebnis["erstattungsbetrag"] == "4025.00"
    assert ergebnis["rueckstand"] == "0.00"
    assert ergebnis["feststellungsbescheid"] is False


def test_zahlung_nach_dem_tag_der_entscheidung_zaehlt_nicht(rw):
    ergebnis = entscheide(rw, fall_aus("zahlungsstand-ueberzahlung-2024")).ergebnis
    assert ergebnis["gezahlt"] == "2000.00" and ergebnis["erstattungsbetrag"] == "320.00"


def test_feststellungsbescheid_bei_mehr_als_drei_monaten_rueckstand(rw):
    """§ 160 Abs. 4 Satz 2 SGB IX was only marked as not automated; an employer in arrears never got it."""
    daten = fall_aus("feststellungsbescheid-ostern-2023")
    assert entscheide(rw, daten).ergebnis["feststellungsbescheid"] is True  # 03.07.2024
    daten["entscheidungsdatum"] = "2024-07-02"  # three months from 03.04.2024 end with 02.07.2024
    ergebnis = entscheide(rw, daten).ergebnis
    assert ergebnis["feststellungsbescheid"] is False and ergebnis["rueckstand"] == "1680.00"


def test_feststellungsbescheid_ohne_entscheidungsdatum_offen_mit_benannter_angabe(rw):
    e = entscheide(rw, fall_aus("feststellungsbescheid-ohne-entscheidungsdatum-offen-2024"))
    assert e.ergebnis["feststellungsbescheid"] is None
    assert "feststellungsbescheid" in e.fehlend
    assert any(t.startswith("Tag der Entscheidung") for t in e.ergebnis["offene_angaben_zahlung"])


def test_stichtag_nach_dem_tag_der_entscheidung_ist_ein_fehler_des_falls(rw):
    daten = fall_aus("feststellungsbescheid-mehr-als-drei-monate-2024")
    daten["stichtag"] = "2025-08-01"
    with pytest.raises(FallFehler, match="Stichtag"):
        entscheide(rw, daten)


# --- issue 20: Säumniszuschlag -----------------------------------------------------------------------------


def test_kleinbetrag_unter_150_euro_gesondert_anzufordern_wird_nicht_erhoben(rw):
    """§ 24 Abs. 1 Satz 3 SGB IV was only marked as not automated: 0.50 Euro were charged on an arrear of 80 Euro."""
    e = entscheide(rw, fall_aus("saeumnis-kleinbetrag-gesondert-2024"))
    assert e.ergebnis["saeumniszuschlag"] == "16.50"
    grund = e.ergebnis["saeumniszuschlag_nicht_erhoben"]
    assert "01.05.2025" in grund and "gesondert anzufordern" in grund
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", grund), grund  # German words, no field names


def test_kleinbetrag_ohne_angabe_bleibt_offen(rw):
    e = entscheide(rw, fall_aus("saeumnis-kleinbetrag-angabe-fehlt-offen-2024"))
    assert e.ergebnis["saeumniszuschlag"] is None and "saeumniszuschlag" in e.fehlend
    assert e.ergebnis["offene_angaben_zahlung"][0].startswith("Gesonderte Anforderung")


def test_kleinbetrag_ohne_belang_braucht_keine_angabe(rw):
    """No month begins with an arrear under the small amount: the missing field does not make anything open."""
    ergebnis = entscheide(rw, fall_aus("feststellungsbescheid-mehr-als-drei-monate-2024")).ergebnis
    assert ergebnis["saeumniszuschlag"] == "66.00" and ergebnis["offene_angaben_zahlung"] == []


def test_erlass_beantragt_eroeffnet_ermessen_ohne_es_auszuueben(rw):
    """§ 160 Abs. 4 Satz 4 SGB IX (begründeter Ausnahmefall) is Ermessen: opened on request, amount unchanged."""
    e = entscheide(rw, fall_aus("saeumnis-erlass-beantragt-2024"))
    assert e.ergebnis["saeumniszuschlag"] == "66.00"
    assert e.ergebnis["erlass_saeumniszuschlag"].startswith("Ermessen eröffnet")
    ermessen = als_json(e)["ermessen"]
    assert [x["zitat"] for x in ermessen] == ["§ 160 Abs. 4 Satz 4 SGB IX"]
    assert any("66,00 Euro" in g for g in ermessen[0]["grenzen"])
    ohne = fall_aus("saeumnis-erlass-beantragt-2024")
    del ohne["erlass_saeumniszuschlag_beantragt"]
    e = entscheide(rw, ohne)
    assert e.ermessen == [] and e.ergebnis["erlass_saeumniszuschlag"] == "nicht beantragt"


def test_erlass_vor_2018_nennt_77_af(rw):
    daten = fall_aus("saeumnis-erlass-beantragt-2024")
    daten.update(jahr=2015, entscheidungsdatum="2016-07-01")
    ermessen = als_json(entscheide(rw, daten))["ermessen"]
    assert [x["zitat"] for x in ermessen] == ["§ 77 Abs. 4 Satz 4 SGB IX a.F."]


def test_ausschlussfrist_satz_8_verhindert_erstattung(rw):
    assert entscheide(rw, fall_aus("ausschlussfrist-erstattung-abgelaufen-2021")).ergebnis["erstattungsbetrag"] == "0.00"
    assert entscheide(rw, fall_aus("ausschlussfrist-erstattung-laeuft-2021")).ergebnis["erstattungsbetrag"] == "320.00"


# --- issue 21, levy ----------------------------------------------------------------------------------------


def test_werkstatt_verguetung_am_montag_nach_sonntag_31_maerz_2019_angerechnet(rw):
    """A WfbM invoice paid on Monday 01.04.2019 for the Sunday 31.03.2019 got no credit (§ 223 Abs. 2 Nr. 1, § 193 BGB)."""
    e = entscheide(rw, fall_aus("werkstatt-verguetung-sonntag-montag-2018"))
    assert e.ergebnis["anrechnung_werkstaetten"] == "1000.00" and e.ergebnis["zahlbetrag"] == "500.00"
    schritt = next(s for s in als_json(e)["begruendung"] if s["regel"] == "aa.werkstatt_verguetungsfrist")
    assert {"§ 186 BGB", "§ 193 BGB"} <= {f["zitat"] for f in schritt["fundstellen"]}
    assert "01.04.2019" in schritt["erklaerung"]


def test_bundesbehoerde_mit_6_prozent_quote_zahlt_bei_5_5_prozent(rw):
    """§ 241 Abs. 1 SGB IX was not modelled: a Bundesbehörde at 5.5 % paid 0 Euro with no hint."""
    assert entscheide(rw, fall_aus("bund-6-prozent-quote-5-5-2024")).ergebnis["ausgleichsabgabe"] == "1680.00"
    assert entscheide(rw, fall_aus("bund-6-prozent-quote-6-5-2024")).ergebnis["ausgleichsabgabe"] == "0.00"


def test_bundesbehoerde_ohne_angabe_zum_31_10_1999_offen(rw):
    e = entscheide(rw, fall_aus("bund-1999-angabe-fehlt-offen-2024"))
    assert e.ergebnis["ausgleichsabgabe"] is None and e.ergebnis["pflichtquote"] is None
    assert len(e.ergebnis["offene_angaben"]) == 1 and "31. Oktober 1999" in e.ergebnis["offene_angaben"][0]
    # below 60 places the quota does not matter: nothing is open
    klein = fall_aus("bund-1999-angabe-fehlt-offen-2024")
    klein["monate"] = [dict(m, arbeitsplaetze=50, besetzte_pflichtarbeitsplaetze=2) for m in klein["monate"]]
    ergebnis = entscheide(rw, klein).ergebnis
    assert ergebnis["offene_angaben"] == [] and ergebnis["ausgleichsabgabe"] == "0.00"


def _fundstellen_vor_2018(e) -> list[tuple[str, str, str]]:
    return [(s["regel"], f["zitat"], f["angewandt_fuer"]) for s in als_json(e)["begruendung"] for f in s["fundstellen"]
            if f["angewandt_fuer"] and f["angewandt_fuer"] < "2018-01-01"]


def test_entscheidungen_vor_2018_zitieren_die_alte_nummerierung(rw):
    """Levy decisions before 2018 cited the new numbering; every SGB IX citation applied before 2018 is a.F."""
    faelle = [p for p in sorted(FAELLE.glob("*.yaml")) if yaml.safe_load(p.read_text(encoding="utf-8"))["fall"]["jahr"] <= 2016]
    assert len(faelle) >= 5
    for p in faelle:
        e = entscheide(rw, fall_aus(p.stem))
        falsch = [f for f in _fundstellen_vor_2018(e) if "SGB IX" in f[1] and "a.F." not in f[1]]
        assert not falsch, (p.name, falsch)
    e = entscheide(rw, fall_aus("bund-6-prozent-altes-recht-2015"))
    assert any(z == "§ 159 Abs. 1 SGB IX a.F." for _, z, _ in _fundstellen_vor_2018(e))


def test_offene_angaben_vor_2018_nennen_die_alte_nummerierung(rw):
    daten = {"art": "ausgleichsabgabe", "jahr": 2015,
             "monate": [{"monat": m, "arbeitsplaetze": 100, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0}
                        for m in range(1, 13)],
             "beschaeftigte": [{"name": "A", "gdb": 50, "gleichstellung": False, "wochenstunden": "15",
                                "auszubildender": False, "monate": list(range(1, 13))}]}
    offen = entscheide(rw, daten).ergebnis["offene_angaben"]
    assert offen and "§ 75 Abs. 2 Satz 2 SGB IX a.F." in offen[0] and "§ 158" not in offen[0]
    daten["jahr"] = 2019
    assert "§ 158 Abs. 2 Satz 2 SGB IX" in entscheide(rw, daten).ergebnis["offene_angaben"][0]


def test_jahre_in_erklaerungen_nicht_wie_betraege(rw):
    """Years were written like amounts in levy explanations ("im Jahr 2.018")."""
    for name in ("werkstatt-verguetung-sonntag-montag-2018", "ausschlussfrist-eingang-fehlt-offen-2021",
                 "zahlungsstand-ueberzahlung-2024"):
        for s in als_json(entscheide(rw, fall_aus(name)))["begruendung"]:
            assert not re.search(r"\b2\.0\d\d\b(?!,\d)", s["erklaerung"]), (name, s["regel"], s["erklaerung"])
