"""One coverage number per Fassung everywhere: provision page figures, its badges, the matrix and
`regelwerk coverage --format json` agree (issue 9: Bek. v. 2.12.2024 showed 33 % and 100 %)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from engine.cli import main
from engine.site import Analyse
from engine.site.seiten import Generator, zeilen
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def alles(tmp_path_factory):
    wb = lade_wissensbasis(REPO)
    generator = Generator(wb, tmp_path_factory.mktemp("generiert"))
    return wb, generator


def test_seite_badges_matrix_und_coverage_json_stimmen_ueberein(alles, capsys):
    wb, generator = alles
    analyse: Analyse = generator.analyse
    assert main(["--wurzel", str(REPO), "coverage", "--format", "json"]) == 0
    json_daten = json.loads(capsys.readouterr().out)
    matrix = {(z["v"].anker, z["f"].gueltig_ab.isoformat()): z["zahlen"] for z in generator._matrix_abdeckung()}
    geprueft = 0
    for va in json_daten["vorschriften"]:
        v = wb.recht.vorschrift(va["gesetz"], va["paragraph"])
        for fa in va["fassungen"]:
            f = next(x for x in v.fassungen if x.gueltig_ab.isoformat() == fa["gueltig_ab"])
            seite = analyse.abdeckung(v, f)
            erwartet = {"stellen": fa["stellen_gesamt"], "umgesetzt": fa["umgesetzt"],
                        "nicht_automatisiert": fa["nicht_automatisiert"], "offen": fa["offen"]}
            assert {k: seite[k] for k in erwartet} == erwartet, (v.anker, fa["gueltig_ab"])
            assert {k: matrix[(v.anker, fa["gueltig_ab"])][k] for k in erwartet} == erwartet
            assert seite["getestet"] == fa["getestet"] == matrix[(v.anker, fa["gueltig_ab"])]["getestet"]
            badges = Counter(z.status.art for z in zeilen(analyse, v, f) if z.status is not None)
            assert {k: badges.get(k, 0) for k in ("umgesetzt", "nicht_automatisiert", "offen")} == \
                {k: erwartet[k] for k in ("umgesetzt", "nicht_automatisiert", "offen")}, (v.anker, fa["gueltig_ab"])
            geprueft += 1
    assert geprueft == sum(len(v.fassungen) for v in wb.recht.vorschriften.values())  # every Fassung


def test_bekanntmachung_2024_einheitlich(alles):
    """The issue's example: the Bek. v. 2.12.2024 is cited by parameters only; it counts as umgesetzt everywhere."""
    wb, generator = alles
    v = next(v for v in wb.recht.vorschriften.values() if v.datei.endswith("aa-2024.yaml"))
    zahlen = generator.analyse.abdeckung(v, v.fassungen[0])
    assert zahlen["anteil"] == 100 and zahlen["offen"] == 0


def test_site_entscheidet_jeden_fall_einmal(monkeypatch):
    from engine.entscheidung import Entscheider

    aufrufe = Counter()
    original = Entscheider.entscheide

    def zaehle(self, fall):
        aufrufe[fall.datei] += 1
        return original(self, fall)

    monkeypatch.setattr(Entscheider, "entscheide", zaehle)
    Analyse(lade_wissensbasis(REPO))
    assert aufrufe and max(aufrufe.values()) == 1
