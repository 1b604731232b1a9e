"""A caseload of levy employer-years as columns: month rows (Spalten 1, 2, 3, 5) and Werkstatt invoices.

Cases come from the batch readers of `engine.stapel.eingabe` (JSON Lines, the levy CSV, folders of case
files), used through their public functions only. A case is taken into the columns only when it has the
plain shape of the Anzeige (the schema's fields with the right kinds of values, every month with all five
columns, no list of individual employees); every other case, and every case the reader could not read, is
kept as it is and later decided by the rule engine, which checks it completely and explains any error.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..faelle import falldokument_aus_daten, lies_falldokument
from ..fehler import FallFehler, Ort, RegelwerkFehler
from ..stapel.eingabe import Auftrag, auftraege
from ..yamlquelle import YamlDokument
from .vektor import EPOCHE, Datum, Tabelle, Zahl

MONATSFELDER = ("monat", "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen",
                "besetzte_pflichtarbeitsplaetze")
_GELD = re.compile(r"\d{1,13}(\.\d{1,2})?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_LAENDER = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}
_GROSS = 10 ** 12  # the engine's limit for numbers of a case (faelle.GROESSTE_ZAHL)
_SCHLUESSEL = {"$schema", "art", "jahr", "arbeitgeber", "monate", "werkstattauftraege", "zahlungen", "stichtag", "land"}


@dataclass
class Einzelfall:
    """A case for the rule engine: its document (or the reader's error) and its name."""

    nr: int
    name: str
    dokument: YamlDokument | None  # None when the reader failed (`fehler`)
    fehler: RegelwerkFehler | None = None


BREITE = 12  # month rows of a case are stored densely: row 12 * case + (monat - 1); `da` marks the given months


@dataclass
class Bestand:
    """The caseload: `n` column cases (own year `jahr`), their month rows and invoices; the rest separately."""

    namen: list[str]
    jahr: np.ndarray
    monate: dict[str, np.ndarray]  # column -> int64 per month row (dense, 12 per case); "da" -> month given
    werkstatt: dict[str, np.ndarray]  # rechnungsbetrag/materialkosten in cents, ausgefuehrt/bezahlt in days
    werkstatt_vorhanden: np.ndarray
    einzeln: list[Einzelfall] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.jahr)

    def tabellen(self) -> dict[str, Tabelle]:
        """The lists of the cases as inputs of the rules (`monate`, `werkstattauftraege`, `beschaeftigte`)."""
        def grenzen(fall: np.ndarray) -> np.ndarray:
            return np.searchsorted(fall, np.arange(self.n + 1)).astype(np.int64)

        m = self.monate
        fall = np.repeat(np.arange(self.n, dtype=np.int64), BREITE)
        monate = Tabelle(fall, {f: Zahl(m[f], 1) for f in MONATSFELDER}, m["da"], np.ones(self.n, dtype=bool),
                         np.arange(self.n + 1, dtype=np.int64) * BREITE, BREITE, nullen=True)
        w = self.werkstatt
        werkstatt = Tabelle(w["fall"], {"rechnungsbetrag": Zahl(w["rechnungsbetrag"], 100),
                                        "materialkosten": Zahl(w["materialkosten"], 100),
                                        "ausgefuehrt": Datum(w["ausgefuehrt"]), "bezahlt": Datum(w["bezahlt"])},
                            np.ones(len(w["fall"]), dtype=bool), self.werkstatt_vorhanden, grenzen(w["fall"]))
        leer = np.zeros(0, dtype=np.int64)
        beschaeftigte = Tabelle(leer, {}, np.zeros(0, dtype=bool), np.zeros(self.n, dtype=bool), grenzen(leer))
        return {"monate": monate, "werkstattauftraege": werkstatt, "beschaeftigte": beschaeftigte}


def _geld(x: Any) -> int | None:
    if not isinstance(x, str) or not _GELD.fullmatch(x):
        return None
    euro, _, cent = x.partition(".")
    return int(euro) * 100 + int((cent + "00")[:2])


def _tag(x: Any) -> int | None:
    if not isinstance(x, str) or not _ISO.fullmatch(x):
        return None
    try:
        d = date.fromisoformat(x)
    except ValueError:
        return None
    return d.toordinal() - EPOCHE if 1900 <= d.year <= 2199 else None


