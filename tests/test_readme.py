"""The README's example of the public API runs as written."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _beispiel() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    abschnitt = text[text.index("## Als Python-Bibliothek"):]
    return re.search(r"```python\n(.*?)```", abschnitt, re.S).group(1)


def test_readme_beispiel_hat_hoechstens_zehn_zeilen_code():
    zeilen = [z for z in _beispiel().splitlines() if z.strip()]
    assert len(zeilen) <= 10
    assert zeilen[0].startswith("from engine import")


def test_readme_beispiel_laeuft():
    lauf = subprocess.run([sys.executable, "-c", _beispiel()], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert lauf.returncode == 0, lauf.stderr
    ausgabe = lauf.stdout
    assert ausgabe.startswith("14700.00 ")  # Zahlbetrag of the Staffel-2 case, worked out in its test case
    assert "ERGEBNIS" in ausgabe and "Zahlbetrag (Euro): 14.700,00" in ausgabe
    assert "formular:1:1: Pflichtfeld `monate` fehlt" in ausgabe  # no line numbers for data: 1:1
    assert "Traceback" not in lauf.stderr
