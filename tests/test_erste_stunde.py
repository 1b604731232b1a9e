"""Issue 24, a newcomer's first hour: regression tests for what a new user ran into."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _regelwerk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("aufruf", [
    ["gibtsnicht"],
    ["decide"],
    ["decide", "--format", "pdfx", "x.yaml"],
    ["decide", "--gibtsnicht", "x.yaml"],
    ["zeige"],
    ["check", "--hilfe"],
    ["decide", "--format"],
])
def test_regression_argparse_meldungen_halb_englisch(aufruf):
    """Regression (issue 24, newcomer 6): argparse's messages were half English ("usage:", "error:",
    "the following arguments are required", "invalid choice", "argument")."""
    lauf = _regelwerk(*aufruf)
    assert lauf.returncode == 2
    assert "Aufruf: regelwerk" in lauf.stderr and "fehler:" in lauf.stderr
    for englisch in ("usage:", "error:", "required", "invalid", "argument", "choose from", "unrecognized", "expected"):
        assert englisch not in lauf.stderr, lauf.stderr


def test_hilfe_deutsch():
    lauf = _regelwerk("decide", "--help")
    assert lauf.returncode == 0
    assert "Aufruf:" in lauf.stdout and "Optionen" in lauf.stdout and "usage" not in lauf.stdout


def test_fehlender_zusatz_deutsche_meldung(monkeypatch, capsys):
    """A deployment that only decides installs `pip install -e .`; `site build` and `serve` then name the
    missing extra in German (exit 2) instead of an ImportError traceback."""
    import importlib.util

    from engine.cli import main

    echt = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("mkdocs", "fastapi") else echt(name, *a))
    assert main(["serve", "--port", "1"]) == 2
    fehler = capsys.readouterr().err
    assert "fehlt das Paket `fastapi`" in fehler and "pip install -e '.[server]'" in fehler and "Traceback" not in fehler
    assert main(["site", "build"]) == 2
    assert "Zusatz `site`" in capsys.readouterr().err


def test_entscheiden_ohne_zusaetze():
    """Deciding imports neither MkDocs nor the server stack (they are optional extras)."""
    code = ("import sys, engine.cli; from engine import lade_regelwerk, lies_fall, rendere\n"
            "with lade_regelwerk() as rw: rendere(rw.entscheide(lies_fall('site/docs/beispiele/muster-gmbh-2024.yaml')), 'html')\n"
            "bad = [m for m in ('mkdocs', 'fastapi', 'uvicorn') if m in sys.modules]\n"
            "assert not bad, bad")
    lauf = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert lauf.returncode == 0, lauf.stderr


def test_regression_diff_jahresvergleich_auf_entziehungsfaellen():
    """Regression (issue 24, newcomer 4): the command `regelwerk diff` itself suggests (`--jahr 2023 --gegen 2024`)
    failed on the Entziehung cases ("unbekanntes Feld `jahr`"): cases of arts without a year are now passed over
    and counted; the levy cases are compared."""
    lauf = _regelwerk("diff", "--jahr", "2023", "--gegen", "2024", "tests/cases/entziehung",
                      "tests/cases/ausgleichsabgabe/staffel-2-2024.yaml")
    assert lauf.returncode == 0, lauf.stderr
    assert "unbekanntes Feld" not in lauf.stdout + lauf.stderr
    anzahl = len(list((REPO / "tests/cases/entziehung").glob("*.yaml")))
    assert f"{anzahl} Fälle ohne Erhebungsjahr" in lauf.stdout
    assert "1 Fälle: 1 mit geändertem Ergebnis" in lauf.stdout  # at least its due date moves with the year


def test_regression_fehlende_eingabe_hinterlaesst_keine_ausgabedatei(tmp_path):
    """Regression (issue 24, newcomer 4): `regelwerk decide faelle.jsonl -o entscheidungen.jsonl` with a missing
    input failed and still created entscheidungen.jsonl."""
    ziel = tmp_path / "entscheidungen.jsonl"
    lauf = _regelwerk("decide", str(tmp_path / "faelle.jsonl"), "--format", "json", "-o", str(ziel))
    assert lauf.returncode == 2 and "nicht gefunden" in lauf.stderr
    assert not ziel.exists()


def test_regression_fortschritt_json_lines_ohne_restzeit(tmp_path):
    """Regression (issue 24, newcomer 6): the progress of a JSON Lines run showed no remaining time, although the
    README promises it: the number of cases is now known beforehand (lines of JSON Lines, files of a folder)."""
    from engine.stapel.lauf import geschaetzte_faelle

    datei = tmp_path / "f.jsonl"
    datei.write_text('{"art": "status"}\n' * 5 + '{"art": "status"}', encoding="utf-8")  # last line without newline
    ordner = tmp_path / "ordner"
    ordner.mkdir()
    for i in range(3):
        (ordner / f"{i}.yaml").write_text("art: status\n", encoding="utf-8")
    assert geschaetzte_faelle([str(datei), str(ordner)]) == 9
    assert geschaetzte_faelle([str(REPO / "site/docs/beispiele/anzeige-ausgleichsabgabe.csv")]) is None
    lauf = _regelwerk("decide", str(REPO / "site/docs/beispiele/faelle.jsonl"), "--format", "json", "-o",
                      str(tmp_path / "aus.jsonl"), "--fortschritt", "--jobs", "1")
    assert lauf.returncode == 0


def test_regression_feldpfad_zaehlt_monate_ab_null():
    """Regression (issue 24, newcomer 6): field paths count list entries from 0 (`monate[1]` is the second month
    row); the message now names the position in words."""
    from engine import RegelwerkFehler, fall_aus_daten, lade_regelwerk

    monat = {"arbeitsplaetze": 1, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0, "besetzte_pflichtarbeitsplaetze": 0}
    fall = {"art": "ausgleichsabgabe", "jahr": 2024,
            "monate": [dict(monat, monat=1), dict(monat, monat=2, ausbildungsstellen=-1)]}
    with lade_regelwerk(REPO) as rw:
        with pytest.raises(RegelwerkFehler) as fehler:
            rw.entscheide(fall_aus_daten(fall, quelle="formular"))
    assert "(Feld `monate[1].ausbildungsstellen`) – 2. Eintrag von monate" in str(fehler.value)
