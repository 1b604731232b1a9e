"""Coverage on the fixture rulebook (one deliberately unimplemented sentence) and on the real one."""
from __future__ import annotations

import json
from pathlib import Path

from engine.autoren.abdeckung import berechne, stellenname
from engine.cli import main
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "autoren" / "regelwerk"


def _stellen(abdeckung, paragraph, ab):
    v = next(v for v in abdeckung.vorschriften if v.paragraph == paragraph)
    f = next(f for f in v.fassungen if f.gueltig_ab.isoformat() == ab)
    return {s.anker: s for s in f.stellen}


def test_stellenname():
    assert stellenname("sgb9/160/abs-2/satz-1/nr-3") == "Abs. 2 Satz 1 Nr. 3"
    assert stellenname("bek-aa-2024/nr-1/satz-1") == "Nr. 1 Satz 1"


def test_fixture_abdeckung():
    a = berechne(lade_wissensbasis(FIXTURE))
    assert a.faelle == 2 and not a.faelle_fehlerhaft
    for ab in ("2023-01-01", "2020-01-01"):  # current Fassung and the a.F.
        s = _stellen(a, "1", ab)
        assert s["tg/1/abs-3/satz-1"].status == "offen"  # the deliberately unimplemented sentence
        assert s["tg/1/abs-2/satz-2"].status == "nicht_automatisiert"
        # citing Abs. 1 covers both of its sentences; Satz 2 is also cited by the parameter
        assert s["tg/1/abs-1/satz-1"].regeln == ["tg.arbeitsplaetze_summe", "tg.beitrag"]
        assert s["tg/1/abs-1/satz-2"].regeln == ["tg.beitrag"] and s["tg/1/abs-1/satz-2"].parameter == ["beitragssatz"]
        assert s["tg/1/abs-2/satz-1"].getestet_durch == ["tg.faelligkeit"]
    s2 = _stellen(a, "2", "2020-01-01")
    assert set(s2) == {"tg/2/satz-1", "tg/2/satz-2/nr-1", "tg/2/satz-2/nr-2"}
    assert a.gesamt == 13 and a.umgesetzt == 6 and a.nicht_automatisiert == 2 and a.offen == 5
    d = a.als_dict()
    assert d["zusammenfassung"]["abdeckung_prozent"] == round(800 / 13, 1)
    assert d["vorschriften"][0]["fassungen"][0]["stellen"][0]["anker"].startswith("tg/1/")
    nur = berechne(lade_wissensbasis(FIXTURE), nur_zitierte=True)
    assert [v.paragraph for v in nur.vorschriften] == ["1"]


def test_cli_coverage(capfd):
    assert main(["--wurzel", str(FIXTURE), "coverage"]) == 0
    aus = capfd.readouterr().out
    assert "§ 1 TG (ab 01.01.2023): 5 Stellen, 3 umgesetzt, 1 nicht automatisiert, 1 offen, 3 getestet" in aus
    assert "offen: Abs. 3 Satz 1 [tg/1/abs-3/satz-1] „Dieses Gesetz gilt auch für öffentliche Arbeitgeber.“" in aus
    assert main(["--wurzel", str(FIXTURE), "coverage", "--format", "json"]) == 0
    daten = json.loads(capfd.readouterr().out)
    assert daten["zusammenfassung"]["offen"] == 5
    assert main(["--wurzel", str(FIXTURE), "coverage", "--mindestens", "90"]) == 1
    assert "unter dem Mindestwert" in capfd.readouterr().err
    assert main(["--wurzel", str(FIXTURE), "coverage", "--mindestens", "50"]) == 0
    capfd.readouterr()
    assert main(["--wurzel", str(FIXTURE), "coverage", "--stichtag", "2021-06-30", "--format", "json"]) == 0
    daten = json.loads(capfd.readouterr().out)
    assert all(len(v["fassungen"]) == 1 for v in daten["vorschriften"])


def test_echtes_regelwerk():
    a = berechne(lade_wissensbasis(REPO))
    assert a.faelle >= 67 and not a.faelle_fehlerhaft
    s = _stellen(a, "160", "2024-01-01")
    assert "aa.beschaeftigungsquote" in s["sgb9/160/abs-1/satz-3"].regeln
    assert "aa.beschaeftigungsquote" in s["sgb9/160/abs-1/satz-3"].getestet_durch
