"""engine.faelle: reading case files, the one `fall:` unwrapping, conversion to engine values."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.faelle import fall_teil, falldokument_aus_daten, lade_fall, lies_falldokument, pruefe_fall
from engine.fehler import FallFehler, LadeFehler
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent
FALL = REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml"


@pytest.fixture(scope="module")
def wb():
    return lade_wissensbasis(REPO)


def test_fall_teil_eines_testfalls_mit_positionen():
    dok = lies_falldokument(FALL)
    teil = fall_teil(dok)
    assert teil is not dok and teil.daten["art"] == "ausgleichsabgabe"
    assert teil.ort(("jahr",)).zeile == dok.ort(("fall", "jahr")).zeile  # positions follow the unwrapped part


def test_fall_teil_einer_falldatei_ist_sie_selbst():
    dok = falldokument_aus_daten({"art": "status"}, "x")
    assert fall_teil(dok) is dok


def test_werte_werden_decimal_und_datum(wb):
    fall = lade_fall(FALL, wb)
    assert fall.stichtag == date(2024, 12, 31)  # rechtsstand "jahresende"
    assert isinstance(fall.eingaben["jahr"], Decimal)
    assert all(not isinstance(w, float) for w in fall.eingaben.values())


def test_json_syntaxfehler_mit_zeile(tmp_path):
    datei = tmp_path / "fall.json"
    datei.write_text('{"art": "status",\n "x": }', encoding="utf-8")
    with pytest.raises(LadeFehler) as info:
        lies_falldokument(datei)
    assert info.value.ort.zeile == 2


def test_regelwerksdatei_ist_kein_fall(wb):
    with pytest.raises(FallFehler, match="keine Falldatei"):
        pruefe_fall(falldokument_aus_daten({"regeln": []}, "r.yaml"), wb)


def test_unbekannte_art_mit_vorschlag(wb):
    with pytest.raises(FallFehler) as info:
        pruefe_fall(falldokument_aus_daten({"art": "ausgleichsabgab", "jahr": 2024}, "f"), wb)
    assert "ausgleichsabgabe" in (info.value.hilfe or "")


def test_kanonisch_ganze_zahlen_und_texte_wie_json_und_decimal():
    """The fast paths of the content hash (whole numbers, texts) give the text of the general ones."""
    import json
    from decimal import Decimal

    from engine.faelle import kanonisch

    for n in (0, 7, -7, 190, 10 ** 20, -(10 ** 29)):
        d = Decimal(n).normalize()
        assert kanonisch(n) == (f"{d:f}" if d != 0 else "0") == kanonisch(Decimal(n)) == kanonisch(float(n) if abs(n) < 10 ** 15 else Decimal(n))
    for t in ("", "ä", "\u2028", '"\\\n\t\x00', "\ud83e\udd84".encode("utf-16", "surrogatepass").decode("utf-16")):
        assert kanonisch(t) == json.dumps(t, ensure_ascii=False)
        assert kanonisch({t: 1}) == "{" + json.dumps(t, ensure_ascii=False) + ":1}"
