"""`regelwerk check`: the real tree passes; every broken fixture gives its precise error."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parents[1]
FIXTURES = WURZEL / "tests" / "fixtures" / "check"


def regelwerk(*args: str, cwd: Path = WURZEL) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(WURZEL), "PATH": "/usr/bin:/bin"})


def test_echter_baum_ist_fehlerfrei():
    ergebnis = regelwerk("check")
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    assert "Regelwerk in Ordnung" in ergebnis.stdout
    assert "Traceback" not in ergebnis.stderr


@pytest.mark.parametrize("fall", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fehlerhafte_datei_wird_genau_gemeldet(fall, tmp_path):
    for ordner in ("legal", "rules"):
        shutil.copytree(WURZEL / ordner, tmp_path / ordner)
    quelle = FIXTURES / fall
    for datei in quelle.rglob("*"):
        if datei.is_file() and datei.name != "erwartet.txt":
            ziel = tmp_path / datei.relative_to(quelle)
            ziel.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(datei, ziel)
    ergebnis = regelwerk("--wurzel", str(tmp_path), "check", cwd=tmp_path)
    ausgabe = ergebnis.stdout + ergebnis.stderr
    assert ergebnis.returncode == 1, ausgabe
    assert "Traceback" not in ausgabe
    for zeile in (quelle / "erwartet.txt").read_text(encoding="utf-8").splitlines():
        assert zeile in ausgabe, f"erwartet: {zeile!r}\nerhalten:\n{ausgabe}"
    assert "Fehler in" in ergebnis.stdout  # the summary line


def test_jede_fehlerklasse_hat_ein_beispiel():
    """The error classes the issue names each have a fixture."""
    vorhanden = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    for noetig in ["schema-pflichtfeld", "unbekanntes-feld", "zitat-ohne-ziel", "zitat-nicht-in-kraft", "parameter-luecke",
                   "parameter-ueberschneidung", "doppelte-ableitung", "formel-syntax", "formel-unbekannter-name", "zyklus",
                   "doppelter-schluessel", "nicht-utf8",
                   # issue 19: a verified Fassung carries its evidence, and it fits the Fassung's dates
                   "gesichert-ohne-nachweis", "nachweis-anderer-beginn", "vorbehalt-ausserhalb-der-fassung"]:
        assert noetig in vorhanden
