"""Statutory time limits: §§ 187, 188, 193 BGB and § 26 SGB X, on dates only.

Pure functions, no I/O: the start of a period (§ 187 Abs. 1 BGB: by an event, the day of
the event not counted; § 187 Abs. 2 BGB: by the beginning of a day, that day counted), its
end in days, weeks, months or years (§ 188 Abs. 1 to 3 BGB) and the shift of an end that
falls on a Saturday, a Sunday or a statutory holiday to the next working day (§ 26 Abs. 3
Satz 1 SGB X; § 193 BGB), or no shift where the law says so (`verschiebung="keine"`:
§ 26 Abs. 4 and 5 SGB X, notice periods of a termination).

Holidays come from the `holidays` package (pinned in pyproject.toml; checked against
../shared/legal-sources/feiertage.md for 2001-2030 in tests/test_fristen.py). Only the
category PUBLIC counts: days that are holidays only in some municipalities (Mariä
Himmelfahrt in BY, Fronleichnam in SN and TH) are not counted, and a result whose end
falls on such a day says so in `hinweise`. Without a Land only the nationwide holidays
count, and the result says that too.

    >>> r = fristende(date(2024, 11, 13), 6, "wochen", land="HE")
    >>> r.rechnerisches_ende, r.ende, r.grund
    (datetime.date(2024, 12, 25), datetime.date(2024, 12, 27), '25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag')
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import holidays
from holidays.constants import CATHOLIC, PUBLIC

from .fehler import FormelFehler, vorschlag
from .format import datum, tag_und_monat

LAENDER: Mapping[str, str] = MappingProxyType({
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
    "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
    "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen",
})
EINHEITEN = ("tage", "wochen", "monate", "jahre")
BEGINNE = ("ereignis", "tagesbeginn")
VERSCHIEBUNGEN = ("sgb10_26_3", "bgb_193", "keine")

KEIN_LAND_HINWEIS = "nur bundesweite Feiertage berücksichtigt, kein Land angegeben"

# Dates this module computes with at all; anything else is an input error, never an OverflowError.
ERSTES_JAHR, LETZTES_JAHR = 1900, 2199
# Years for which the `holidays` package knows German holidays (Germany.start_year/end_year of the
# pinned version); outside them it silently returns none, so a lookup there is an error here.
FEIERTAGE_VON, FEIERTAGE_BIS = 1991, 2100

ZITAT_BEGINN = {"ereignis": "§ 187 Abs. 1 BGB", "tagesbeginn": "§ 187 Abs. 2 Satz 1 BGB"}
ZITAT_VERSCHIEBUNG = {"sgb10_26_3": "§ 26 Abs. 3 Satz 1 SGB X", "bgb_193": "§ 193 BGB"}
ZITAT_SGB10_VERWEIS = "§ 26 Abs. 1 SGB X"  # §§ 187 to 193 BGB apply "entsprechend"

WOCHENTAGE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_WOCHENTAGE_KURZ = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

# The package's German names, renamed where the project's texts use another name
# (DECISIONS.md: "1. Weihnachtstag").
_NAMEN = {"Erster Weihnachtstag": "1. Weihnachtstag", "Zweiter Weihnachtstag": "2. Weihnachtstag"}

# Holidays that hold only in some municipalities of a Land (feiertage.md: category CATHOLIC of
# the package; the project does not know the municipality, so they are not counted).
_TEILWEISE = {"BY": "in Gemeinden mit überwiegend katholischer Bevölkerung",
              "SN": "in Gemeinden mit überwiegend katholischer Bevölkerung",
              "TH": "in Gemeinden mit überwiegend katholischer Bevölkerung"}

# Corrections where the package disagrees with feiertage.md (feiertage.md wins):
# (land or None, date) -> name to add, or None to remove. For `holidays==0.108` the package
# agrees with feiertage.md for every Land and every year 2001-2030 (tests/test_fristen.py
# checks this), so there is nothing to correct. Keep this table when updating the pin.
_KORREKTUREN: Mapping[tuple[str | None, date], str | None] = MappingProxyType({})


class FristFehler(FormelFehler, ValueError):
    """A time limit cannot be computed from these inputs (bad unit, Land, date out of range)."""


@dataclass(frozen=True)
class Fristergebnis:
    """One computed time limit, with everything a trail step shows.

    `ereignis` is the date of the event (§ 187 Abs. 1 BGB) or the day whose beginning starts
    the period (§ 187 Abs. 2 BGB), as `beginn` says. `grund` names why the end was shifted
    ("" when it was not); `uebersprungen` lists each skipped day with its reason.
    """

    ereignis: date
    beginn: str
    anzahl: int
    einheit: str
    rechnerisches_ende: date
    ende: date
    verschoben: bool
    grund: str
    land: str | None
    land_hinweis: str | None
    verschiebung: str
    zitate: tuple[str, ...]
    uebersprungen: tuple[tuple[date, str], ...] = ()
    hinweise: tuple[str, ...] = ()

    @property
    def erster_tag(self) -> date:
        """The first day counted (§ 187 Abs. 1: the day after the event; Abs. 2: the day itself)."""
        return self.ereignis + timedelta(days=1) if self.beginn == "ereignis" else self.ereignis

    @property
    def erlaeuterung(self) -> str:
        """One German sentence: start, length, raw end, shift and the provisions applied."""
        if self.beginn == "ereignis":
            start = f"Ereignis am {_tag(self.ereignis)}, dieser Tag zählt nicht mit ({ZITAT_BEGINN['ereignis']})"
        else:
            start = f"Beginn mit dem Tag {_tag(self.ereignis)}, der mitzählt ({ZITAT_BEGINN['tagesbeginn']})"
        ende_zitate = [z for z in self.zitate if z.startswith("§ 188")]
        verb = "endet" if self.anzahl == 1 else "enden"
        text = (f"{start}; {_laenge(self.anzahl, self.einheit)} {verb} rechnerisch am {_tag(self.rechnerisches_ende)}"
                f" ({', '.join(ende_zitate)})")
        if self.verschoben:
            text += (f"; {self.grund} → Ende am {_tag(self.ende)}, dem nächsten Werktag"
                     f" ({ZITAT_VERSCHIEBUNG[self.verschiebung]})")
        elif self.verschiebung == "keine":
            text += "; keine Verschiebung auf einen Werktag"
        if self.land is None and self.verschiebung != "keine":
            text += f" ({self.land_hinweis})"
        elif self.land is not None and self.verschiebung != "keine":
            text += f" (Feiertage: {LAENDER[self.land]})"
        return text + "."


# --- checks --------------------------------------------------------------------------------------

def _pruefe_datum(d: object, was: str) -> date:
    if not isinstance(d, date):
        raise FristFehler(f"{was} muss ein Datum sein, ist aber `{d!r}`", hilfe="Datum als JJJJ-MM-TT angeben")
    if not ERSTES_JAHR <= d.year <= LETZTES_JAHR:
        raise FristFehler(f"{was} {datum(d)} liegt außerhalb von {ERSTES_JAHR}–{LETZTES_JAHR}",
                          hilfe=f"Fristen werden nur für Daten von {ERSTES_JAHR} bis {LETZTES_JAHR} berechnet")
    return d


def pruefe_land(land: object) -> str | None:
    """The Land code, or None; anything else is a German error naming the allowed codes."""
    if land is None:
        return None
    if not isinstance(land, str) or land not in LAENDER:
        hilfe = (vorschlag(land, LAENDER) if isinstance(land, str) else None) or \
            "erlaubt: " + ", ".join(sorted(LAENDER)) + " oder leer (dann nur bundesweite Feiertage)"
        raise FristFehler(f"`{land}` ist kein Kürzel eines Bundeslandes", hilfe=hilfe)
    return land


def _wahl(wert: object, erlaubt: tuple[str, ...], was: str) -> str:
    if not isinstance(wert, str) or wert not in erlaubt:
        raise FristFehler(f"{was} `{wert}` ist nicht bekannt",
                          hilfe=(vorschlag(wert, erlaubt) if isinstance(wert, str) else None)
                          or "erlaubt: " + ", ".join(f'"{e}"' for e in erlaubt))
    return wert


def _ausserhalb(ordinal: int) -> bool:
    return not date(ERSTES_JAHR, 1, 1).toordinal() <= ordinal <= date(LETZTES_JAHR, 12, 31).toordinal()


def _bereichsfehler(anfang: date, anzahl: int, einheit: str) -> FristFehler:
    return FristFehler(f"{_laenge(anzahl, einheit)} ab {_tag(anfang)} enden außerhalb von {ERSTES_JAHR}–{LETZTES_JAHR}",
                       hilfe="Fristlänge prüfen")


# --- holidays --------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _feiertage_jahr(land: str | None, jahr: int) -> Mapping[date, str]:
    """Statutory holidays (category PUBLIC) of one year: nationwide ones, plus the Land's."""
    if not FEIERTAGE_VON <= jahr <= FEIERTAGE_BIS:
        raise FristFehler(f"Feiertage für das Jahr {jahr} sind nicht hinterlegt",
                          hilfe=f"das Paket `holidays` kennt deutsche Feiertage von {FEIERTAGE_VON} bis {FEIERTAGE_BIS}")
    paket = holidays.Germany(subdiv=land, years=jahr, language="de", categories=(PUBLIC,))
    tage = {d: " und ".join(_NAMEN.get(n, n) for n in paket.get_list(d)) for d in paket}
    for (k_land, k_datum), name in _KORREKTUREN.items():
        if k_datum.year == jahr and (k_land == land or k_land is None):
            if name is None:
                tage.pop(k_datum, None)
            else:
                tage[k_datum] = name
    return MappingProxyType(tage)


