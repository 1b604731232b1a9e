"""Issue 19: verified law. A Fassung's evidence (`nachweis`) and caveats (`vorbehalt`) as data; the caveat of a
decision is one German sentence per uncertain Fassung and day; a rule whose provision did not exist on its date
does not apply then, and the decision says so ("nicht vorgesehen").

The fixture rulebook tests/fixtures/rechtsstand/regelwerk (an invented Testgesetz, TG) is small on purpose:
§ 1 TG in an unverified Fassung 2020–2022 without Abs. 3, and a verified Fassung from 2023 with Abs. 3 and a
caveat on Abs. 3 for the year 2023. The rule `tg.praemie` cites § 1 Abs. 3 TG from 2020 on.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from engine import fall_aus_daten, lade_regelwerk, rendere
from engine.rechtstext import lade_rechtsbestand

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "rechtsstand" / "regelwerk"


def fall(jahr: int) -> dict:
    # one month, 4 workplaces and 2 training places
    return {"art": "ausgleichsabgabe", "jahr": jahr,
            "monate": [{"monat": 6, "arbeitsplaetze": 4, "ausbildungsstellen": 2, "nicht_zu_beruecksichtigen": 0,
                        "besetzte_pflichtarbeitsplaetze": 0}]}


@pytest.fixture(scope="module", params=["durable", "direkt"])
def entscheide(request):
    with lade_regelwerk(FIXTURE, motor=request.param) as rw:
        yield lambda jahr: json.loads(rendere(rw.entscheide(fall_aus_daten(fall(jahr))), "json")), rw


def test_regel_gilt_nicht_vor_ihrer_vorschrift(entscheide):
    """2021: § 1 Abs. 3 TG (Prämie) exists only from 1.1.2023 (Fassung ab 2023); the rule citing it from 2020 does
    not apply. The levy itself applies: 4 workplace-months × 8 Euro (§ 1 Abs. 1 Satz 2 TG, Fassung 2020) = 32 Euro."""
    d = entscheide[0](2021)
    assert d["ergebnis"]["beitrag"] == "32.00"
    assert d["ergebnis"]["praemie"] is None
    assert d["nicht_ermittelt"]["praemie"] == "nicht vorgesehen: § 1 Abs. 3 TG gilt erst ab dem 01.01.2023"
    assert d["nicht_vorgesehen"] == [{"regel": "tg.praemie", "titel": "Ausbildungsprämie", "datum": "2021-12-31",
                                      "gruende": ["§ 1 Abs. 3 TG gilt erst ab dem 01.01.2023"]}]
    assert [s["regel"] for s in d["begruendung"]] == ["tg.beitrag"]


def test_regel_gilt_ab_ihrer_vorschrift(entscheide):
    """2023 and 2024: Abs. 3 exists; 2 training-place-months × 50 Euro = 100 Euro; 4 × 10 Euro = 40 Euro."""
    for jahr in (2023, 2024):
        d = entscheide[0](jahr)
        assert d["ergebnis"] == {"beitrag": "40.00", "praemie": "100.00"}
        assert d["nicht_vorgesehen"] == [] and d["nicht_ermittelt"] == {}


def test_vorbehalt_ungesicherter_fassung_ist_ein_satz(entscheide):
    """2021 quotes the unverified Fassung 2020–2022 (no `vorbehalt` sentence): the generated sentence names the
    provision and its days, and no provenance detail."""
    d = entscheide[0](2021)
    satz = "Dass § 1 TG vom 01.01.2020 bis zum 31.12.2022 so lautete wie hier zitiert, ist nicht amtlich belegt."
    assert [v["hinweis"] for v in d["vorbehalte"]] == [satz]
    assert d["vorbehalte"][0]["angewandt_fuer"] == ["2021-12-31"]
    assert d["begruendung"][0]["fundstellen"][0]["vorbehalt"] == [satz]


def test_vorbehalt_gesicherter_fassung_nur_an_seinen_tagen_und_seiner_stelle(entscheide):
    """The verified Fassung from 2023 has a caveat on Abs. 3 for 1.1.–31.12.2023: in 2023 it stands beside the quote of
    Abs. 3 only (not beside Abs. 1); in 2024 there is none."""
    d = entscheide[0](2023)
    satz = "Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt."
    assert [(v["hinweis"], v["zitate"]) for v in d["vorbehalte"]] == [(satz, ["§ 1 Abs. 3 TG"])]
    vorbehalt = {f["zitat"]: f["vorbehalt"] for s in d["begruendung"] for f in s["fundstellen"]}
    assert vorbehalt == {"§ 1 Abs. 1 TG": [], "§ 1 Abs. 3 TG": [satz]}
    assert entscheide[0](2024)["vorbehalte"] == []


def test_nicht_vorgesehen_im_bescheid(entscheide):
    rw = entscheide[1]
    e = rw.entscheide(fall_aus_daten(fall(2021)))
    text, md, html = (rendere(e, f) for f in ("text", "md", "html"))
    zeile = "Ausbildungsprämie (für den 31.12.2021): nicht vorgesehen, § 1 Abs. 3 TG gilt erst ab dem 01.01.2023."
    assert zeile in text
    assert "## Nicht vorgesehen" in md and "gilt erst ab dem 01.01.2023" in md
    assert 'id="nicht-vorgesehen"' in html and "gilt erst ab dem 01.01.2023" in html


def test_vorbehalt_saetze_am_tag():
    """Fassung.vorbehalte_am: the unit-level filter and the periods, on the fixture's statute."""
    recht = lade_rechtsbestand(FIXTURE / "legal", FIXTURE)
    v = recht.vorschrift("tg", "1")
    neu, alt = v.fassungen
    assert neu.gesichert and neu.nachweis.aenderung.in_kraft_ab == date(2023, 1, 1)
    assert neu.vorbehalte_am(date(2023, 6, 1), "tg/1/abs-3") == ("Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt.",)
    assert neu.vorbehalte_am(date(2023, 6, 1), "tg/1/abs-1") == ()
    assert neu.vorbehalte_am(date(2023, 6, 1), "tg/1") != ()  # the whole section contains Abs. 3
    assert neu.vorbehalte_am(date(2024, 1, 1), "tg/1/abs-3") == ()
    assert alt.vorbehalte_am(date(2021, 1, 1)) == (alt.vorbehalt_grund,)


