"""engine.durable_backend: the pattern format of a plan and the fenced-in rule engine."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.durable_backend import FALL, Backend, BackendFehler, DurableRegel, durable_regeln, fall_fakt, fnv1a_32
from engine.ausfuehrung import neuer_lauf
from engine.faelle import lade_fall
from engine.kompilat import kompiliere
from engine.wissensbasis import lade_wissensbasis

REPO = Path(__file__).resolve().parent.parent


def test_fnv1a_wie_der_c_kern():
    assert fnv1a_32("") == 0x811C9DC5
    assert fnv1a_32("a") == 0xE40C292C  # published FNV-1a test vector


def test_muster_je_regel_und_fakt_ids():
    wb = lade_wissensbasis(REPO)
    k = kompiliere(wb, "ausgleichsabgabe")
    regeln, felder, ids = durable_regeln(k, lambda: None)
    assert len(regeln) == len(k.regeln)
    assert FALL in ids and all("." not in r.name for r in regeln)
    assert felder == {p.feld for kr in k.regeln for p in kr.praedikate}
    fall = lade_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml", wb)
    fakt = fall_fakt(k, neuer_lauf(k, fall.eingaben))
    assert fakt["id"] == FALL and all(isinstance(v, bool) for f, v in fakt.items() if f not in ("id", "t"))
    assert any(v is True for f, v in fakt.items() if f not in ("id", "t"))  # some tests hold for this case


def test_kollision_und_ungueltige_namen_werden_abgelehnt():
    b = Backend()
    with pytest.raises(BackendFehler, match="kein gültiger Name"):
        b.registriere([DurableRegel("r", [{"a0": {"t": "x"}}], 1, lambda behaupte: None)], {"1bad"}, {"x"})


def test_anderer_thread_wird_abgelehnt():
    import threading

    b = Backend()
    fehler = []
    t = threading.Thread(target=lambda: fehler.append(pytest.raises(BackendFehler, b.entferne, "x")))
    t.start()
    t.join()
    assert fehler