@lru_cache(maxsize=256)
def _teilweise_jahr(land: str, jahr: int) -> Mapping[date, str]:
    """Holidays of the Land that hold only in some municipalities (category CATHOLIC)."""
    if land not in _TEILWEISE or not FEIERTAGE_VON <= jahr <= FEIERTAGE_BIS:
        return MappingProxyType({})
    paket = holidays.Germany(subdiv=land, years=jahr, language="de", categories=(CATHOLIC,))
    return MappingProxyType({d: " und ".join(paket.get_list(d)) for d in paket})


def feiertage(jahr: int, land: str | None = None) -> dict[date, str]:
    """All statutory holidays of a year (nationwide ones without a Land), German names."""
    return dict(_feiertage_jahr(pruefe_land(land), jahr))


def feiertag(d: date, land: str | None = None) -> str | None:
    """German name of the statutory holiday on `d` (of the Land, or nationwide), else None."""
    d = _pruefe_datum(d, "Datum")
    return _feiertage_jahr(pruefe_land(land), d.year).get(d)


def _nicht_werktag_grund(d: date, land: str | None) -> str | None:
    teile = []
    if d.weekday() >= 5:
        teile.append(WOCHENTAGE[d.weekday()])
    name = _feiertage_jahr(land, d.year).get(d)
    if name:
        teile.append(name)
    return " und ".join(teile) or None


