"""engine.durable_backend: the pattern format of a plan and the fenced-in rule engine."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine import durable_backend
from engine.durable_backend import Backend, BackendFehler, DurableRegel, durable_regeln, fall_fakt, fnv1a_32
from engine.ausfuehrung import neuer_lauf
from engine.faelle import lade_fall
from engine.kompilat import kompiliere
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent


def test_fnv1a_wie_der_c_kern():
    assert fnv1a_32("") == 0x811C9DC5
    assert fnv1a_32("a") == 0xE40C292C  # published FNV-1a test vector


def test_muster_je_regel_und_stufen():
    wb = lade_wissensbasis(REPO)
    k = kompiliere(wb, "ausgleichsabgabe")
    plan = durable_regeln(k, lambda: None)
    assert len(plan.regeln) == len(k.regeln) and all("." not in r.name for r in plan.regeln)
    assert all(len(r.muster) == 1 for r in plan.regeln)  # one pattern per rule, on its stage's fact: no joins
    assert {p.feld for kr in k.regeln for p in kr.praedikate} <= plan.feldnamen
    assert plan.fakt_ids == {s.name for s in plan.stufen} and plan.anfang == plan.stufen[0].name
    # the stages hold the rules in execution order, and no rule reads a fact derived within its own stage
    regel_der_stufe = {}
    for r in plan.regeln:
        regel_der_stufe.setdefault(next(iter(r.muster[0]["m"].values())) if "t" in r.muster[0]["m"]
                                   else r.muster[0]["m"]["$and"][0]["t"], []).append(r)
    rangfolge = [r.pri for s in plan.stufen for r in regel_der_stufe.get(s.name, [])]
    assert rangfolge == sorted(rangfolge) == [kr.rang for kr in k.regeln]
    stufe_von = {}
    for kr, r in zip(k.regeln, plan.regeln):
        stufe_von[kr.regel.id] = r.muster[0]["m"]["t"] if "t" in r.muster[0]["m"] else r.muster[0]["m"]["$and"][0]["t"]
    erzeuger = {f: kr.regel.id for kr in k.regeln for f in kr.regel.leitet_ab}
    for kr in k.regeln:
        assert all(stufe_von[erzeuger[f]] != stufe_von[kr.regel.id] for f in kr.liest if f in erzeuger
                   and erzeuger[f] != kr.regel.id)
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    werte = fall_fakt(k, neuer_lauf(k, fall.eingaben))
    assert werte and all(isinstance(v, bool) for v in werte.values())
    assert any(werte.values())  # some tests hold for this case


def test_eine_behauptung_je_stufe(monkeypatch):
    """Regression (issue 25, speed): a decision asserts one fact per stage, not one per derived fact."""
    from engine.entscheidung import Entscheider
    wb = lade_wissensbasis(REPO)
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    with Entscheider(wb) as e:
        e.entscheide(fall)
        _, plan = e._rulesets["ausgleichsabgabe"]
        gezaehlt = []
        echt = durable_backend._core.assert_fact
        monkeypatch.setattr(durable_backend._core, "assert_fact", lambda h, f: gezaehlt.append(f) or echt(h, f))
        entscheidung = e.entscheide(fall)
    assert len(gezaehlt) == len(plan.stufen) and entscheidung.schritte  # no sentinel fact of its own either


def _regel(name, muster, pri, protokoll):
    return DurableRegel(name, [{"m": muster}], pri, lambda: protokoll.append(name))


def test_stufen_feuern_nacheinander_und_nur_mit_ihren_feldern():
    """Hand-made plan: stage s0 fires `a` and `b` (pri order); stage s1's fact is built after them and carries
    the flag `x` only if `a` set it; `c` needs `x`, `d` needs the flag `y` that nobody sets."""
    protokoll: list[str] = []
    felder: dict[str, bool] = {}
    regeln = [_regel("b", {"t": "s0"}, 2, protokoll), _regel("a", {"t": "s0"}, 1, protokoll),
              _regel("c", {"$and": [{"t": "s1"}, {"x": True}]}, 3, protokoll),
              _regel("d", {"$and": [{"t": "s1"}, {"y": True}]}, 4, protokoll)]
    regeln[1] = DurableRegel("a", regeln[1].muster, 1, lambda: (protokoll.append("a"), felder.update(x=True)))

    def fakten():
        yield {"id": "s0", "t": "s0"}
        yield {"id": "s1", "t": "s1", **felder}
    b = Backend()
    name = b.registriere(regeln, {"x", "y"}, {"s0", "s1"}, anfang="s0")
    b.fuehre_aus(name, fakten())
    assert protokoll == ["a", "b", "c"]
    protokoll.clear()
    felder.clear()
    b.fuehre_aus(name, fakten())  # the session of the decision before was deleted: the same again
    assert protokoll == ["a", "b", "c"]
    b.entferne(name)


def test_kollision_und_ungueltige_namen_werden_abgelehnt():
    b = Backend()
    with pytest.raises(BackendFehler, match="kein gültiger Name"):
        b.registriere([DurableRegel("r", [{"a0": {"t": "x"}}], 1, lambda: None)], {"1bad"}, {"x"})


def test_anderer_thread_wird_abgelehnt():
    import threading

    b = Backend()
    fehler = []
    t = threading.Thread(target=lambda: fehler.append(pytest.raises(BackendFehler, b.entferne, "x")))
    t.start()
    t.join()
    assert fehler


def test_stufen_mit_zu_vielen_feldern_werden_geteilt(monkeypatch):
    """A stage fact may carry only so many fields (the C core takes 252 properties per fact): with the limit set to
    the most tests one rule has, the plan has more stages, none with more fields than that, and decides as before."""
    from engine.entscheidung import Entscheider
    wb = lade_wissensbasis(REPO)
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    k = kompiliere(wb, "ausgleichsabgabe")
    vorher = durable_regeln(k, lambda: None)
    grenze = max(len(r.muster[0]["m"].get("$and", [None])) - 1 for r in vorher.regeln)  # tests besides `t`
    assert 0 < grenze < max(len(s.felder) for s in vorher.stufen)
    with Entscheider(wb) as e:
        erwartet = e.entscheide(fall)
    monkeypatch.setattr(durable_backend, "MAX_FELDER", grenze)
    geteilt = durable_regeln(k, lambda: None)
    assert len(geteilt.stufen) > len(vorher.stufen) and all(len(s.felder) <= grenze for s in geteilt.stufen)
    with Entscheider(wb) as e:
        e2 = e.entscheide(fall)
    assert e2.ergebnis == erwartet.ergebnis
    assert [s.regel.regel.id for s in e2.schritte] == [s.regel.regel.id for s in erwartet.schritte]


def test_regel_mit_zu_vielen_tests_wird_abgelehnt(monkeypatch):
    wb = lade_wissensbasis(REPO)
    k = kompiliere(wb, "ausgleichsabgabe")
    monkeypatch.setattr(durable_backend, "MAX_FELDER", 1)
    with pytest.raises(BackendFehler, match="prüft mehr als 1 Bedingungen"):
        durable_regeln(k, lambda: None)


def test_spur_in_derselben_reihenfolge_wie_direkt_in_allen_testfaellen():
    """Regression (issue 25, speed): with one fact per stage the rules still fire in execution order: for every
    test case the trail, the open findings and the rules not applied come in the same order as in `direkt`."""
    from engine.autoren.testfaelle import fuehre_aus, lade_testfall, sammle
    from engine.entscheidung import Entscheider
    wb = lade_wissensbasis(REPO)
    dateien = sammle([REPO / "tests" / "cases"])
    with Entscheider(wb, motor="durable") as durable, Entscheider(wb, motor="direkt") as direkt:
        for datei in dateien:
            tf = lade_testfall(datei)
            a, b = fuehre_aus(tf, wb, durable).entscheidung, fuehre_aus(tf, wb, direkt).entscheidung
            if a is None or b is None:
                assert a is None and b is None, datei
                continue
            assert [(s.regel.regel.id, repr(s.eintrag), repr(s.eingaben), repr(s.ergebnisse)) for s in a.schritte] \
                == [(s.regel.regel.id, repr(s.eintrag), repr(s.eingaben), repr(s.ergebnisse)) for s in b.schritte], datei
            assert a.offene_feststellungen == b.offene_feststellungen, datei
            assert a.nicht_vorgesehen == b.nicht_vorgesehen and a.rechtsstaende == b.rechtsstaende, datei
