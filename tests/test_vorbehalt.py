"""Wording whose validity is not verified (`gueltigkeit_gesichert: false` in legal/) is never quoted
without its caveat: beside the quote in every format, and once in the decision's Vorbehalt with the
reason from the legal file (issue "Never a confident wrong Bescheid", finding 10)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine import RegelwerkFehler, lade_regelwerk, lies_fall, rendere

REPO = Path(__file__).resolve().parent.parent
FAELLE = sorted((REPO / "tests" / "cases").rglob("*.yaml"))


@pytest.fixture(scope="module")
def entscheidungen():
    ergebnis = {}
    with lade_regelwerk(REPO) as rw:
        for datei in FAELLE:
            try:
                e = rw.entscheide(lies_fall(datei))
            except RegelwerkFehler:
                continue  # cases that expect an error are tested elsewhere
            ergebnis[datei.relative_to(REPO).as_posix()] = {f: rendere(e, f) for f in ("json", "text", "md", "html")}
    return ergebnis


def test_faelle_werden_entschieden(entscheidungen):
    assert len(entscheidungen) >= 0.9 * len(FAELLE)


def test_kein_ungesicherter_wortlaut_ohne_vorbehalt(entscheidungen):
    geprueft = 0
    for name, formate in entscheidungen.items():
        daten = json.loads(formate["json"])
        ungesichert = [f for s in daten["begruendung"] for f in s["fundstellen"] if not f["gueltigkeit_gesichert"]]
        assert all(f["vorbehalt"] for f in ungesichert), name  # an unverified Fassung always carries a caveat
        for x in daten["ermessen"] + daten["offene_feststellungen"]:
            ungesichert += x["vorbehalt"]
        im_vorbehalt = {(z, v["fassung_ab"]) for v in daten["vorbehalte"] for z in v["zitate"]}
        for f in ungesichert:
            geprueft += 1
            assert (f["zitat"], f["fassung_ab"]) in im_vorbehalt, (name, f["zitat"])
        assert all(v["hinweis"] for v in daten["vorbehalte"]), name
        # beside each quote: the caveat sentence directly follows the quoted wording
        for fmt, muster in (("text", r"„[^“]*“\n\s+Vorbehalt: \S"),
                            ("md", r"„[^“]*“ \*\(Vorbehalt: \S"),
                            ("html", r"„[^“]*“ <span class=\"vorbehalt\">\(<a href=\"#vorbehalt\">Vorbehalt</a>: \S")):
            assert len(re.findall(muster, formate[fmt])) >= len([f for s in daten["begruendung"] for f in s["fundstellen"]
                                                                 if f["vorbehalt"]]), (name, fmt)
        if daten["vorbehalte"]:
            assert "VORBEHALT" in formate["text"] and "## Vorbehalt" in formate["md"] and 'id="vorbehalt"' in formate["html"]
    assert geprueft > 100  # the rulebook quotes many such Fassungen: the test really checks something


def test_gesicherter_wortlaut_ohne_vorbehalt(entscheidungen):
    for name, formate in entscheidungen.items():
        daten = json.loads(formate["json"])
        for s in daten["begruendung"]:
            for f in s["fundstellen"]:
                if f["gueltigkeit_gesichert"] and not f["vorbehalt"]:
                    assert not any(f["zitat"] in v["zitate"] and v["fassung_ab"] == f["fassung_ab"] for v in daten["vorbehalte"])
