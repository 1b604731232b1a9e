"""Statutory time limits (engine/fristen.py) against dates worked by hand.

Each row of TABELLE was computed by hand from the quoted law (../shared/legal-sources/
bgb-187.md, bgb-188.md, bgb-193.md, sgb10-26.md) with the holidays of feiertage.md; the
comment above a row gives the reasoning. Every weekday the reasoning relies on is part of
the row and checked with `calendar.weekday` (not with the library), and every holiday the
rows name is checked against an Easter computus written here independently of `holidays`.

§ 187 Abs. 1 BGB: the day of the event is not counted. § 188 Abs. 2 BGB: a period of weeks/
months ends on the day of the last week/month that corresponds by name or number to the day
of the event; with § 187 Abs. 2 (beginning of a day) on the day before the one corresponding
to the first day. § 188 Abs. 3 BGB: a missing corresponding day -> last day of that month.
§ 26 Abs. 3 Satz 1 SGB X / § 193 BGB: an end on a Saturday, Sunday or statutory holiday
moves to the next working day.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest

from engine import fristen
from engine.fehler import FormelFehler
from engine.formel import Laufzeitfehler, uebersetze
from engine.fristen import FristFehler, Fristergebnis, fristende, ist_werktag, naechster_werktag, verschiebungsgrund

WT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
E, T = "ereignis", "tagesbeginn"
S26, B193, KEINE = "sgb10_26_3", "bgb_193", "keine"


def d(text: str) -> date:
    tag, monat, jahr = map(int, text.split("."))
    return date(jahr, monat, tag)


# (ereignis, anzahl, einheit, beginn, verschiebung, land, rechnerisches Ende, its weekday,
#  Ende, its weekday, grund)
TABELLE = [
    # 1 Eingang Mi 13.11.2024, 6 Wochen, § 188 Abs. 2: Mi 25.12.2024 = 1. Weihnachtstag, Do 26.12.
    #   2. Weihnachtstag (both nationwide) -> Fr 27.12.2024 (§ 26 Abs. 3 SGB X); issue 10's fiction case
    ("13.11.2024", 6, "wochen", E, S26, None, "25.12.2024", "Mi", "27.12.2024", "Fr",
     "25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag"),
    # 2 the same with land HE: no Land holiday in between, same result
    ("13.11.2024", 6, "wochen", E, S26, "HE", "25.12.2024", "Mi", "27.12.2024", "Fr",
     "25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag"),
    # 3 Eingang Sa 05.10.2024 + 6 Wochen = Sa 16.11.2024 (Samstag), So 17.11. -> Mo 18.11.2024
    ("05.10.2024", 6, "wochen", E, S26, None, "16.11.2024", "Sa", "18.11.2024", "Mo",
     "16.11. Samstag, 17.11. Sonntag"),
    # 4 Eingang So 06.10.2024 + 6 Wochen = So 17.11.2024 -> Mo 18.11.2024
    ("06.10.2024", 6, "wochen", E, S26, None, "17.11.2024", "So", "18.11.2024", "Mo", "Sonntag"),
    # 5 Eingang Fr 07.03.2025 + 6 Wochen = Fr 18.04.2025 Karfreitag (Ostern 20.04.2025), Sa 19.04.,
    #   So 20.04., Mo 21.04. Ostermontag -> Di 22.04.2025
    ("07.03.2025", 6, "wochen", E, S26, None, "18.04.2025", "Fr", "22.04.2025", "Di",
     "18.04. Karfreitag, 19.04. Samstag, 20.04. Sonntag, 21.04. Ostermontag"),
    # 6 the same in BB, where Ostersonntag is a statutory holiday too (it is a Sunday anyway)
    ("07.03.2025", 6, "wochen", E, S26, "BB", "18.04.2025", "Fr", "22.04.2025", "Di",
     "18.04. Karfreitag, 19.04. Samstag, 20.04. Sonntag und Ostersonntag, 21.04. Ostermontag"),
    # 7 Eingang Mo 10.03.2025 + 6 Wochen = Mo 21.04.2025 Ostermontag -> Di 22.04.2025
    ("10.03.2025", 6, "wochen", E, S26, None, "21.04.2025", "Mo", "22.04.2025", "Di", "Ostermontag"),
    # 8 Eingang Do 14.11.2024 + 6 Wochen = Do 26.12.2024 2. Weihnachtstag -> Fr 27.12.2024
    ("14.11.2024", 6, "wochen", E, S26, None, "26.12.2024", "Do", "27.12.2024", "Fr", "2. Weihnachtstag"),
    # 9 Eingang Do 13.11.2025 + 6 Wochen = Do 25.12.2025, Fr 26.12., Sa 27.12., So 28.12. -> Mo 29.12.2025
    ("13.11.2025", 6, "wochen", E, S26, None, "25.12.2025", "Do", "29.12.2025", "Mo",
     "25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag, 27.12. Samstag, 28.12. Sonntag"),
    # 10 Eingang Do 18.04.2024 + 6 Wochen = Do 30.05.2024 = Fronleichnam (Ostern 31.03.2024 + 60);
    #    HE: Land holiday -> Fr 31.05.2024
    ("18.04.2024", 6, "wochen", E, S26, "HE", "30.05.2024", "Do", "31.05.2024", "Fr", "Fronleichnam"),
    # 11 the same without a Land: Fronleichnam is no nationwide holiday -> ends Do 30.05.2024
    ("18.04.2024", 6, "wochen", E, S26, None, "30.05.2024", "Do", "30.05.2024", "Do", ""),
    # 12 Eingang Do 19.09.2024 + 6 Wochen = Do 31.10.2024 Reformationstag; SN -> Fr 01.11.2024
    #    (Allerheiligen is no holiday in SN)
    ("19.09.2024", 6, "wochen", E, S26, "SN", "31.10.2024", "Do", "01.11.2024", "Fr", "Reformationstag"),
    # 13 the same in HE: Reformationstag is no holiday there -> Do 31.10.2024
    ("19.09.2024", 6, "wochen", E, S26, "HE", "31.10.2024", "Do", "31.10.2024", "Do", ""),
    # 14 Eingang Fr 19.09.2025 + 6 Wochen = Fr 31.10.2025; HH: Reformationstag since 2018,
    #    Sa 01.11., So 02.11. -> Mo 03.11.2025
    ("19.09.2025", 6, "wochen", E, S26, "HH", "31.10.2025", "Fr", "03.11.2025", "Mo",
     "31.10. Reformationstag, 01.11. Samstag, 02.11. Sonntag"),
    # 15 Eingang Mo 19.09.2016 + 6 Wochen = Mo 31.10.2016; HH before 2018: no holiday -> Mo 31.10.2016
    ("19.09.2016", 6, "wochen", E, S26, "HH", "31.10.2016", "Mo", "31.10.2016", "Mo", ""),
    # 16 the same in SN (Reformationstag always) -> Di 01.11.2016
    ("19.09.2016", 6, "wochen", E, S26, "SN", "31.10.2016", "Mo", "01.11.2016", "Di", "Reformationstag"),
    # 17 Eingang Di 19.09.2017 + 6 Wochen = Di 31.10.2017: Reformationstag nationwide once in 2017
    #    -> Mi 01.11.2017 even without a Land
    ("19.09.2017", 6, "wochen", E, S26, None, "31.10.2017", "Di", "01.11.2017", "Mi", "Reformationstag"),
    # 18 the same in NW: 01.11.2017 Allerheiligen too -> Do 02.11.2017
    ("19.09.2017", 6, "wochen", E, S26, "NW", "31.10.2017", "Di", "02.11.2017", "Do",
     "31.10. Reformationstag, 01.11. Allerheiligen"),
    # 19 Eingang Fr 20.09.2024 + 6 Wochen = Fr 01.11.2024 Allerheiligen in NW, Sa 02.11., So 03.11.
    #    -> Mo 04.11.2024
    ("20.09.2024", 6, "wochen", E, S26, "NW", "01.11.2024", "Fr", "04.11.2024", "Mo",
     "01.11. Allerheiligen, 02.11. Samstag, 03.11. Sonntag"),
    # 20 Eingang Mi 09.10.2024 + 6 Wochen = Mi 20.11.2024 Buß- und Bettag (Wednesday before
    #    23.11.) in SN -> Do 21.11.2024
    ("09.10.2024", 6, "wochen", E, S26, "SN", "20.11.2024", "Mi", "21.11.2024", "Do", "Buß- und Bettag"),
    # 21 the same in BY: no holiday -> Mi 20.11.2024
    ("09.10.2024", 6, "wochen", E, S26, "BY", "20.11.2024", "Mi", "20.11.2024", "Mi", ""),
    # 22 Eingang Fr 26.01.2024 + 6 Wochen = Fr 08.03.2024 Frauentag in BE (since 2019), Sa, So
    #    -> Mo 11.03.2024
    ("26.01.2024", 6, "wochen", E, S26, "BE", "08.03.2024", "Fr", "11.03.2024", "Mo",
     "08.03. Frauentag, 09.03. Samstag, 10.03. Sonntag"),
    # 23 Eingang Do 25.01.2018 + 6 Wochen = Do 08.03.2018; BE before 2019: no holiday
    ("25.01.2018", 6, "wochen", E, S26, "BE", "08.03.2018", "Do", "08.03.2018", "Do", ""),
    # 24 Eingang Fr 09.08.2024 + 6 Wochen = Fr 20.09.2024 Weltkindertag in TH (since 2019), Sa, So
    #    -> Mo 23.09.2024
    ("09.08.2024", 6, "wochen", E, S26, "TH", "20.09.2024", "Fr", "23.09.2024", "Mo",
     "20.09. Weltkindertag, 21.09. Samstag, 22.09. Sonntag"),
    # 25 Eingang Fr 27.03.2020 + 6 Wochen = Fr 08.05.2020, in BE a one-off holiday (75th anniversary
    #    of the liberation), Sa, So -> Mo 11.05.2020
    ("27.03.2020", 6, "wochen", E, S26, "BE",
     "08.05.2020", "Fr", "11.05.2020", "Mo", None),  # grund checked below: the package's long name
    # 26 the same in HE: no holiday -> Fr 08.05.2020
    ("27.03.2020", 6, "wochen", E, S26, "HE", "08.05.2020", "Fr", "08.05.2020", "Fr", ""),
    # 27 Eingang Do 04.07.2024 + 6 Wochen = Do 15.08.2024 Mariä Himmelfahrt, Land holiday in SL
    #    -> Fr 16.08.2024
    ("04.07.2024", 6, "wochen", E, S26, "SL", "15.08.2024", "Do", "16.08.2024", "Fr", "Mariä Himmelfahrt"),
    # 28 the same in BY: a holiday only in mainly catholic municipalities, which the case does not
    #    name -> not counted, Do 15.08.2024 (with a note, checked below)
    ("04.07.2024", 6, "wochen", E, S26, "BY", "15.08.2024", "Do", "15.08.2024", "Do", ""),
    # 29 Eingang Mo 25.11.2024 + 6 Wochen = Mo 06.01.2025 Heilige Drei Könige in ST -> Di 07.01.2025
    ("25.11.2024", 6, "wochen", E, S26, "ST", "06.01.2025", "Mo", "07.01.2025", "Di", "Heilige Drei Könige"),
    # 30 Eingang Fr 22.08.2025 + 6 Wochen = Fr 03.10.2025 Tag der Deutschen Einheit, Sa, So
    #    -> Mo 06.10.2025
    ("22.08.2025", 6, "wochen", E, S26, None, "03.10.2025", "Fr", "06.10.2025", "Mo",
     "03.10. Tag der Deutschen Einheit, 04.10. Samstag, 05.10. Sonntag"),
    # 31 Eingang Mo 08.04.2024 + 6 Wochen = Mo 20.05.2024 Pfingstmontag (Ostern 31.03. + 50) -> Di 21.05.2024
    ("08.04.2024", 6, "wochen", E, S26, None, "20.05.2024", "Mo", "21.05.2024", "Di", "Pfingstmontag"),
    # 32 Eingang Do 20.03.2008 + 6 Wochen = Do 01.05.2008: Erster Mai and Christi Himmelfahrt
    #    (Ostern 23.03.2008 + 39) on one day -> Fr 02.05.2008
    ("20.03.2008", 6, "wochen", E, S26, None, "01.05.2008", "Do", "02.05.2008", "Fr", None),  # both names, below
    # 33 Eingang Mo 02.10.2023 + 6 Wochen = Mo 13.11.2023, a working day (issue 10)
    ("02.10.2023", 6, "wochen", E, S26, None, "13.11.2023", "Mo", "13.11.2023", "Mo", ""),
    # 34 31.01.2023 + 1 Monat: no 31.02.2023 -> § 188 Abs. 3: Di 28.02.2023 (not a leap year)
    ("31.01.2023", 1, "monate", E, S26, None, "28.02.2023", "Di", "28.02.2023", "Di", ""),
    # 35 31.01.2024 + 1 Monat: leap year -> § 188 Abs. 3: Do 29.02.2024
    ("31.01.2024", 1, "monate", E, S26, None, "29.02.2024", "Do", "29.02.2024", "Do", ""),
    # 36 29.02.2024 + 6 Monate: 29.08.2024 exists -> Do 29.08.2024
    ("29.02.2024", 6, "monate", E, S26, None, "29.08.2024", "Do", "29.08.2024", "Do", ""),
    # 37 31.08.2023 + 6 Monate: no 31.02.2024 -> last day Do 29.02.2024 (§ 188 Abs. 3, leap year)
    ("31.08.2023", 6, "monate", E, S26, None, "29.02.2024", "Do", "29.02.2024", "Do", ""),
    # 38 31.08.2024 + 6 Monate: no 31.02.2025 -> Fr 28.02.2025
    ("31.08.2024", 6, "monate", E, S26, None, "28.02.2025", "Fr", "28.02.2025", "Fr", ""),
    # 39 31.08.2021 + 6 Monate -> Mo 28.02.2022
    ("31.08.2021", 6, "monate", E, S26, None, "28.02.2022", "Mo", "28.02.2022", "Mo", ""),
    # 40 month end: 30.04.2024 + 1 Monat -> the day with number 30: Do 30.05.2024 (not the 31st)
    ("30.04.2024", 1, "monate", E, S26, None, "30.05.2024", "Do", "30.05.2024", "Do", ""),
    # 41 the same in HE: 30.05.2024 Fronleichnam -> Fr 31.05.2024
    ("30.04.2024", 1, "monate", E, S26, "HE", "30.05.2024", "Do", "31.05.2024", "Fr", "Fronleichnam"),
    # 42 month end: 28.02.2023 + 1 Monat -> Di 28.03.2023 (the 28th, not the month's last day)
    ("28.02.2023", 1, "monate", E, S26, None, "28.03.2023", "Di", "28.03.2023", "Di", ""),
    # 43 30.11.2024 + 3 Monate: no 30.02.2025 -> Fr 28.02.2025
    ("30.11.2024", 3, "monate", E, S26, None, "28.02.2025", "Fr", "28.02.2025", "Fr", ""),
    # 44 year: 29.02.2024 + 1 Jahr: no 29.02.2025 -> Fr 28.02.2025 (§ 188 Abs. 2 "Jahr", Abs. 3)
    ("29.02.2024", 1, "jahre", E, S26, None, "28.02.2025", "Fr", "28.02.2025", "Fr", ""),
    # 45 year end: 31.12.2024 + 1 Jahr -> Mi 31.12.2025
    ("31.12.2024", 1, "jahre", E, S26, None, "31.12.2025", "Mi", "31.12.2025", "Mi", ""),
    # 46 15.06.2023 + 2 Jahre = So 15.06.2025 -> Mo 16.06.2025
    ("15.06.2023", 2, "jahre", E, S26, None, "15.06.2025", "So", "16.06.2025", "Mo", "Sonntag"),
    # 47 01.01.2025 + 1 Jahr = Do 01.01.2026 Neujahr -> Fr 02.01.2026
    ("01.01.2025", 1, "jahre", E, S26, None, "01.01.2026", "Do", "02.01.2026", "Fr", "Neujahr"),
    # 48 § 187 Abs. 2: begins with Fr 01.03.2024, 1 Monat -> day before 01.04. = So 31.03.2024
    #    (Ostersonntag), Mo 01.04. Ostermontag -> Di 02.04.2024
    ("01.03.2024", 1, "monate", T, S26, None, "31.03.2024", "So", "02.04.2024", "Di",
     "31.03. Sonntag, 01.04. Ostermontag"),
    # 49 § 187 Abs. 2: begins 01.01.2025, 1 Jahr -> day before 01.01.2026 = Mi 31.12.2025
    ("01.01.2025", 1, "jahre", T, S26, None, "31.12.2025", "Mi", "31.12.2025", "Mi", ""),
    # 50 § 187 Abs. 2: begins 31.01.2023, 1 Monat -> 31.02. missing, so its previous day too:
    #    § 188 Abs. 3 -> Di 28.02.2023
    ("31.01.2023", 1, "monate", T, S26, None, "28.02.2023", "Di", "28.02.2023", "Di", ""),
    # 51 § 187 Abs. 2: begins Mo 15.01.2024, 2 Wochen -> day before Mo 29.01. = So 28.01.2024
    #    -> Mo 29.01.2024
    ("15.01.2024", 2, "wochen", T, S26, None, "28.01.2024", "So", "29.01.2024", "Mo", "Sonntag"),
    # 52 § 187 Abs. 2: begins Do 01.08.2024, 10 Tage counting 01.08. -> Sa 10.08.2024, So -> Mo 12.08.2024
    ("01.08.2024", 10, "tage", T, S26, None, "10.08.2024", "Sa", "12.08.2024", "Mo",
     "10.08. Samstag, 11.08. Sonntag"),
    # 53 § 187 Abs. 2: begins 01.02.2024, 1 Monat -> day before 01.03.2024 = Do 29.02.2024
    ("01.02.2024", 1, "monate", T, S26, None, "29.02.2024", "Do", "29.02.2024", "Do", ""),
    # 54 § 187 Abs. 2: begins 01.02.2023, 1 Monat -> day before 01.03.2023 = Di 28.02.2023
    ("01.02.2023", 1, "monate", T, S26, None, "28.02.2023", "Di", "28.02.2023", "Di", ""),
    # 55 § 187 Abs. 2 Satz 2 (Lebensalter): born 10.05.2006, 18 Jahre -> day before 10.05.2024 =
    #    Do 09.05.2024 (Christi Himmelfahrt); an age is no time limit to act: not shifted
    ("10.05.2006", 18, "jahre", T, KEINE, None, "09.05.2024", "Do", "09.05.2024", "Do", ""),
    # 56 two weeks: Mi 04.12.2024 + 2 Wochen = Mi 18.12.2024, working day
    ("04.12.2024", 2, "wochen", E, S26, None, "18.12.2024", "Mi", "18.12.2024", "Mi", ""),
    # 57 two weeks: Fr 20.12.2024 + 2 Wochen = Fr 03.01.2025, working day
    ("20.12.2024", 2, "wochen", E, S26, None, "03.01.2025", "Fr", "03.01.2025", "Fr", ""),
    # 58 two weeks: Mi 18.12.2024 + 2 Wochen = Mi 01.01.2025 Neujahr -> Do 02.01.2025
    ("18.12.2024", 2, "wochen", E, S26, None, "01.01.2025", "Mi", "02.01.2025", "Do", "Neujahr"),
    # 59 one month: 15.04.2025 + 1 Monat = Do 15.05.2025, working day
    ("15.04.2025", 1, "monate", E, S26, None, "15.05.2025", "Do", "15.05.2025", "Do", ""),
    # 60 one month: 01.04.2025 + 1 Monat = Do 01.05.2025 Erster Mai -> Fr 02.05.2025
    ("01.04.2025", 1, "monate", E, S26, None, "01.05.2025", "Do", "02.05.2025", "Fr", "Erster Mai"),
    # 61 days (§ 188 Abs. 1): Di 10.12.2024 + 14 Tage = Di 24.12.2024 (Heiligabend is no holiday)
    ("10.12.2024", 14, "tage", E, S26, None, "24.12.2024", "Di", "24.12.2024", "Di", ""),
    # 62 days: 31.12.2024 + 1 Tag = Mi 01.01.2025 Neujahr -> Do 02.01.2025
    ("31.12.2024", 1, "tage", E, S26, None, "01.01.2025", "Mi", "02.01.2025", "Do", "Neujahr"),
    # 63 keine Verschiebung: 13.11.2024 + 6 Wochen ends Mi 25.12.2024 and stays there
    ("13.11.2024", 6, "wochen", E, KEINE, "HE", "25.12.2024", "Mi", "25.12.2024", "Mi", ""),
    # 64 Kündigungsfrist (§ 193 BGB not applicable): Zugang Sa 16.11.2024 + 4 Wochen = Sa 14.12.2024, stays
    ("16.11.2024", 4, "wochen", E, KEINE, None, "14.12.2024", "Sa", "14.12.2024", "Sa", ""),
    # 65 § 26 Abs. 4 SGB X Leistungszeitraum from the beginning of Mo 01.01.2024, 3 Monate ->
    #    day before 01.04.2024 = So 31.03.2024 (Ostersonntag), not shifted
    ("01.01.2024", 3, "monate", T, KEINE, None, "31.03.2024", "So", "31.03.2024", "So", ""),
    # 66 § 193 BGB: performance within 2 Wochen from Sa 16.03.2024 = Sa 30.03.2024, So 31.03.,
    #    Mo 01.04. Ostermontag -> Di 02.04.2024
    ("16.03.2024", 2, "wochen", E, B193, None, "30.03.2024", "Sa", "02.04.2024", "Di",
     "30.03. Samstag, 31.03. Sonntag, 01.04. Ostermontag"),
]


def _zeile_id(zeile):
    return f"{zeile[0]}+{zeile[1]}{zeile[2][0]}-{zeile[3][0]}-{zeile[4]}-{zeile[5]}"


def test_tabelle_hat_mindestens_40_handgerechnete_zeilen():
    assert len(TABELLE) >= 40


@pytest.mark.parametrize("zeile", TABELLE, ids=_zeile_id)
def test_wochentage_der_tabelle_stimmen_laut_kalender(zeile):
    """The hand reasoning relies on weekdays: check them with `calendar`, not with the library."""
    _, _, _, _, _, _, roh, roh_wt, ende, ende_wt, _ = zeile
    for text, wt in ((roh, roh_wt), (ende, ende_wt)):
        tag = d(text)
        assert WT[calendar.weekday(tag.year, tag.month, tag.day)] == wt, text


@pytest.mark.parametrize("zeile", TABELLE, ids=_zeile_id)
def test_fristende_nach_tabelle(zeile):
    ereignis, anzahl, einheit, beginn, verschiebung, land, roh, _, ende, _, grund = zeile
    r = fristende(d(ereignis), anzahl, einheit, beginn=beginn, verschiebung=verschiebung, land=land)
    assert isinstance(r, Fristergebnis)
    assert (r.ereignis, r.anzahl, r.einheit, r.beginn, r.land) == (d(ereignis), anzahl, einheit, beginn, land)
    assert r.rechnerisches_ende == d(roh)
    assert r.ende == d(ende)
    assert r.verschoben == (d(roh) != d(ende))
    if grund is not None:
        assert r.grund == grund
    assert r.land_hinweis == (None if land else "nur bundesweite Feiertage berücksichtigt, kein Land angegeben")


def test_besondere_gruende_der_tabelle():
    r = fristende(d("27.03.2020"), 6, "wochen", land="BE")  # row 25
    assert r.grund.startswith("08.05. 75. Jahrestag der Befreiung") and r.grund.endswith("09.05. Samstag, 10.05. Sonntag")
    r = fristende(d("20.03.2008"), 6, "wochen")  # row 32
    assert set(r.grund.split(" und ")) == {"Erster Mai", "Christi Himmelfahrt"}


# --- citations and the trail text ------------------------------------------------------------------

def test_zitate_ereignis_wochen_verschoben_nach_sgb_x():
    r = fristende(d("13.11.2024"), 6, "wochen", land="HE")
    assert r.zitate == ("§ 26 Abs. 1 SGB X", "§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 26 Abs. 3 Satz 1 SGB X")
    assert r.uebersprungen == ((d("25.12.2024"), "1. Weihnachtstag"), (d("26.12.2024"), "2. Weihnachtstag"))
    assert r.erster_tag == d("14.11.2024")
    assert r.erlaeuterung == (
        "Ereignis am Mi 13.11.2024, dieser Tag zählt nicht mit (§ 187 Abs. 1 BGB); 6 Wochen enden rechnerisch am "
        "Mi 25.12.2024 (§ 188 Abs. 2 BGB); 25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag → Ende am Fr 27.12.2024, "
        "dem nächsten Werktag (§ 26 Abs. 3 Satz 1 SGB X) (Feiertage: Hessen).")


def test_zitate_tagesbeginn_monat_fehlender_tag_und_bgb_193():
    r = fristende(d("31.01.2023"), 1, "monate", beginn="tagesbeginn", verschiebung="bgb_193")
    assert r.zitate == ("§ 187 Abs. 2 Satz 1 BGB", "§ 188 Abs. 2 BGB", "§ 188 Abs. 3 BGB")
    assert r.erster_tag == d("31.01.2023")
    r = fristende(d("16.03.2024"), 2, "wochen", verschiebung="bgb_193")
    assert r.zitate[-1] == "§ 193 BGB" and "§ 26 Abs. 1 SGB X" not in r.zitate
    assert fristende(d("10.12.2024"), 14, "tage").zitate == ("§ 26 Abs. 1 SGB X", "§ 187 Abs. 1 BGB", "§ 188 Abs. 1 BGB")


def test_keine_verschiebung_sagt_worauf_das_ende_faellt():
    r = fristende(d("13.11.2024"), 6, "wochen", verschiebung="keine", land="HE")
    assert not r.verschoben and r.grund == "" and r.uebersprungen == ()
    assert "§ 26 Abs. 3 Satz 1 SGB X" not in r.zitate and "§ 193 BGB" not in r.zitate
    assert r.hinweise == ("Das rechnerische Ende Mi 25.12.2024 (1. Weihnachtstag) wird nicht auf einen Werktag verschoben.",)
    assert r.erlaeuterung.endswith("keine Verschiebung auf einen Werktag.")


def test_ohne_land_nennt_die_laender_mit_feiertag_am_ende():
    r = fristende(d("18.04.2024"), 6, "wochen")
    assert r.land is None and r.ende == d("30.05.2024")
    assert r.hinweise == ("Do 30.05.2024 ist in BW, BY, HE, NW, RP, SL gesetzlicher Feiertag (Fronleichnam); ohne "
                          "Angabe des Landes nicht berücksichtigt. Liegt der maßgebliche Ort dort, endet die Frist später.",)
    assert "(nur bundesweite Feiertage berücksichtigt, kein Land angegeben)" in r.erlaeuterung


def test_feiertag_nur_in_manchen_gemeinden_wird_genannt():
    r = fristende(d("04.07.2024"), 6, "wochen", land="BY")
    assert r.ende == d("15.08.2024")
    assert len(r.hinweise) == 1 and "Mariä Himmelfahrt" in r.hinweise[0] and "Gemeinde" in r.hinweise[0]
    r = fristende(d("18.04.2024"), 6, "wochen", land="SN")  # Fronleichnam 30.05.2024, partial in SN
    assert r.ende == d("30.05.2024") and "Fronleichnam" in r.hinweise[0]


# --- fixed due dates: the levy's 31 March (§ 193 BGB reading) --------------------------------------

# (31.03. of the year, weekday by hand, next working day, its weekday, reason)
ABGABE_31_MAERZ = [
    # 2018: Sa 31.03.2018, So 01.04. (Ostersonntag), Mo 02.04. Ostermontag -> Di 03.04.2018
    ("31.03.2018", "Sa", "03.04.2018", "Di", "31.03. Samstag, 01.04. Sonntag, 02.04. Ostermontag"),
    # 2019: So 31.03.2019 -> Mo 01.04.2019
    ("31.03.2019", "So", "01.04.2019", "Mo", "Sonntag"),
    ("31.03.2020", "Di", "31.03.2020", "Di", ""),  # Tuesday, working day
    ("31.03.2021", "Mi", "31.03.2021", "Mi", ""),  # Wednesday (Easter 04.04.2021), working day
    ("31.03.2022", "Do", "31.03.2022", "Do", ""),  # Thursday, working day
    ("31.03.2023", "Fr", "31.03.2023", "Fr", ""),  # Friday (Karfreitag 07.04.2023), working day
    # 2024: So 31.03.2024 = Ostersonntag, Mo 01.04. Ostermontag -> Di 02.04.2024
    ("31.03.2024", "So", "02.04.2024", "Di", "31.03. Sonntag, 01.04. Ostermontag"),
    ("31.03.2025", "Mo", "31.03.2025", "Mo", ""),  # Monday, working day
    ("31.03.2026", "Di", "31.03.2026", "Di", ""),  # Tuesday (Easter 05.04.2026), working day
]


@pytest.mark.parametrize("tag,wt,ende,ende_wt,grund", ABGABE_31_MAERZ, ids=[z[0] for z in ABGABE_31_MAERZ])
def test_faelligkeit_31_maerz_2018_bis_2026(tag, wt, ende, ende_wt, grund):
    for text, w in ((tag, wt), (ende, ende_wt)):
        assert WT[calendar.weekday(d(text).year, d(text).month, d(text).day)] == w
    assert naechster_werktag(d(tag), None) == d(ende)
    assert ist_werktag(d(tag), None) == (tag == ende)
    assert verschiebungsgrund(d(tag), "HE") == grund
    erwartet = f"{grund} (nur bundesweite Feiertage berücksichtigt, kein Land angegeben)" if grund else ""
    assert verschiebungsgrund(d(tag), None) == erwartet


# --- holidays: the package against feiertage.md, 2001-2030, every Land -----------------------------

def _ostern(jahr: int) -> date:
    """Easter Sunday, Gregorian computus (Meeus/Jones/Butcher), independent of `holidays`."""
    a, b, c = jahr % 19, jahr // 100, jahr % 100
    dd, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - dd - g + 15) % 30
    i, k = c // 4, c % 4
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    monat, tag = divmod(h + ll - 7 * m + 114, 31)
    return date(jahr, monat, tag + 1)


def _erwartete_feiertage(jahr: int, land: str | None) -> dict[date, str]:
    """Statutory holidays (Land-wide, category PUBLIC) as feiertage.md describes them."""
    o = _ostern(jahr)
    t = {date(jahr, 1, 1): "Neujahr", o - timedelta(2): "Karfreitag", o + timedelta(1): "Ostermontag",
         date(jahr, 5, 1): "Erster Mai", o + timedelta(39): "Christi Himmelfahrt", o + timedelta(50): "Pfingstmontag",
         date(jahr, 10, 3): "Tag der Deutschen Einheit", date(jahr, 12, 25): "1. Weihnachtstag",
         date(jahr, 12, 26): "2. Weihnachtstag"}
    if jahr == 2017:
        t[date(2017, 10, 31)] = "Reformationstag"  # nationwide once (500 years of the Reformation)
    drei_koenige, fronleichnam = date(jahr, 1, 6), o + timedelta(60)
    allerheiligen, reformation = date(jahr, 11, 1), date(jahr, 10, 31)
    zusatz: dict[str, dict[date, str]] = {
        "BB": {o: "Ostersonntag", o + timedelta(49): "Pfingstsonntag", reformation: "Reformationstag"},
        "BE": ({date(jahr, 3, 8): "Frauentag"} if jahr >= 2019 else {}),
        "BW": {drei_koenige: "Heilige Drei Könige", fronleichnam: "Fronleichnam", allerheiligen: "Allerheiligen"},
        "BY": {drei_koenige: "Heilige Drei Könige", fronleichnam: "Fronleichnam", allerheiligen: "Allerheiligen"},
        "HE": {fronleichnam: "Fronleichnam"},
        "MV": {reformation: "Reformationstag"} | ({date(jahr, 3, 8): "Frauentag"} if jahr >= 2023 else {}),
        "NW": {fronleichnam: "Fronleichnam", allerheiligen: "Allerheiligen"},
        "RP": {fronleichnam: "Fronleichnam", allerheiligen: "Allerheiligen"},
        "SL": {fronleichnam: "Fronleichnam", date(jahr, 8, 15): "Mariä Himmelfahrt", allerheiligen: "Allerheiligen"},
        # Buß- und Bettag: the Wednesday before 23 November
        "SN": {reformation: "Reformationstag",
               date(jahr, 11, 22) - timedelta((date(jahr, 11, 22).weekday() - 2) % 7): "Buß- und Bettag"},
        "ST": {drei_koenige: "Heilige Drei Könige", reformation: "Reformationstag"},
        "TH": {reformation: "Reformationstag"} | ({date(jahr, 9, 20): "Weltkindertag"} if jahr >= 2019 else {}),
    }
    for nord in ("HB", "HH", "NI", "SH"):
        zusatz[nord] = {reformation: "Reformationstag"} if jahr >= 2018 else {}
    if land:
        t |= zusatz[land]
    if land == "BE":  # one-off days in Berlin named in feiertage.md
        t |= {tag: "Jahrestag" for tag in (date(2020, 5, 8), date(2025, 5, 8), date(2028, 6, 17)) if tag.year == jahr}
    return t


@pytest.mark.parametrize("land", [None] + sorted(fristen.LAENDER))
def test_feiertage_2001_bis_2030_wie_feiertage_md(land):
    abweichungen = []
    for jahr in range(2001, 2031):
        ist = fristen.feiertage(jahr, land)
        soll = _erwartete_feiertage(jahr, land)
        for tag in sorted(set(ist) | set(soll)):
            i, s = ist.get(tag), soll.get(tag)
            if i is None or s is None or s not in i:  # `in`: two holidays on one day share a name
                abweichungen.append((tag, i, s))
    assert abweichungen == []


def test_teilweise_feiertage_zaehlen_nicht():
    assert ist_werktag(d("15.08.2024"), "BY")  # Mariä Himmelfahrt: only catholic municipalities
    assert ist_werktag(d("30.05.2024"), "SN") and ist_werktag(d("30.05.2024"), "TH")  # Fronleichnam
    assert not ist_werktag(d("15.08.2024"), "SL")
    assert fristen.feiertag(d("15.08.2024"), "SL") == "Mariä Himmelfahrt"
    assert fristen.feiertag(d("15.08.2024"), "BY") is None


def test_feiertag_namen_und_werktage():
    assert fristen.feiertag(d("25.12.2024")) == "1. Weihnachtstag"
    assert fristen.feiertag(d("26.12.2024"), "HE") == "2. Weihnachtstag"
    assert fristen.feiertag(d("24.12.2024")) is None
    assert fristen.feiertag(d("31.10.2024"), "SN") == "Reformationstag" and fristen.feiertag(d("31.10.2024")) is None
    assert not ist_werktag(d("16.11.2024")) and not ist_werktag(d("17.11.2024")) and ist_werktag(d("18.11.2024"))
    assert naechster_werktag(d("18.11.2024")) == d("18.11.2024")


# --- bad input: German errors, never OverflowError ------------------------------------------------

@pytest.mark.parametrize("aufruf,meldung", [
    (lambda: fristende(date(1899, 12, 31), 1, "tage"), "außerhalb von 1900–2199"),
    (lambda: fristende(date(2199, 12, 1), 1, "monate"), "außerhalb von 1900–2199"),
    (lambda: fristende(date(2024, 1, 1), 10 ** 30, "tage"), "außerhalb von 1900–2199"),
    (lambda: fristende(date(2024, 1, 1), 10 ** 30, "jahre"), "außerhalb von 1900–2199"),
    (lambda: fristende(date(2024, 1, 1), 0, "tage"), "keine ganze Zahl ab 1"),
    (lambda: fristende(date(2024, 1, 1), True, "tage"), "keine ganze Zahl ab 1"),
    (lambda: fristende(date(2024, 1, 1), 1, "monat"), "meinten Sie `monate`?"),
    (lambda: fristende(date(2024, 1, 1), 1, "monate", beginn="tagesanfang"), "Fristbeginn"),
    (lambda: fristende(date(2024, 1, 1), 1, "monate", verschiebung="bgb193"), "meinten Sie `bgb_193`?"),
    (lambda: fristende(date(2024, 1, 1), 1, "monate", land="Hessen"), "kein Kürzel eines Bundeslandes"),
    (lambda: fristende("2024-01-01", 1, "monate"), "muss ein Datum sein"),
    (lambda: ist_werktag(date(1950, 1, 2)), "Feiertage für das Jahr 1950 sind nicht hinterlegt"),
    (lambda: naechster_werktag(date(2150, 1, 1), "HE"), "nicht hinterlegt"),
])
def test_falsche_angaben_geben_deutschen_fehler(aufruf, meldung):
    with pytest.raises(FristFehler) as info:
        aufruf()
    assert meldung in str(info.value)
    assert isinstance(info.value, FormelFehler) and isinstance(info.value, ValueError)


def test_ohne_verschiebung_auch_ausserhalb_der_feiertagsjahre():
    r = fristende(date(1950, 1, 1), 1, "monate", verschiebung="keine")
    assert r.ende == date(1950, 2, 1)
    assert fristende(date(1900, 1, 1), 1, "tage", beginn="tagesbeginn", verschiebung="keine").ende == date(1900, 1, 1)
    assert fristende(date(2199, 11, 30), 1, "monate", verschiebung="keine").ende == date(2199, 12, 30)


# --- the formula language ------------------------------------------------------------------------

def rechne(quelle, **werte):
    return uebersetze(quelle, set(werte)).ausfuehren(werte)


def test_formel_fristende_und_tagesbeginn():
    assert rechne('fristende(eingang, 6, "wochen")', eingang=d("13.11.2024")) == d("25.12.2024")
    assert rechne('fristende(eingang, 1, "monate")', eingang=d("31.01.2024")) == d("29.02.2024")
    assert rechne('fristende(e, 6, "monate")', e=d("31.08.2023")) == d("29.02.2024")
    assert rechne('fristende(e, 14, "tage")', e=d("10.12.2024")) == d("24.12.2024")
    assert rechne('fristende(e, 1, "jahre")', e=d("29.02.2024")) == d("28.02.2025")
    assert rechne('fristende_tagesbeginn(e, 1, "monate")', e=d("01.03.2024")) == d("31.03.2024")
    assert rechne('fristende_tagesbeginn(e, 3, "monate")', e=d("01.01.2024")) == d("31.03.2024")
    assert rechne('fristende(e, n, "wochen")', e=d("13.11.2024"), n=Decimal("6.0")) == d("25.12.2024")


def test_formel_werktage_und_verschiebungsgrund():
    e = d("13.11.2024")
    assert rechne('naechster_werktag(fristende(e, 6, "wochen"), land)', e=e, land="HE") == d("27.12.2024")
    assert rechne('naechster_werktag(fristende(e, 6, "wochen"), leer)', e=e) == d("27.12.2024")
    assert rechne('verschiebungsgrund(fristende(e, 6, "wochen"), "HE")', e=e) == \
        "25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag"
    assert rechne('verschiebungsgrund(fristende(e, 6, "wochen"), land)', e=e, land=None) == \
        "25.12. 1. Weihnachtstag, 26.12. 2. Weihnachtstag (nur bundesweite Feiertage berücksichtigt, kein Land angegeben)"
    assert rechne('verschiebungsgrund(datum(2024, 12, 27), land)', land=None) == ""
    assert rechne('ist_werktag(datum(2024, 5, 30), "HE")') is False
    assert rechne('ist_werktag(datum(2024, 5, 30), leer)') is True
    assert rechne('naechster_werktag(datum(2024, 3, 31), leer) == datum(2024, 4, 2)') is True
    # the fiction of § 185 Abs. 9 begins the day after the (shifted) end
    assert rechne('plus_tage(naechster_werktag(fristende(e, 6, "wochen"), land), 1)', e=e, land="HE") == d("28.12.2024")


@pytest.mark.parametrize("quelle,meldung", [
    ('fristende(e, 1.5, "wochen")', "ganze Zahl ab 1"),
    ('fristende(e, 0, "wochen")', "ganze Zahl ab 1"),
    ('fristende(e, 6, "woche")', "meinten Sie `wochen`?"),
    ('fristende(e, 6, 7)', "als Einheit"),
    ('fristende("13.11.2024", 6, "wochen")', "erwartet ein Datum"),
    ('fristende(e, 100000, "jahre")', "außerhalb von 1900–2199"),
    ('fristende_tagesbeginn(e, wahr, "tage")', "erwartet eine Zahl"),
    ('naechster_werktag(e, "Hessen")', "kein Kürzel eines Bundeslandes"),
    ('ist_werktag(e, 3)', "als Land ein Kürzel"),
    ('verschiebungsgrund(e)', "falsche Anzahl"),
    ('ist_werktag(datum(1950, 1, 2), leer)', "nicht hinterlegt"),
])
def test_formel_fehler_sind_deutsch(quelle, meldung):
    # constant arguments are already rejected when the formula is compiled (`check`), the rest when it runs
    with pytest.raises((Laufzeitfehler, FormelFehler)) as info:
        rechne(quelle, e=d("13.11.2024"))
    assert meldung in str(info.value)


def test_formel_funktionen_sind_dokumentiert():
    from engine.formel import FUNKTIONEN
    for name in ("fristende", "fristende_tagesbeginn", "naechster_werktag", "verschiebungsgrund", "ist_werktag"):
        assert name in FUNKTIONEN and FUNKTIONEN[name][1]
    # the site renders these texts into a Markdown table: a "|" would split the cell
    assert [n for n, (_, text) in FUNKTIONEN.items() if "|" in text] == []
