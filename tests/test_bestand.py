"""The population what-if (`regelwerk wirkung`, engine/bestand): hand-worked caseloads, the differential test
against the rule engine for 10,000 generated employer-years 2002–2026, a parameter change, the command line."""
from __future__ import annotations

import json
import random
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from engine.bestand.bericht import rendere, vergleiche
from engine.bestand.rechnung import FEHLER, REGELMOTOR, VEKTOR, ZIELE, rechne
from engine.bestand.spalten import lies_bestand
from engine.cli import main
from engine.entscheidung import Entscheider
from engine.faelle import falldokument_aus_daten, pruefe_fall
from engine.fehler import RegelwerkFehler
from engine.formel import KONTEXT
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wb():
    return lade_wissensbasis(REPO)


def _monate(anzahl_ap: list[int], besetzt: list[int], azubi: int = 0) -> list[dict]:
    return [{"monat": i + 1, "arbeitsplaetze": ap, "ausbildungsstellen": azubi, "nicht_zu_beruecksichtigen": 0,
             "besetzte_pflichtarbeitsplaetze": b} for i, (ap, b) in enumerate(zip(anzahl_ap, besetzt))]


# --- hand-worked caseload ------------------------------------------------------------------------------
# A: 12 months with 100 Arbeitsplätze, nobody employed. Jahressumme 1,200; Pflichtarbeitsplätze 5 % = 60
#    (§ 154 Abs. 1 Satz 1, § 157 Abs. 2). Quote 0 %. 2023: "weniger als 2 Prozent" 360 Euro (Bek. v. 19.11.2020)
#    → 60 × 360 = 21,600.00 Euro. 2024: Quote 0 % is its own tier, 720 Euro (§ 160 Abs. 2 Satz 1 Nr. 4)
#    → 60 × 720 = 43,200.00 Euro.
# B: 12 months with 30 Arbeitsplätze, nobody employed: under 40, so one Pflichtarbeitsplatz per month
#    (§ 154 Abs. 1 Satz 3) = 12. 2023: "weniger als einem" 140 Euro → 1,680.00; 2024: "null" 210 Euro
#    (§ 160 Abs. 2 Satz 2 Nr. 1) → 2,520.00 Euro.
# C: 8 months with 61 and 4 months with 60 Arbeitsplätze: Jahressumme 728, Durchschnitt 60.67 (≥ 60);
#    5 % of 728 = 36.4, rounded down to 36 (§ 157 Abs. 2: Bruchteile unter 0,5 abgerundet). One besetzter
#    Platz each month = 12; Quote 12 / 728 = 1.65 % (< 2, > 0). Unbesetzt 36 − 12 = 24; 360 Euro in 2023 and
#    in 2024 → 8,640.00 Euro both years (unchanged).
# D: as A but one Werkstatt invoice of 10,000.00 with 2,000.00 material, executed in the year and paid by
#    31 March of the next year: Arbeitsleistung 8,000.00, half = 4,000.00 credited (§ 223 Abs. 1 Satz 1);
#    a second invoice paid on 3 April of the next year is not credited (rule aa.werkstatt_anrechenbare_auftraege:
#    paid by 31 March of the following year; 31.03.2024 is Easter Sunday and 01.04.2024 Easter Monday, so by § 193
#    BGB the deadline moves to Tuesday 02.04.2024, rule aa.werkstatt_verguetungsfrist - 3 April is late). Zahlbetrag 2023: 21,600 − 4,000 = 17,600.00 Euro. Decided for 2024
#    with the same invoice dates, no invoice was executed "im Jahr" 2024: no credit, Zahlbetrag 43,200.00 Euro.
# E: a case with individual employees: decided by the rule engine, not by the columns.
# Totals (Zahlbetrag): 2023 = 21,600 + 1,680 + 8,640 + 17,600 + E; 2024 = 43,200 + 2,520 + 8,640 + 43,200 + E.


