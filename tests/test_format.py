"""engine.format: the one value formatter (reader form, JSON form, author form) and engine.zeitraum's period text."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from engine.format import (als_json, datum, datum_aus, deutsch, euro, geld, groesse, json_wert, kurz, liste,
                           mit_einheit, tag_und_monat, wie_geschrieben, zahl, zahl_aus)
from engine.zeitraum import Zeitraum, zeitraeume_text, zeitraum_text


@pytest.mark.parametrize("wert, text", [
    (0, "0"),
    (Decimal("0"), "0"),
    (Decimal("0.00"), "0,00"),
    (7, "7"),
    (-7, "-7"),
    (Decimal("1234.56"), "1.234,56"),
    (Decimal("-1234.56"), "-1.234,56"),
    (Decimal("1234567890.1"), "1.234.567.890,1"),
    (10 ** 12, "1.000.000.000.000"),
    (Decimal("1E+3"), "1.000"),
    (Decimal("0.5"), "0,5"),
    (Decimal("3.2258"), "3,2258"),
    # more than four decimal places (an exact quotient) are cut and marked
    (Decimal("3.225806451612903225806451613"), "3,2258 …"),
    (Decimal("-0.333333333"), "-0,3333 …"),
    (Decimal("2.50000"), "2,5 …"),
    ("1234.5", "1.234,5"),
    ("-12", "-12"),
])
def test_zahlen(wert, text):
    assert zahl(wert) == text
    assert deutsch(wert) == text


@pytest.mark.parametrize("wert, text", [
    (Decimal("9065"), "9.065,00"),
    (Decimal("9065.00"), "9.065,00"),
    (0, "0,00"),
    (Decimal("-0.001"), "0,00"),  # no "-0,00"
    (Decimal("-1820.5"), "-1.820,50"),
    (Decimal("0.005"), "0,01"),  # cents half up
    (Decimal("12.344999"), "12,34"),
    (Decimal("1234567.891"), "1.234.567,89"),
    ("680.00", "680,00"),
])
def test_geld_immer_zwei_nachkommastellen(wert, text):
    assert geld(wert) == text
    assert deutsch(wert, "geld") == text
    assert euro(wert) == f"{text} Euro"


def test_zahl_mit_festen_stellen():
    assert zahl(Decimal("2.25"), 1) == "2,3"
    assert zahl(Decimal("1048576"), 0) == "1.048.576"
    assert groesse(1536 * 1024) == "1,5 MB"
    assert groesse(64 * 1024 * 1024) == "64,0 MB"


def test_keine_zahl():
    with pytest.raises(ValueError):
        zahl("zwölf")
    assert zahl_aus(True) is None and zahl_aus("1,5") is None and zahl_aus(None) is None
    assert zahl_aus(" 73.0 ") == Decimal("73") and zahl_aus(1.5) == Decimal("1.5")


def test_leer_und_wahrheitswerte():
    assert deutsch(None) == "—" and deutsch(None, "geld") == "—"
    assert geld(None) == "—" and euro(None) == "—"
    assert deutsch(True) == "ja" and deutsch(False) == "nein"
    assert deutsch(True, "geld") == "ja"
    assert datum(None) == "—" and datum(None, leer="offen") == "offen"


def test_daten():
    assert datum(date(2024, 3, 31)) == "31.03.2024"
    assert datum(date(1900, 1, 1)) == "01.01.1900"
    assert tag_und_monat(date(2024, 12, 24)) == "24.12."
    assert deutsch(date(2025, 1, 2)) == "02.01.2025"
    assert deutsch("2024-03-31") == "31.03.2024"
    assert deutsch("2024-13-01") == "2024-13-01"  # not a date: shown as written, no error
    assert datum_aus("2024-02-29") == date(2024, 2, 29) and datum_aus("29.02.2024") is None


def test_listen_und_zuordnungen():
    assert deutsch([]) == "keine" == liste([])
    assert deutsch(["a", Decimal("1000"), date(2024, 1, 1)]) == "a, 1.000, 01.01.2024"
    assert deutsch([{"beginn": date(2024, 4, 1), "rueckstand": Decimal("680")}]) == "(beginn 01.04.2024, rueckstand 680)"
    assert deutsch({"a": True, "b": None}) == "a: ja, b: —"
    assert deutsch("Text bleibt Text") == "Text bleibt Text"
    assert deutsch(" 12") == " 12"  # padded text is text


def test_parameter_mit_einheit():
    assert mit_einheit(Decimal("155"), "euro") == "155,00 Euro"
    assert mit_einheit(Decimal("5"), "prozent") == "5 Prozent"
    assert mit_einheit(Decimal("20"), "anzahl") == "20"
    assert mit_einheit("Text", "text") == "Text"


def test_json_form():
    assert als_json({"d": date(2024, 3, 31), "x": [Decimal("1.50"), None, True]}) == \
        {"d": "2024-03-31", "x": ["1.50", None, True]}
    assert json_wert(Decimal("1820"), "geld") == "1820.00"
    assert json_wert(Decimal("0.005"), "geld") == "0.01"
    assert json_wert(Decimal("3.2258"), "prozent") == "3.22"  # cut, not rounded
    assert json_wert(Decimal("61.999"), "zahl") == "61.99"
    assert json_wert(Decimal("37.0"), "anzahl") == "37" and json_wert(Decimal("2.50"), "anzahl") == "2.5"
    assert json_wert(1, "ja_nein") is True and json_wert(None, "geld") is None
    assert json_wert(date(2025, 3, 31), "datum") == "2025-03-31"
    assert json_wert(["a", date(2024, 1, 1), None], "liste") == ["a", "2024-01-01", None]
    assert json_wert("x", "text") == "x"


def test_autorenform():
    assert wie_geschrieben(None) == "— (nicht ermittelt)"
    assert wie_geschrieben(True) == "true" and wie_geschrieben("73") == '"73"' and wie_geschrieben(Decimal("73.0")) == "73.0"
    assert wie_geschrieben(date(2024, 1, 2)) == "2024-01-02"
    assert kurz(None) == "leer" and kurz(False) == "falsch" and kurz(Decimal("1.5")) == "1.5"
    lang = kurz("x" * 200)
    assert len(lang) == 78 and lang.endswith("…")


def test_zeitraum_text_ist_eine_funktion_fuer_alle():
    assert zeitraum_text(date(2018, 1, 1), date(2023, 12, 31)) == "01.01.2018 bis 31.12.2023"
    assert zeitraum_text(date(2024, 1, 1), None) == "ab 01.01.2024"
    assert str(Zeitraum(date(2024, 1, 1), None)) == "ab 01.01.2024"
    assert zeitraeume_text([Zeitraum(date(2024, 1, 1), None), Zeitraum(date(2018, 1, 1), date(2023, 12, 31))]) == \
        "ab 01.01.2024; 01.01.2018 bis 31.12.2023"


def test_gueltigkeit_eine_pruefung():
    """Fassung.gilt_am and parameter.Wert.gilt_am are Zeitraum.enthaelt."""
    from pathlib import Path

    from engine import lade_regelwerk

    with lade_regelwerk(Path(__file__).resolve().parent.parent) as rw:
        wb = rw.wissensbasis
        w = wb.parameter["aa_staffel_1"].werte[0]
        assert w.zeitraum == Zeitraum(w.gueltig_ab, w.gueltig_bis)
        for tag in (w.gueltig_ab, w.gueltig_bis, date(2001, 12, 31), date(2012, 1, 1)):
            assert w.gilt_am(tag) == w.zeitraum.enthaelt(tag)
        f = next(iter(wb.recht.vorschriften.values())).fassungen[-1]
        for tag in (f.gueltig_ab, date(1900, 1, 1), date(2199, 12, 31)):
            assert f.gilt_am(tag) == Zeitraum(f.gueltig_ab, f.gueltig_bis).enthaelt(tag)


def test_jahr_nie_gruppiert_und_babel_zahlen():
    from engine.format import datum, jahr

    assert jahr(2024) == "2024" and jahr("2018") == "2018" and deutsch(2024, "jahr") == "2024"
    assert zahl(Decimal("1234567.5"), 2) == "1.234.567,50" and geld("-0.001") == "0,00"
    assert datum(date(1, 1, 1)) == "01.01.0001"  # four-digit year, not "01.01.1"


def test_regression_jahr_wie_betrag_in_jeder_ausgabeform(tmp_path):
    """Regression (issue 24, newcomer 3; issue 21): years were written like amounts ("im Jahr 2.024",
    "im Jahr 2.018"). No output form – text, Markdown, HTML, JSON, the CSV summary – groups a year."""
    import csv
    import io
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    faelle = [repo / "site/docs/beispiele/muster-gmbh-2024.yaml", repo / "tests/cases/ausgleichsabgabe/jahreswechsel-2017.yaml",
              repo / "site/docs/beispiele/kuendigung-hessen-2024.yaml"]
    faelle += [sorted((repo / "tests/cases" / art).glob("*.yaml"))[0] for art in ("leistung", "status", "entziehung", "verwendung")]
    ausgaben = []
    for fmt in ("text", "md", "html", "json"):
        lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", *map(str, faelle), "--format", fmt, "--still"],
                              cwd=repo, capture_output=True, text=True, timeout=600)
        assert lauf.returncode == 0, lauf.stderr
        ausgaben.append(lauf.stdout)
    lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", *map(str, faelle), "--csv", "-", "--format", "json",
                           "-o", str(tmp_path / "aus.jsonl"), "--still"], cwd=repo, capture_output=True, text=True, timeout=600)
    assert lauf.returncode == 0, lauf.stderr
    assert list(csv.DictReader(io.StringIO(lauf.stdout), delimiter=";"))[0]["jahr"] == "2024"
    ausgaben.append(lauf.stdout)
    for text in ausgaben:
        for j in range(2000, 2031):
            gruppiert = re.compile(rf"(?<![\d.,]){j // 1000}\.{j % 1000:03d}(?![\d,])")
            assert not gruppiert.search(text), f"Jahr {j} gruppiert: …{text[max(0, gruppiert.search(text).start() - 60):][:120]}…"


def test_tausendergruppen_in_c_wie_babel():
    """Numbers that need no rounding are grouped by Python's Decimal formatting with de_DE's CLDR symbols; this must
    give exactly Babel's text for pattern "#,##0.00…" (hand-checked anchors first, then many values against Babel)."""
    import random

    from engine import format as f

    # hand-worked: "." between groups of three, "," before the decimals, the minus sign as written
    assert zahl(Decimal("1234567.5")) == "1.234.567,5"
    assert zahl(Decimal("-1000")) == "-1.000"
    assert zahl(Decimal("1E+3")) == "1.000"
    assert geld(Decimal("999999.995")) == "1.000.000,00"  # rounded half up first (then no rounding is left)
    assert zahl(Decimal("0.0010")) == "0,0010"
    r = random.Random(25)
    for _ in range(3000):
        d = Decimal(r.randint(-10 ** r.randint(0, 16), 10 ** r.randint(0, 16))).scaleb(-r.randint(0, 5))
        d = abs(d) if d == 0 else d
        for stellen in range(max(0, -d.as_tuple().exponent), 7):
            assert f._ziffern(d, stellen) == f._muster(stellen).apply(d, f._DE, decimal_quantization=True), (d, stellen)


def test_dezimal_ohne_gruppen_in_c_wie_babel():
    """CSV cells: the decimal comma, no thousands separator, the number's own places (hand-checked anchors), and the
    C path gives Babel's text for pattern "0.00…" on many values."""
    import random

    from engine import format as f
    from engine.format import dezimal_ohne_gruppen

    assert dezimal_ohne_gruppen(Decimal("4115.00")) == "4115,00"
    assert dezimal_ohne_gruppen("-12.50") == "-12,50"
    assert dezimal_ohne_gruppen(Decimal("1E+3")) == "1000"
    assert dezimal_ohne_gruppen(1234567) == "1234567"
    r = random.Random(25)
    for _ in range(3000):
        d = Decimal(r.randint(-10 ** r.randint(0, 16), 10 ** r.randint(0, 16))).scaleb(-r.randint(-3, 5))
        stellen = max(0, -d.as_tuple().exponent)
        assert dezimal_ohne_gruppen(d) == f._muster_ohne_gruppen(stellen).apply(d, f._DE), d
