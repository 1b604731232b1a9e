"""`regelwerk neu regel`: the skeleton is valid (passes `regelwerk check`) and quotes the wording;
and every shipped YAML file names its JSON Schema for the editor."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.autoren.abdeckung import berechne
from engine.cli import main
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "autoren" / "regelwerk"


def test_neue_datei(kopie, capfd):
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 1 Abs. 3 Satz 1 TG", "--art", "ausgleichsabgabe"]) == 0
    aus = capfd.readouterr().out
    assert "Nächste Schritte" in aus and "regelwerk check" in aus
    datei = kopie / "rules" / "ausgleichsabgabe" / "entwurf.yaml"
    text = datei.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../engine/schemas/regeln.schema.json")
    assert "#   „Dieses Gesetz gilt auch für öffentliche Arbeitgeber.“" in text
    assert "- id: aa.entwurf_tg_1_3_1" not in text  # the prefix comes from the art's existing rules
    assert "- id: tg.entwurf_tg_1_3_1" in text and "gueltig_ab: 2023-01-01" in text
    assert "entwurf: true" in text
    assert main(["--wurzel", str(kopie), "check"]) == 0
    assert "Regel `tg.entwurf_tg_1_3_1` ist ein Entwurf und gilt in keiner Entscheidung" in capfd.readouterr().out
    # a draft covers nothing and decides nothing until the mark is removed
    abdeckung = berechne(lade_wissensbasis(kopie))
    v = next(v for v in abdeckung.vorschriften if v.paragraph == "1")
    aktuell = {s.anker: s for s in v.fassungen[0].stellen}
    assert aktuell["tg/1/abs-3/satz-1"].regeln == []


def test_entwurf_geht_nicht_still_in_entscheidungen_ein(kopie, capfd):
    """Regression (issue 24, newcomer 2): a draft from `neu regel` went live silently – every decision of
    the art gained a step "TODO: kurzer Titel …" while check said "in Ordnung"."""
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 1 Abs. 3 Satz 1 TG", "--art", "ausgleichsabgabe"]) == 0
    capfd.readouterr()
    assert main(["--wurzel", str(kopie), "test"]) == 0
    fall = next((kopie / "tests" / "cases" / "beitrag").glob("*.yaml"))
    assert main(["--wurzel", str(kopie), "decide", str(fall), "--format", "json"]) == 0
    assert "TODO" not in capfd.readouterr().out
    # without the mark, the unfinished rule is an error of check, not a silent step
    datei = kopie / "rules" / "ausgleichsabgabe" / "entwurf.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace("    entwurf: true\n", ""), encoding="utf-8")
    assert main(["--wurzel", str(kopie), "check"]) == 1
    assert "enthält noch „TODO“, ist aber nicht als Entwurf markiert" in capfd.readouterr().out


def test_an_datei_anfuegen_vor_nicht_automatisiert(kopie, capfd):
    ziel = kopie / "rules" / "beitrag" / "regeln.yaml"
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 2 Satz 2 Nr. 1 TG", "--art", "ausgleichsabgabe",
                 "--id", "tg.kein_beitrag", "--datei", str(ziel)]) == 0
    text = ziel.read_text(encoding="utf-8")
    assert text.index("- id: tg.kein_beitrag") < text.index("nicht_automatisiert:")
    assert main(["--wurzel", str(kopie), "check"]) == 0
    assert main(["--wurzel", str(kopie), "test"]) == 0  # existing cases still pass
    # the same id twice is refused
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 2 Satz 1 TG", "--art", "ausgleichsabgabe",
                 "--id", "tg.kein_beitrag", "--datei", str(ziel)]) == 2
    assert "gibt es schon" in capfd.readouterr().err


def test_a_f_fassung(kopie):
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 1 Abs. 3 Satz 1 TG", "--art", "ausgleichsabgabe",
                 "--ab", "2021-01-01", "--id", "tg.alt"]) == 0
    text = (kopie / "rules" / "ausgleichsabgabe" / "entwurf.yaml").read_text(encoding="utf-8")
    assert "gueltig_ab: 2021-01-01" in text and "gueltig_bis: 2022-12-31" in text
    assert main(["--wurzel", str(kopie), "check"]) == 0


def test_falsche_eingaben(kopie, capfd):
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 9 TG", "--art", "ausgleichsabgabe"]) == 2
    assert "§ 9 TG ist nicht im Regelwerk enthalten" in capfd.readouterr().err
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 1 Abs. 7 TG", "--art", "ausgleichsabgabe"]) == 2
    assert "Absatz 7 gibt es" in capfd.readouterr().err
    assert main(["--wurzel", str(kopie), "neu", "regel", "§ 1 TG", "--art", "ausgleichsabgab"]) == 2
    assert "meinten Sie `ausgleichsabgabe`" in capfd.readouterr().err
    assert not (kopie / "rules" / "ausgleichsabgabe").exists()


# --- editor support ----------------------------------------------------------------------

_KOMMENTAR = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _erwartetes_schema(datei: Path, basis: Path) -> str:
    teile = datei.relative_to(basis).parts
    if teile[0] == "legal":
        return "gesetze" if datei.name == "gesetze.yaml" else "gesetz"
    if teile[0] == "rules":
        if "parameter" in teile:
            return "parameter"
        return {"verfahren.yaml": "verfahren", "begriffe.yaml": "begriffe"}.get(datei.name, "regeln")
    return "testfall"


def _dateien():
    for basis in (REPO, FIXTURE):
        for ordner in ("legal", "rules", "tests/cases"):
            for datei in sorted((basis / ordner).rglob("*.y*ml")):
                yield basis, datei


@pytest.mark.parametrize("basis,datei", list(_dateien()), ids=lambda x: x.relative_to(REPO).as_posix() if isinstance(x, Path) and x.is_file() else "")
def test_yaml_nennt_schema(basis, datei):
    erste = datei.read_text(encoding="utf-8").splitlines()[0]
    treffer = _KOMMENTAR.match(erste)
    assert treffer, f"{datei}: erste Zeile muss `# yaml-language-server: $schema=…` sein"
    ziel = (datei.parent / treffer.group(1)).resolve()
    assert ziel.is_file(), f"{datei}: Schema {treffer.group(1)} gibt es nicht"
    assert ziel.parent == (REPO / "engine" / "schemas").resolve()
    assert ziel.name == f"{_erwartetes_schema(datei, basis)}.schema.json"


def test_vscode_einstellungen():
    einstellungen = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in einstellungen["yaml.schemas"]:
        assert (REPO / schema).is_file(), schema
