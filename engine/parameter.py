"""Dated parameters (rates, thresholds, amounts), each value with its legal reference.

Periods are inclusive and must neither overlap nor leave gaps; a date outside every
period is an error, never a silent fall-back to an older value.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .fehler import Ort, ParameterFehler, RegelwerkFehler, relativ
from .format import datum
from .schema import schema_fehler
from .yamlquelle import lade_yaml
from .zeitraum import Zeitraum, zeitraeume_text


@dataclass(frozen=True)
class Wert:
    wert: Decimal | str
    gueltig_ab: date
    gueltig_bis: date | None
    fundstelle: str
    beleg: str
    hinweis: str | None
    ort: Ort
    auszug: str | None = None  # verbatim excerpt of the cited unit showing the value (e.g. a row of a Bekanntmachung)

    @property
    def zeitraum(self) -> Zeitraum:
        return Zeitraum(self.gueltig_ab, self.gueltig_bis)

    def gilt_am(self, tag: date) -> bool:
        return self.zeitraum.enthaelt(tag)


@dataclass
class Parameter:
    id: str
    titel: str
    einheit: str
    beschreibung: str | None
    werte: list[Wert]  # oldest first
    ort: Ort

    def wert_oder_none(self, tag: date) -> Wert | None:
        for w in self.werte:
            if w.gilt_am(tag):
                return w
        return None

    def wert_am(self, tag: date) -> Wert:
        w = self.wert_oder_none(tag)
        if w is not None:
            return w
        raise ParameterFehler(f"Parameter `{self.id}` hat am {datum(tag)} keinen Wert", self.ort,
                              f"gespeicherte Zeiträume: {zeitraeume_text(w.zeitraum for w in self.werte)}")


GROESSTER_EXPONENT = 30  # as for numbers written in formulas


def _lies_wert(roh, einheit: str, ort: Ort) -> Decimal | str:
    if einheit == "text":
        return str(roh)
    if isinstance(roh, float):
        raise ParameterFehler(f"Zahl {roh!r} bitte in Anführungszeichen schreiben (exakte Dezimalzahl)", ort,
                              f"wert: \"{roh}\"")
    try:
        wert = Decimal(str(roh).strip())
    except InvalidOperation:
        raise ParameterFehler(f"Wert `{roh}` ist keine Zahl", ort, "Dezimalzahl mit Punkt angeben, z. B. \"0.5\"") from None
    if not wert.is_finite():
        raise ParameterFehler(f"Wert `{roh}` ist keine endliche Zahl; NaN und Infinity sind nicht erlaubt", ort,
                              "den Wert aus der Vorschrift als Dezimalzahl angeben, z. B. \"320\"")
    if wert != 0 and abs(wert.adjusted()) > GROESSTER_EXPONENT:
        raise ParameterFehler(f"Wert `{roh}` ist zu groß oder zu klein (erlaubt: Beträge zwischen 10^-{GROESSTER_EXPONENT} "
                              f"und 10^{GROESSTER_EXPONENT})", ort, "den Wert aus der Vorschrift ausschreiben")
    return wert


def lade_parameterdatei(datei: Path, basis: Path, fehler: list[RegelwerkFehler]) -> list[Parameter]:
    dok = lade_yaml(datei, relativ(datei, basis))
    probleme = schema_fehler(dok, "parameter")
    if probleme:
        fehler.extend(probleme)
        return []
    ergebnis = []
    for i, p in enumerate(dok.daten["parameter"]):
        werte = []
        for j, w in enumerate(p["werte"]):
            ort = dok.ort(("parameter", i, "werte", j))
            try:
                werte.append(Wert(_lies_wert(w["wert"], p["einheit"], dok.ort(("parameter", i, "werte", j, "wert"))),
                                  w["gueltig_ab"], w.get("gueltig_bis"), w["fundstelle"], w.get("beleg", "wörtlich"),
                                  w.get("hinweis"), ort, w.get("auszug")))
            except RegelwerkFehler as exc:
                fehler.append(exc)
        werte.sort(key=lambda w: w.gueltig_ab)
        param = Parameter(p["id"], p["titel"], p["einheit"], p.get("beschreibung"), werte, dok.ort(("parameter", i)))
        fehler.extend(pruefe_zeitraeume(param))
        ergebnis.append(param)
    return ergebnis


def pruefe_zeitraeume(param: Parameter) -> list[ParameterFehler]:
    """Overlaps, gaps and inverted periods of one parameter's values."""
    probleme = []
    for w in param.werte:
        if w.gueltig_bis is not None and w.gueltig_bis < w.gueltig_ab:
            probleme.append(ParameterFehler(f"Parameter `{param.id}`: Zeitraum endet ({w.gueltig_bis}) vor dem Beginn ({w.gueltig_ab})",
                                            w.ort, "gueltig_bis muss am oder nach gueltig_ab liegen"))
    for frueher, spaeter in zip(param.werte, param.werte[1:]):
        if frueher.gueltig_bis is None or frueher.gueltig_bis >= spaeter.gueltig_ab:
            probleme.append(ParameterFehler(
                f"Parameter `{param.id}`: Zeiträume überschneiden sich (ab {frueher.gueltig_ab} und ab {spaeter.gueltig_ab})",
                spaeter.ort, f"gueltig_bis des früheren Werts auf {spaeter.gueltig_ab - timedelta(days=1)} setzen"))
        elif frueher.gueltig_bis + timedelta(days=1) != spaeter.gueltig_ab:
            probleme.append(ParameterFehler(
                f"Parameter `{param.id}`: Lücke zwischen {frueher.gueltig_bis} und {spaeter.gueltig_ab}",
                spaeter.ort, "Zeiträume lückenlos aneinanderfügen oder den fehlenden Wert ergänzen"))
    return probleme
