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
