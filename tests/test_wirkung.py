"""`regelwerk diff`: two law dates, and the working tree against a git revision of a fixture rulebook."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "autoren" / "regelwerk"


def _git(ordner: Path, *argumente: str) -> None:
    subprocess.run(["git", "-C", str(ordner), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *argumente], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git fehlt")
    ziel = tmp_path / "regelwerk"
    shutil.copytree(FIXTURE, ziel)
    _git(ziel, "init", "-q")
    _git(ziel, "add", "-A")
    _git(ziel, "commit", "-q", "-m", "Stand vorher")
    return ziel


def test_diff_gegen_head_nach_parameteraenderung(repo, capfd):
    datei = repo / "rules" / "parameter" / "beitrag.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace('wert: "10"', 'wert: "12"'), encoding="utf-8")
    assert main(["--wurzel", str(repo), "diff", "--gegen", "HEAD", "--format", "json"]) == 0
    daten = json.loads(capfd.readouterr().out)
    assert daten["vergleich"] == {"vorher": "HEAD", "nachher": "Arbeitsstand"}
    assert daten["faelle"] == 2 and daten["unveraendert"] == 1 and daten["geaendert_anzahl"] == 1
    [fall] = daten["geaendert"]
    assert fall["datei"].endswith("zwei-monate-2023.yaml")
    assert fall["ergebnis"] == {"beitrag": {"vorher": "80.00", "nachher": "96.00"}}
    [schritt] = fall["schritte"]
    assert schritt["regel"] == "tg.beitrag" and schritt["art"] == "geaendert"
    assert schritt["parameter"]["beitragssatz"]["vorher"] == "10" and schritt["parameter"]["beitragssatz"]["nachher"] == "12"
    assert schritt["ergebnisse"] == {"vorher": {"beitrag": "80"}, "nachher": {"beitrag": "96"}}
    # the same in German text and Markdown; --gegen-revision is the explicit form
    assert main(["--wurzel", str(repo), "diff", "--gegen-revision", "HEAD"]) == 0
    text = capfd.readouterr().out
    assert "beitrag: vorher 80.00, nachher 96.00" in text
    assert "Parameter `beitragssatz`: vorher 10, nachher 12 (§ 1 Abs. 1 Satz 2 TG)" in text
    assert "2 Fälle: 1 mit geändertem Ergebnis, 1 unverändert" in text
    assert main(["--wurzel", str(repo), "diff", "--gegen", "HEAD", "--format", "md"]) == 0
    assert "| `beitrag` | 80.00 | 96.00 |" in capfd.readouterr().out


def test_diff_ohne_aenderung(repo, capfd):
    assert main(["--wurzel", str(repo), "diff", "--gegen", "HEAD"]) == 0
    assert "2 Fälle: 0 mit geändertem Ergebnis, 2 unverändert" in capfd.readouterr().out


def test_diff_unbekannte_revision(repo, capfd):
    assert main(["--wurzel", str(repo), "diff", "--gegen", "gibtsnicht"]) == 2
    assert "die Git-Revision `gibtsnicht` gibt es nicht" in capfd.readouterr().err


def test_diff_zwei_jahre(capfd):
    assert main(["--wurzel", str(FIXTURE), "diff", "--jahr", "2021", "--gegen", "2023", "--ignoriere", "faellig_am",
                 "--format", "json"]) == 0
    daten = json.loads(capfd.readouterr().out)
    assert daten["geaendert_anzahl"] == 2
    ergebnisse = {Path(f["datei"]).name: f["ergebnis"] for f in daten["geaendert"]}
    assert ergebnisse["ein-monat-2021.yaml"] == {"beitrag": {"vorher": "32.00", "nachher": "40.00"}}
    # only the case's own year against 2023: the 2023 case is unchanged
    assert main(["--wurzel", str(FIXTURE), "diff", "--gegen", "2023"]) == 0
    assert "2 Fälle: 1 mit geändertem Ergebnis, 1 unverändert" in capfd.readouterr().out


def test_diff_jahr_ohne_recht(capfd):
    assert main(["--wurzel", str(FIXTURE), "diff", "--jahr", "2023", "--gegen", "1999"]) == 2
    assert "für das Jahr 1999 ist im Regelwerk kein Recht hinterlegt" in capfd.readouterr().err


def test_diff_ohne_vergleich(capfd):
    assert main(["--wurzel", str(FIXTURE), "diff"]) == 2
    assert "nichts zu vergleichen" in capfd.readouterr().err


def test_diff_echtes_regelwerk_reform_2024(capfd):
    fall = REPO / "tests" / "cases" / "ausgleichsabgabe"
    assert main(["--wurzel", str(REPO), "diff", str(fall), "--jahr", "2023", "--gegen", "2024", "--ignoriere", "faellig_am", "--format", "json"]) == 0
    daten = json.loads(capfd.readouterr().out)
    regeln = {s["regel"] for f in daten["geaendert"] for s in f["schritte"]}
    assert daten["geaendert_anzahl"] > 0 and "aa.klein_40_null" in regeln


def test_revision_ohne_tar_filter_python_3_11_2(repo, capfd, monkeypatch):
    """Regression (CI on Debian's Python 3.11.2): `tarfile` has extraction filters only from 3.11.4; `extractall(…,
    filter="data")` raised TypeError ("interner Fehler") for every `--gegen REV`. Without filters only folders and
    regular files inside the target are extracted; a link or a path leaving the target is skipped."""
    import io
    import tarfile

    from engine.autoren import wirkung
    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    test_diff_ohne_aenderung(repo, capfd)  # the whole command works without filters
    puffer = io.BytesIO()
    with tarfile.open(fileobj=puffer, mode="w") as tar:
        for name, typ in (("gut/a.yaml", tarfile.REGTYPE), ("../boese.yaml", tarfile.REGTYPE),
                          ("gut/link", tarfile.SYMTYPE)):
            info = tarfile.TarInfo(name)
            info.type = typ
            info.linkname = "/etc/passwd" if typ == tarfile.SYMTYPE else ""
            daten = b"x: 1\n" if typ == tarfile.REGTYPE else b""
            info.size = len(daten)
            tar.addfile(info, io.BytesIO(daten))
    ziel = repo.parent / "auspacken"
    ziel.mkdir()
    puffer.seek(0)
    with tarfile.open(fileobj=puffer) as tar:
        wirkung._entpacke(tar, str(ziel))
    assert (ziel / "gut" / "a.yaml").read_text() == "x: 1\n"
    assert not (ziel / "gut" / "link").exists() and not (repo.parent / "boese.yaml").exists()
