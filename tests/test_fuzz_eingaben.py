"""Generated attacks on every input kind (issue 22): the classes of tests/test_zuverlaessigkeit.py stay closed.

The same attacks — hostile values in any field (digits of other scripts, trailing line breaks, huge and negative
numbers, dates 0001/9999, ISO week dates, spreadsheet formulas, terminal escape sequences, forged "FALL NICHT
ENTSCHIEDEN" lines, Markdown links, images, headings and code fences, HTML, 10,000-character texts, NUL), hostile
keys, removed fields, and hostile bytes (Latin-1, NUL, BOMs, quotes, delimiters) — go through every input kind:
YAML and JSON files in a folder, JSON Lines, the levy CSV, the API body (JSON and YAML) and the HTML form.

Invariants:
- no exit code 3, no HTTP 500, no traceback or "interner Fehler";
- every input case appears exactly once in the output, decided or as an error record at its own place
  (its file, its JSON line, the lines of its employer-year in the CSV; its index in the API);
- bounded time per example (and the run's memory, checked once at the end);
- nothing executable in any output: no formula cell in the CSV summary, no control character in text output or on
  stderr, no link, image, raw HTML, heading or fence break from case data in Markdown, no raw `<script>` in HTML.

Fixed seed: `derandomize=True` (the examples are the same in every run, on CI too) and no example database.
Measured on the shared 2-core machine: about a minute for the whole file (see the note of issue 22).
"""
from __future__ import annotations

import copy
import csv
import io
import json
import re
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.stapel.lauf import Optionen, entscheide_stapel

