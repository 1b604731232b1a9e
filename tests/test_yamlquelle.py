"""engine.yamlquelle (read-only tests of current behaviour): positions, safe loading, German errors."""
from __future__ import annotations

import pytest

from engine.fehler import LadeFehler
from engine.yamlquelle import lade_yaml_text, pfad_text


def test_positionen_je_feldpfad():
    dok = lade_yaml_text("a:\n  b:\n    - x\n    - y\n", "d.yaml")
    assert dok.daten == {"a": {"b": ["x", "y"]}}
    assert dok.ort(("a", "b", 1)).zeile == 4
    assert dok.ort(("a", "gibtsnicht")).zeile == dok.ort(("a",)).zeile  # walks up to the parent


def test_doppelter_schluessel_ist_fehler():
    with pytest.raises(LadeFehler) as info:
        lade_yaml_text("a: 1\na: 2\n", "d.yaml")
    assert info.value.ort.datei == "d.yaml" and info.value.ort.zeile == 2


def test_python_tags_werden_nicht_ausgefuehrt():
    """A Python tag is refused with a German message naming the place; nothing is constructed or run."""
    with pytest.raises(LadeFehler) as info:
        lade_yaml_text("a: !!python/object/apply:os.system ['true']\n", "d.yaml")
    assert "wird nicht unterstützt" in info.value.was and info.value.ort.zeile == 1


def test_syntaxfehler_mit_ort():
    with pytest.raises(LadeFehler) as info:
        lade_yaml_text("a: [1, 2\n", "d.yaml")
    assert info.value.ort.zeile is not None and "YAML" in info.value.was


def test_pfad_text():
    assert pfad_text(("regeln", 0, "dann")) in ("regeln[0].dann", "regeln.0.dann", "regeln[0]/dann")