# provenance jargon stays in legal/ and on the rulebook's Fassung pages, never in a decision
# ("Abzug" alone is a legal word of the levy: only a mirror's "Abzug vom …" is jargon)
JARGON = re.compile(r"kmein|Abzug vom|Abzug \d|Commit|Gedächtnis|unverifiziert|Quelldatei|legal-sources"
                    r"|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,40}\b")


def test_kein_herkunftsjargon_in_entscheidungen():
    """Every test case of the real rulebook, in every format: no mirror names, commit ids or source notes.
    (The receipt's fingerprint is a hash by design; it is removed before the check.)"""
    from engine import lies_fall
    from engine.fehler import RegelwerkFehler
    geprueft = 0
    with lade_regelwerk(REPO) as rw:
        for datei in sorted((REPO / "tests" / "cases").rglob("*.yaml")):
            try:
                e = rw.entscheide(lies_fall(datei))
            except RegelwerkFehler:
                continue
            for fmt in ("json", "text", "md", "html"):
                text = rendere(e, fmt).replace(e.fingerabdruck, "").replace(e.fall.sha256, "")
                treffer = JARGON.search(text)
                assert treffer is None, (datei.name, fmt, text[max(0, treffer.start() - 80):treffer.end() + 80])
            geprueft += 1
    assert geprueft > 100