def _handfaelle() -> list[tuple[str, dict]]:
    a = {"art": "ausgleichsabgabe", "jahr": 2023, "monate": _monate([100] * 12, [0] * 12)}
    b = {"art": "ausgleichsabgabe", "jahr": 2023, "monate": _monate([30] * 12, [0] * 12)}
    c = {"art": "ausgleichsabgabe", "jahr": 2023, "monate": _monate([61] * 8 + [60] * 4, [1] * 12)}
    d = dict(a, werkstattauftraege=[
        {"rechnungsbetrag": "10000.00", "materialkosten": "2000.00", "ausgefuehrt": "2023-06-15", "bezahlt": "2024-03-31"},
        {"rechnungsbetrag": "5000.00", "materialkosten": "0.00", "ausgefuehrt": "2023-06-15", "bezahlt": "2024-04-03"}])
    e = {"art": "ausgleichsabgabe", "jahr": 2023,
         "monate": [{"monat": m, "arbeitsplaetze": 30, "ausbildungsstellen": 0, "nicht_zu_beruecksichtigen": 0}
                    for m in range(1, 13)],
         "beschaeftigte": [{"name": "P", "gdb": 50, "gleichstellung": False, "wochenstunden": "38.5",
                            "auszubildender": False, "monate": list(range(1, 13)), "altersteilzeit": "keine",
                            "uebernahme_nach_ausbildung": False, "unmittelbar_vorher_werkstatt": False,
                            "budget_fuer_arbeit": False}]}
    return [("A", a), ("B", b), ("C", c), ("D", d), ("E", e)]


def test_handgerechneter_bestand(wb):
    bestand = lies_bestand(faelle=_handfaelle())
    assert bestand.n == 4 and len(bestand.einzeln) == 1  # E has individual employees
    with Entscheider(wb, motor="direkt") as e:
        vorher = rechne(wb, bestand, 2023, e)
        nachher = rechne(wb, bestand, 2024, e)
    assert list(vorher.cent("zahlbetrag")[:4]) == [2_160_000, 168_000, 864_000, 1_760_000]
    assert list(nachher.cent("zahlbetrag")[:4]) == [4_320_000, 252_000, 864_000, 4_320_000]
    assert vorher.wert(2, "pflichtarbeitsplaetze") == 36  # 36.4 rounded down (§ 157 Abs. 2)
    assert vorher.wert(3, "anrechnung_werkstaetten") == 4000
    assert list(vorher.weg) == [VEKTOR] * 4 + [REGELMOTOR]
    # E: 30 places, one employee with GdB 50 for 12 months = 12 besetzte, 12 Pflichtarbeitsplätze: nothing to pay
    assert vorher.wert(4, "zahlbetrag") == 0 and nachher.wert(4, "zahlbetrag") == 0
    v = vergleiche(wb, vorher, nachher, "2023", "2024", 2023)
    assert (v.summe_vorher, v.summe_nachher) == (4_952_000, 9_756_000)
    assert (v.geaendert, v.mehr, v.weniger, v.vektor, v.regelmotor) == (3, 3, 0, 4, 1)
    text = rendere(v)
    assert "über den Regelmotor entschieden: 1" in text and "Differenz +48.040,00 €" in text
    staffel = {z.name: z.arbeitgeber for z in v.staffeln_nachher}
    assert staffel["Staffel 4 (ab 2024): Quote von 0 Prozent"] == 2  # A and D


def test_anzahl_zaehlt_nur_angegebene_monate(wb):
    """Regression: in the dense month layout `anzahl(monate)` once counted all twelve rows of a case."""
    fall = {"art": "ausgleichsabgabe", "jahr": 2022, "monate": _monate([25] * 6, [0] * 6)}
    with Entscheider(wb, motor="direkt") as e:
        erg = rechne(wb, lies_bestand(faelle=[("sechs", fall)]), None, e)
    # six months: Durchschnitt 25, six Pflichtarbeitsplätze (one per month), 140 Euro (2022) → 840.00 Euro
    assert erg.wert(0, "jahresdurchschnitt_arbeitsplaetze") == 25
    assert erg.wert(0, "zahlbetrag") == 840


def test_summe_der_letzten_rechnungen_vor_faellen_ohne_rechnungen(wb):
    """Regression: the per-case sum over invoices clipped the start of trailing cases without invoices to the
    last row, so the last invoice of the last case with invoices was dropped. Two invoices in 2010 executed and
    paid in time: (1,202.91 − 38.81) + (9,672.54 − 4.80) = 10,831.84 Euro Arbeitsleistung, half = 5,415.92 Euro."""
    mit = {"art": "ausgleichsabgabe", "jahr": 2010, "monate": _monate([100] * 12, [0] * 12), "werkstattauftraege": [
        {"rechnungsbetrag": "1202.91", "materialkosten": "38.81", "ausgefuehrt": "2010-03-23", "bezahlt": "2011-01-30"},
        {"rechnungsbetrag": "9672.54", "materialkosten": "4.80", "ausgefuehrt": "2010-09-13", "bezahlt": "2011-03-30"}]}
    ohne = {"art": "ausgleichsabgabe", "jahr": 2010, "monate": _monate([100] * 12, [0] * 12)}
    with Entscheider(wb, motor="direkt") as e:
        erg = rechne(wb, lies_bestand(faelle=[("mit", mit), ("ohne", ohne)]), None, e)
    assert erg.wert(0, "anrechnung_werkstaetten") == Fraction("5415.92")
    assert erg.wert(1, "anrechnung_werkstaetten") == 0


