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
