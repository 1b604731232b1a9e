"""Compare the levy over a caseload under two laws: totals, changes by size band and tier; table and chart.

The amount compared is the Zahlbetrag (Ausgleichsabgabe minus Werkstatt credits, § 160 with § 223 SGB IX) in
cents. Size bands are taken from the Jahresdurchschnitt der Arbeitsplätze under the first law ("vorher"):
the bands below 60 use the thresholds of the rulebook's parameters (`mindestzahl_arbeitsplaetze`,
`kleinbetrieb_grenze_40`, `kleinbetrieb_grenze_60` on 31 December of the first side's year); 250 and 1,000
above are statistical bands, not law. A tier is the rule of the Fallgruppe `betrag_je_platz` that applied.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

import numpy as np

from ..format import zahl
from ..wissensbasis import Wissensbasis
from .rechnung import FEHLER, REGELMOTOR, VEKTOR, Ergebnis

OBERE_KLASSEN = (250, 1000)  # statistical size bands above the last legal threshold
BETRAG = "zahlbetrag"


@dataclass
class Zeile:
    name: str
    arbeitgeber: int
    geaendert: int
    vorher: int  # cents
    nachher: int

    def als_dict(self) -> dict[str, Any]:
        return {"name": self.name, "arbeitgeber": self.arbeitgeber, "geaendert": self.geaendert,
                "vorher": _euro_json(self.vorher), "nachher": _euro_json(self.nachher),
                "differenz": _euro_json(self.nachher - self.vorher)}


@dataclass
class Vergleich:
    vorher_name: str
    nachher_name: str
    faelle: int
    vektor: int
    regelmotor: int
    fehler: list[tuple[str, str]]  # (case, message) of cases neither side could decide
    geaendert: int
    mehr: int
    weniger: int
    summe_vorher: int
    summe_nachher: int
    abgabe_vorher: int
    abgabe_nachher: int
    klassen: list[Zeile]
    staffeln_vorher: list[Zeile]
    staffeln_nachher: list[Zeile]

    def als_dict(self) -> dict[str, Any]:
        return {"vergleich": {"vorher": self.vorher_name, "nachher": self.nachher_name}, "faelle": self.faelle,
                "vektorisiert": self.vektor, "regelmotor": self.regelmotor, "nicht_entschieden": len(self.fehler),
                "fehler": [{"fall": f, "meldung": m} for f, m in self.fehler],
                "geaendert": self.geaendert, "mehr": self.mehr, "weniger": self.weniger,
                "zahlbetrag": {"vorher": _euro_json(self.summe_vorher), "nachher": _euro_json(self.summe_nachher),
                               "differenz": _euro_json(self.summe_nachher - self.summe_vorher)},
                "ausgleichsabgabe": {"vorher": _euro_json(self.abgabe_vorher), "nachher": _euro_json(self.abgabe_nachher)},
                "groessenklassen": [z.als_dict() for z in self.klassen],
                "staffeln_vorher": [z.als_dict() for z in self.staffeln_vorher],
                "staffeln_nachher": [z.als_dict() for z in self.staffeln_nachher]}


def _euro_json(cent: int) -> str:
    return str(Decimal(int(cent)).scaleb(-2).quantize(Decimal("0.01")))


def _euro(cent: int) -> str:
    return zahl(Decimal(int(cent)).scaleb(-2), 2) + " €"


def _differenz(cent: int) -> str:
    return ("+" if cent > 0 else "") + _euro(cent)


def groessenklassen(wb: Wissensbasis, jahr: int | None) -> list[tuple[str, int, int | None]]:
    """(label, from, below) of the size bands; the legal thresholds from the parameters of `jahr`."""
    tag = date(jahr or date.today().year, 12, 31)
    grenzen = []
    for pid in ("mindestzahl_arbeitsplaetze", "kleinbetrieb_grenze_40", "kleinbetrieb_grenze_60"):
        p = wb.parameter.get(pid)
        w = p.wert_oder_none(tag) if p is not None else None
        if w is not None and w.wert == int(w.wert):
            grenzen.append(int(w.wert))
    grenzen = sorted(set(grenzen) | set(OBERE_KLASSEN))
    klassen, unten = [], 0
    for g in grenzen:
        klassen.append((f"unter {zahl(g)}" if unten == 0 else f"{zahl(unten)} bis unter {zahl(g)}", unten, g))
        unten = g
    klassen.append((f"{zahl(unten)} und mehr", unten, None))
    return klassen


def vergleiche(wb: Wissensbasis, vorher: Ergebnis, nachher: Ergebnis, vorher_name: str, nachher_name: str,
               jahr_klassen: int | None) -> Vergleich:
    beide = (vorher.weg != FEHLER) & (nachher.weg != FEHLER)
    a = np.where(beide, vorher.cent(BETRAG), 0)
    b = np.where(beide, nachher.cent(BETRAG), 0)
    geaendert = beide & (a != b)
    fehler = [(vorher.namen[i], vorher.fehler.get(i) or nachher.fehler.get(i, ""))
              for i in np.flatnonzero(~beide)]
    # size band by the Jahresdurchschnitt (vorher): compare the exact fraction with each band's lower bound
    n, d = vorher.zaehler["jahresdurchschnitt_arbeitsplaetze"], vorher.nenner["jahresdurchschnitt_arbeitsplaetze"]
    klassen = []
    for name, unten, oben in groessenklassen(wb, jahr_klassen):
        drin = beide & vorher.da["jahresdurchschnitt_arbeitsplaetze"] & (n >= unten * d)
        if oben is not None:
            drin &= n < oben * d
        klassen.append(Zeile(name, int(drin.sum()), int((drin & geaendert).sum()), int(a[drin].sum()),
                             int(b[drin].sum())))

    def staffeln(e: Ergebnis) -> list[Zeile]:
        zeilen = []
        for nr, (_, titel) in enumerate(e.regeln):
            drin = beide & (e.staffel == nr)
            zeilen.append(Zeile(titel, int(drin.sum()), int((drin & geaendert).sum()), int(a[drin].sum()),
                                int(b[drin].sum())))
        ohne = beide & (e.staffel < 0)
        if ohne.any():
            zeilen.append(Zeile("ohne Betrag je Platz (Zählung offen)", int(ohne.sum()), int((ohne & geaendert).sum()),
                                int(a[ohne].sum()), int(b[ohne].sum())))
        return [z for z in zeilen if z.arbeitgeber]

    return Vergleich(vorher_name, nachher_name, len(vorher.weg), int((beide & (vorher.weg == VEKTOR)
                                                                         & (nachher.weg == VEKTOR)).sum()),
                     int((beide & ((vorher.weg == REGELMOTOR) | (nachher.weg == REGELMOTOR))).sum()), fehler,
                     int(geaendert.sum()), int((beide & (b > a)).sum()), int((beide & (b < a)).sum()),
                     int(a.sum()), int(b.sum()),
                     int(np.where(beide, vorher.cent("ausgleichsabgabe"), 0).sum()),
                     int(np.where(beide, nachher.cent("ausgleichsabgabe"), 0).sum()),
                     klassen, staffeln(vorher), staffeln(nachher))


# --- rendering ---------------------------------------------------------------------------


def _balken(zeilen: list[Zeile], v: str, n: str, breite: int = 40) -> list[str]:
    """A text bar chart: the Zahlbetrag before and after per row."""
    groesst = max([max(z.vorher, z.nachher) for z in zeilen] + [1])
    namen = max((len(z.name) for z in zeilen), default=0)
    aus = []
    for z in zeilen:
        for marke, wert, zeichen in ((v, z.vorher, "░"), (n, z.nachher, "█")):
            laenge = round(breite * wert / groesst)
            aus.append(f"  {z.name if zeichen == '░' else '':<{namen}}  {marke:>6} {zeichen * laenge} {_euro(wert)}")
    return aus


def _tabelle(titel: str, zeilen: list[Zeile], v: str, n: str, md: bool) -> list[str]:
    kopf = [titel, "Arbeitgeber", "geändert", f"Zahlbetrag {v}", f"Zahlbetrag {n}", "Differenz"]
    daten = [[z.name, zahl(z.arbeitgeber), zahl(z.geaendert), _euro(z.vorher), _euro(z.nachher),
              _differenz(z.nachher - z.vorher)] for z in zeilen]
    if md:
        return ["| " + " | ".join(kopf) + " |", "|" + "---|" + "---:|" * 5] + ["| " + " | ".join(r) + " |" for r in daten]
    breiten = [max(len(str(x)) for x in spalte) for spalte in zip(kopf, *daten)]
    def zeile(r):
        return "  " + "  ".join(str(x).ljust(b) if i == 0 else str(x).rjust(b) for i, (x, b) in enumerate(zip(r, breiten)))
    return [zeile(kopf), "  " + "  ".join("-" * b for b in breiten)] + [zeile(r) for r in daten]


def rendere(v: Vergleich, format_: str = "text") -> str:
    if format_ == "json":
        return json.dumps(v.als_dict(), ensure_ascii=False, indent=2) + "\n"
    md = format_ == "md"
    h = ("# ", "## ") if md else ("", "")
    diff = v.summe_nachher - v.summe_vorher
    anteil = f" ({zahl(Decimal(diff * 100) / Decimal(v.summe_vorher), 1)} %)" if v.summe_vorher else ""
    p = "- " if md else ""
    z = [f"{h[0]}Wirkung auf den Bestand: Recht von {v.vorher_name} gegenüber {v.nachher_name}", "",
         f"{p}{zahl(v.faelle)} Arbeitgeber-Jahre: {zahl(v.vektor)} vektorisiert berechnet, "
         f"über den Regelmotor entschieden: {zahl(v.regelmotor)}, nicht entscheidbar: {zahl(len(v.fehler))}",
         "" if not md else None,
         f"{p}Zahlbetrag (Ausgleichsabgabe nach Anrechnung der Werkstattaufträge): {v.vorher_name} {_euro(v.summe_vorher)}, "
         f"{v.nachher_name} {_euro(v.summe_nachher)}, Differenz {_differenz(diff)}{anteil}",
         f"{p}Ausgleichsabgabe vor Anrechnung: {v.vorher_name} {_euro(v.abgabe_vorher)}, "
         f"{v.nachher_name} {_euro(v.abgabe_nachher)}",
         f"{p}Geändert für {zahl(v.geaendert)} Arbeitgeber: {zahl(v.mehr)} zahlen mehr, {zahl(v.weniger)} weniger", ""]
    z = [x for x in z if x is not None]
    z += [f"{h[1]}Nach Größenklasse (Jahresdurchschnitt der Arbeitsplätze, Recht von {v.vorher_name})", ""]
    z += _tabelle("Größenklasse", v.klassen, v.vorher_name, v.nachher_name, md) + [""]
    z += [f"{h[1]}Nach Staffel nach dem Recht von {v.vorher_name}", ""]
    z += _tabelle("Staffel", v.staffeln_vorher, v.vorher_name, v.nachher_name, md) + [""]
    z += [f"{h[1]}Nach Staffel nach dem Recht von {v.nachher_name}", ""]
    z += _tabelle("Staffel", v.staffeln_nachher, v.vorher_name, v.nachher_name, md) + [""]
    z += [f"{h[1]}Zahlbetrag je Größenklasse", ""] + (["```"] if md else [])
    z += _balken(v.klassen, v.vorher_name, v.nachher_name) + (["```"] if md else []) + [""]
    if v.fehler:
        z += [f"{h[1]}Nicht entscheidbar ({zahl(len(v.fehler))})", ""]
        z += [f"  {m}" if m.startswith(f) else f"  {f}: {m}" for f, m in v.fehler[:20]]
        if len(v.fehler) > 20:
            z.append(f"  … und {zahl(len(v.fehler) - 20)} weitere (--format json nennt alle)")
        z.append("")
    return "\n".join(z)


def svg(v: Vergleich) -> str:
    """A grouped bar chart of the Zahlbetrag per size band, before and after, as a standalone SVG."""
    zeilen = v.klassen
    groesst = max([max(z.vorher, z.nachher) for z in zeilen] + [1])
    links, breite, hoehe_zeile = 170, 420, 34
    hoehe = 50 + hoehe_zeile * len(zeilen) + 30
    teile = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{links + breite + 160}" height="{hoehe}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="10" y="20" font-size="14">Zahlbetrag je Größenklasse: {escape(v.vorher_name)} '
             f'(hell) und {escape(v.nachher_name)} (dunkel)</text>']
    for i, z in enumerate(zeilen):
        y = 40 + i * hoehe_zeile
        teile.append(f'<text x="10" y="{y + 17}">{escape(z.name)}</text>')
        for j, (wert, farbe) in enumerate(((z.vorher, "#9ecae1"), (z.nachher, "#2171b5"))):
            w = round(breite * wert / groesst)
            teile.append(f'<rect x="{links}" y="{y + j * 14}" width="{w}" height="12" fill="{farbe}"/>')
            teile.append(f'<text x="{links + w + 4}" y="{y + j * 14 + 10}">{escape(_euro(wert))}</text>')
    teile.append("</svg>")
    return "\n".join(teile) + "\n"