# --- differential test against the rule engine ------------------------------------------------------------


def _generiert(rng: random.Random, i: int) -> dict:
    """Employer-years of every kind the columns cover, near every threshold, and some they do not."""
    jahr = 2002 + i % 25
    groesse = rng.choice([5, 18, 19, 20, 21, 30, 39, 40, 41, 50, 59, 60, 61, 80, 100, 150, 400, 2000, 25000])
    monate_liste = list(range(1, 13)) if rng.random() < 0.8 else sorted(rng.sample(range(1, 13), rng.randint(1, 11)))
    monate = []
    for m in monate_liste:
        ap = max(0, groesse + rng.randint(-2, 2))
        azubi = rng.randint(0, min(3, ap))
        nzb = rng.randint(0, max(0, min(2, ap - azubi)))
        monate.append({"monat": m, "arbeitsplaetze": ap, "ausbildungsstellen": azubi, "nicht_zu_beruecksichtigen": nzb,
                       "besetzte_pflichtarbeitsplaetze": 0})
    summe = sum(x["arbeitsplaetze"] - x["ausbildungsstellen"] - x["nicht_zu_beruecksichtigen"] for x in monate)
    ziel = rng.choice(["0", "2", "3", "5", "zufall", "zufall", "1je", "2je"])  # exact quota boundaries too
    if ziel in ("2", "3", "5") and summe * int(ziel) % 100 == 0:
        besetzt = summe * int(ziel) // 100
    elif ziel == "1je":
        besetzt = len(monate)
    elif ziel == "2je":
        besetzt = 2 * len(monate)
    elif ziel == "0":
        besetzt = 0
    else:
        besetzt = rng.randint(0, max(1, summe // 15))
    for j in range(besetzt):
        x = monate[j % len(monate)]
        if x["besetzte_pflichtarbeitsplaetze"] < 3 * x["arbeitsplaetze"]:
            x["besetzte_pflichtarbeitsplaetze"] += 1
    fall: dict = {"art": "ausgleichsabgabe", "jahr": jahr, "arbeitgeber": {"name": f"AG {i}"}, "monate": monate}
    if rng.random() < 0.35:
        fall["werkstattauftraege"] = [
            {"rechnungsbetrag": f"{rng.randint(0, 30000)}.{rng.randint(0, 99):02d}", "materialkosten": f"{rng.randint(0, 50)}.{rng.randint(0, 99):02d}",
             "ausgefuehrt": f"{jahr + rng.choice([-1, 0, 0, 0, 1])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "bezahlt": f"{jahr + 1}-{rng.choice([1, 2, 3, 3, 4])}-{rng.choice([1, 15, 30, 31]):02d}".replace("-2-30", "-2-28").replace("-2-31", "-2-28").replace("-4-31", "-4-30")}
            for _ in range(rng.randint(0, 3))]
        for a in fall["werkstattauftraege"]:
            teile = a["bezahlt"].split("-")
            a["bezahlt"] = f"{teile[0]}-{int(teile[1]):02d}-{teile[2]}"
            if Decimal(a["materialkosten"]) > Decimal(a["rechnungsbetrag"]):
                a["materialkosten"] = "0.00"
    if rng.random() < 0.2:
        fall["zahlungen"] = [{"datum": f"{jahr + 1}-05-02", "betrag": "1000.00"}]
    if rng.random() < 0.1:
        fall["land"] = rng.choice(["HE", "BY", "NW"])
    if rng.random() < 0.01:  # implausible: Spalte 2 + 3 above Spalte 1 (an error on both paths)
        monate[0]["ausbildungsstellen"] = monate[0]["arbeitsplaetze"] + 1
    if rng.random() < 0.01:  # individual employees: decided by the rule engine
        for x in monate:
            x.pop("besetzte_pflichtarbeitsplaetze")
        fall["beschaeftigte"] = [{"name": "P", "gdb": 60, "gleichstellung": False, "wochenstunden": "20",
                                  "auszubildender": False, "monate": [x["monat"] for x in monate],
                                  "altersteilzeit": "keine", "uebernahme_nach_ausbildung": False,
                                  "unmittelbar_vorher_werkstatt": False, "budget_fuer_arbeit": False}]
    return fall


def _exakt(wert) -> Fraction | None:
    if wert is None:
        return None
    return Fraction(int(wert)) if isinstance(wert, bool) else Fraction(wert)


QUOTIENTEN = ("jahresdurchschnitt_arbeitsplaetze", "beschaeftigungsquote")  # the engine divides at 28 digits


def _wie_die_engine(q: Fraction) -> Decimal:
    return KONTEXT.divide(Decimal(q.numerator), Decimal(q.denominator))


def _vergleiche_mit_engine(wb, entscheider, faelle, erg) -> list[str]:
    abweichungen = []
    for i, (name, daten) in enumerate(faelle):
        try:
            e = entscheider.entscheide(pruefe_fall(falldokument_aus_daten(daten, name), wb))
        except RegelwerkFehler:
            if erg.weg[i] != FEHLER:
                abweichungen.append(f"{name}: die Engine meldet einen Fehler, die Spalten nicht")
            continue
        fakten, staffel = {}, None
        for s in e.schritte:
            fakten.update(s.ergebnisse)
            if "betrag_je_platz" in s.ergebnisse:
                staffel = s.regel.regel.id
        if erg.weg[i] == FEHLER:
            abweichungen.append(f"{name}: Fehler nur in den Spalten: {erg.fehler.get(i)}")
            continue
        for f in ZIELE:
            soll, ist = fakten.get(f), erg.wert(i, f)
            if f in QUOTIENTEN and soll is not None and ist is not None and erg.weg[i] == VEKTOR:
                gleich = _wie_die_engine(ist) == soll
            else:
                gleich = _exakt(soll) == ist or (f in QUOTIENTEN and abs(_exakt(soll) - ist) < Fraction(1, 10**11))
            if not gleich:
                abweichungen.append(f"{name} ({daten['jahr']}): {f} Engine {soll}, Spalten {ist}")
        if staffel != erg.staffel_von(i):
            abweichungen.append(f"{name}: Staffel Engine {staffel}, Spalten {erg.staffel_von(i)}")
    return abweichungen


def test_differentiell_10000_arbeitgeberjahre_2002_bis_2026(wb):
    """Every one of 10,000 generated employer-years (400 per year 2002–2026, fixed seed), each under the law
    of its own year: the vectorised facts equal the engine's (direct evaluation, the engine's differential
    twin), to the cent and to the tier rule; cases the columns do not cover are decided by the engine."""
    rng = random.Random(20260101)
    faelle = [(f"fall-{i}", _generiert(rng, i)) for i in range(10_000)]
    bestand = lies_bestand(faelle=faelle)
    einzeln = {x.nr for x in bestand.einzeln}
    reihenfolge = [i for i in range(len(faelle)) if i not in einzeln]
    with Entscheider(wb, motor="direkt") as e:
        erg = rechne(wb, bestand, None, e)
        geordnet = [faelle[i] for i in reihenfolge] + [faelle[int(x.nr)] for x in bestand.einzeln]
        abweichungen = _vergleiche_mit_engine(wb, e, geordnet, erg)
    assert not abweichungen, "\n".join(abweichungen[:20])
    assert (erg.weg == VEKTOR).sum() > 9_500  # the columns decide nearly all
    assert set(bestand.jahr.tolist()) == set(range(2002, 2027))
    assert len({erg.staffel_von(i) for i in range(len(erg.weg))}) >= 15  # every tier of every epoch reached


def test_differentiell_stichprobe_durch_den_regelmotor(wb):
    """A sample of 400 through durable-rules itself (the engine of record), years 2002–2026."""
    rng = random.Random(4711)
    faelle = [(f"fall-{i}", _generiert(rng, i)) for i in range(400)]
    faelle = [(n, d) for n, d in faelle if "beschaeftigte" not in d and d["monate"][0]["ausbildungsstellen"]
              <= d["monate"][0]["arbeitsplaetze"]]
    bestand = lies_bestand(faelle=faelle)
    assert not bestand.einzeln
    with Entscheider(wb) as e:
        erg = rechne(wb, bestand, None, e)
        abweichungen = _vergleiche_mit_engine(wb, e, faelle, erg)
    assert not abweichungen, "\n".join(abweichungen[:20])


# --- derived from the rulebook --------------------------------------------------------------------------


def test_parameteraenderung_aendert_die_wirkung(tmp_path):
    """A legal expert sets the Pflichtquote from 2018 on to 6 instead of 5 percent, in the parameter file only
    (rules/parameter/allgemein.yaml). Case A in 2025 (Jahressumme 1,200, nobody employed): 6 % of 1,200 = 72
    Pflichtarbeitsplätze instead of 60, at 815 Euro (Quote 0 %) = 58,680.00 instead of 48,900.00 Euro."""
    for ordner in ("legal", "rules"):
        shutil.copytree(REPO / ordner, tmp_path / ordner)
    datei = tmp_path / "rules" / "parameter" / "allgemein.yaml"
    alt = 'wert: "5"\n        gueltig_ab: 2018-01-01'
    text = datei.read_text(encoding="utf-8")
    assert text.count(alt) == 1
    datei.write_text(text.replace(alt, alt.replace('"5"', '"6"')), encoding="utf-8")
    fall = ("A", _handfaelle()[0][1])
    for wurzel, pflicht, erwartet in ((REPO, 60, 4_890_000), (tmp_path, 72, 5_868_000)):
        wb = lade_wissensbasis(wurzel)
        with Entscheider(wb, motor="direkt") as e:
            erg = rechne(wb, lies_bestand(faelle=[fall]), 2025, e)
        assert erg.wert(0, "pflichtarbeitsplaetze") == pflicht
        assert erg.cent("zahlbetrag")[0] == erwartet and erg.weg[0] == VEKTOR


# --- command line -----------------------------------------------------------------------------------------


def test_befehl_wirkung_jsonl_und_csv(tmp_path, capsys):
    jsonl = tmp_path / "bestand.jsonl"
    jsonl.write_text("\n".join(json.dumps(d) for _, d in _handfaelle()) + "\nkein json\n", encoding="utf-8")
    svg = tmp_path / "w.svg"
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(jsonl), "--jahr", "2023", "--gegen", "2024",
                 "--diagramm", str(svg), "--motor", "direkt"]) == 0
    aus = capsys.readouterr().out
    assert "Recht von 2023 gegenüber 2024" in aus and "nicht entscheidbar: 1" in aus
    assert "kein gültiges JSON" in aus and svg.read_text(encoding="utf-8").startswith("<svg")
    csv = tmp_path / "anzeigen.csv"
    zeilen = ["betriebsnummer;jahr;monat;arbeitsplaetze;ausbildungsstellen;nicht_zu_beruecksichtigen;besetzte_pflichtarbeitsplaetze"]
    zeilen += [f"111;2023;{m};100;0;0;0" for m in range(1, 13)]
    csv.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(csv), "--jahr", "2023", "--gegen", "2024",
                 "--format", "json"]) == 0
    daten = json.loads(capsys.readouterr().out)
    assert daten["zahlbetrag"] == {"vorher": "21600.00", "nachher": "43200.00", "differenz": "21600.00"}
    assert daten["vektorisiert"] == 1