def ist_werktag(d: date, land: str | None = None) -> bool:
    """Monday to Friday and no statutory holiday: a day on which a time limit can end
    (§ 26 Abs. 3 SGB X and § 193 BGB also exclude the Sonnabend)."""
    return _nicht_werktag_grund(_pruefe_datum(d, "Datum"), pruefe_land(land)) is None


def _verschiebe(d: date, land: str | None) -> tuple[date, tuple[tuple[date, str], ...]]:
    uebersprungen = []
    while (grund := _nicht_werktag_grund(d, land)) is not None:
        uebersprungen.append((d, grund))
        if d.year == LETZTES_JAHR and d.month == 12 and d.day == 31:
            raise FristFehler(f"der nächste Werktag nach {_tag(d)} liegt außerhalb von {ERSTES_JAHR}–{LETZTES_JAHR}")
        d += timedelta(days=1)
    return d, tuple(uebersprungen)


def naechster_werktag(d: date, land: str | None = None) -> date:
    """`d` itself if it is a working day, else the next one (§ 26 Abs. 3 SGB X, § 193 BGB)."""
    return _verschiebe(_pruefe_datum(d, "Datum"), pruefe_land(land))[0]


def _grundtext(uebersprungen: tuple[tuple[date, str], ...]) -> str:
    if len(uebersprungen) == 1:
        return uebersprungen[0][1]
    return ", ".join(f"{tag_und_monat(d)} {g}" for d, g in uebersprungen)


