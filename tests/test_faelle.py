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


def test_inhalt_sha256_mit_orjson_wie_kanonisch():
    """The content hash of data without floats is written by orjson; it must be `kanonisch`'s text, and whatever
    orjson would write differently (too large a number, a datetime, a key that is no text, a lone surrogate)
    takes `kanonisch`."""
    import hashlib
    from datetime import datetime

    from engine.faelle import inhalt_sha256, kanonisch

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    # hand-written canonical form: keys sorted by code point, no spaces, dates ISO, texts as JSON without \\u escapes
    assert inhalt_sha256({"b": [1, True, None], "a": "ä\n", "é": date(2024, 3, 1), "e": {}}, True) == \
        sha('{"a":"ä\\n","b":[1,true,null],"e":{},"é":"2024-03-01"}')
    for daten in ({"a": 10 ** 20}, {"a": datetime(2024, 1, 2, 3, 4)}, {1: "x"}, {"a": "\ud800"},
                  {"z": ["\u2028", "\x00", "𐀀", "\ue000"], "y": -(2 ** 63)}, {"a": Decimal("1.50")}):
        assert inhalt_sha256(daten, True) == sha(kanonisch(daten)) == inhalt_sha256(daten, False)


def test_fall_mit_gleitzahl_hasht_wie_ganze_zahl(wb):
    """A float in a case (12.0 as JSON writes it) is canonical by value: the same hash as 12, which only `kanonisch`
    gives (orjson would write "12.0"); the check marks the case so."""
    daten = {"art": "ausgleichsabgabe", "jahr": 2024, "arbeitgeber": {"name": "Test"},
             "monate": [{"monat": m, "arbeitsplaetze": 50, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0,
                         "besetzte_pflichtarbeitsplaetze": 1} for m in range(1, 13)]}
    import copy

    ganz = pruefe_fall(falldokument_aus_daten(copy.deepcopy(daten), "f"), wb)
    daten["monate"][0]["arbeitsplaetze"] = 50.0
    gleit = pruefe_fall(falldokument_aus_daten(daten, "f"), wb)
    assert ganz.ohne_gleitzahlen and not gleit.ohne_gleitzahlen
    assert gleit.sha256 == ganz.sha256
