"""Property-based tests (issue 12): generated rule files through `check`, generated levy cases through `decide`.

Bounded: derandomized, at most 100 examples per property, everything in well under a minute.
"""
from __future__ import annotations

import copy
import json
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import fall_aus_daten, rendere
from engine.entscheidung import Entscheider
from engine.faelle import pruefe_fall
from engine.fehler import RegelwerkFehler
from engine.pruefung import pruefe
from engine.regeln import lade_regelbuch
from engine.wissensbasis import Wissensbasis, lade_wissensbasis

WURZEL = Path(__file__).resolve().parents[1]
WB = lade_wissensbasis(WURZEL)
EINSTELLUNGEN = dict(max_examples=100, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# English library phrases that must never reach a user (as in test_robustheit)
ENGLISCH = re.compile(r"Expecting|out of range|could not determine|constructor|Traceback|unhashable|NoneType|object has no|"
                      r"not supported|invalid literal|argument|must be|is not|Exceeds the limit|expected|found|"
                      r"while (scanning|parsing)|conversion|signed integer|day is|object|attribute|index")


# --- (a) hostile and random rule files through `check` -----------------------------------------------------------

REGELDATEIEN = sorted(p for p in (WURZEL / "rules").glob("*/*.yaml") if p.name != "verfahren.yaml"
                      and p.parent.name != "parameter")

# a small grammar of formulas: names of the rulebook, numbers, texts, calls, comprehensions, nonsense
_NAMEN = ["jahr", "monate", "monate.arbeitsplaetze", "eintrag", "x", "parameter.pflichtsatz", "parameter.gibtsnicht",
          "entscheidungsdatum", "antrag.eingang", "status", "leer", "wahr", "falsch", "__import__", "os", "self"]
_ZAHLEN = ["0", "1", "-3", "38.5", "1e999999", "10**20", "NaN", "0121", "1_000", "9" * 40]
_FUNKTIONEN = ["summe", "anzahl", "runden", "datum", "plus_tage", "verbinde", "wenn", "min", "max", "open", "eval",
               "fristende", "feststellung", "text", "abrunden_auf_vielfaches"]
_OPERATOREN = [" + ", " - ", " * ", " / ", " ** ", " und ", " oder ", " == ", " < ", " >= ", " in ", " % ", " // ", ".",
               " if ", " lambda "]


def _formel(tiefe: int = 0):
    blatt = st.one_of(st.sampled_from(_NAMEN), st.sampled_from(_ZAHLEN), st.sampled_from(['"Text"', "'", '"', "(", ")"]))
    if tiefe >= 3:
        return blatt
    kind = st.deferred(lambda: _formel(tiefe + 1))
    return st.one_of(
        blatt,
        st.tuples(kind, st.sampled_from(_OPERATOREN), kind).map("".join),
        st.tuples(st.sampled_from(_FUNKTIONEN), st.lists(kind, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(kind, kind).map(lambda t: f"[{t[0]} fuer v in {t[1]} falls v]"),
        st.tuples(st.sampled_from(["nicht ", "-", "not ", ""]), kind).map("".join),
    )


_ZITATE = st.one_of(
    st.sampled_from(["§ 160 Abs. 2 Satz 1 SGB IX", "§ 160 Abs. 99 SGB IX", "§ 77 SGB IX a.F.", "§ 185 Abs. 9 Nr. 2 SGB IX",
                     "§ 1 XYZ", "§§ 168-175 SGB IX", "Art. 3 GG", "§ 160", "", "§ 26 Abs. 3 SGB X",
                     "§ 160 Abs. 2 Satz 1 Nr. 7 Buchst. z SGB IX"]),
    st.text(max_size=30),
    st.builds(lambda p, a, s: f"§ {p} Abs. {a} Satz {s} SGB IX", st.integers(-1, 300), st.integers(0, 20),
              st.integers(0, 9)))

_FALSCHE_WERTE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from(["2024-02-30", "9999-12-31", "0001-01-01", "1e400", "\t", "{x}", "<script>", "NaN"]))


def _pfade(daten, pfad=()):
    yield pfad
    if isinstance(daten, dict):
        for k, v in daten.items():
            yield from _pfade(v, pfad + (k,))
    elif isinstance(daten, list):
        for i, v in enumerate(daten):
            yield from _pfade(v, pfad + (i,))


def _setze(daten, pfad, wert):
    ziel = daten
    for teil in pfad[:-1]:
        ziel = ziel[teil]
    if isinstance(ziel, dict) and wert is _WEG:
        ziel.pop(pfad[-1], None)
    elif wert is not _WEG:
        ziel[pfad[-1]] = wert


_WEG = object()


@st.composite
def _mutierte_regeldatei(draw):
    """A real rule file, mutated: wrong types, random formulas and citations, removed and unknown keys, raw edits."""
    datei = draw(st.sampled_from(REGELDATEIEN))
    text = datei.read_text(encoding="utf-8")
    daten = yaml.safe_load(text)
    regeln = daten.get("regeln") or []
    # keep the file small: a few of its rules (the others stay out, so unknown facts are expected errors too)
    if regeln:
        start = draw(st.integers(0, max(0, len(regeln) - 1)))
        daten["regeln"] = regeln[start:start + draw(st.integers(1, 4))]
    pfade = [p for p in _pfade(daten) if p]
    for _ in range(draw(st.integers(1, 4))):
        pfad = draw(st.sampled_from(pfade))
        art = draw(st.sampled_from(["wert", "formel", "zitat", "weg", "unbekannt", "id_doppelt"]))
        try:
            if art == "wert":
                _setze(daten, pfad, draw(_FALSCHE_WERTE))
            elif art == "formel":
                _setze(daten, pfad, draw(_formel()))
            elif art == "zitat":
                _setze(daten, pfad, draw(_ZITATE))
            elif art == "weg":
                _setze(daten, pfad, _WEG)
            elif art == "unbekannt" and daten.get("regeln") and isinstance(daten["regeln"][0], dict):
                daten["regeln"][0][draw(st.sampled_from(["wen", "dan", "gueltig_bis_", "python"]))] = draw(_FALSCHE_WERTE)
            elif art == "id_doppelt" and len(daten.get("regeln") or []) > 1:
                daten["regeln"].append(copy.deepcopy(daten["regeln"][0]))
        except (KeyError, IndexError, TypeError):
            pass
    try:
        neu = yaml.safe_dump(daten, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        neu = text
    roh = draw(st.sampled_from(["", "", "", "", "", "", "zeile_weg", "tab", "einzug", "abschneiden"]))  # mostly valid YAML
    zeilen = neu.splitlines()
    if roh and len(zeilen) > 3:
        i = draw(st.integers(1, len(zeilen) - 1))
        if roh == "zeile_weg":
            del zeilen[i]
        elif roh == "tab":
            zeilen[i] = "\t" + zeilen[i]
        elif roh == "einzug":
            zeilen[i] = "   " + zeilen[i]
        else:
            zeilen = zeilen[:i]
    return datei, "\n".join(zeilen) + "\n"


MELDUNGEN: list | None = None  # set to a list to look at the messages


@pytest.fixture(scope="module")
def regelordner(tmp_path_factory):
    return tmp_path_factory.mktemp("regelwerk")


def test_erzeugte_regeldateien_sauber_oder_deutscher_fehler_mit_datei_und_zeile(regelordner):
    """`check` on mutated real rule files: either clean, or every problem is a German RegelwerkFehler naming the file
    and line — never another exception, never English, never a message without a place."""
    zaehler = {"sauber": 0, "fehler": 0}

    @settings(**EINSTELLUNGEN)
    @given(_mutierte_regeldatei())
    def eigenschaft(beispiel):
        original, text = beispiel
        art = original.parent.name
        wurzel = regelordner / "w"
        if wurzel.exists():
            shutil.rmtree(wurzel)
        (wurzel / "rules" / art).mkdir(parents=True)
        shutil.copy(original.parent / "verfahren.yaml", wurzel / "rules" / art / "verfahren.yaml")
        ziel = wurzel / "rules" / art / original.name
        ziel.write_text(text, encoding="utf-8")
        fehler: list[RegelwerkFehler] = []
        buch = lade_regelbuch(wurzel / "rules", wurzel, fehler)
        wb = Wissensbasis(wurzel, WB.recht, WB.parameter, buch, "eigenschaft")
        fehler.extend(pruefe(wb))  # as `regelwerk check` does, also after errors while loading
        zaehler["fehler" if fehler else "sauber"] += 1
        if MELDUNGEN is not None:
            MELDUNGEN.extend(str(f) for f in fehler if "verfahren.yaml" not in str(f.ort))
        name = f"rules/{art}/{original.name}"
        for f in fehler:
            assert isinstance(f, RegelwerkFehler), repr(f)
            meldung = str(f)
            assert f.ort is not None and f.ort.zeile is not None, meldung
            assert f.ort.datei in (name, f"rules/{art}/verfahren.yaml"), meldung
            assert not ENGLISCH.search(f.was), meldung

    eigenschaft()
    if MELDUNGEN is not None:
        MELDUNGEN.append(zaehler)
    assert zaehler["fehler"] > 20  # the generator does produce broken files


# --- (b) properties of the levy -------------------------------------------------------------------------------------

@st.composite
def _abgabefall(draw):
    """A valid levy case: 12 months, 20 to 400 places, Spalten 2/3 within the places, Spalte 5 within 3 × places."""
    jahr = draw(st.integers(2002, 2026))
    plaetze = draw(st.integers(20, 400))
    monate = []
    for m in range(1, 13):
        ap = max(0, plaetze + draw(st.integers(-5, 5)))
        azubi = draw(st.integers(0, min(3, ap)))
        nicht = draw(st.integers(0, min(2, ap - azubi)))
        besetzt = draw(st.integers(0, max(0, ap // 10)))
        monate.append({"monat": m, "arbeitsplaetze": ap, "ausbildungsstellen": azubi,
                       "nicht_zu_beruecksichtigen": nicht, "besetzte_pflichtarbeitsplaetze": besetzt})
    return {"art": "ausgleichsabgabe", "jahr": jahr, "arbeitgeber": {"name": "Eigenschaft GmbH"}, "monate": monate}


@pytest.fixture(scope="module")
def entscheider():
    with Entscheider(WB) as e:
        yield e


def _entscheide(entscheider, daten, quelle="eigenschaft"):
    return entscheider.entscheide(pruefe_fall(fall_aus_daten(daten, quelle).dokument, WB))


def _abgabe(entscheider, daten) -> Decimal:
    return Decimal(_entscheide(entscheider, daten).ergebnis["ausgleichsabgabe"] or "0")


def test_mehr_besetzte_pflichtarbeitsplaetze_erhoehen_die_abgabe_nie(entscheider):
    @settings(**EINSTELLUNGEN)
    @given(_abgabefall(), st.integers(0, 11), st.integers(1, 10))
    def eigenschaft(fall, monat, mehr):
        vorher = _abgabe(entscheider, fall)
        mehr_besetzt = copy.deepcopy(fall)
        m = mehr_besetzt["monate"][monat]
        m["besetzte_pflichtarbeitsplaetze"] = min(m["besetzte_pflichtarbeitsplaetze"] + mehr, 3 * m["arbeitsplaetze"])
        assert _abgabe(entscheider, mehr_besetzt) <= vorher

    eigenschaft()


def test_quote_ab_fuenf_prozent_keine_abgabe(entscheider):
    """§ 160 Abs. 2: the levy is owed only below the quota of 5 % (§ 154 Abs. 1)."""
    @settings(**EINSTELLUNGEN)
    @given(_abgabefall(), st.integers(5, 60))
    def eigenschaft(fall, prozent):
        for m in fall["monate"]:  # at least `prozent` % of the places after Spalten 2/3, rounded up
            basis = m["arbeitsplaetze"] - m["ausbildungsstellen"] - m["nicht_zu_beruecksichtigen"]
            m["besetzte_pflichtarbeitsplaetze"] = min(-(-basis * prozent // 100), 3 * m["arbeitsplaetze"])
        e = _entscheide(entscheider, fall)
        quote = e.ergebnis.get("beschaeftigungsquote")
        if quote is not None:
            assert Decimal(quote) >= 5, e.ergebnis
        assert Decimal(e.ergebnis["ausgleichsabgabe"] or "0") == 0, e.ergebnis

    eigenschaft()


def test_reihenfolge_der_monate_aendert_das_ergebnis_nicht(entscheider):
    @settings(**EINSTELLUNGEN)
    @given(_abgabefall(), st.randoms(use_true_random=False))
    def eigenschaft(fall, zufall):
        gemischt = copy.deepcopy(fall)
        zufall.shuffle(gemischt["monate"])
        assert _entscheide(entscheider, gemischt).ergebnis == _entscheide(entscheider, fall).ergebnis

    eigenschaft()


def test_gleiche_eingabe_gibt_bytegleiches_json(entscheider):
    @settings(**{**EINSTELLUNGEN, "max_examples": 50})
    @given(_abgabefall())
    def eigenschaft(fall):
        eins = rendere(_entscheide(entscheider, fall), "json")
        zwei = rendere(_entscheide(entscheider, json.loads(json.dumps(fall))), "json")
        assert eins.encode("utf-8") == zwei.encode("utf-8")

    eigenschaft()
