"""engine.schema: German messages with field path and what is allowed."""
from __future__ import annotations

import jsonschema
import pytest

from engine.schema import beschreibung, pruefe_schemadateien, schema_fehler, validator
from engine.yamlquelle import lade_yaml_text


def test_unbekanntes_feld_mit_vorschlag():
    dok = lade_yaml_text("art: status\nentscheidungsdatm: 2024-01-01\n", "f.yaml")
    fehler = schema_fehler(dok, "fall-status")
    assert fehler
    text = " ".join(f"{f.was} {f.hilfe or ''}" for f in fehler)
    assert "entscheidungsdatm" in text and "entscheidungsdatum" in text


def test_verfahren_verlangt_bezeichnung():
    wurzel = validator("verfahren").schema
    eintrag = wurzel["properties"]["verfahren"]["properties"]["ergebnis"]["items"]
    assert "bezeichnung" in eintrag["required"]
    assert beschreibung(wurzel, ("verfahren", "ergebnis", 0, "bezeichnung"))


def test_falscher_typ_nennt_zeile():
    dok = lade_yaml_text("art: ausgleichsabgabe\njahr: zweitausend\n", "f.yaml")
    fehler = schema_fehler(dok, "fall-ausgleichsabgabe")
    assert any(f.ort and f.ort.zeile == 2 for f in fehler)


def test_jede_schemadatei_ist_ein_gueltiges_schema():
    # checked here once instead of at every start of the command line (`validator` no longer calls check_schema)
    namen = pruefe_schemadateien()
    assert {"fall-ausgleichsabgabe", "regeln", "gesetz", "testfall"} <= set(namen)


def test_kaputte_schemadatei_faellt_im_test_auf(tmp_path):
    (tmp_path / "kaputt.schema.json").write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "zahl"}', encoding="utf-8")
    with pytest.raises(jsonschema.SchemaError):
        pruefe_schemadateien(tmp_path)