def verschiebungsgrund(d: date, land: str | None = None) -> str:
    """Why a time limit ending on `d` moves on: "" on a working day, else the weekday/holiday
    (a chain with dates when several days are skipped), with the note when no Land is given."""
    d, land = _pruefe_datum(d, "Datum"), pruefe_land(land)
    uebersprungen = _verschiebe(d, land)[1]
    if not uebersprungen:
        return ""
    text = _grundtext(uebersprungen)
    return text if land is not None else f"{text} ({KEIN_LAND_HINWEIS})"


def laender_mit_spaeterem_ende(rechnerisches_ende: date, tag: date) -> list[str]:
    """Without a Land only the nationwide holidays count. The Länder (German names, in the order of `LAENDER`) in
    which a time limit whose raw end is `rechnerisches_ende` ends on `tag` or later because of a holiday of that Land:
    there an act on `tag` is in time although it is late by the nationwide holidays. Empty when `tag` is not after
    the nationwide end, or when no Land's holiday reaches it."""
    ende, tag = _pruefe_datum(rechnerisches_ende, "Datum"), _pruefe_datum(tag, "Datum")
    if tag <= _verschiebe(ende, None)[0]:
        return []
    return [name for kuerzel, name in LAENDER.items() if _verschiebe(ende, kuerzel)[0] >= tag]


# --- period arithmetic ---------------------------------------------------------------------------

def _plus_monate(d: date, n: int) -> tuple[date, bool]:
    """The day of the n-th following month with d's number, or that month's last day if it
    has no such day (second value True: § 188 Abs. 3 BGB)."""
    monat = d.month - 1 + n
    jahr, monat = d.year + monat // 12, monat % 12 + 1
    if not ERSTES_JAHR <= jahr <= LETZTES_JAHR:
        raise _bereichsfehler(d, n, "monate")
    letzter = calendar.monthrange(jahr, monat)[1]
    return date(jahr, monat, min(d.day, letzter)), d.day > letzter


def rechnerisches_ende(ereignis: date, anzahl: int, einheit: str,
                       beginn: str = "ereignis") -> tuple[date, tuple[str, ...]]:
    """Last day of the period by § 187 and § 188 BGB, before any shift, and the provisions used."""
    ereignis = _pruefe_datum(ereignis, "Ereignis/Beginn")
    einheit = _wahl(einheit, EINHEITEN, "Einheit")
    beginn = _wahl(beginn, BEGINNE, "Fristbeginn")
    if isinstance(anzahl, bool) or not isinstance(anzahl, int) or anzahl < 1:
        raise FristFehler(f"Fristlänge `{anzahl}` ist keine ganze Zahl ab 1", hilfe="z. B. 6 (Wochen) oder 1 (Monat)")
    zitate = [ZITAT_BEGINN[beginn]]
    # § 187 Abs. 2 BGB counts the first day: the period ends one day earlier than with Abs. 1
    # (§ 188 Abs. 2 Alt. 2: "dem Tage vorhergeht, der ... dem Anfangstag der Frist entspricht").
    abzug = 1 if beginn == "tagesbeginn" else 0
    if einheit in ("tage", "wochen"):
        tage = anzahl * (7 if einheit == "wochen" else 1) - abzug
        ordinal = ereignis.toordinal() + tage
        if _ausserhalb(ordinal):
            raise _bereichsfehler(ereignis, anzahl, einheit)
        zitate.append("§ 188 Abs. 1 BGB" if einheit == "tage" else "§ 188 Abs. 2 BGB")
        return date.fromordinal(ordinal), tuple(zitate)
    monate = anzahl * (12 if einheit == "jahre" else 1)
    if monate > 12 * (LETZTES_JAHR - ERSTES_JAHR + 1):
        raise _bereichsfehler(ereignis, anzahl, einheit)
    entsprechend, fehlt = _plus_monate(ereignis, monate)
    zitate.append("§ 188 Abs. 2 BGB")
    if fehlt:
        # the month has no day with that number: its last day ends the period (§ 188 Abs. 3),
        # also with § 187 Abs. 2 (the day before a missing day is missing as well, or is the last day)
        zitate.append("§ 188 Abs. 3 BGB")
        return entsprechend, tuple(zitate)
    if abzug:
        if entsprechend.toordinal() - 1 < date(ERSTES_JAHR, 1, 1).toordinal():
            raise _bereichsfehler(ereignis, anzahl, einheit)
        entsprechend -= timedelta(days=1)
    return entsprechend, tuple(zitate)