REPO = Path(__file__).resolve().parents[1]
FALL = yaml.safe_load((REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml").read_text(encoding="utf-8"))["fall"]
BEISPIEL_CSV = (REPO / "site" / "docs" / "beispiele" / "anzeige-ausgleichsabgabe.csv").read_text(encoding="utf-8")
KOPF, *CSV_ZEILEN = BEISPIEL_CSV.splitlines()
SPALTEN = KOPF.split(";")

FESTE_SAAT = dict(derandomize=True, database=None, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])
SEKUNDEN_JE_BEISPIEL = 30  # generous for a shared machine; an unbounded read or loop takes far longer

# --- the attacks ------------------------------------------------------------------------------------------------

BOESE_TEXTE = [
    "٣٨", "３８", "𝟑𝟖", "๓๘", "38\n", " 38", "38 ", "1e400", "-1", "0", "", "²", "--5",
    "0001-01-01", "9999-12-31", "2024-W01-1", "20240101", "2024-02-30",
    "=1+1", "+1", "-1+2", "@SUM(A1:A9)", "\t=1", "\r=1",
    "\x1b[2J", "\x1b]0;titel\x07", "\r\nFALL NICHT ENTSCHIEDEN\r\n", "\u202eevil", "\x9b31m", "\x00",
    "[x](javascript:alert(1))", "![](http://x/p.png)", "\n## Ergebnis\n\nZahlbetrag 0,00", "```", "x```\n# y",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "x" * 10_000, "ä" * 300, "Müller & Söhne",
]
ZAHL_TEXTE = ["²", "--5", "٣٨", "9" * 5000, "38\n", "1e400", "-1", "", "0x1F", "1_000", "NaN"]  # for number fields
BOESE_WERTE = BOESE_TEXTE + [10 ** 40, -10 ** 15, 2 ** 63, 1.5, -0.0, 1e300, True, False, None, [], {}, [[[]]],
                             {"x": "wohnsitz"}, 2100, 1899, 169]
BOESE_SCHLUESSEL = ["k" * 10_000, "x\nFALL NICHT ENTSCHIEDEN", "=1+1", "\x1b[31m", "[a](javascript:x)", "$schema", "art"]
BOESE_BYTES = [b"\xfc", b"\xff\xfe", b"\x00", b"\xef\xbb\xbf", b'"', b";", b",", b"\xed\xa0\x80", b"\x1b[2J", b"\\"]

# what may not appear in an output (case data made executable)
_MD_VERBOTEN = re.compile(r"(?<!\\)\]\((?:javascript|http)|(?<!\\)!(?<!\\)\[|<script|<img|^#+ Zahlbetrag", re.M)
_STEUER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def _blaetter(d, pfad=()):
    """Paths of every value in a nested case."""
    yield pfad
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _blaetter(v, pfad + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _blaetter(v, pfad + (i,))


def _setze(d, pfad, wert):
    for teil in pfad[:-1]:
        d = d[teil]
    d[pfad[-1]] = wert


@st.composite
def boeser_fall(draw, basis=FALL):
    """A case with one to three attacks: a field's value replaced, a hostile key added, or a field removed."""
    fall = copy.deepcopy(basis)
    pfade = [p for p in _blaetter(fall) if p]
    for _ in range(draw(st.integers(1, 3))):
        art = draw(st.sampled_from(["wert", "wert", "wert", "schluessel", "weg"]))
        pfade = [p for p in _blaetter(fall) if p]
        pfad = draw(st.sampled_from(pfade))
        try:
            if art == "wert":
                _setze(fall, pfad, draw(st.one_of(st.sampled_from(BOESE_WERTE), st.sampled_from(ZAHL_TEXTE),
                                                  st.text(max_size=12), st.integers())))
            elif art == "schluessel":
                ziel = fall
                for teil in pfad[:-1]:
                    ziel = ziel[teil]
                if isinstance(ziel, dict):
                    ziel[draw(st.sampled_from(BOESE_SCHLUESSEL))] = draw(st.sampled_from(BOESE_WERTE))
            else:
                ziel = fall
                for teil in pfad[:-1]:
                    ziel = ziel[teil]
                del ziel[pfad[-1]]
        except (TypeError, KeyError, IndexError):
            pass
    return fall


faelle = st.lists(st.one_of(boeser_fall(), st.just(FALL)), min_size=1, max_size=3)


@st.composite
def boese_bytes(draw, text: bytes, verboten: bytes = b"") -> bytes:
    """`text` with hostile bytes inserted (never one of `verboten`, e.g. the line break of a JSON Lines file)."""
    for _ in range(draw(st.integers(0, 2))):
        stelle = draw(st.integers(0, len(text)))
        einschub = draw(st.one_of(st.sampled_from(BOESE_BYTES), st.binary(min_size=1, max_size=4)))
        einschub = bytes(b for b in einschub if b not in verboten) or b"\xfc"
        text = text[:stelle] + einschub + text[stelle:]
    return text


# --- running a batch and checking the invariants ------------------------------------------------------------------


def _batch(stapel_rw, pfade, tmp: Path, capsys, format_="json") -> tuple[int, list, list, str]:
    """One run over `pfade`: (exit code, JSON records or the text output, CSV rows, stderr)."""
    aus = io.StringIO()
    tabelle = tmp.parent / (tmp.name + "-zusammenfassung.csv")  # outside the input folder
    start = time.perf_counter()
    code, _ = entscheide_stapel([str(p) for p in pfade], Optionen(format=format_, format_angegeben=True, jobs=1,
                                                                  fortschritt=False, csv=str(tabelle)),
                                stdout=aus, rw=stapel_rw)
    assert time.perf_counter() - start < SEKUNDEN_JE_BEISPIEL
    fehler = capsys.readouterr().err
    assert code in (0, 2), fehler
    assert "Traceback" not in fehler and "interner Fehler" not in fehler
    assert not _STEUER.search(fehler), repr(fehler[:300])
    zeilen = list(csv.reader(tabelle.open(encoding="utf-8", newline=""), delimiter=";"))[1:]
    for zeile in zeilen:
        for zelle in zeile:
            assert not zelle or zelle[0] not in "=+-@\t\r" or re.fullmatch(r"-[0-9.]+", zelle), zelle
            assert not _STEUER.search(zelle), repr(zelle)
    if format_ == "json":
        saetze = [json.loads(z) for z in aus.getvalue().splitlines() if z.strip()]
        for s in saetze:
            assert "fehler" in s or "ergebnis" in s
            assert "interner Fehler" not in json.dumps(s, ensure_ascii=False)
        assert len(saetze) == len(zeilen)
        return code, saetze, zeilen, fehler
    return code, [aus.getvalue()], zeilen, fehler


def _ort(s: dict) -> tuple[str, int | None]:
    """(file, line) of an output record: `datei` of a decision is `file:line` for cases inside a larger file."""
    if "fehler" in s:
        return s["datei"], s["zeile"]
    datei, _, zeile = s["datei"].rpartition(":")
    return (datei, int(zeile)) if zeile.isdigit() and datei else (s["datei"], None)


def _sicher_md(md: str) -> None:
    assert not _STEUER.search(md.replace("\t", ""))
    # every fence closes: the number of fence lines of each length is even
    zaeune = re.findall(r"^(`{3,})$", md, re.M)
    for laenge in set(zaeune):
        assert zaeune.count(laenge) % 2 == 0, laenge
    # outside code blocks (whose text is shown, not read as Markdown) no link, image, HTML or forged heading
    ohne_code = re.sub(r"^(`{3,})\n.*?\n\1$", "", md, flags=re.M | re.S)
    ohne_code = re.sub(r"`[^`\n]*`", "", ohne_code)  # code spans (file names): shown as written
    assert not _MD_VERBOTEN.search(ohne_code), _MD_VERBOTEN.search(ohne_code).group()


@settings(max_examples=60, **FESTE_SAAT)
@given(liste=faelle, yaml_statt_json=st.booleans(), verunstaltet=st.integers(0, 5), bytes_=st.data())
def test_ordner_mit_yaml_und_json_dateien(stapel_rw, tmp_path_factory, capsys, liste, yaml_statt_json, verunstaltet, bytes_):
    """One file per case in a folder (YAML or JSON, one of them with hostile bytes): one record per file, in order."""
    ordner = tmp_path_factory.mktemp("ordner")
    namen = []
    for i, fall in enumerate(liste):
        name = f"{i:02d}-fall." + ("yaml" if yaml_statt_json else "json")
        text = (yaml.safe_dump(fall, allow_unicode=True) if yaml_statt_json else json.dumps(fall, ensure_ascii=False))
        roh = text.encode("utf-8", "surrogatepass")
        if i == verunstaltet:
            roh = bytes_.draw(boese_bytes(roh))
        (ordner / name).write_bytes(roh)
        namen.append(name)
    code, saetze, _, _ = _batch(stapel_rw, [ordner], ordner, capsys)
    assert [Path(_ort(s)[0]).name for s in saetze] == namen


@settings(max_examples=80, **FESTE_SAAT)
@given(liste=faelle, bytes_=st.data(), verunstaltet=st.integers(0, 4))
def test_json_lines(stapel_rw, tmp_path_factory, capsys, liste, bytes_, verunstaltet):
    """One record per line, at its own line (errors of the reader, the schema and the rules alike)."""
    ordner = tmp_path_factory.mktemp("jsonl")
    zeilen = [json.dumps(f, ensure_ascii=bytes_.draw(st.booleans())).encode("utf-8", "surrogatepass") for f in liste]
    if verunstaltet < len(zeilen):
        zeilen[verunstaltet] = bytes_.draw(boese_bytes(zeilen[verunstaltet], verboten=b"\n\r"))
        if not zeilen[verunstaltet].strip():
            zeilen[verunstaltet] = b"x"
    datei = ordner / "f.jsonl"
    datei.write_bytes(b"".join(z + b"\n" for z in zeilen))
    code, saetze, _, _ = _batch(stapel_rw, [datei], ordner, capsys)
    assert [_ort(s)[1] for s in saetze] == list(range(1, len(zeilen) + 1))


@settings(max_examples=80, **FESTE_SAAT)
@given(daten=st.data())
def test_abgabe_csv(stapel_rw, tmp_path_factory, capsys, daten):
    """Two employers (rows 2-13 and 14-25): hostile values and bytes in any cell but Betriebsnummer and year give
    exactly two records, each at a line of its own employer. (Delimiters are not put into the name, which stands
    before the year: a cell more there moves the year, and the row then names another employer-year.)"""
    ordner = tmp_path_factory.mktemp("csv")
    zeilen = [[zelle.encode() for zelle in z.split(";")] for z in CSV_ZEILEN]
    freie = [i for i, s in enumerate(SPALTEN) if s not in ("betriebsnummer", "jahr")]
    for _ in range(daten.draw(st.integers(1, 3))):
        z, sp = daten.draw(st.integers(0, len(zeilen) - 1)), daten.draw(st.sampled_from(freie))
        verboten = b"\n\r" + (b";" if sp < SPALTEN.index("jahr") else b"")
        if daten.draw(st.booleans()):
            wert = daten.draw(st.sampled_from(BOESE_TEXTE)).encode("utf-8", "surrogatepass")
            zeilen[z][sp] = bytes(b for b in wert if b not in verboten)
        else:
            zeilen[z][sp] = daten.draw(boese_bytes(zeilen[z][sp], verboten=verboten))
    koerper = b"\n".join(b";".join(z) for z in zeilen)
    bom = daten.draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"]))
    datei = ordner / "anzeige.csv"
    datei.write_bytes(bom + KOPF.encode() + b"\n" + koerper + b"\n")
    code, saetze, _, _ = _batch(stapel_rw, [datei], ordner, capsys)
    orte = [_ort(s)[1] for s in saetze]
    assert len(saetze) == 2 and 2 <= orte[0] <= 13 and 14 <= orte[1] <= 25, orte


@settings(max_examples=40, **FESTE_SAAT)
@given(liste=faelle, format_=st.sampled_from(["md", "text"]))
def test_bescheide_als_text_und_markdown_ohne_ausfuehrbares(stapel_rw, tmp_path_factory, capsys, liste, format_):
    """Text and Markdown Bescheide (and the error blocks in their place) of hostile cases: no control character, no
    link, image, HTML or heading from case data, every code fence closed; one Bescheid or error per case."""
    ordner = tmp_path_factory.mktemp("md")
    datei = ordner / "x```[a](javascript:b).jsonl"
    datei.write_text("".join(json.dumps(f) + "\n" for f in liste), encoding="utf-8")
    _, (text,), zeilen, _ = _batch(stapel_rw, [datei], ordner, capsys, format_)
    assert len(zeilen) == len(liste)
    if format_ == "md":
        _sicher_md(text)
    else:
        assert not _STEUER.search(text.replace("\t", ""))
        assert text.splitlines().count("FALL NICHT ENTSCHIEDEN") == sum(z[4] == "fehler" for z in zeilen)


def test_dateiarten_die_nicht_gelesen_werden_koennen(stapel_rw, tmp_path, capsys):
    """Every input kind behind a name that is not a readable regular file: one error record each, nothing hangs."""
    import os

    pfade = []
    for endung in ("yaml", "json", "jsonl", "csv"):
        os.mkfifo(tmp_path / f"rohr.{endung}")
        (tmp_path / f"null.{endung}").symlink_to("/dev/zero")
        (tmp_path / f"kreis.{endung}").symlink_to(tmp_path / f"kreis.{endung}")
        (tmp_path / f"leer.{endung}").write_bytes(b"")
        pfade += [tmp_path / f"{n}.{endung}" for n in ("rohr", "null", "kreis", "leer")]
        pfade.append(tmp_path / (("ü" * 130) + f".{endung}"))
    code, saetze, _, _ = _batch(stapel_rw, pfade, tmp_path, capsys)
    assert code == 2 and len(saetze) == len(pfade) and all("fehler" in s for s in saetze)


# --- the server: API body and form ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

    from engine.server.app import erzeuge_app

    with TestClient(erzeuge_app(REPO, site=REPO / "gibt-es-nicht", arbeiter=1), raise_server_exceptions=False) as c:
        yield c


def _antwort_pruefen(r, anzahl: int | None) -> None:
    """No 500; with `anzahl` cases sent: each bad case once at its index, or one decision per case."""
    assert r.status_code in (200, 413, 422), (r.status_code, r.text[:300])
    assert "Traceback" not in r.text and "interner Fehler" not in r.text
    if r.status_code == 422 and r.headers["content-type"].startswith("application/json"):
        indizes = [f["index"] for f in r.json()["fehler"]]
        if anzahl is not None and anzahl > 1 and None not in indizes:  # per case: each bad case once, at its index
            assert len(set(indizes)) == len(indizes) and all(0 <= i < anzahl for i in indizes), indizes
    if anzahl is not None and r.status_code == 200 and r.headers["content-type"].startswith("application/json"):
        d = r.json()
        assert len(d) == anzahl if isinstance(d, list) else anzahl == 1


@settings(max_examples=60, **FESTE_SAAT)
@given(liste=faelle, medium=st.sampled_from(["json", "yaml", "md"]))
def test_api_koerper(client, liste, medium):
    start = time.perf_counter()
    if medium == "yaml":
        r = client.post("/api/v1/entscheidungen", content=yaml.safe_dump(liste, allow_unicode=True).encode("utf-8", "surrogatepass"),
                        headers={"content-type": "application/yaml"})
    else:
        r = client.post("/api/v1/entscheidungen", content=json.dumps(liste).encode(),
                        headers={"content-type": "application/json"}, params={"format": medium})
    assert time.perf_counter() - start < SEKUNDEN_JE_BEISPIEL
    _antwort_pruefen(r, len(liste))
    if medium == "md" and r.status_code == 200:
        _sicher_md(r.text)


@settings(max_examples=40, **FESTE_SAAT)
@given(daten=st.data())
def test_api_csv_koerper(client, daten):
    zeilen = [z.split(";") for z in CSV_ZEILEN]
    for _ in range(daten.draw(st.integers(1, 3))):
        z, s = daten.draw(st.integers(0, len(zeilen) - 1)), daten.draw(st.integers(0, len(SPALTEN) - 1))
        zeilen[z][s] = daten.draw(st.sampled_from(BOESE_TEXTE))
    text = "\n".join([KOPF] + [";".join(z) for z in zeilen])
    r = client.post("/api/v1/entscheidungen", content=text.encode("utf-8", "surrogatepass"),
                    headers={"content-type": "text/csv"})
    _antwort_pruefen(r, None)  # a hostile Betriebsnummer may split an employer: the count is not fixed


@pytest.mark.parametrize("art", ["json-escape", "yaml-alias", "csv"])
def test_api_fallgrenze_je_koerperart(client, art):
    """More than 1,000 cases however they are written: 413 at once, not minutes of deciding."""
    klein = {"art": "ausgleichsabgabe", "jahr": 2024}
    if art == "json-escape":
        text, medium = "[" + ", ".join([json.dumps(klein).replace('"art"', '"\\u0061rt"')] * 1001) + "]", "application/json"
    elif art == "yaml-alias":
        text, medium = "- &f " + json.dumps(klein) + "\n" + "- *f\n" * 1000, "application/yaml"
    else:
        text, medium = "\n".join([KOPF] + [f"{n};X;2024;1;20;0;0;1" for n in range(1001)]), "text/csv"
    start = time.perf_counter()
    r = client.post("/api/v1/entscheidungen", content=text.encode(), headers={"content-type": medium})
    assert r.status_code == 413 and time.perf_counter() - start < SEKUNDEN_JE_BEISPIEL


def _formularfelder(fall: dict) -> list[tuple[str, str]]:
    felder = [("jahr", str(fall.get("jahr", ""))), ("arbeitgeber.name", "Formular GmbH")]
    for i, m in enumerate(fall.get("monate", []) if isinstance(fall.get("monate"), list) else []):
        for k, v in (m.items() if isinstance(m, dict) else []):
            felder.append((f"monate.{i}.{k}", str(v)))
    return felder


@settings(max_examples=80, **FESTE_SAAT)
@given(daten=st.data())
def test_formular(client, daten):
    """The form with hostile texts in any field, hostile field names and fields sent twice: never 500; what is shown
    again is escaped HTML."""
    felder = _formularfelder(FALL)
    namen = [n for n, _ in felder]
    for _ in range(daten.draw(st.integers(1, 3))):
        art = daten.draw(st.sampled_from(["wert", "name", "doppelt"]))
        # the scalar fields first (the year, the name), then any cell of the month table
        name = daten.draw(st.one_of(st.sampled_from(["jahr", "arbeitgeber.name", "monate.0.arbeitsplaetze"]),
                                    st.sampled_from(namen)))
        if art == "wert":
            wert = daten.draw(st.one_of(st.sampled_from(ZAHL_TEXTE), st.sampled_from(BOESE_TEXTE)))
            felder = [(n, wert if n == name else w) for n, w in felder]
        elif art == "name":
            felder.append((daten.draw(st.sampled_from(BOESE_SCHLUESSEL + [name + ".x", "monate.x.monat",
                                                                          "monate.99999.monat"])), "1"))
        else:
            felder.append((name, daten.draw(st.sampled_from(["1", "2024", ""]))))
    r = client.post("/formular/ausgleichsabgabe", content=urlencode(felder).encode(),  # a field may come twice
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code in (200, 422), (r.status_code, r.text[:300])
    assert "<script" not in r.text and "<img" not in r.text and "Traceback" not in r.text


def test_speicher_begrenzt(tmp_path):
    """Memory stays bounded however long a line is: a CSV and a JSON Lines file of one 100 MB line each (sparse files,
    free to write) are decided in a process of its own, whose peak memory is measured (Linux: kilobytes). Before,
    the CSV line was read whole (a 1 GB line took more than 2 GB)."""
    import subprocess
    import sys

    with open(tmp_path / "gross.csv", "wb") as f:
        f.write(KOPF.encode() + b"\n")
        f.truncate(100 * 1024 * 1024)
    with open(tmp_path / "gross.jsonl", "wb") as f:
        f.truncate(100 * 1024 * 1024)
    def spitze(*dateien: Path) -> tuple[int, int, int, str]:
        kind = subprocess.run([sys.executable, "-c", (
            "import io, resource, sys\n"
            "from engine.stapel.lauf import Optionen, entscheide_stapel\n"
            "code, b = entscheide_stapel(sys.argv[1:], Optionen(format='json', jobs=1, fortschritt=False), stdout=io.StringIO())\n"
            "print(code, b.fehlerhaft, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"),
            *map(str, dateien)], capture_output=True, text=True, timeout=300, cwd=REPO)
        code, fehlerhaft, kilobytes = map(int, kind.stdout.split())
        return code, fehlerhaft, kilobytes, kind.stderr

    klein = tmp_path / "klein.jsonl"
    klein.write_text('{"art": "status"}\n', encoding="utf-8")
    *_, grundlast, _ = spitze(klein)  # the process with the rulebook loaded, deciding one small case
    code, fehlerhaft, kilobytes, stderr = spitze(tmp_path / "gross.csv", tmp_path / "gross.jsonl")
    assert (code, fehlerhaft) == (2, 2), stderr
    assert "Zeile ist zu groß" in stderr
    # the 100 MB lines add (almost) nothing to the peak of a process that loaded the rulebook
    assert kilobytes - grundlast < 40 * 1024, (kilobytes, grundlast)
