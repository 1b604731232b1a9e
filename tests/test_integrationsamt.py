"""Integrationsamt decisions (status, leistung, entziehung, verwendung): hand-computed cases,
bad input (exit code 2, German message naming the field) and the rendered Bescheid wording."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from engine.cli import main

REPO = Path(__file__).resolve().parents[1]
ARTEN = ("status", "leistung", "entziehung", "verwendung")
FAELLE = sorted(p for art in ARTEN for p in (REPO / "tests" / "cases" / art).glob("*.yaml"))
FEHLER = REPO / "tests" / "fixtures" / "fehler"


def _entscheide(capfd, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(REPO)
    code = main(["decide", *args])
    out, err = capfd.readouterr()
    return code, out, err


def _json(wert):
    if isinstance(wert, dt.date):
        return wert.isoformat()
    if isinstance(wert, list):
        return [_json(w) for w in wert]
    return wert


@pytest.mark.parametrize("datei", FAELLE, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("motor", ["durable", "direkt"])
def test_fall(datei, motor, capfd, monkeypatch):
    erwartet = yaml.safe_load(datei.read_text(encoding="utf-8"))["erwartet"]
    code, out, err = _entscheide(capfd, monkeypatch, str(datei), "--format", "json", "--motor", motor)
    assert code == 0, err
    ergebnis = json.loads(out)["ergebnis"]
    for feld, wert in erwartet.items():
        assert ergebnis[feld] == _json(wert), f"{feld}: {ergebnis[feld]!r} != {wert!r}"


def test_mindestens_dreissig_faelle():
    assert len(FAELLE) >= 30
    for art in ARTEN:
        assert list((REPO / "tests" / "cases" / art).glob("*.yaml")), art


FEHLERFAELLE = {
    "status-gdb-120.yaml": ("Feld `gdb`", "Maximum 100", "ganze Zahl 0 bis 100"),
    # GdB 60 next to an older Gleichstellung is valid (schwerbehindert, § 2 Abs. 2; issue 21): a GdB under 30 is not
    "status-gleichstellung-gdb-20.yaml": ("Feld `gleichstellung`", "§ 2 Abs. 3 SGB IX", "ab 30"),
    "status-unbekannte-feststellung.yaml": ("Feld `feststellungen.rechtmaesiger_inlandsbezug`", "unbekannte Feststellung",
                                            "meinten Sie `rechtmaessiger_inlandsbezug`?"),
    "leistung-entscheidung-vor-antrag.yaml": ("Feld `entscheidungsdatum`", "vor dem Eingang des Antrags", "antrag.eingang"),
    "leistung-unbekannte-leistung.yaml": ("Feld `antrag.leistung`", "ungültiger Wert `dienstwagen`", "arbeitsassistenz"),
    "leistung-vor-2001.yaml": ("Feld `entscheidungsdatum`", "kein Recht für `leistung`", "ab 01.07.2001"),  # 2001-2017: § 102 a.F. (issue 11, Befund 5)
    "entziehung-frist-vor-entscheidung.yaml": ("Feld `frist_bis`", "§ 200 Abs. 2 Satz 3 SGB IX", "am oder nach `entscheidungsdatum`"),
    "verwendung-unbekannter-zweck.yaml": ("Feld `zweck`", "ungültiger Wert `kantine`", "verwaltungskosten_personal"),
}


def test_alle_fehlerfaelle_erfasst():
    assert sorted(p.name for p in FEHLER.glob("*.yaml")) == sorted(FEHLERFAELLE)


@pytest.mark.parametrize("name", sorted(FEHLERFAELLE))
def test_fehlerhafte_angaben(name):
    import subprocess
    import sys
    lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", str(FEHLER / name)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8")
    code, out, err = lauf.returncode, lauf.stdout, lauf.stderr
    assert code == 2
    # no decision: the error stands in the output where the Bescheid would (issue 14), and on stderr
    assert out.startswith("FALL NICHT ENTSCHIEDEN") and name in out
    assert "Traceback" not in err
    for teil in FEHLERFAELLE[name]:
        assert teil in err, f"{teil!r} fehlt in: {err}"
        assert teil in out, f"{teil!r} fehlt in: {out}"


def test_bescheid_offen(capfd, monkeypatch):
    code, out, _ = _entscheide(capfd, monkeypatch, "tests/cases/entziehung/vereitelung-offen-2024.yaml")
    assert code == 0
    assert "OFFENE FESTSTELLUNGEN" in out
    assert "Hat der Mensch sonst durch sein Verhalten seine Teilhabe am Arbeitsleben schuldhaft vereitelt?" in out
    assert "Verlangt von § 200 Abs. 1 Satz 1 SGB IX: „Einem schwerbehinderten Menschen" in out
    assert "feststellungen.schuldhafte_vereitelung" in out
    assert "Offen: Ob ein Vorwurf eine Alternative des § 200 Abs. 1 Satz 1 SGB IX erfüllt" in out
    assert "ERMESSEN" not in out


def test_bescheid_ermessen(capfd, monkeypatch):
    code, out, _ = _entscheide(capfd, monkeypatch, "tests/cases/entziehung/zurueckweisung-ermessen-2024.yaml")
    assert code == 0
    assert "ERMESSEN" in out
    assert "trifft\n  die Ermessensentscheidung nicht" in out
    assert "Grenze: nur zeitweilig: die Frist läuft vom Tag der Entscheidung an und beträgt nicht mehr als sechs Monate, also längstens bis 14.09.2024" in out
    assert "FESTSTELLUNGEN (von Menschen getroffen" in out
    assert "Festgestellt durch Integrationsamt, Frau Beispiel am 12.03.2024" in out
    assert "OFFENE FESTSTELLUNGEN" not in out


def test_bescheid_frist_zu_lang_ist_eigenes_ergebnis(capfd, monkeypatch):
    """issue 11, finding 6: a period over six months is its own result, not 'Ermessen eröffnet'."""
    code, out, _ = _entscheide(capfd, monkeypatch, "tests/cases/entziehung/frist-zu-lang-2024.yaml")
    assert code == 0
    assert "frist_unzulaessig" in out
    assert "die vorgesehene Frist bis 15.09.2024 ist aber länger als sechs Monate und damit unzulässig" in out
    assert "ERMESSEN" not in out


def test_bescheid_ermessen_leistung_markdown(capfd, monkeypatch):
    code, out, _ = _entscheide(capfd, monkeypatch, "tests/cases/leistung/technische-arbeitshilfe-ermessen-2024.yaml",
                               "--format", "md")
    assert code == 0
    assert "## Ermessen" in out
    assert "Grenze: aus den dem Integrationsamt zur Verfügung stehenden Mitteln" in out
    assert "**Entscheidungsdatum:** 01.08.2024" in out


def test_check_meldet_unbekannte_feststellung(tmp_path):
    """A formula naming an undeclared finding is an error of `regelwerk check`, with a did-you-mean hint."""
    import shutil
    shutil.copytree(REPO / "legal", tmp_path / "legal")
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    datei = tmp_path / "rules" / "verwendung" / "01-verwendung.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace(
        'feststellung("mittel_von_anderer_seite") == leer', 'feststellung("mittel_von_andere_seite") == leer'), encoding="utf-8")
    from engine.fehler import RegelwerkFehler
    from engine.pruefung import pruefe
    from engine.wissensbasis import lade_wissensbasis
    fehler: list[RegelwerkFehler] = []
    wb = lade_wissensbasis(tmp_path, fehler)
    meldungen = [str(f) for f in fehler + pruefe(wb)]
    assert any("unbekannte Feststellung `mittel_von_andere_seite`" in m and "meinten Sie `mittel_von_anderer_seite`?" in m
               for m in meldungen), meldungen
