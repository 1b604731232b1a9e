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


# --- every command the README shows, as written, in a fresh copy of the project -------------------------


def _readme_befehle() -> list[str]:
    """The shell commands of the README's indented code blocks (continuation lines joined), in order."""
    befehle, offen = [], ""
    for zeile in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if not zeile.startswith("    ") or zeile.startswith("     ") and not offen:
            continue
        text = zeile.strip()
        if offen:
            text = offen + " " + text
            offen = ""
        if text.endswith("\\"):
            offen = text[:-1].strip()
            continue
        if text.split(" ", 1)[0] in ("regelwerk", "curl", "python3", "bash"):
            befehle.append(text)
    return befehle


# Commands covered elsewhere, with where: the two install/test commands run in CI as written
# (.ci/run, .ci/smoke-readme); the benchmarks print figures and take minutes (benchmarks/ are not tests).
_ANDERSWO = ("python3 -m venv", "bash tests/run", "python3 benchmarks/")


def test_readme_befehle_sind_bekannt():
    befehle = _readme_befehle()
    assert any(b.startswith("regelwerk decide") for b in befehle) and any(b.startswith("curl") for b in befehle)
    assert any(b.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install") for b in befehle)


def test_jeder_readme_befehl_laeuft_wie_geschrieben(tmp_path):
    """Regression (issue 24, newcomer 4): README examples failed (`faelle.jsonl` did not exist, a parameter
    id "aus GET /api/v1/regeln" gave 404). Every command of the README runs here as written, in a copy of
    the project's tracked files that is its own git repository (as a fresh clone): exit 0, no traceback."""
    import os
    import shlex
    import shutil
    import socket
    import time
    import urllib.request

    kopie = tmp_path / "klon"
    dateien = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                             capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, dateien):
        if (REPO / name).is_file():
            (kopie / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, kopie / name)
    for befehl in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "klon"]):
        subprocess.run(["git", *befehl], cwd=kopie, check=True, capture_output=True)
    umgebung = dict(os.environ, PYTHONPATH=str(kopie))
    regelwerk = [sys.executable, "-m", "engine.cli"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = None
    gelaufen = []
    try:
        for befehl in _readme_befehle():
            if befehl.startswith(_ANDERSWO):
                continue
            teile = shlex.split(befehl, comments=True)
            if teile[:2] == ["regelwerk", "serve"]:
                server = subprocess.Popen([*regelwerk, *teile[1:], "--port", str(port), "--arbeiter", "1"], cwd=kopie,
                                          env=umgebung, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                ende = time.time() + 120
                while True:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5)
                        break
                    except OSError:
                        assert server.poll() is None and time.time() < ende, "regelwerk serve startet nicht"
                        time.sleep(0.3)
                gelaufen.append(befehl)
                continue
            if teile[0] == "regelwerk":
                aufruf = [*regelwerk, *teile[1:]]
            elif teile[0] == "curl":
                assert server is not None, f"{befehl}: curl vor `regelwerk serve`"
                aufruf = [t.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for t in teile] + ["--fail-with-body"]
            else:
                aufruf = [sys.executable if teile[0] == "python3" else teile[0], *teile[1:]]
            lauf = subprocess.run(aufruf, cwd=kopie, env=umgebung, capture_output=True, text=True, timeout=600)
            assert lauf.returncode == 0, f"{befehl}\n{lauf.stdout[-2000:]}\n{lauf.stderr[-2000:]}"
            assert "Traceback" not in lauf.stderr, befehl
            gelaufen.append(befehl)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    assert len(gelaufen) >= 15, gelaufen