def _spaltenfall(d: Any) -> tuple[int, list[tuple[int, ...]], list[tuple[int, ...]] | None] | None:
    """(jahr, month rows, invoices or None) when the case has the plain shape of the Anzeige, else None."""
    if not isinstance(d, dict) or d.get("art") != "ausgleichsabgabe" or not d.keys() <= _SCHLUESSEL \
            or not isinstance(d.get("$schema", ""), str):
        return None
    jahr = d.get("jahr")
    if type(jahr) is not int or not 1900 <= jahr <= 2100:
        return None
    ag = d.get("arbeitgeber")
    if ag is not None and not (isinstance(ag, dict) and ag.keys() <= {"name", "anschrift", "betriebsnummer"}
                               and all(isinstance(v, str) for v in ag.values())):
        return None
    monate = d.get("monate")
    if not isinstance(monate, list) or not 1 <= len(monate) <= 12:
        return None
    zeilen = []
    gesehen = 0  # bit per month
    for m in monate:  # written out: this loop is most of the time of reading a caseload
        if type(m) is not dict or len(m) != 5:
            return None
        try:
            monat, ap, azubi, nicht, besetzt = (m["monat"], m["arbeitsplaetze"], m["ausbildungsstellen"],
                                                m["nicht_zu_beruecksichtigen"], m["besetzte_pflichtarbeitsplaetze"])
        except KeyError:
            return None
        if not (type(monat) is int and type(ap) is int and type(azubi) is int and type(nicht) is int
                and type(besetzt) is int and 1 <= monat <= 12 and 0 <= ap < _GROSS and 0 <= azubi < _GROSS
                and 0 <= nicht < _GROSS and 0 <= besetzt < _GROSS) or gesehen >> monat & 1:
            return None
        gesehen |= 1 << monat
        zeilen.append((monat, ap, azubi, nicht, besetzt))
    auftraege_ = None
    if "werkstattauftraege" in d:
        liste = d["werkstattauftraege"]
        if not isinstance(liste, list):
            return None
        auftraege_ = []
        for a in liste:
            if not isinstance(a, dict) or not a.keys() <= {"bezeichnung", "rechnungsbetrag", "materialkosten",
                                                             "ausgefuehrt", "bezahlt"} \
                    or not isinstance(a.get("bezeichnung", ""), str):
                return None
            werte = (_geld(a.get("rechnungsbetrag")), _geld(a.get("materialkosten")), _tag(a.get("ausgefuehrt")),
                     _tag(a.get("bezahlt")))
            if None in werte:
                return None
            auftraege_.append(werte)
    for z in d.get("zahlungen") or ([] if "zahlungen" not in d else [None]):  # read by the Säumnis rules only
        if not isinstance(z, dict) or z.keys() != {"datum", "betrag"} or _tag(z["datum"]) is None \
                or _geld(z["betrag"]) is None:
            return None
    if "zahlungen" in d and not isinstance(d["zahlungen"], list):
        return None
    if "stichtag" in d and _tag(d["stichtag"]) is None:
        return None
    if "land" in d and d["land"] not in _LAENDER:
        return None
    return jahr, zeilen, auftraege_


def _daten(a: Auftrag) -> tuple[Any, YamlDokument | None, RegelwerkFehler | None]:
    """The data of one job of the batch reader, its document for the engine, or the reader's error."""
    if a.fehler is not None:
        return None, None, a.fehler
    try:
        if a.text is not None:
            daten = json.loads(a.text)
            return daten, None, None
        if a.daten is not None:
            return a.daten, YamlDokument(a.daten, a.name, a.positionen or {}), None
        dok = lies_falldokument(Path(a.datei))
        return dok.daten, dok, None
    except RegelwerkFehler as exc:
        return None, None, exc
    except ValueError as exc:
        return None, None, FallFehler(f"Zeile ist kein gültiges JSON: {exc}", Ort(a.quelle, a.zeile),
                                      "einen Fall als JSON-Objekt je Zeile")


def lies_bestand(pfade: list[str] | None = None, faelle: Iterable[tuple[str, Any]] | None = None) -> Bestand:
    """Read files (JSON Lines, levy CSV, case files or folders) or (name, data) pairs into columns."""
    quellen: Iterable = auftraege(pfade) if pfade is not None else faelle or []
    namen: list[str] = []
    jahre: list[int] = []
    m_zeilen: list[tuple[int, ...]] = []  # (case, monat, Spalte 1, 2, 3, 5)
    w_zeilen: list[tuple[int, ...]] = []  # (case, rechnungsbetrag, materialkosten, ausgefuehrt, bezahlt)
    w_vorhanden: list[bool] = []
    einzeln: list[Einzelfall] = []
    for nr, eintrag in enumerate(quellen):
        if isinstance(eintrag, Auftrag):
            name = eintrag.name
            daten, dok, fehler = _daten(eintrag)
            if fehler is not None:
                einzeln.append(Einzelfall(nr, name, None, fehler))
                continue
        else:
            name, daten = eintrag
            dok = None
        spalten = _spaltenfall(daten)
        if spalten is None:
            einzeln.append(Einzelfall(nr, name, dok if dok is not None else falldokument_aus_daten(daten, name)))
            continue
        jahr, zeilen, rechnungen = spalten
        i = len(jahre)
        namen.append(name)
        jahre.append(jahr)
        m_zeilen += [(i, *z) for z in zeilen]
        w_vorhanden.append(rechnungen is not None)
        if rechnungen:
            w_zeilen.extend((i, *r) for r in rechnungen)
    n = len(jahre)
    mz = np.array(m_zeilen, dtype=np.int64).reshape(-1, len(MONATSFELDER) + 1)
    zeile = mz[:, 0] * BREITE + mz[:, 1] - 1
    monate = {"da": np.zeros(n * BREITE, dtype=bool)}
    monate["da"][zeile] = True
    for j, f in enumerate(MONATSFELDER, 1):
        monate[f] = np.zeros(n * BREITE, dtype=np.int64)
        monate[f][zeile] = mz[:, j]
    wz = np.array(w_zeilen, dtype=np.int64).reshape(-1, 5)
    werkstatt = {k: wz[:, j].copy() for j, k in enumerate(("fall", "rechnungsbetrag", "materialkosten", "ausgefuehrt",
                                                            "bezahlt"))}
    return Bestand(namen, np.array(jahre, dtype=np.int64), monate, werkstatt, np.array(w_vorhanden, dtype=bool), einzeln)
