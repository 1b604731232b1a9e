"""Batch runs (engine/stapel): every input and output format, error records in place, order under --jobs 2."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.stapel import adapter
from engine.stapel.ausgabe import JsonSchreiber
from engine.stapel.lauf import Optionen, entscheide_stapel

REPO = Path(__file__).resolve().parents[1]
FAELLE = REPO / "tests" / "cases"
FEHLER = REPO / "tests" / "fixtures" / "faelle"
BEISPIEL_CSV = REPO / "site" / "docs" / "beispiele" / "anzeige-ausgleichsabgabe.csv"


def _fall(jahr: int = 2024, ap: int = 50, besetzt: int = 1) -> dict:
    return {"art": "ausgleichsabgabe", "jahr": jahr, "arbeitgeber": {"name": "Test"},
            "monate": [{"monat": m, "arbeitsplaetze": ap, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0,
                        "besetzte_pflichtarbeitsplaetze": besetzt} for m in range(1, 13)]}


def _lauf(pfade, stapel_rw, **optionen) -> tuple[int, str, object]:
    aus = io.StringIO()
    code, bilanz = entscheide_stapel([str(p) for p in pfade], Optionen(jobs=1, fortschritt=False, **optionen),
                                     stdout=aus, rw=stapel_rw)
    return code, aus.getvalue(), bilanz


def test_schnelles_json_gleicht_rendere_byte_fuer_byte(stapel_rw):
    """The JSON trail built from per-plan constant parts is exactly `rendere(e, "json")`, for every hand-worked case."""
    schreiber = JsonSchreiber()
    dateien = sorted(p for p in FAELLE.rglob("*.yaml") if p.name != "README.md")
    assert len(dateien) > 50
    for datei in dateien:
        e = stapel_rw.entscheide(adapter.lies_fall(datei))
        assert schreiber.json(e) == adapter.rendere(e, "json"), datei
        assert schreiber.json(e) == adapter.rendere(e, "json"), datei  # also from the cache
        assert schreiber.json_utf8(e) == adapter.rendere(e, "json").encode("utf-8"), datei  # what a batch writes


def test_werte_in_einem_durchgang_wie_als_json():
    """Values of the trail written by the C encoder with a `default` for Decimal and dates give exactly
    `json.dumps(als_json(w))`; anything else it does not know is a TypeError, as before."""
    from datetime import date, datetime
    from decimal import Decimal

    from engine.stapel.ausgabe import _werte_json

    for w in ([{"monat": Decimal("1"), "b": Decimal("12.50")}, (Decimal("-0.00"), date(2024, 3, 31))],
              {"a": [None, True, 1, 1.5, "ä\n", datetime(2024, 1, 2, 3, 4)], "b": {}}, Decimal("NaN"), "x", None):
        assert _werte_json(w) == json.dumps(adapter.als_json(w), ensure_ascii=False)
    with pytest.raises(TypeError):
        _werte_json({"a": object()})


def test_kompakte_form_ersetzt_wortlaut_durch_schluessel(stapel_rw):
    e = stapel_rw.entscheide(adapter.lies_fall(FAELLE / "ausgleichsabgabe" / "staffel-2-2024.yaml"))
    saetze: dict[str, str] = {}
    kompakt = json.loads(JsonSchreiber().json(e, kompakt=True, saetze=saetze))
    voll = json.loads(adapter.rendere(e, "json"))
    for sk, sv in zip(kompakt["begruendung"], voll["begruendung"]):
        for fk, fv in zip(sk["fundstellen"], sv["fundstellen"]):
            assert "wortlaut" not in fk
            assert saetze[fk.pop("satz")] == fv.pop("wortlaut")
            assert fk == fv
        sk["fundstellen"] = sv["fundstellen"] = None
        assert sk == sv


def test_json_lines_mit_fehlerhafter_zeile_in_der_mitte(stapel_rw, tmp_path):
    eingabe = tmp_path / "faelle.jsonl"
    kaputt = _fall()
    kaputt["monate"][3]["arbeitsplaetze"] = "viele"
    zeilen = [json.dumps(_fall(ap=40)), json.dumps(kaputt), "", "{kein json", json.dumps(_fall(ap=300))]
    eingabe.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    code, aus, bilanz = _lauf([eingabe], stapel_rw)
    assert code == 2 and (bilanz.entschieden, bilanz.fehlerhaft) == (2, 2)
    datensaetze = [json.loads(z) for z in aus.splitlines()]
    assert [d.get("datei") for d in datensaetze] == [f"{eingabe.name}:1", eingabe.name, eingabe.name, f"{eingabe.name}:5"] \
        or [Path(d["datei"]).name.split(":")[0] for d in datensaetze] == [eingabe.name] * 4
    erste, zweite, dritte, vierte = datensaetze
    assert erste["datei"].endswith("faelle.jsonl:1") and "ergebnis" in erste
    f = zweite["fehler"]
    assert zweite["zeile"] == 2 and f["feldpfad"] == "monate[3].arbeitsplaetze"
    assert f["ort"].endswith("faelle.jsonl:2:" + f["ort"].rsplit(":", 1)[1]) and "ganze Zahl" in f["meldung"]
    assert dritte["zeile"] == 4 and "JSON-Fehler" in dritte["fehler"]["meldung"]
    assert vierte["datei"].endswith("faelle.jsonl:5")


def test_csv_anzeige_beispiel(stapel_rw):
    code, aus, bilanz = _lauf([BEISPIEL_CSV], stapel_rw, csv="-")
    assert code == 0 and bilanz.entschieden == 2
    zeilen = list(csv.DictReader(io.StringIO(aus), delimiter=";"))
    # the hand-worked values of tests/cases/ausgleichsabgabe/staffel-2-2024.yaml and durchschnitt-genau-20-2024.yaml
    assert [z["ausgleichsabgabe"] for z in zeilen] == ["14700,00", "1260,00"]  # decimal comma in the ;-separated German CSV
    assert [z["zeile"] for z in zeilen] == ["2", "14"]
    assert all(z["bearbeitung"] == "entschieden" and len(z["regelwerk_fingerabdruck"]) == 64 for z in zeilen)


def test_csv_mit_fehlerhafter_zeile_in_der_mitte(stapel_rw, tmp_path):
    """A bad row makes only its employer-year fail, with file:line:column and field path; the rest is decided."""
    zeilen = BEISPIEL_CSV.read_text(encoding="utf-8").splitlines()
    kopf, daten = zeilen[0], zeilen[1:]
    dritte_firma = [z.replace("87654321", "11112222").replace("Beispiel KG", "Dritte AG") for z in daten[12:]]
    teile = daten[5].split(";")
    teile[4] = "12x"  # Spalte 1 of June of the first employer
    daten[5] = ";".join(teile)
    eingabe = tmp_path / "anzeige.csv"
    eingabe.write_text("\n".join([kopf, *daten[12:], *daten[:12], *dritte_firma]) + "\n", encoding="utf-8")
    code, aus, bilanz = _lauf([eingabe], stapel_rw)
    assert code == 2 and (bilanz.entschieden, bilanz.fehlerhaft) == (2, 1)
    d = [json.loads(z) for z in aus.splitlines()]
    assert "ergebnis" in d[0] and "ergebnis" in d[2]
    f = d[1]["fehler"]
    assert f["ort"] == "anzeige.csv:19:5" or f["ort"].endswith("anzeige.csv:19:5")
    assert f["feldpfad"] == "monate[5].arbeitsplaetze"
    assert d[2]["ergebnis"]["ausgleichsabgabe"] == "1260.00"


def test_csv_kopfzeile_falsch(stapel_rw, tmp_path):
    eingabe = tmp_path / "falsch.csv"
    eingabe.write_text("betriebsnummer;jahr;monat;arbeitsplätze\n1;2024;1;5\n", encoding="utf-8")
    code, aus, _ = _lauf([eingabe], stapel_rw)
    assert code == 2
    f = json.loads(aus)["fehler"]
    assert "Kopfzeile" in f["meldung"] and "arbeitsplätze" in f["meldung"] and "erlaubt sind die Spalten" in f["hilfe"]


def test_ordner_mit_yaml_und_json_und_fehler(stapel_rw, tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(_fall(ap=30)), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(_fall(ap=80), indent=2), encoding="utf-8")
    kaputt = _fall()
    kaputt["monate"][0]["monat"] = 13
    (tmp_path / "c.json").write_text(json.dumps(kaputt, indent=2), encoding="utf-8")
    code, aus, bilanz = _lauf([tmp_path], stapel_rw)
    assert code == 2 and bilanz.entschieden == 2
    a, b, c = (json.loads(z) for z in aus.splitlines())
    assert a["ergebnis"]["ausgleichsabgabe"] and b["ergebnis"]["ausgleichsabgabe"]
    zeile = next(i for i, z in enumerate((tmp_path / "c.json").read_text().splitlines(), 1) if '"monat": 13' in z)
    assert c["fehler"]["feldpfad"] == "monate[0].monat" and c["zeile"] == zeile


def test_csv_zusammenfassung_und_bescheide(stapel_rw, tmp_path):
    ziel = tmp_path / "bescheide"
    code, aus, _ = _lauf([BEISPIEL_CSV, FEHLER / "monat-13.yaml"], stapel_rw, csv=str(tmp_path / "z.csv"),
                         bescheide=str(ziel), bescheid_format="html")
    assert code == 2 and aus == ""  # only the asked-for outputs
    zeilen = list(csv.DictReader((tmp_path / "z.csv").open(encoding="utf-8"), delimiter=";"))
    assert [z["bearbeitung"] for z in zeilen] == ["entschieden", "entschieden", "fehler"]
    assert "monat" in zeilen[2]["feldpfad"] and zeilen[2]["fehler"]
    namen = sorted(p.name for p in ziel.iterdir())
    assert len(namen) == 2 and all(n.endswith(".html") and "12345678" in n or "87654321" in n for n in namen)
    assert "Ausgleichsabgabe" in (ziel / namen[0]).read_text(encoding="utf-8")
    code, _, _ = _lauf([BEISPIEL_CSV], stapel_rw, csv=str(tmp_path / "y.csv"), bescheide=str(ziel / "md"))
    assert all(p.suffix == ".md" for p in (ziel / "md").iterdir())


def test_kompakte_json_lines_mit_woerterbuch(stapel_rw, tmp_path):
    code, aus, _ = _lauf([BEISPIEL_CSV], stapel_rw, kompakt=True)
    zeilen = [json.loads(z) for z in aus.splitlines()]
    assert "saetze" in zeilen[0]  # the dictionary comes before the first decision that needs it
    saetze = {}
    for z in zeilen:
        saetze.update(z.get("saetze", {}))
        for s in z.get("begruendung", []):
            for f in s["fundstellen"]:
                assert f["satz"] in saetze and "wortlaut" not in f


def test_reihenfolge_mit_zwei_prozessen(tmp_path):
    """`--jobs 2` with small chunks: results in input order, error record at its place, exit code 2, summary line."""
    eingabe = tmp_path / "viele.jsonl"
    zeilen = [json.dumps(_fall(jahr=2005 + i % 20, ap=20 + i)) for i in range(300)]
    zeilen[77] = json.dumps({"art": "ausgleichsabgabe", "jahr": 2024})
    eingabe.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    lauf = subprocess.run([sys.executable, "-m", "engine.cli", "decide", str(eingabe), "--format", "json", "--jobs", "2", "--still"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert lauf.returncode == 2, lauf.stderr
    d = [json.loads(z) for z in lauf.stdout.splitlines()]
    assert len(d) == 300
    assert [x["zeile"] if "fehler" in x else int(x["datei"].rsplit(":", 1)[1]) for x in d] == list(range(1, 301))
    assert "fehler" in d[77] and d[77]["fehler"]["meldung"] == "Pflichtfeld `monate` fehlt"
    assert [x["jahr"] for x in d if "fehler" not in x] == [2005 + i % 20 for i in range(300) if i != 77]
    assert "300 Fälle: 299 entschieden, 1 fehlerhaft" in lauf.stderr
    assert "Traceback" not in lauf.stderr


@pytest.mark.parametrize("format_", [["--format", "json"], ["--format", "json", "--kompakt"], ["--format", "md"]])
def test_ablage_der_arbeiter_gibt_dieselbe_ausgabe_wie_ein_prozess(tmp_path, format_):
    """With several workers each chunk's output is put down in a file and copied into the output by the kernel
    (`lauf._uebernimm`): into a file (`-o`) and into a pipe the bytes are those of one process (`--jobs 1`), with the
    compact form's sentence lines and the Bescheide's separators in their places; no file of the folder is left."""
    eingabe = tmp_path / "viele.jsonl"
    zeilen = [json.dumps(_fall(jahr=2005 + i % 20, ap=20 + i)) for i in range(200)]
    zeilen[33] = "{kein json"
    eingabe.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    ablage = tmp_path / "tmp"
    ablage.mkdir()
    umgebung = {**__import__("os").environ, "TMPDIR": str(ablage)}

    def lauf(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "engine.cli", "decide", str(eingabe), *format_, "--still", *args],
                              cwd=REPO, capture_output=True, timeout=300, env=umgebung)

    einer = lauf("--jobs", "1", "-o", str(tmp_path / "einer.out"))
    zwei = lauf("--jobs", "2", "-o", str(tmp_path / "zwei.out"))
    rohr = lauf("--jobs", "2")  # standard output is a pipe
    assert einer.returncode == zwei.returncode == rohr.returncode == 2, zwei.stderr
    erwartet = (tmp_path / "einer.out").read_bytes()
    assert len(erwartet) > 100_000
    assert (tmp_path / "zwei.out").read_bytes() == erwartet
    assert rohr.stdout == erwartet
    assert list(ablage.iterdir()) == []


def test_ablage_nur_bei_utf8_ausgabe_mit_dateideskriptor(tmp_path, monkeypatch):
    """Bytes from the workers' files go only into an output that writes UTF-8 through a file descriptor: not into a
    file in another encoding (its text goes through the text layer, as before), not into a StringIO, not with one
    worker; an unwritable temporary folder means no folder, not a failed run."""
    import tempfile

    from engine.stapel.lauf import _ablage

    with open(tmp_path / "a.txt", "w", encoding="utf-8") as utf8, open(tmp_path / "b.txt", "w", encoding="latin-1") as latin:
        ordner = _ablage(utf8, 2)
        assert ordner is not None and Path(ordner).is_dir()
        Path(ordner).rmdir()
        assert _ablage(utf8, 1) is None
        assert _ablage(latin, 2) is None
        assert _ablage(io.StringIO(), 2) is None
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gibt-es-nicht"))
        assert _ablage(utf8, 2) is None


def test_ablage_voll_laesst_die_ausgabe_im_stueck(tmp_path):
    """A worker that cannot write its file (a full temporary disk) keeps the chunk's bytes, which then go through
    the pipe as without the folder; no half-written file is left."""
    from engine.stapel.arbeiter import Stueck, lege_ab

    st = lege_ab(Stueck(text=b"{}\n"), str(tmp_path / "gibt-es-nicht"))
    assert st.text == b"{}\n" and st.ablage is None
    st = lege_ab(Stueck(text=b"{}\n"), str(tmp_path))
    assert st.text == b"" and Path(st.ablage).read_bytes() == b"{}\n"


def test_kompilierte_schemapruefung_stimmt_mit_jsonschema_ueberein():
    """fastjsonschema says "valid" exactly when jsonschema finds no problem (on every case and fixture file)."""
    from engine.schema import _als_json, _kompiliert, validator
    import fastjsonschema

    dateien = [p for ordner in ("cases", "fixtures/faelle", "fixtures/fehler") for p in (REPO / "tests" / ordner).rglob("*")
               if p.suffix in (".yaml", ".json")]
    geprueft = 0
    for datei in dateien:
        try:
            daten = yaml.safe_load(datei.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if isinstance(daten, dict) and "fall" in daten:
            daten = daten["fall"]
        if not isinstance(daten, dict) or daten.get("art") not in ("ausgleichsabgabe", "status", "leistung",
                                                                   "entziehung", "verwendung"):
            continue
        name = f"fall-{daten['art']}"
        daten = _als_json(daten)
        try:
            _kompiliert(name)(daten)
            schnell = True
        except fastjsonschema.JsonSchemaException:
            schnell = False
        assert schnell == (not list(validator(name).iter_errors(daten))), datei
        geprueft += 1
    assert geprueft > 60


def _decide(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", "decide", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def test_csv_mit_fehlerhafter_zeile_in_der_mitte_ueber_regelwerk_decide(tmp_path):
    """`regelwerk decide anzeige.csv --jobs 2`: the employer-year with the bad row gets its error record (JSON Lines and
    CSV summary) in its place; the employers before and after are decided; exit code 2; summary line."""
    zeilen = BEISPIEL_CSV.read_text(encoding="utf-8").splitlines()
    kopf, daten = zeilen[0], zeilen[1:]
    teile = daten[17].split(";")  # June of the second employer (Beispiel KG)
    teile[5] = "-1"  # Spalte 2: Ausbildungsstellen
    daten[17] = ";".join(teile)
    dritte = [z.replace("12345678", "11112222").replace("Muster GmbH", "Dritte AG") for z in zeilen[1:13]]
    eingabe = tmp_path / "anzeige.csv"
    eingabe.write_text("\n".join([kopf, *daten, *dritte]) + "\n", encoding="utf-8")
    lauf = _decide(str(eingabe), "--format", "json", "--jobs", "2", "--csv", str(tmp_path / "z.csv"), "-o",
                   str(tmp_path / "e.jsonl"))
    assert lauf.returncode == 2, lauf.stderr
    erste, zweite, dritte_firma = (json.loads(z) for z in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines())
    assert erste["ergebnis"]["ausgleichsabgabe"] == "14700.00" and dritte_firma["ergebnis"]["ausgleichsabgabe"] == "14700.00"
    f = zweite["fehler"]
    assert f["ort"].endswith("anzeige.csv:19:6") and f["feldpfad"] == "monate[5].ausbildungsstellen"
    assert "Minimum 0" in f["meldung"]
    tabelle = list(csv.DictReader((tmp_path / "z.csv").open(encoding="utf-8"), delimiter=";"))
    assert [z["bearbeitung"] for z in tabelle] == ["entschieden", "fehler", "entschieden"]
    assert [z["zeile"] for z in tabelle] == ["2", "19", "26"]
    assert tabelle[1]["feldpfad"] == "monate[5].ausbildungsstellen"
    assert tabelle[0]["rechtsstaende"].startswith("jahresende 2024-12-31")
    assert "3 Fälle: 2 entschieden, 1 fehlerhaft" in lauf.stderr
    assert "anzeige.csv:19:6" in lauf.stderr and "Traceback" not in lauf.stderr


def test_bescheide_als_text_mit_fehler_an_seiner_stelle(tmp_path):
    """Text output: a bad case is reported between the Bescheide, where its decision would stand."""
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(_fall(ap=30)), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("art: ausgleichsabgabe\njahr: 2024\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(_fall(ap=300)), encoding="utf-8")
    lauf = _decide(str(tmp_path))
    assert lauf.returncode == 2
    teile = lauf.stdout.split("\n" + "-" * 72 + "\n\n")
    assert len(teile) == 3
    assert teile[0].startswith("Ausgleichsabgabe") and teile[2].startswith("Ausgleichsabgabe")
    assert teile[1].startswith("FALL NICHT ENTSCHIEDEN") and "b.yaml:1:1" in teile[1] and "`monate` fehlt" in teile[1]


def test_jobs_muss_eine_positive_zahl_sein():
    lauf = _decide("site/docs/beispiele/muster-gmbh-2024.yaml", "--jobs", "0")
    assert lauf.returncode == 2 and "keine Zahl von Prozessen" in lauf.stderr and lauf.stdout == ""


def test_regelwerk_serve_startet_auf_127_0_0_1(tmp_path):
    """`regelwerk serve --port N` is ready when GET /api/openapi.json answers; bound to 127.0.0.1 by default."""
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "engine.cli", "serve", "--port", str(port), "--arbeiter", "1"],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ende = time.time() + 120
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.time() < ende, server.stderr.read() if server.poll() is not None else ""
            time.sleep(0.3)
        assert "/api/v1/entscheidungen" in r.json()["paths"]
        fall = (REPO / "site" / "docs" / "beispiele" / "muster-gmbh-2024.yaml").read_bytes()
        antwort = httpx.post(f"http://127.0.0.1:{port}/api/v1/entscheidungen", content=fall,
                             headers={"content-type": "application/yaml"}, timeout=60)
        assert antwort.status_code == 200 and "zahlbetrag" in antwort.json()["ergebnis"]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert server.returncode in (0, -15)


def test_csv_unlesbare_zeile_und_zu_lange_jsonl_zeile(stapel_rw, tmp_path):
    """A row the csv module cannot read (a cell over its size limit) and a JSON Lines line over the size limit are
    error records in their place; the run goes on (before: csv.Error ended the whole run)."""
    zeilen = BEISPIEL_CSV.read_text(encoding="utf-8").splitlines()
    zeilen[6] = '12345678;Muster GmbH;2024;6;"' + "x" * 200_000 + '";0;0;4'
    eingabe = tmp_path / "anzeige.csv"
    eingabe.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    code, aus, bilanz = _lauf([eingabe], stapel_rw)
    assert code == 2 and (bilanz.entschieden, bilanz.fehlerhaft) == (1, 1)
    erste, zweite = (json.loads(z) for z in aus.splitlines())
    assert erste["fehler"]["ort"].endswith("anzeige.csv:7") and "kein lesbares CSV" in erste["fehler"]["meldung"]
    assert zweite["ergebnis"]["ausgleichsabgabe"] == "1260.00"

    from engine.stapel import eingabe as eingabe_modul

    lang = tmp_path / "lang.jsonl"
    lang.write_text("\n".join([json.dumps(_fall()), json.dumps({**_fall(), "x": "y" * 3000}), json.dumps(_fall())]) + "\n",
                    encoding="utf-8")
    alt, eingabe_modul.ZEILE_BYTES = eingabe_modul.ZEILE_BYTES, 2000
    try:
        auftraege = list(eingabe_modul.auftraege([str(lang)]))
    finally:
        eingabe_modul.ZEILE_BYTES = alt
    assert [a.zeile for a in auftraege] == [1, 2, 3]
    assert auftraege[0].text and auftraege[2].text and "zu groß" in auftraege[1].fehler.was


@pytest.mark.parametrize("name", ["1e400.json", "infinity.json", "zahl-5000-stellen.json", "surrogat-einzeln.json",
                                  "surrogat-paar.json", "ganzzahl-9.1e96.json", "json-kaputt.json"])
def test_json_zeile_wird_gelesen_wie_die_json_datei(stapel_rw, tmp_path, name):
    """The fast JSON Lines reader (the standard decoder with number hooks) must read a line exactly as the engine's
    own JSON reader reads the same text as a file: the same decision, or the same German message."""
    from engine import lies_fall

    quelle = REPO / "tests" / "fixtures" / "feindlich" / name
    zeile = quelle.read_text(encoding="utf-8").replace("\n", " ").strip()
    (tmp_path / "f.jsonl").write_text(zeile + "\n", encoding="utf-8")
    code, ausgabe, _ = _lauf([str(tmp_path / "f.jsonl")], stapel_rw, format="json")
    satz = json.loads(ausgabe.splitlines()[0])
    try:
        als_datei = stapel_rw.entscheide(stapel_rw.pruefe(lies_fall(quelle)))
    except adapter.RegelwerkFehler as exc:
        assert code == 2 and "fehler" in satz, satz
        assert satz["fehler"]["meldung"] == exc.was
        assert satz["fehler"]["feldpfad"] == (exc.ort.pfad if exc.ort else None)
    else:
        assert code == 0 and satz["ergebnis"] == als_datei.ergebnis


def test_lange_ziffernfolge_liest_der_sorgfaeltige_leser(stapel_rw, tmp_path):
    """Integers are read by the C scanner; a line with more than 30 digits in a row (GRENZEN.ziffern) goes to the
    engine's own reader: a number that long is an error at its line and column, the same digits inside a text are
    just a name and the case is decided."""
    eingabe = tmp_path / "faelle.jsonl"
    zu_lang, als_text = _fall(), _fall()
    zu_lang["monate"][0]["arbeitsplaetze"] = 10 ** 40
    als_text["arbeitgeber"]["name"] = "1" * 40
    eingabe.write_text("\n".join(json.dumps(f) for f in (_fall(), zu_lang, als_text)) + "\n", encoding="utf-8")
    code, aus, bilanz = _lauf([eingabe], stapel_rw, format="json")
    zeilen = [json.loads(z) for z in aus.splitlines()]
    assert code == 2 and (bilanz.entschieden, bilanz.fehlerhaft) == (2, 1)
    assert "ergebnis" in zeilen[0] and "ergebnis" in zeilen[2]
    assert zeilen[1]["zeile"] == 2 and "41 Stellen ist zu groß" in zeilen[1]["fehler"]["meldung"]