def fristende(ereignis: date, anzahl: int, einheit: str, beginn: str = "ereignis",
              verschiebung: str = "sgb10_26_3", land: str | None = None) -> Fristergebnis:
    """End of a statutory time limit.

    `beginn`: "ereignis" (§ 187 Abs. 1 BGB) or "tagesbeginn" (§ 187 Abs. 2 BGB).
    `verschiebung`: "sgb10_26_3" (§ 26 Abs. 3 Satz 1 SGB X, with § 26 Abs. 1 SGB X for the
    BGB rules), "bgb_193" (§ 193 BGB) or "keine" (§ 26 Abs. 4/5 SGB X, notice periods).
    `land`: Land code whose holidays count; None = nationwide holidays only (said in the result).
    """
    verschiebung = _wahl(verschiebung, VERSCHIEBUNGEN, "Verschiebung")
    land = pruefe_land(land)
    roh, zitate = rechnerisches_ende(ereignis, anzahl, einheit, beginn)
    if verschiebung == "sgb10_26_3":
        zitate = (ZITAT_SGB10_VERWEIS,) + zitate
    hinweise: list[str] = []
    if verschiebung == "keine":
        ende, uebersprungen = roh, ()
        grund_roh = _nicht_werktag_grund(roh, land) if FEIERTAGE_VON <= roh.year <= FEIERTAGE_BIS \
            else (WOCHENTAGE[roh.weekday()] if roh.weekday() >= 5 else None)
        if grund_roh:
            hinweise.append(f"Das rechnerische Ende {_tag(roh)} ({grund_roh}) wird nicht auf einen Werktag verschoben.")
    else:
        ende, uebersprungen = _verschiebe(roh, land)
        if uebersprungen:
            zitate = zitate + (ZITAT_VERSCHIEBUNG[verschiebung],)
        hinweise += _hinweise_zum_ende(ende, land)
    return Fristergebnis(
        ereignis=ereignis, beginn=beginn, anzahl=anzahl, einheit=einheit, rechnerisches_ende=roh, ende=ende,
        verschoben=bool(uebersprungen), grund=_grundtext(uebersprungen) if uebersprungen else "",
        land=land, land_hinweis=KEIN_LAND_HINWEIS if land is None else None, verschiebung=verschiebung,
        zitate=zitate, uebersprungen=uebersprungen, hinweise=tuple(hinweise))


def _hinweise_zum_ende(ende: date, land: str | None) -> list[str]:
    """What the result cannot know: a partial holiday of the Land, or (without a Land) the
    Länder in which the end date is a holiday that was not counted."""
    if land is not None:
        name = _teilweise_jahr(land, ende.year).get(ende)
        if name:
            return [f"{_tag(ende)} ist {name}, in {LAENDER[land]} nur {_TEILWEISE[land]} gesetzlicher Feiertag; "
                    "die Gemeinde ist nicht bekannt, der Tag wurde nicht berücksichtigt. "
                    "Ist er am maßgeblichen Ort Feiertag, endet die Frist später."]
        return []
    andere: dict[str, list[str]] = {}
    for kuerzel in sorted(LAENDER):
        name = _feiertage_jahr(kuerzel, ende.year).get(ende)
        if name:
            andere.setdefault(name, []).append(kuerzel)
    return [f"{_tag(ende)} ist in {', '.join(l)} gesetzlicher Feiertag ({name}); ohne Angabe des Landes nicht "
            "berücksichtigt. Liegt der maßgebliche Ort dort, endet die Frist später." for name, l in andere.items()]


# --- text ----------------------------------------------------------------------------------------

def _tag(d: date) -> str:
    return f"{_WOCHENTAGE_KURZ[d.weekday()]} {datum(d)}"


def _laenge(anzahl: int, einheit: str) -> str:
    einzahl = {"tage": "Tag", "wochen": "Woche", "monate": "Monat", "jahre": "Jahr"}
    mehrzahl = {"tage": "Tage", "wochen": "Wochen", "monate": "Monate", "jahre": "Jahre"}
    return f"{anzahl} {einzahl.get(einheit, einheit) if anzahl == 1 else mehrzahl.get(einheit, einheit)}"
