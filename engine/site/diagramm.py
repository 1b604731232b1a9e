"""The chart of a parameter's values over time (SVG, no script, no external resources)."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal


from ..format import EINHEIT_NAMEN, deutsch, mit_einheit
from ..parameter import Parameter
from ..zeitraum import zeitraum_text


# --- parameter chart ---------------------------------------------------------------------


def _zahl(w: Decimal | str) -> float | None:
    try:
        return float(w)
    except (TypeError, ValueError):
        return None


def parameter_svg(p: Parameter, heute: date | None = None) -> str | None:
    """A step chart of a numeric parameter's history as a self-contained SVG (no script)."""
    punkte = [(w.gueltig_ab, w.gueltig_bis, _zahl(w.wert), w) for w in p.werte]
    if not punkte or any(y is None for _, _, y, _ in punkte):
        return None
    heute = heute or date.today()
    start = date(punkte[0][0].year, 1, 1)
    ende_offen = max(heute, punkte[-1][0]).year + 2
    ende = date(ende_offen, 1, 1)
    # 480 units wide with 13-unit text: on a 390 px phone the labels stay at about 9 px
    breite, hoehe, links, rechts, oben, unten = 480, 250, 58, 14, 34, 40
    hoechster = max(y for _, _, y, _ in punkte)
    teilung = _schoene_teilung(hoechster / 4 if hoechster > 0 else 1)
    ymin = 0.0
    ymax = teilung * (int(hoechster / teilung) + 1)
    tage = (ende - start).days or 1

    def px(d: date) -> float:
        return links + (breite - links - rechts) * (d - start).days / tage

    def py(y: float) -> float:
        return oben + (hoehe - oben - unten) * (1 - (y - ymin) / (ymax - ymin))

    teile = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {hoehe}" width="{breite}" height="{hoehe}" '
             f'role="img" aria-labelledby="t-{p.id} d-{p.id}" class="rw-verlauf" font-family="sans-serif" font-size="13">']
    teile.append(f'<title id="t-{p.id}">{_xml(p.titel)}</title>')
    beschreibung = "; ".join(f"{zeitraum_text(a, b)}: {mit_einheit(w.wert, p.einheit)}" for a, b, _, w in punkte)
    teile.append(f'<desc id="d-{p.id}">{_xml(beschreibung)}</desc>')
    teile.append(f'<rect x="0" y="0" width="{breite}" height="{hoehe}" fill="#ffffff"/>')
    # axes and grid
    for i in range(int(round(ymax / teilung)) + 1):
        y = teilung * i
        teile.append(f'<line x1="{links}" y1="{py(y):.1f}" x2="{breite - rechts}" y2="{py(y):.1f}" stroke="#e0e0e0"/>')
        teile.append(f'<text x="{links - 6}" y="{py(y) + 4:.1f}" text-anchor="end" fill="#555">{_xml(deutsch(Decimal(str(round(y, 2))).normalize()))}</text>')
    schritt = max(1, round((ende.year - start.year) / 7))
    for jahr in range(start.year, ende.year + 1, schritt):
        x = px(date(jahr, 1, 1))
        teile.append(f'<line x1="{x:.1f}" y1="{hoehe - unten}" x2="{x:.1f}" y2="{hoehe - unten + 4}" stroke="#555"/>')
        teile.append(f'<text x="{x:.1f}" y="{hoehe - unten + 16}" text-anchor="middle" fill="#555">{jahr}</text>')
    teile.append(f'<line x1="{links}" y1="{hoehe - unten}" x2="{breite - rechts}" y2="{hoehe - unten}" stroke="#555"/>')
    teile.append(f'<line x1="{links}" y1="{oben}" x2="{links}" y2="{hoehe - unten}" stroke="#555"/>')
    # steps
    pfad = []
    for i, (a, b, y, w) in enumerate(punkte):
        x1 = px(a)
        x2 = px(b) if b else px(ende)
        pfad.append(f"{'M' if i == 0 else 'L'}{x1:.1f},{py(y):.1f} L{x2:.1f},{py(y):.1f}")
    teile.append(f'<path d="{" ".join(pfad)}" fill="none" stroke="#3f51b5" stroke-width="2.5"/>')
    letzter = None
    for a, b, y, w in punkte:
        x1 = px(a)
        teile.append(f'<circle cx="{x1:.1f}" cy="{py(y):.1f}" r="3.5" fill="#3f51b5"><title>{_xml(f"{zeitraum_text(a, b)}: {mit_einheit(w.wert, p.einheit)} ({w.fundstelle})")}</title></circle>')
        if y != letzter:
            teile.append(f'<text x="{x1 + 3:.1f}" y="{py(y) - 7:.1f}" fill="#1a237e">{_xml(deutsch(w.wert, "geld" if p.einheit == "euro" else None))}</text>')
            teile.append(f'<text x="{x1 + 3:.1f}" y="{py(y) + 17:.1f}" fill="#777" font-size="11">{a.year}</text>')
        letzter = y
    # the unit of the values axis, and the time axis
    teile.append(f'<text x="{links - 6}" y="{oben - 14}" text-anchor="end" fill="#555" font-weight="bold">{_xml(EINHEIT_NAMEN.get(p.einheit, ""))}</text>')
    teile.append(f'<text x="{breite - rechts}" y="{hoehe - 4}" text-anchor="end" fill="#555">Jahr (gültig ab)</text>')
    teile.append("</svg>")
    return "\n".join(teile) + "\n"


def _schoene_teilung(roh: float) -> float:
    """A tick distance of 1, 2, 2.5 or 5 times a power of ten, at least `roh`."""

    basis = 10 ** math.floor(math.log10(roh))
    for faktor in (1, 2, 2.5, 5, 10):
        if faktor * basis >= roh:
            return faktor * basis
    return 10 * basis


def _xml(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
