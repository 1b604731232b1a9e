"""Law by date: each step applies the Fassung in force on its own date, and says which date that was.

The expected citations and Fassungen are read off the statute texts in legal/ (see the cases'
`begruendung`): § 160/§ 163 SGB IX from 01.01.2018 (before: §§ 77, 80 a.F.), § 24 SGB IV in the
Fassung from 01.01.2017 (Abs. 3 added by the 6. SGB IV-ÄndG; Abs. 1 as since 2002) until 31.12.2022 and from 01.01.2023.
"""
from __future__ import annotations

import json
from pathlib import Path

from engine import lies_fall, rendere

REPO = Path(__file__).resolve().parent.parent
FAELLE = REPO / "tests" / "cases" / "ausgleichsabgabe"


def entscheide(rw, name: str) -> dict:
    return json.loads(rendere(rw.entscheide(lies_fall(FAELLE / f"{name}.yaml")), "json"))


def schritte(daten: dict, regel: str) -> list[dict]:
    return [s for s in daten["begruendung"] if s["regel"] == regel]


def zitate(schritt: dict) -> dict[str, str]:
    return {f["zitat"]: f["fassung_ab"] for f in schritt["fundstellen"]}


def test_erhebungsjahr_2017_zahlung_nach_dem_recht_von_2018(rw):
    d = entscheide(rw, "faelligkeit-2017-zahlung-2018")
    abgabe = schritte(d, "aa.ausgleichsabgabe")[0]
    assert abgabe["rechtsstand"]["datum"] == "2017-12-31"
    # the levy of 2017: § 77 a.F.; the amount of 2017 comes from the Bek. v. 14.12.2015 (issue 11, finding 9)
    assert all("a.F." in z for z in zitate(abgabe) if "SGB IX" in z)
    assert any(z.startswith("§ 77 Abs. 3") for z in zitate(abgabe)) and any("Bek. v. 14.12.2015" in z for z in zitate(abgabe))
    zahlung = schritte(d, "aa.zahlbetrag")[0]
    assert zahlung["rechtsstand"] == {"name": "anzeigefrist", "bezeichnung": "Ende der Anzeigefrist (31. März des Folgejahres)",
                                      "datum": "2018-03-31"}
    assert zitate(zahlung) == {"§ 160 Abs. 4 Satz 1 SGB IX": "2018-01-01", "§ 223 Abs. 1 Satz 1 SGB IX": "2018-01-01"}
    frist = schritte(d, "aa.anzeigefrist")[0]
    assert set(zitate(frist)) == {"§ 160 Abs. 4 Satz 1 SGB IX", "§ 163 Abs. 2 Satz 1 SGB IX"}
    verschoben = schritte(d, "aa.faelligkeit_verschoben")[0]
    assert set(zitate(verschoben)) == {"§ 193 BGB"}
    assert "Ostermontag" in verschoben["ergebnisse"]["verschiebungsgrund_faelligkeit"]
    assert d["ergebnis"]["faellig_am"] == "2018-04-03"


def test_saeumnismonate_lesen_paragraph_24_je_monat(rw):
    d = entscheide(rw, "saeumnis-2021-ueber-jahreswechsel-2023")
    monate = schritte(d, "aa.saeumniszuschlag_je_monat")
    assert [m["rechtsstand"]["datum"] for m in monate] == \
        ["2022-04-01", "2022-05-01", "2022-06-01", "2022-07-01", "2022-08-01", "2022-09-01", "2022-10-01",
         "2022-11-01", "2022-12-01", "2023-01-01", "2023-02-01"]
    fassungen = [zitate(m)["§ 24 Abs. 1 Satz 1 SGB IV"] for m in monate]
    assert fassungen == ["2017-01-01"] * 9 + ["2023-01-01"] * 2
    for m in monate:
        f = next(f for f in m["fundstellen"] if f["zitat"] == "§ 24 Abs. 1 Satz 1 SGB IV")
        assert f["angewandt_fuer"] == m["rechtsstand"]["datum"]
    daten = {(r["name"], r["datum"]) for r in d["quittung"]["rechtsstaende"]}
    assert {("jahresende", "2021-12-31"), ("anzeigefrist", "2022-03-31"), ("faelligkeit", "2022-03-31"),
            ("saeumnismonat", "2022-04-01"), ("saeumnismonat", "2023-02-01")} <= daten


def test_kleinbetrag_des_jahres_der_saeumnis(rw):
    """Levy 2022, months of arrears 2023: each month applies § 24 Abs. 1 Satz 3 (150 Euro), not the old Satz 2 (100 Euro).

    (Until the levy procedure of issue 20 the small-amount rule was only a mark of non-automated law; now a rule decides it.)"""
    d = entscheide(rw, "saeumnis-2022-monate-2023")
    for m in schritte(d, "aa.saeumniszuschlag_je_monat"):
        assert "§ 24 Abs. 1 Satz 3 SGB IV" in zitate(m) and "§ 24 Abs. 1 Satz 2 SGB IV" not in zitate(m)
    assert all(zitate(m)["§ 24 Abs. 1 Satz 1 SGB IV"] == "2023-01-01" for m in schritte(d, "aa.saeumniszuschlag_je_monat"))


def test_bescheid_nennt_fassung_und_tag_je_schritt(rw):
    text = rendere(rw.entscheide(lies_fall(FAELLE / "saeumnis-2021-ueber-jahreswechsel-2023.yaml")), "text")
    assert "Wortlaut § 24 Abs. 1 Satz 1 SGB IV (Fassung ab 01.01.2017, angewandt für den 01.12.2022)" in text
    assert "Wortlaut § 24 Abs. 1 Satz 1 SGB IV (Fassung ab 01.01.2023, angewandt für den 01.01.2023)" in text
    assert "Beginn eines Monats der Säumnis: 01.02.2023" in text  # receipt lists every law date


def test_ohne_zahlbetrag_kein_saeumniszuschlag(rw):
    d = entscheide(rw, "null-abgabe-ohne-zahlungen-2024")
    assert d["ergebnis"]["saeumniszuschlag"] == "0.00" and "saeumniszuschlag" not in d["nicht_ermittelt"]
    assert not schritte(d, "aa.saeumniszuschlag_je_monat")


def test_betrag_aus_bekanntmachung_zitiert_ihre_zeile(rw):
    """Issue "Never a confident wrong Bescheid", finding 9: the amount cites the chain § 160 Abs. 2 i.V.m. Abs. 3
    and Nr. 1 of the Bekanntmachung and quotes the row of its table that gives the amount applied (405 Euro
    from 2025, Bek. v. 2.12.2024: „0 bis unter 2 Prozent | 360 Euro | 405 Euro“)."""
    d = entscheide(rw, "saeumnis-15-mai-2025")
    staffel = next(s for s in d["begruendung"] if "aa_staffel_3" in s["parameter"])
    p = staffel["parameter"]["aa_staffel_3"]
    assert p["wert"] == "405" and "i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024" in p["fundstelle"]
    assert p["auszug"] == "0 bis unter 2 Prozent | 360 Euro | 405 Euro"