def _zeige(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", "--wurzel", str(FIXTURE), "zeige", *args],
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_zeige_nennt_nachweis_und_vorbehalt():
    """`regelwerk zeige ZITAT --stichtag TAG`: the amending law with its citation, and the caveat of that day."""
    aus = _zeige("§ 1 Abs. 3 TG", "--stichtag", "2023-03-01")
    assert aus.returncode == 0, aus.stderr
    assert ("Nachweis: Teständerungsgesetz (erfunden) vom 01.12.2022 (TGBl. I S. 1 (erfunden)), Art. 1 Nr. 2; "
            "in Kraft ab 01.01.2023 (Art. 3 Abs. 1)") in aus.stdout
    assert "Vorbehalt: Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt." in aus.stdout
    assert "Wer ausbildet, erhält eine Prämie" in aus.stdout
    spaeter = _zeige("§ 1 Abs. 3 TG", "--stichtag", "2024-03-01").stdout
    assert "Nachweis: Teständerungsgesetz" in spaeter and "Vorbehalt" not in spaeter
    alt = _zeige("§ 1 Abs. 1 TG", "--stichtag", "2021-03-01").stdout
    assert "Nachweis" not in alt
    assert "Vorbehalt: Dass § 1 TG vom 01.01.2020 bis zum 31.12.2022 so lautete wie hier zitiert, ist nicht amtlich belegt." in alt
    daten = json.loads(_zeige("§ 1 Abs. 3 TG", "--stichtag", "2023-03-01", "--format", "json").stdout)
    assert daten["fassung"]["nachweis"]["aenderung"]["in_kraft_ab"] == "2023-01-01"
    assert daten["fassung"]["vorbehalt"] == ["Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt."]


def test_zeige_bekanntmachung_mit_nachweis():
    aus = subprocess.run([sys.executable, "-m", "engine.cli", "zeige", "Nr. 1 Bek. v. 19.11.2020", "--stichtag", "2021-06-01"],
                         cwd=REPO, capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert aus.returncode == 0, aus.stderr
    assert "(BAnz AT 30.11.2020 B1)" in aus.stdout and "in Kraft ab 01.01.2021" in aus.stdout
    assert "verglichen mit: amtliche XML-Fassung von gesetze-im-internet.de, BJNR633500020.xml" in aus.stdout
    assert "Vorbehalt" not in aus.stdout


def test_vorbehalt_ohne_ende_gilt_so_lange_wie_die_fassung(tmp_path):
    """Regression (recht-c's finding on §§ 58, 70 VwGO): the wording of an unverified Fassung can be documented
    while the law that made it is not found. Its caveat must say exactly that on every day of the Fassung, not
    the general sentence "… ist nicht amtlich belegt", which would be false. A `vorbehalt` without `bis` lasts
    as long as its Fassung, also an open-ended one."""
    import shutil
    ziel = tmp_path / "regelwerk"
    shutil.copytree(FIXTURE / "legal", ziel / "legal")
    datei = ziel / "legal" / "tg" / "1.yaml"
    text = datei.read_text(encoding="utf-8")
    satz = "Welches Gesetz § 1 TG in dieser Fassung geändert hat, ist nicht ermittelt; der Wortlaut ist amtlich belegt."
    text = text.replace('    gueltigkeit_hinweis: "Testfassung: Beginn und Wortlaut nicht belegt."',
                        '    gueltigkeit_hinweis: "Testfassung: Beginn und Wortlaut nicht belegt."\n'
                        f'    vorbehalt:\n      - ab: 2021-01-01\n        text: "{satz}"', 1)
    text = text.replace("        text: \"Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt.\"",
                        "        text: \"Ob § 1 Abs. 3 TG im Jahr 2023 schon so lautete, ist nicht amtlich belegt.\"\n"
                        "      - ab: 2030-01-01\n        text: \"Ab 2030 offen.\"", 1)
    datei.write_text(text, encoding="utf-8")
    recht = lade_rechtsbestand(ziel / "legal", ziel)
    neu, alt = recht.vorschrift("tg", "1").fassungen
    assert alt.vorbehalte_am(date(2020, 6, 1)) == (alt.vorbehalt_grund,)  # before its caveat: the general one
    assert alt.vorbehalte_am(date(2021, 1, 1)) == (satz,)
    assert alt.vorbehalte_am(date(2022, 12, 31)) == (satz,)  # to the Fassung's last day
    assert alt.vorbehalte[-1].bis == date(2022, 12, 31)
    assert neu.vorbehalte_am(date(2029, 12, 31)) == ()
    assert neu.vorbehalte_am(date(2099, 1, 1)) == ("Ab 2030 offen.",)  # open-ended Fassung, open-ended caveat
    assert date(2030, 1, 1) in neu.vorbehalt_grenzen()


def test_jede_offene_fassung_seit_2018_sagt_was_ungeklaert_ist():
    """Issue 19, item 5: every unverified Fassung in force on some day since 1.1.2018 says in its own sentence what
    is uncertain on each of those days (mostly: the wording is officially documented, the amending law or its
    in-force clause is not found). The general sentence "… ist nicht amtlich belegt" is false for such days and may
    only stand where nothing documents the wording – which since 2018 is no day of any Fassung in legal/."""
    from datetime import timedelta
    recht = lade_rechtsbestand(REPO / "legal", REPO)
    allgemein = []
    for v in recht.vorschriften.values():
        for f in v.fassungen:
            if f.gesichert or (f.gueltig_bis is not None and f.gueltig_bis < date(2018, 1, 1)):
                continue
            tag, ende = max(f.gueltig_ab, date(2018, 1, 1)), f.gueltig_bis or date(2026, 12, 31)
            while tag <= ende:
                if f.vorbehalt_grund in f.vorbehalte_am(tag) or not f.vorbehalte_am(tag):
                    allgemein.append((f.bezeichnung, f.kennung, tag.isoformat()))
                    break
                tag += timedelta(days=1)
    assert allgemein == []