def test_befehl_wirkung_fehler(tmp_path, capsys):
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(tmp_path / "fehlt.jsonl"), "--jahr", "2023",
                 "--gegen", "2024"]) == 2
    assert "nicht gefunden" in capsys.readouterr().err
    datei = tmp_path / "b.jsonl"
    datei.write_text("{}\n", encoding="utf-8")
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(datei), "--jahr", "2023"]) == 2
    assert "nichts zu vergleichen" in capsys.readouterr().err
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(datei), "--jahr", "1999", "--gegen", "2024"]) == 2
    fehler = capsys.readouterr().err
    assert "für das Jahr 1999 ist im Regelwerk kein Recht" in fehler and "erlaubt sind die Jahre 2002 bis 2100" in fehler


def test_befehl_wirkung_gegen_revision(tmp_path, capsys):
    """The rulebook of HEAD against the working tree: for the hand-worked caseload nothing changes unless the
    working tree changed the levy rules (the totals of both sides are then those of 2023 worked out above)."""
    jsonl = tmp_path / "bestand.jsonl"
    jsonl.write_text("\n".join(json.dumps(d) for _, d in _handfaelle()[:4]) + "\n", encoding="utf-8")
    assert main(["--wurzel", str(REPO), "wirkung", "--bestand", str(jsonl), "--gegen-revision", "HEAD",
                 "--format", "json", "--motor", "direkt"]) == 0
    daten = json.loads(capsys.readouterr().out)
    assert daten["vergleich"] == {"vorher": "HEAD", "nachher": "Arbeitsstand"}
    assert daten["zahlbetrag"]["vorher"] == "49520.00" and daten["vektorisiert"] == 4
