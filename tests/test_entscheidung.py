"""Decisions: the public contracts (JSON, JSON Lines, text), bad input, and the engine's limits."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.entscheidung import Entscheider
from engine.faelle import lade_fall
from engine.wissensbasis import lade_wissensbasis

WURZEL = Path(__file__).resolve().parents[1]
FAELLE = WURZEL / "tests" / "cases" / "ausgleichsabgabe"
FEHLER = WURZEL / "tests" / "fixtures" / "faelle"
WB = lade_wissensbasis(WURZEL)


def regelwerk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], cwd=WURZEL, capture_output=True, text=True)


@pytest.mark.parametrize("datei,meldung", [
    ("negative-anzahl.yaml", ["negative-anzahl.yaml:5:37", "monate[0].ausbildungsstellen", "Minimum 0", "ganze Zahl ≥ 0"]),
    ("negative-anzahl.json", ["negative-anzahl.json:1:", "monate[0].arbeitsplaetze", "Minimum 0"]),
    ("monat-doppelt.yaml", ["Monat 1 ist mehrfach angegeben", "monate[0].monat"]),
    ("monat-13.yaml", ["monate[0].monat", "Maximum 12", "Monat 1 bis 12"]),
    ("keine-monate.yaml", ["Feld `monate`", "mindestens 1"]),
    ("monate-fehlen.yaml", ["Pflichtfeld `monate` fehlt"]),
    ("spalte-2-und-3-zu-gross.yaml", ["monate[1]", "(6 + 5) sind größer als Spalte 1 (10)"]),
    ("jahr-ohne-recht.yaml", ["Feld `jahr`", "für das Jahr 1999 ist im Regelwerk kein Recht hinterlegt", "ab 2002"]),
    ("unbekannter-schluessel.yaml", ["unbekanntes Feld `ausbildungstellen`", "meinten Sie `ausbildungsstellen`?"]),
    ("geld-nicht-numerisch.yaml", ["werkstattauftraege[0].rechnungsbetrag", "\"11900.00\""]),
    ("spalte-5-fehlt.yaml", ["Spalte 5 (besetzte_pflichtarbeitsplaetze) fehlt"]),
    ("gleichstellung-bei-gdb-60.yaml", ["beschaeftigte[0].gleichstellung", "GdB von 60"]),
    ("unbekannte-art.yaml", ["unbekannte Art `ausgleichsabgab`", "meinten Sie `ausgleichsabgabe`?"]),
    ("yaml-kaputt.yaml", ["yaml-kaputt.yaml:5:1", "YAML-Syntaxfehler"]),
    ("regeldatei-statt-fall.yaml", ["keine Falldatei"]),
    ("kuendigung-gdb-bescheid-nach-kuendigung.yaml", ["Feld `person`", "erst nach dem Tag der Kündigung", "`person.antrag`"]),
])
def test_fehlerhafte_eingabe(datei, meldung):
    ergebnis = regelwerk("decide", str(FEHLER / datei), "--format", "json")
    assert ergebnis.returncode == 2
    # no decision: one error record in its place (issue 14), the same message on stderr
    (datensatz,) = [json.loads(z) for z in ergebnis.stdout.splitlines()]
    assert "ergebnis" not in datensatz and datensatz["datei"].endswith(datei)
    f = datensatz["fehler"]
    assert "Traceback" not in ergebnis.stderr
    for teil in meldung:
        assert teil in ergebnis.stderr, ergebnis.stderr
        assert teil in f"{f['ort']}: {f['meldung']} (Feld `{f['feldpfad']}`) {f['hilfe']}", f


def test_json_lines_in_eingabereihenfolge():
    dateien = [FAELLE / "staffel-2-2024.yaml", FAELLE / "erhebungsjahr-2005.yaml", FAELLE / "klein-unter-40-null-2024.yaml"]
    ergebnis = regelwerk("decide", *map(str, dateien), "--format", "json")
    assert ergebnis.returncode == 0, ergebnis.stderr
    zeilen = [json.loads(z) for z in ergebnis.stdout.splitlines()]
    assert [Path(z["datei"]).name for z in zeilen] == [d.name for d in dateien]
    assert [z["jahr"] for z in zeilen] == [2024, 2005, 2024]


def test_ordner_und_fehler_im_stapel():
    """A folder decides every case; one bad file gives exit 2 but the others are still decided."""
    ergebnis = regelwerk("decide", str(FAELLE), str(FEHLER / "monat-13.yaml"), "--format", "json")
    assert ergebnis.returncode == 2
    zeilen = [json.loads(z) for z in ergebnis.stdout.splitlines()]
    assert len(zeilen) == len(list(FAELLE.glob("*.yaml"))) + 1
    assert all("ergebnis" in z for z in zeilen[:-1])
    assert zeilen[-1]["fehler"]["feldpfad"] == "monate[0].monat"  # the error record at the bad case's place
    assert "monat-13.yaml" in ergebnis.stderr


def test_json_vertrag_und_begruendung():
    zeile = json.loads(regelwerk("decide", str(FAELLE / "saeumnis-15-mai-2025.yaml"), "--format", "json").stdout)
    e = zeile["ergebnis"]
    for feld in ["beschaeftigungspflichtig", "jahresdurchschnitt_arbeitsplaetze", "pflichtarbeitsplaetze",
                 "besetzte_pflichtarbeitsplaetze", "beschaeftigungsquote", "betrag_je_platz",
                 "unbesetzte_pflichtarbeitsplaetze", "ausgleichsabgabe", "anrechnung_werkstaetten", "zahlbetrag",
                 "faellig_am", "saeumniszuschlag"]:
        assert feld in e
    assert isinstance(e["ausgleichsabgabe"], str) and Decimal(e["ausgleichsabgabe"]) == Decimal("19440")
    assert e["faellig_am"] == "2026-03-31"
    schritte = {s["regel"]: s for s in zeile["begruendung"]}
    staffel = schritte["aa.staffel_3_ab_2024"]
    assert staffel["fundstellen"][0]["anker"] == "sgb9/160/abs-2/satz-1/nr-3"
    assert "mehr als 0 Prozent bis weniger als 2 Prozent" in staffel["fundstellen"][0]["wortlaut"]
    assert staffel["parameter"]["aa_staffel_3"] == {"wert": "405", "fundstelle": "§ 160 Abs. 2 Satz 1 Nr. 3 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024", "beleg": "wörtlich",
                                                    "gueltig_ab": "2025-01-01", "gueltig_bis": None,
                                                    "auszug": "0 bis unter 2 Prozent | 360 Euro | 405 Euro"}
    assert staffel["ergebnisse"] == {"betrag_je_platz": "405"}
    assert "beschaeftigungsquote" in staffel["eingaben"]
    soll = schritte["aa.pflichtarbeitsplaetze_ab_60"]
    assert soll["rundung"] and soll["formeln"]["pflichtarbeitsplaetze"].startswith("runden(")
    q = zeile["quittung"]
    assert len(q["regelwerk_fingerabdruck"]) == 64 and q["engine_version"]
    assert {"name": "jahresende", "bezeichnung": "Ende des Erhebungsjahres", "datum": "2025-12-31"} in q["rechtsstaende"]
    assert any(n["grund"] == "ermessen" for n in zeile["nicht_automatisiert"])


def test_alte_nummerierung_bis_2017():
    zeile = json.loads(regelwerk("decide", str(FAELLE / "jahreswechsel-2017.yaml"), "--format", "json").stdout)
    # the levy of 2017 is computed by the law at the end of 2017 (old numbering) ...
    zitate = {f["zitat"] for s in zeile["begruendung"] if s["rechtsstand"]["name"] == "jahresende" for f in s["fundstellen"]}
    assert any(z.endswith("SGB IX a.F.") for z in zitate)
    assert not any(z.startswith("§ 160") for z in zitate)
    # ... but paid by the law of its due date, 31.03.2018: § 160 Abs. 4, § 163 Abs. 2 (issue "Law by date")
    zahlung = {f["zitat"] for s in zeile["begruendung"] if s["rechtsstand"]["name"] == "anzeigefrist" for f in s["fundstellen"]}
    assert "§ 160 Abs. 4 Satz 1 SGB IX" in zahlung and not any("a.F." in z for z in zahlung)
    zeile = json.loads(regelwerk("decide", str(FAELLE / "jahreswechsel-2018.yaml"), "--format", "json").stdout)
    assert not any("a.F." in f["zitat"] for s in zeile["begruendung"] for f in s["fundstellen"])


@pytest.mark.parametrize("datei,bek,zeile", [
    ("rundung-abrunden-2014.yaml", "Nr. 1 Satz 1 Bek. v. 16.12.2011", "| 260 Euro | 290 Euro |"),
    ("staffel-3-ein-platzmonat-2025.yaml", "Nr. 1 Satz 2 Bek. v. 2.12.2024", "| 0 bis unter 2 Prozent | 360 Euro |"),
])
def test_bekanntmachungsbetrag_zitiert_abs_3_und_die_zeile_der_bekanntmachung(datei, bek, zeile):
    """Issue 11, finding 9: a Bek. amount cites Abs. 3 and quotes the Bek. table with the row that applies;
    the adjustment is applied law, not listed as nicht automatisiert."""
    e = json.loads(regelwerk("decide", str(FAELLE / datei), "--format", "json").stdout)
    staffel = next(s for s in e["begruendung"] if s["regel"].startswith("aa.staffel"))
    zitate = {f["zitat"]: f["wortlaut"] for f in staffel["fundstellen"]}
    assert bek in zitate and zeile in zitate[bek]
    assert any(z.endswith("Abs. 3 SGB IX a.F.") or z == "§ 160 Abs. 3 SGB IX" for z in zitate)
    wert = next(v for k, v in staffel["parameter"].items() if k.startswith("aa_staffel"))
    assert "i.V.m. Abs. 3" in wert["fundstelle"] and "Bek. v." in wert["fundstelle"]
    assert not any(n["zitat"] in ("§ 160 Abs. 3 SGB IX", "§ 77 Abs. 3 SGB IX a.F.") for n in e["nicht_automatisiert"])


def test_text_liest_sich_wie_eine_begruendung():
    text = regelwerk("decide", str(FAELLE / "staffel-2-2024.yaml"), "--format", "text").stdout
    for teil in ["ERGEBNIS", "BEGRÜNDUNG", "Rechtsgrundlage: § 160 Abs. 2 Satz 1 Nr. 2 SGB IX",
                 "Wortlaut § 160 Abs. 2 Satz 1 Nr. 2 SGB IX (Fassung ab 01.01.2024, angewandt für den 31.12.2024)", "Regelwerk-Fingerabdruck",
                 "NICHT AUTOMATISIERT"]:
        assert teil in text
    md = regelwerk("decide", str(FAELLE / "staffel-2-2024.yaml"), "--format", "md").stdout
    assert md.startswith("# Ausgleichsabgabe") and "## Begründung" in md
    # issue 15, finding 8: absolute links by default (here the local `regelwerk site serve`, as mkdocs.yml
    # names no published site_url), so that the HTML opened as a file has no dead links
    html = regelwerk("decide", str(FAELLE / "staffel-2-2024.yaml"), "--format", "html").stdout
    assert 'href="http://127.0.0.1:8000/recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-2"' in html
    relativ = regelwerk("decide", str(FAELLE / "staffel-2-2024.yaml"), "--format", "html", "--site-url", "").stdout
    assert 'href="recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-2"' in relativ


def test_motor_und_direkte_auswertung_stimmen_ueberein():
    with Entscheider(WB) as motor:
        direkt = Entscheider(WB, motor="direkt")
        for datei in sorted(FAELLE.glob("*.yaml")):
            fall = lade_fall(datei, WB)
            a, b = motor.entscheide(fall), direkt.entscheide(fall)
            assert a.ergebnis == b.ergebnis, datei.name
            assert [s.regel.regel.id for s in a.schritte] == [s.regel.regel.id for s in b.schritte]
            assert [s.ergebnisse for s in a.schritte] == [s.ergebnisse for s in b.schritte]


def test_zehntausend_entscheidungen_in_einem_prozess():
    """durable_rules allows 1,024 live sessions; every decision must clean up after itself."""
    faelle = [lade_fall(d, WB) for d in sorted(FAELLE.glob("*.yaml"))]
    erwartet = {}
    with Entscheider(WB) as e:
        for i in range(10_000):
            fall = faelle[i % len(faelle)]
            ergebnis = e.entscheide(fall).ergebnis
            if fall.datei in erwartet:
                assert ergebnis == erwartet[fall.datei]
            erwartet[fall.datei] = ergebnis


def test_fehler_in_einer_regel_hinterlaesst_keinen_zustand(monkeypatch):
    """An action that raises must not leave a live session behind: the next decision works."""
    fall = lade_fall(FAELLE / "staffel-2-2024.yaml", WB)
    with Entscheider(WB) as e:
        gut = e.entscheide(fall).ergebnis
        k = e.kompilat(fall.art)
        regel = next(kr for kr in k.regeln if kr.regel.id == "aa.ausgleichsabgabe")
        original = regel.regel.dann[0].formel.ausfuehren
        monkeypatch.setattr(regel.regel.dann[0].formel, "ausfuehren", lambda u: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            e.entscheide(fall)
        monkeypatch.setattr(regel.regel.dann[0].formel, "ausfuehren", original)
        for _ in range(1100):  # more than the 1,024 sessions durable_rules allows
            assert e.entscheide(fall).ergebnis == gut


def test_regelsaetze_neu_registrieren_leckt_nicht():
    fall = lade_fall(FAELLE / "staffel-2-2024.yaml", WB)
    vorher = None
    for runde in range(300):
        with Entscheider(WB) as e:
            e.entscheide(fall)
            backend = e._backend
        if runde == 50:
            vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert backend._host._ruleset_list == [] and backend._aktionen == {}
    nachher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert nachher - vorher < 10_000  # KiB; measured: +0.4 MB without a leak, +146 MB for 350 leaked rulesets


def test_regelmotor_nur_aus_einem_thread():
    """durable_rules crashes when used from several threads: the backend refuses it in German."""
    import threading

    from engine.durable_backend import BackendFehler

    fall = lade_fall(FAELLE / "staffel-2-2024.yaml", WB)
    fehler: list[BaseException] = []
    with Entscheider(WB) as e:
        e.entscheide(fall)

        def anderer_thread():
            try:
                e.entscheide(fall)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                fehler.append(exc)
        t = threading.Thread(target=anderer_thread)
        t.start()
        t.join()
        assert e.entscheide(fall).ergebnis["ausgleichsabgabe"] == "14700.00"
    assert len(fehler) == 1 and isinstance(fehler[0], BackendFehler)
    assert "nur aus dem Thread" in str(fehler[0])
