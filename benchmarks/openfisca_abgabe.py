"""The levy of benchmarks/caseload.py's plain loop (`zahlbetrag_schleife`) as an OpenFisca model, to measure
OpenFisca on the same employer-years in the same run: per case through a simulation built from a dict (the path of
OpenFisca's web API) and vectorised over NumPy columns, one simulation per year.

Only for the benchmark (optional: `pip install -e '.[vergleich]'`); the rulebook never uses it. Like the loop it has
no trail and models only what the loop models (`schleife_bildet_ab`). Amounts are int64 cents, as in the loop and the
what-if; the parameters are the rulebook's values on 31 December of each year (`_parameter_je_jahr`), placed on
1 January of that year because OpenFisca reads a year's parameters on its first day.
"""
from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Arbeitgeber = build_entity(key="arbeitgeber", plural="arbeitgeber_alle", label="Arbeitgeber", is_person=True)

# parameter of the loop -> name in the model; amounts in cents; the amounts for 0 % exist only since 2024
_BETRAEGE = ("aa_staffel_1", "aa_staffel_2", "aa_staffel_3", "aa_staffel_4", "aa_klein_40_weniger_als_1",
             "aa_klein_40_null", "aa_klein_60_weniger_als_2", "aa_klein_60_weniger_als_1", "aa_klein_60_null")
_SCHWELLEN = ("mindestzahl_arbeitsplaetze", "kleinbetrieb_grenze_40", "kleinbetrieb_grenze_60", "wfbm_anrechnungssatz")


def _eingabe(name: str) -> type:
    return type(name, (Variable,), {"value_type": int, "entity": Arbeitgeber, "definition_period": DateUnit.YEAR,
                                    "label": name})


class zahlbetrag(Variable):
    value_type = int
    entity = Arbeitgeber
    definition_period = DateUnit.YEAR
    label = "Zahlbetrag der Ausgleichsabgabe in Cent (wie zahlbetrag_schleife)"

    def formula(arbeitgeber, period, parameters):
        m, summe = arbeitgeber("monate", period), arbeitgeber("summe", period)
        b, leistung = arbeitgeber("besetzt", period), arbeitgeber("leistung", period)
        p = parameters(period).abgabe
        neu_null = (p.neu == 1) & (b == 0)
        k40 = summe < p.kleinbetrieb_grenze_40 * m
        k60 = ~k40 & (summe < p.kleinbetrieb_grenze_60 * m)
        s100 = p.pflichtsatz_hundertstel
        pflicht = np.select([k40, k60], [m, 2 * m], (2 * summe * s100 + 10000) // 20000)  # half up, as the loop
        betrag = np.select(
            [k40, k60],
            [np.where(b >= m, 0, np.where(neu_null, p.aa_klein_40_null, p.aa_klein_40_weniger_als_1)),
             np.where(b >= 2 * m, 0, np.where(b >= m, p.aa_klein_60_weniger_als_2,
                                              np.where(neu_null, p.aa_klein_60_null, p.aa_klein_60_weniger_als_1)))],
            np.where(10000 * b >= s100 * summe, 0, np.where(100 * b >= 3 * summe, p.aa_staffel_1,
                     np.where(100 * b >= 2 * summe, p.aa_staffel_2, np.where(neu_null, p.aa_staffel_4, p.aa_staffel_3)))))
        abgabe = np.where(summe < p.mindestzahl_arbeitsplaetze * m, 0, np.maximum(0, pflicht - b) * betrag)
        anrechnung = (leistung * p.wfbm_anrechnungssatz * 2 + 100) // 200
        return abgabe - np.minimum(anrechnung, abgabe)


def system(parameter_je_jahr: dict[int, dict]) -> TaxBenefitSystem:
    """The model with the rulebook's parameter values of every year given."""
    tbs = TaxBenefitSystem([Arbeitgeber])
    for name in ("monate", "summe", "besetzt", "leistung"):
        tbs.add_variable(_eingabe(name))
    tbs.add_variable(zahlbetrag)
    daten: dict = {}
    for jahr, p in sorted(parameter_je_jahr.items()):
        tag = f"{jahr}-01-01"
        werte = {n: int(p.get(n, 0)) for n in _BETRAEGE + _SCHWELLEN}
        werte["neu"] = 1 if "aa_staffel_4" in p else 0
        werte["pflichtsatz_hundertstel"] = int(Decimal(p["pflichtsatz"]) * 100)
        for n, w in werte.items():
            daten.setdefault(n, {"values": {}})["values"][tag] = {"value": w}
    tbs.parameters = ParameterNode("", data={"abgabe": daten})
    return tbs


def _cent(text: str) -> int:
    euro, _, cent = text.partition(".")
    return int(euro) * 100 + int((cent + "00")[:2])


def eingaben(fall: dict) -> dict[str, int]:
    """The four inputs of the model from a case, summed as the loop sums them."""
    monate = fall["monate"]
    jahr = fall["jahr"]
    frist = f"{jahr + 1}-03-31"
    return {"monate": len(monate),
            "summe": sum(x["arbeitsplaetze"] - x["ausbildungsstellen"] - x["nicht_zu_beruecksichtigen"] for x in monate),
            "besetzt": sum(x["besetzte_pflichtarbeitsplaetze"] for x in monate),
            "leistung": sum(_cent(a["rechnungsbetrag"]) - _cent(a["materialkosten"])
                            for a in fall.get("werkstattauftraege", ())
                            if a["ausgefuehrt"].startswith(f"{jahr}-") and a["bezahlt"] <= frist)}


def je_fall(tbs: TaxBenefitSystem, faelle: list[dict]) -> tuple[float, list[int]]:
    """(cases per CPU second, Zahlbeträge in cents): one simulation per case, built from a dict."""
    start = time.process_time()
    ergebnisse = []
    for f in faelle:
        jahr = str(f["jahr"])
        sim = SimulationBuilder().build_from_entities(
            tbs, {"arbeitgeber_alle": {"a": {n: {jahr: w} for n, w in eingaben(f).items()}}})
        ergebnisse.append(int(sim.calculate("zahlbetrag", jahr)[0]))
    return len(faelle) / (time.process_time() - start), ergebnisse


def spalten(tbs: TaxBenefitSystem, faelle: list[dict]) -> tuple[float, float, list[int]]:
    """(cases per CPU second of the calculation, the same with building the columns from the cases, Zahlbeträge in
    cents): one simulation per year over NumPy columns."""
    start = time.process_time()
    je_jahr: dict[int, list[int]] = {}
    for i, f in enumerate(faelle):
        je_jahr.setdefault(f["jahr"], []).append(i)
    spalten_je_jahr = {}
    for jahr, nummern in je_jahr.items():
        werte = [eingaben(faelle[i]) for i in nummern]
        spalten_je_jahr[jahr] = {n: np.array([w[n] for w in werte], dtype=np.int64) for n in werte[0]}
    mitte = time.process_time()
    ergebnis = np.zeros(len(faelle), dtype=np.int64)
    for jahr, nummern in je_jahr.items():
        sim = SimulationBuilder().build_default_simulation(tbs, len(nummern))
        for n, w in spalten_je_jahr[jahr].items():
            sim.set_input(n, str(jahr), w)
        ergebnis[nummern] = sim.calculate("zahlbetrag", str(jahr))
    ende = time.process_time()
    return len(faelle) / (ende - mitte), len(faelle) / (ende - start), [int(x) for x in ergebnis]
