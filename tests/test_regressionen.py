"""One test per bug, named after the bug (from issue 9 on)."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine import RegelwerkFehler, fall_aus_daten, lade_regelwerk
from engine.autoren.auswahl import passt
from engine.fehler import AufrufFehler, FallFehler, FehlerSammlung

REPO = Path(__file__).resolve().parent.parent


def test_fehlersammlung_ist_ein_regelwerkfehler():
    """FehlerSammlung was a bare Exception, so callers caught Exception."""
    with pytest.raises(RegelwerkFehler):
        raise FehlerSammlung([RegelwerkFehler("x")])


def test_k_ausdruck_fehler_ist_aufruffehler_kein_fallfehler():
    """A bad `-k` expression raised FallFehler (a case-file error) although it is a command-line error."""
    with pytest.raises(AufrufFehler):
        passt("(staffel", "staffel-1-2024")
    with pytest.raises(AufrufFehler):
        passt("staffel and", "x")
    assert not issubclass(AufrufFehler, FallFehler)


def test_regel_geruest_fehler_ist_aufruffehler(tmp_path, capsys):
    """`regelwerk neu regel` with an unknown art raised FallFehler."""
    from engine.autoren.vorlage_regel import neue_regel

    with pytest.raises(AufrufFehler, match="unbekannte Art"):
        neue_regel(REPO, "§ 160 Abs. 1 Satz 1 SGB IX", "ausgleichsabgabx")


def test_bek_2024_nur_durch_parameter_zitiert_zaehlt_gleich_auf_seite_und_in_matrix():
    """Provision page counted Sätze without parameter citations (33 %), the matrix Stellen with them (100 %)."""
    from engine.site import Analyse
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(REPO)
    analyse = Analyse(wb, REPO / "tests" / "cases" / "-")
    v = next(v for v in wb.recht.vorschriften.values() if v.datei.endswith("aa-2024.yaml"))
    assert analyse.abdeckung(v, v.fassungen[0])["anteil"] == 100


def test_ermessen_grenzen_werden_erst_beim_rendern_formuliert():
    """The decision wrote German text for Ermessen limits while deciding (darstellung <-> entscheidung circle)."""
    import json

    from engine import lies_fall, rendere

    with lade_regelwerk(REPO) as rw:
        e = rw.entscheide(lies_fall(REPO / "tests" / "cases" / "leistung" / "arbeitgeber-einrichtung-2022.yaml"))
        roh = [g for x in e.ermessen for g in x["grenzen"]]
        gerendert = [g for x in json.loads(rendere(e, "json"))["ermessen"] for g in x["grenzen"]]
    assert len(roh) == len(gerendert)
    assert all("{" not in g for g in gerendert)


def test_fall_aus_daten_ohne_pflichtfeld_nennt_quelle():
    with lade_regelwerk(REPO) as rw:
        with pytest.raises(FallFehler, match="monate"):
            rw.entscheide(fall_aus_daten({"art": "ausgleichsabgabe", "jahr": 2024}, quelle="formular"))


def test_platzhalter_eines_nur_gelesenen_fakts_blieb_als_text_im_bescheid():
    """`{entscheidungsdatum}` in an explanation whose formulas did not read it stayed as raw text; check reports it now."""
    from engine.pruefung import platzhalter_fehler

    with lade_regelwerk(REPO) as rw:
        regel = next(r for r in rw.wissensbasis.regelbuch.regeln if r.id == "kue.vorschriften")
    regel.erklaerung = "Das Integrationsamt entscheidet am {entscheidungsdatum}; es gelten {vs.gesetz}."
    fehler = platzhalter_fehler(regel)
    assert [f.was for f in fehler] == [
        "Regel `kue.vorschriften`: Platzhalter `{entscheidungsdatum}` nennt keinen Wert der Regel; er bliebe im Bescheid als Text stehen"]


def test_platzhalter_mit_punkt_blieb_als_text_im_bescheid():
    """`{vs.ermessen}` (a field of a derived mapping) was never substituted."""
    from engine.darstellung import setze_ein

    assert setze_ein("{vs.ermessen} Abs. 1", {"vs": {"ermessen": "§ 172"}}) == "§ 172 Abs. 1"


def _abdeckung():
    from engine.autoren.abdeckung import berechne
    from engine.wissensbasis import lade_wissensbasis
    return berechne(lade_wissensbasis(REPO))


def test_abdeckung_getestet_nie_mehr_als_umgesetzt():
    """`coverage` showed 100.9 % of implemented Stellen tested: a rule's fired citation of a whole § marked
    every Stelle under it as tested, also those no rule implements."""
    a = _abdeckung()
    assert a.getestet <= a.umgesetzt
    for v in a.vorschriften:
        for f in v.fassungen:
            for s in f.stellen:
                assert set(s.getestet_durch) <= set(s.regeln), (v.name, s.name)


def test_ganzer_paragraph_zitiert_setzt_keine_saetze_um():
    """A rule citing a whole § ("§ 185 SGB IX": this Fassung has no fiction) counted all 39 of its
    sentences as implemented. Only citations of an Absatz, Satz, Nummer or Buchstabe implement Stellen."""
    a = _abdeckung()
    p185 = next(v for v in a.vorschriften if v.name == "§ 185 SGB IX")
    alt = next(f for f in p185.fassungen if f.gueltig_bis is not None)
    fiktion_vor_2024 = [s for s in alt.stellen if "lst.fiktion_vor_2024" in s.regeln]
    assert fiktion_vor_2024 == []  # the rule cites the whole § 185 only
