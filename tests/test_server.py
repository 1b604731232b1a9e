"""`regelwerk serve` (engine/server): every endpoint and error, local docs, forms, a bounded fuzz run."""
from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pytest
import yaml

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402
from uvicorn_hilfe import uvicorn_auf_freiem_port  # noqa: E402

from engine.server.app import erzeuge_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FALL_YAML = (REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml").read_text(encoding="utf-8")
FALL = yaml.safe_load(FALL_YAML)["fall"]
BEISPIEL_CSV = (REPO / "site" / "docs" / "beispiele" / "anzeige-ausgleichsabgabe.csv").read_text(encoding="utf-8")
KLEIN = 64 * 1024  # body limit of the test app


@pytest.fixture(scope="module")
def client():
    with TestClient(erzeuge_app(REPO, site=REPO / "gibt-es-nicht", arbeiter=1, max_bytes=KLEIN)) as c:
        yield c


def _post(client, daten, medium="application/json", **params):
    text = daten if isinstance(daten, str) else json.dumps(daten)
    return client.post("/api/v1/entscheidungen", content=text.encode("utf-8"), headers={"content-type": medium},
                       params=params)


def test_ein_fall_als_json(client):
    r = _post(client, FALL)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    d = r.json()
    assert d["ergebnis"]["ausgleichsabgabe"] == "14700.00"  # hand-worked in tests/cases/ausgleichsabgabe/staffel-2-2024.yaml
    assert d["begruendung"] and len(d["quittung"]["regelwerk_fingerabdruck"]) == 64


def test_fall_als_yaml_und_testfall_datei(client):
    assert _post(client, FALL_YAML, "application/yaml").json()["ergebnis"]["ausgleichsabgabe"] == "14700.00"


def test_liste_von_faellen(client):
    zweiter = dict(FALL, jahr=2023)
    r = _post(client, [FALL, zweiter])
    assert r.status_code == 200
    assert [d["jahr"] for d in r.json()] == [2024, 2023]


def test_csv_anzeige(client):
    r = _post(client, BEISPIEL_CSV, "text/csv")
    assert [d["ergebnis"]["ausgleichsabgabe"] for d in r.json()] == ["14700.00", "1260.00"]


@pytest.mark.parametrize("format_, medium, merkmal", [("text", "text/plain", "Ausgleichsabgabe"),
                                                      ("md", "text/markdown", "# "),
                                                      ("html", "text/html", "<!DOCTYPE html>")])
def test_formate(client, format_, medium, merkmal):
    r = _post(client, FALL, format=format_)
    assert r.status_code == 200 and r.headers["content-type"].startswith(medium) and merkmal in r.text


def test_html_bescheid_verweist_ins_regelwerk(client):
    html = _post(client, FALL, format="html").text
    links = [l for l in re.findall(r'href="([^"]+)"', html) if not l.startswith("#")]  # "#vorbehalt": in the page
    assert links and all(l.startswith("/regelwerk/recht/") and "#f" in l for l in links)


def test_fehlerhafter_fall_422_mit_deutscher_meldung(client):
    kaputt = json.loads(json.dumps(FALL))
    kaputt["monate"][2]["arbeitsplaetze"] = -5
    r = _post(client, kaputt)
    assert r.status_code == 422
    f = r.json()["fehler"][0]
    assert f["feldpfad"] == "monate[2].arbeitsplaetze" and "zu klein" in f["meldung"]
    assert re.fullmatch(r"anfrage:\d+:\d+", f["ort"])


def test_fehler_in_liste_nennt_den_index(client):
    kaputt = dict(FALL, art="ausgleichsabgab")
    f = _post(client, [FALL, kaputt]).json()["fehler"]
    assert len(f) == 1 and f[0]["index"] == 1 and "meinten Sie `ausgleichsabgabe`?" in f[0]["hilfe"]


@pytest.mark.parametrize("koerper, medium, teil", [
    ("{kaputt", "application/json", "JSON-Fehler"),
    ("art: [", "application/yaml", "YAML-Syntaxfehler"),
    ("", "application/json", "leere Anfrage"),
    ('"nur ein Text"', "application/json", "Falldatei muss eine Zuordnung"),
])
def test_kaputte_anfragen(client, koerper, medium, teil):
    r = _post(client, koerper, medium)
    assert r.status_code == 422 and teil in r.json()["fehler"][0]["meldung"]


def test_ungueltiges_format(client):
    r = _post(client, FALL, format="pdf")
    assert r.status_code == 422 and "erlaubt: json, text, md, html" in r.json()["fehler"][0]["hilfe"]


def test_groessenbegrenzung(client):
    r = _post(client, "[" + ",".join([json.dumps(FALL)] * 60) + "]")
    assert r.status_code == 413 and "zu groß" in r.json()["fehler"][0]["meldung"]


def test_nicht_utf8(client):
    r = client.post("/api/v1/entscheidungen", content=b"\xff\xfe", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "UTF-8" in r.json()["fehler"][0]["meldung"]


def test_normen(client):
    d = client.get("/api/v1/normen/sgb9/160", params={"stichtag": "2024-06-30"}).json()
    assert d["fassung"]["gueltig_ab"] <= "2024-06-30" and d["kurz"] == "SGB IX" and d["ueberschrift"]
    anker = {e["anker"]: e for e in d["einheiten"]}
    satz = next(e for a, e in anker.items() if a.endswith("abs-2/satz-1") or "abs-2" in a)
    assert satz["link"].startswith("/regelwerk/recht/sgb9/160/#f")
    assert len(d["fassungen"]) >= 2


@pytest.mark.parametrize("pfad, status, teil", [
    ("/api/v1/normen/sgb9/999", 404, "nicht im Regelwerk"),
    ("/api/v1/normen/xyz/1", 404, "nicht im Regelwerk"),
    ("/api/v1/normen/sgb9/160?stichtag=31.12.2024", 422, "kein Datum"),
    ("/api/v1/normen/sgb9/160?stichtag=1990-01-01", 404, "gilt am"),
    ("/api/v1/parameter/gibt_es_nicht", 404, "unbekannter Parameter"),
    ("/api/v1/regeln?art=steuer", 422, "unbekannte Art"),
    ("/api/v1/schemas/steuer", 404, "unbekannte Art"),
    ("/api/v1/unbekannt", 404, "nicht gefunden"),
])
def test_lesende_endpunkte_fehler(client, pfad, status, teil):
    r = client.get(pfad)
    assert r.status_code == status and teil in r.json()["fehler"][0]["meldung"]


def test_parameter_regeln_schemas(client):
    regeln = client.get("/api/v1/regeln").json()
    assert regeln and {"id", "art", "titel", "zitate", "gueltig_ab"} <= set(regeln[0])
    assert all(r["art"] == "status" for r in client.get("/api/v1/regeln", params={"art": "status"}).json())
    schema = client.get("/api/v1/schemas/ausgleichsabgabe").json()
    assert schema["properties"]["art"]["const"] == "ausgleichsabgabe"
    # a parameter that some rule reads, all values and the one on a date
    pid = next(p for p in re.findall(r"parameter\.([a-z0-9_]+)", json.dumps(_post(client, FALL).json()["begruendung"])))
    alle = client.get(f"/api/v1/parameter/{pid}").json()
    assert alle["werte"] and alle["id"] == pid
    am = client.get(f"/api/v1/parameter/{pid}", params={"stichtag": "2024-12-31"}).json()
    assert am["stichtag"] == "2024-12-31" and "wert" in am


def test_doku_ohne_internet(client):
    for pfad in ("/api/docs", "/api/redoc", "/"):
        html = client.get(pfad).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), pfad
        assert "cdn" not in html.lower(), pfad
        for ziel in re.findall(r"""(?:src|href)=["']([^"']+)""", html):
            if ziel.startswith("/api/statisch"):
                assert client.get(ziel).status_code == 200, ziel
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Regelwerk"


def test_formular_aus_schema(client):
    html = client.get("/").text
    assert html.count('name="monate.') == 12 * 5 and 'value="12"' in html
    assert "Spalte 1" in html and "werkstattauftraege.0.rechnungsbetrag" in html and "zahlungen.0.datum" in html
    for art in ("status", "leistung", "entziehung", "verwendung"):
        assert client.get("/", params={"art": art}).status_code == 200


def test_formular_absenden(client):
    felder = {"jahr": "2024", "arbeitgeber.name": "Formular GmbH"}
    for i, m in enumerate(FALL["monate"]):
        for k, v in m.items():
            felder[f"monate.{i}.{k}"] = str(v)
    r = client.post("/formular/ausgleichsabgabe", data=felder)
    assert r.status_code == 200 and "14.700,00" in r.text and "Formular GmbH" in r.text
    felder["monate.4.arbeitsplaetze"] = "viele"
    r = client.post("/formular/ausgleichsabgabe", data=felder)
    assert r.status_code == 422 and 'id="monate.4.arbeitsplaetze-fehler"' in r.text and "Die Angaben enthalten Fehler" in r.text and "Ein Fehler," in r.text
    assert 'value="viele"' in r.text  # the form keeps what was entered


def test_datei_hochladen(client):
    r = client.post("/formular/datei", files={"datei": ("anzeige.csv", BEISPIEL_CSV.encode(), "text/csv")})
    assert r.status_code == 200 and "14.700,00" in r.text and "1.260,00" in r.text
    r = client.post("/formular/datei", files={"datei": ("fall.yaml", b"art: [", "application/yaml")})
    assert r.status_code == 422 and "YAML-Syntaxfehler" in r.text


def test_regelwerk_fehlt_sagt_wie_man_es_baut(client):
    r = client.get("/regelwerk/")
    assert r.status_code == 404 and "regelwerk site build" in r.text


# --- the decision form of issue 23: one regression test per defect ------------------------------

KUENDIGUNG = yaml.safe_load((REPO / "site" / "docs" / "beispiele" / "kuendigung-hessen-2024.yaml").read_text(encoding="utf-8"))
ARTEN = ("ausgleichsabgabe", "kuendigung", "status", "leistung", "entziehung", "verwendung")


def _sichtbar(html: str) -> str:
    """The text a person reads: without tags, attribute values, styles and scripts."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _kuendigung_felder(feststellungen: bool = True) -> dict[str, str]:
    f = KUENDIGUNG
    felder = {"entscheidungsdatum": str(f["entscheidungsdatum"]), "land": f["land"], "kuendigungsart": f["kuendigungsart"],
              "kenntnis_am": "16.05.2024", "antrag_eingang": str(f["antrag_eingang"]),
              "arbeitgeber.name": f["arbeitgeber"]["name"], "person.name": f["person"]["name"], "person.gdb": "60",
              "person.gdb_bescheid_vom": str(f["person"]["gdb_bescheid_vom"]),
              "arbeitsverhaeltnis.beginn": str(f["arbeitsverhaeltnis"]["beginn"])}
    if feststellungen:
        for fid, fs in f["feststellungen"].items():
            felder |= {f"feststellungen.{fid}.wert": "true" if fs["wert"] else "false",
                       f"feststellungen.{fid}.durch": fs["durch"], f"feststellungen.{fid}.am": str(fs["am"]),
                       f"feststellungen.{fid}.begruendung": fs.get("begruendung", "")}
    return felder


def test_formular_feldnamen_statt_deutscher_beschriftung(client):
    """Labels were the field names ("arbeitsplaetze", "kuendigungsart", "sbv beteiligt")."""
    for art in ARTEN:
        html = client.get("/", params={"art": art}).text
        text = _sichtbar(html)
        assert not re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text), art  # no snake_case anywhere
    # every field has a German label: a `title` in its schema or an entry of rules/begriffe.yaml
    from engine.stapel import adapter

    buch = adapter.lade_regelwerk(REPO).wb.regelbuch
    ohne = []
    for datei in sorted(adapter.SCHEMA_ORDNER.glob("fall-*.schema.json")):
        schema = json.loads(datei.read_text(encoding="utf-8"))

        def pruefe(s, pfad):
            if not isinstance(s, dict):
                return
            for name, feld in (s.get("properties") or {}).items():
                if name not in ("$schema", "art") and not feld.get("title") and buch.bezeichnung(name) is None:
                    ohne.append(f"{datei.name}: {pfad}{name}")
                pruefe(feld, f"{pfad}{name}.")
            for teil in ("items", "additionalProperties"):
                pruefe(s.get(teil), pfad)
        pruefe(schema, "")
    assert not ohne, ohne
    kuendigung = _sichtbar(client.get("/", params={"art": "kuendigung"}).text)
    assert "Art der Kündigung" in kuendigung and "Schwerbehindertenvertretung beteiligt" in kuendigung
    assert "Außerordentliche Kündigung" in kuendigung or "außerordentlich" in kuendigung.lower()
    abgabe = _sichtbar(client.get("/").text)
    assert "Arbeitsplätze" in abgabe and "arbeitsplaetze" not in abgabe


def test_formular_ja_nein_als_textfeld_true_oder_false(client):
    """Yes/no fields were text boxes asking for "true oder false": now ja / nein / keine Angabe."""
    for art in ARTEN:
        html = client.get("/", params={"art": art}).text
        assert "true oder false" not in html and "true, wenn" not in html, art
    html = client.get("/", params={"art": "kuendigung"}).text
    for wert, text in (("true", "ja"), ("false", "nein"), ("", "keine Angabe")):
        assert re.search(rf'<input type="radio" name="witterungsgruende" id="witterungsgruende-\w+" value="{wert}"( checked)?> {text}', html)
    assert 'name="insolvenz.sbv_beteiligt"' in html and 'type="text" name="insolvenz.sbv_beteiligt"' not in html


def test_formular_none_in_auswahlliste(client):
    """A dropdown offered "None"; the empty choice is "— keine Angabe —"."""
    for art in ARTEN:
        html = client.get("/", params={"art": art}).text
        assert ">None<" not in html and "None" not in _sichtbar(html), art
        for auswahl in re.findall(r"<select\b.*?</select>", html, flags=re.S):
            assert '<option value="">— keine Angabe —</option>' in auswahl, (art, auswahl[:200])


def test_formular_deutsche_zahlen_abgelehnt(client):
    """German numbers ("11.900,00", "1.452") were errors; now read as the schema's numbers."""
    from engine.server.formular import deutsche_eingabe

    geld = {"type": "string", "pattern": "^\\d+(\\.\\d{1,2})?$"}
    assert deutsche_eingabe("11.900,00", geld) == "11900.00"
    assert deutsche_eingabe("11900,5", geld) == "11900.5"
    assert deutsche_eingabe("11.900", geld) == "11900"  # a dot before three digits groups thousands
    assert deutsche_eingabe("38.5", geld) == "38.5"  # the schema's own writing stays
    assert deutsche_eingabe("1.452", {"type": "integer"}) == "1452"
    assert deutsche_eingabe("1.45", {"type": "integer"}) == "1.45"  # not a German integer: the schema says why
    assert deutsche_eingabe("12.06.2024", {"type": "string", "format": "date"}) == "2024-06-12"
    felder = {"jahr": "2024", "arbeitgeber.name": "Formular GmbH"}
    for i, m in enumerate(FALL["monate"]):
        for k, v in m.items():
            felder[f"monate.{i}.{k}"] = str(v)
    felder |= {"zahlungen.0.datum": "15.05.2025", "zahlungen.0.betrag": "1.234,50"}
    r = client.post("/formular/ausgleichsabgabe", data=felder)
    assert r.status_code == 200, _sichtbar(r.text)[:500]
    assert "1.234,50 Euro" in r.text and "15.05.2025" in r.text


def test_formular_nur_erster_von_drei_fehlern(client):
    """Of three errors only the first was shown; now all three, each at its field, in German."""
    felder = {"jahr": "zweitausend", "arbeitgeber.name": "Formular GmbH"}
    for i, m in enumerate(FALL["monate"]):
        for k, v in m.items():
            felder[f"monate.{i}.{k}"] = str(v)
    felder["monate.3.arbeitsplaetze"] = "viele"
    felder["monate.10.besetzte_pflichtarbeitsplaetze"] = "zwei"
    r = client.post("/formular/ausgleichsabgabe", data=felder)
    assert r.status_code == 422 and "Die Angaben enthalten Fehler" in r.text and "3 Fehler," in r.text
    for feld in ("jahr", "monate.3.arbeitsplaetze", "monate.10.besetzte_pflichtarbeitsplaetze"):
        assert f'id="{feld}-fehler"' in r.text and f'href="#{feld}"' in r.text, feld
    assert "erwartet ganze Zahl" in r.text and 'value="viele"' in r.text and 'value="zweitausend"' in r.text
    # an empty row in between: the error of the second filled row is shown at its own form row
    r = client.post("/formular/ausgleichsabgabe", data=felder | {
        "jahr": "2024", "monate.3.arbeitsplaetze": "121", "monate.10.besetzte_pflichtarbeitsplaetze": "3",
        "zahlungen.0.datum": "2025-05-15", "zahlungen.0.betrag": "100", "zahlungen.2.datum": "2025-06-15",
        "zahlungen.2.betrag": "viel"})
    assert r.status_code == 422 and 'id="zahlungen.2.betrag-fehler"' in r.text and "Ein Fehler," in r.text


def test_formular_ohne_viewport_und_favicon(client):
    """No viewport setting (unusable on a phone) and no favicon (a 404 on every visit)."""
    seite = client.get("/").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in seite
    assert '<link rel="icon" href="/favicon.ico"' in seite
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    assert b"http://" not in r.content.replace(b"http://www.w3.org/2000/svg", b"")
    entschieden = client.post("/formular/kuendigung", data=_kuendigung_felder()).text
    assert 'name="viewport"' in entschieden


def test_kuendigung_feststellungen_nicht_eingebbar(client):
    """The findings of the Kündigung could not be entered, so a case on the merits always stayed "offen"."""
    html = client.get("/", params={"art": "kuendigung"}).text
    for fid in KUENDIGUNG["feststellungen"]:
        for teil in ("wert-ja", "wert-nein", "durch", "am", "begruendung"):
            assert f'id="feststellungen.{fid}.{teil}"' in html, (fid, teil)
    assert "Hat das Integrationsamt den schwerbehinderten Menschen angehört?" in html
    for feld in ("ermessenserwaegungen.erwaegungen.0.wuerdigung", "ermessenserwaegungen.ergebnis",
                 "bescheid.aktenzeichen", "bescheid.adressaten.0.anschrift", "bescheid.nebenbestimmungen.0.art"):
        assert f'id="{feld}"' in html, feld
    felder = _kuendigung_felder() | {
        "ermessenserwaegungen.erwaegungen.0.gesichtspunkt": "Grund ohne Zusammenhang mit der Behinderung",
        "ermessenserwaegungen.erwaegungen.0.gewicht": "hoch",
        "ermessenserwaegungen.erwaegungen.0.wuerdigung": "Ein atypischer Fall liegt nicht vor.",
        "ermessenserwaegungen.ergebnis": "stattgeben", "ermessenserwaegungen.durch": "Frau B.",
        "ermessenserwaegungen.am": "2024-06-11", "bescheid.aktenzeichen": "KS-1"}
    r = client.post("/formular/kuendigung", data=felder)
    assert r.status_code == 200, _sichtbar(r.text)[:800]
    assert 'id="offene-feststellungen"' not in r.text
    text = _sichtbar(r.text)
    # § 174 Abs. 4 SGB IX: the Kündigung's ground is not connected with the disability (finding: ja) → soll erteilen
    assert "Die Zustimmung zur außerordentlichen Kündigung des Arbeitsverhältnisses mit Frau A. wird erteilt." in text
    assert "Ein atypischer Fall liegt nicht vor." in text and "Ermessenserwägungen fehlen" not in text


def test_kuendigung_offene_feststellungen_als_kennungen(client):
    """Open findings were listed as code names (`anhoerung_mensch`); now as their German questions."""
    r = client.post("/formular/kuendigung", data=_kuendigung_felder(feststellungen=False))
    assert r.status_code == 200
    offen = re.search(r'<div class="offen" id="offene-feststellungen">.*?</div>', r.text, flags=re.S).group(0)
    for frage in ("Hat das Integrationsamt den schwerbehinderten Menschen angehört?",
                  "Hat das Integrationsamt auf eine gütliche Einigung hingewirkt?"):
        assert frage in offen
    assert "anhoerung_mensch" not in offen and "guetliche_einigung" not in offen


def test_formular_zeigt_protokoll_statt_bescheid(client):
    """The decision page was the raw trail; now the Bescheid, downloads, the trail folded as Prüfprotokoll."""
    r = client.post("/formular/kuendigung", data=_kuendigung_felder())
    assert r.status_code == 200
    assert '<article class="bescheid" id="bescheid">' in r.text and "Rechtsbehelfsbelehrung" in r.text
    assert r.text.index('id="bescheid"') < r.text.index('id="pruefprotokoll"')
    assert '<details class="protokoll" id="pruefprotokoll"><summary>Prüfprotokoll' in r.text
    assert 'id="bescheid-docx"' in r.text and 'id="bescheid-pdf"' in r.text
    assert r.text.count("<html") == 1 and r.text.count("<body") == 1


def test_formular_fehlerliste_mit_fremder_ziffer_im_feldnamen_war_serverfehler(client):
    """Mapping errors to fields read any Unicode digit as a row number ("²"): int("²") failed with a 500."""
    felder = {"jahr": "2024", "arbeitgeber.name": "Formular GmbH", "unbekannt.²": "1", "monate.0.²": "1"}
    r = client.post("/formular/ausgleichsabgabe", data=felder)
    assert r.status_code == 422 and "Die Angaben enthalten Fehler" in r.text


def test_hochgeladener_fall_zeigte_protokoll_statt_bescheid(client):
    """An uploaded file with one case got the raw trail; now its Bescheid as the form's cases (lists and CSV: trail)."""
    datei = REPO / "site" / "docs" / "beispiele" / "kuendigung-hessen-2024.yaml"
    r = client.post("/formular/datei", files={"datei": ("fall.yaml", datei.read_bytes(), "application/yaml")})
    assert r.status_code == 200 and '<article class="bescheid" id="bescheid">' in r.text
    assert 'name="typ" value="yaml"' in r.text and 'id="pruefprotokoll"' in r.text
    # § 174 Abs. 4 SGB IX with all findings "ja": soll erteilen; no Ermessenserwägungen given, so a draft says so
    assert "wird erteilt" in r.text and "Ermessenserwägungen fehlen" in r.text


def test_feststellungen_durch_und_am_nur_einzeln(client):
    """Who and when had to be typed for every finding; once above the findings now fills the empty ones."""
    html = client.get("/", params={"art": "kuendigung"}).text
    assert 'id="feststellungen_vorgabe.durch"' in html and 'id="feststellungen_vorgabe.am"' in html
    felder = {k: v for k, v in _kuendigung_felder().items() if not k.endswith((".durch", ".am"))}
    felder |= {"feststellungen_vorgabe.durch": "Integrationsamt Kassel, Frau B.", "feststellungen_vorgabe.am": "10.06.2024",
               "feststellungen.anhoerung_mensch.am": "11.06.2024"}
    from engine.server.formular import fall_aus_formular

    schema = json.loads((REPO / "engine" / "schemas" / "fall-kuendigung.schema.json").read_text(encoding="utf-8"))
    fall = fall_aus_formular("kuendigung", schema, felder)
    assert fall["feststellungen"]["stellungnahme_sbv"] == {"wert": True, "durch": "Integrationsamt Kassel, Frau B.",
                                                           "am": "2024-06-10"}
    assert fall["feststellungen"]["anhoerung_mensch"]["am"] == "2024-06-11"  # its own date stays
    assert "feststellungen_vorgabe" not in fall and "weiterbeschaeftigung_moeglich" not in fall["feststellungen"]
    r = client.post("/formular/kuendigung", data=felder)
    assert r.status_code == 200 and 'id="offene-feststellungen"' not in r.text


# --- a bounded property-based run against the OpenAPI: no 500 ----------------------------------


@pytest.fixture(scope="module")
def laufender_server():
    with uvicorn_auf_freiem_port(erzeuge_app(REPO, arbeiter=1, max_bytes=KLEIN)) as url:
        yield url


def test_schemathesis_ohne_serverfehler(laufender_server):
    import schemathesis
    from hypothesis import HealthCheck, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{laufender_server}/api/openapi.json")
    faelle = 0
    for operation in schema.get_all_operations():
        op = operation.ok()
        strategie = op.as_strategy()

        # bounded for CI; REGELWERK_FUZZ_BEISPIELE=400 for a longer hunt (found the CSV header 500, see test_regressionen)
        @settings(max_examples=int(os.environ.get("REGELWERK_FUZZ_BEISPIELE", "25")), deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def lauf(case):
            nonlocal faelle
            case.call_and_validate(base_url=laufender_server, checks=[not_a_server_error], timeout=30)
            faelle += 1

        from hypothesis import given
        given(strategie)(lauf)()
    assert faelle >= 50
