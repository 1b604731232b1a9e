"""German legal citations: parse "§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX" and resolve it by date.

Parsing is pure (text → `Zitat`); resolution needs the `Rechtsbestand` and a date and
reports precisely what is missing (no such Absatz, section not in force that day).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .fehler import ZitatFehler, vorschlag
from .format import datum
from .rechtstext import Einheit, Fassung, Rechtsbestand, Vorschrift
from .zeitraum import zeitraeume_text

_STUFEN = [  # (unit type, anchor prefix, German name, spellings)
    ("absatz", "abs", "Absatz", r"Abs\.|Absatz|Absätze|Abs"),
    ("satz", "satz", "Satz", r"Satz|S\."),
    ("nummer", "nr", "Nummer", r"Nr\.|Nummer|Nrn\."),
    ("buchstabe", "bst", "Buchstabe", r"Buchst\.|Buchstabe|lit\."),
]
_NAMEN = {art: name for art, _, name, _ in _STUFEN} | {"punkt": "Nummer"}


@dataclass(frozen=True)
class Zitat:
    """A parsed citation of one unit. `gesetz` is the id from legal/gesetze.yaml."""

    gesetz: str
    paragraph: str | None
    punkt: str | None = None  # top-level "Nr." of a Bekanntmachung
    absatz: str | None = None
    satz: str | None = None
    nummer: str | None = None
    buchstabe: str | None = None
    text: str = ""

    def stufen(self) -> list[tuple[str, str]]:
        oben = [("punkt", self.punkt)] if self.punkt is not None else []
        return oben + [(art, getattr(self, art)) for art, *_ in _STUFEN if getattr(self, art) is not None]

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Fundstelle:
    """A citation resolved on a date: the unit, its Fassung and its wording."""

    zitat: Zitat
    vorschrift: Vorschrift
    fassung: Fassung
    einheit: Einheit

    @property
    def anker(self) -> str:
        return self.einheit.anker

    @property
    def wortlaut(self) -> str:
        return self.einheit.text


def _gesetz_muster(bestand: Rechtsbestand) -> list[tuple[str, str]]:
    """Every spelling of every law with its id, longest first; kept per register of laws (the same for each of the
    thousand citations of a rulebook; a register is not changed once loaded)."""
    eintrag = _MUSTER.get(id(bestand))
    if eintrag is None:
        if len(_MUSTER) >= 64:
            _MUSTER.clear()
        formen = [(form, g.id) for g in bestand.gesetze.values() for form in g.zitierformen + [g.kurz]]
        # the register itself is kept with it: its id stays valid (never another register's) while it is cached
        eintrag = _MUSTER[id(bestand)] = (bestand, sorted(formen, key=lambda f: -len(f[0])))
    return eintrag[1]


_MUSTER: dict[int, tuple[Rechtsbestand, list[tuple[str, str]]]] = {}


def _gesetz_am_ende(text: str, bestand: Rechtsbestand) -> tuple[str | None, str]:
    """Split the law name off the end of the citation text (longest spelling first)."""
    for form, gid in _gesetz_muster(bestand):
        if text.endswith(form) and (len(text) == len(form) or text[-len(form) - 1] in " \u00a0"):
            return gid, text[: -len(form)].strip()
    return None, text


# A chain of citations: "§ 160 Abs. 2 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 19.11.2020".
_KETTE = re.compile(r"\s+(?:i\.V\.m\.|und)\s+(?=(?:§|Abs\.|Absatz|Nr\.|Nummer)\s)")


def _kettenglieder(roh: str, bestand: Rechtsbestand) -> list[str] | None:
    """Split a chain into complete citations, or None when `roh` is no chain.

    A link without a law takes the law of the next link that names one; a link that starts
    below the paragraph ("Abs. 3") takes the paragraph of the link before it.
    """
    teile = _KETTE.split(roh)
    if len(teile) == 1:
        return None
    gesetze: list[tuple[str | None, str]] = [_gesetz_am_ende(t, bestand) for t in teile]
    nachfolger: str | None = None
    glieder: list[str] = []
    for gid, rest in reversed(gesetze):
        nachfolger = gid or nachfolger
        glieder.append((rest, gid or nachfolger))
    glieder.reverse()
    vorher = None
    ergebnis = []
    for rest, gid in glieder:
        if rest.startswith("§"):
            vorher = re.match(r"^§\s*\d+[a-z]?", rest).group(0) if re.match(r"^§\s*\d+[a-z]?", rest) else None
        elif vorher is not None and not rest.startswith(("Nr.", "Nummer")):
            rest = f"{vorher} {rest}"
        kurz = bestand.gesetze[gid].kurz if gid else ""
        ergebnis.append(f"{rest} {kurz}".strip())
    return ergebnis


def parse_zitat(text: str, bestand: Rechtsbestand, standard_gesetz: str | None = "sgb9") -> list[Zitat]:
    """Parse a citation; "§§ 154, 160 SGB IX" gives two `Zitat`s, and so does a chain
    "§ 160 Abs. 2 i.V.m. Abs. 3 SGB IX" (each link is one `Zitat` with its own complete text)."""
    roh = " ".join(text.replace("\u00a0", " ").split())
    glieder = _kettenglieder(roh, bestand) if roh else None
    if glieder is not None:
        return [z for g in glieder for z in parse_zitat(g, bestand, standard_gesetz)]
    if not roh:
        raise ZitatFehler("leeres Zitat", hilfe="z. B. \"§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX\"")
    gesetz, rest = _gesetz_am_ende(roh, bestand)
    if gesetz is None:
        letzte = roh.split(" SGB")[-1] if " SGB" in roh else ""
        if letzte or re.search(r"\b(SGB|Bek\.?|Bekanntmachung)\b", roh):
            bekannte = [f for f, _ in _gesetz_muster(bestand)]
            kandidat = roh[roh.find("SGB"):] if "SGB" in roh else roh[roh.find("Bek"):]
            raise ZitatFehler(f"unbekanntes Gesetz in Zitat „{roh}“", hilfe=vorschlag(kandidat, bekannte)
                              or "bekannt sind: " + ", ".join(sorted({g.kurz for g in bestand.gesetze.values()})))
        if standard_gesetz is None:
            raise ZitatFehler(f"Zitat „{roh}“ nennt kein Gesetz", hilfe="Gesetz anfügen, z. B. „SGB IX“")
        gesetz = standard_gesetz
        genannt = False
    else:
        genannt = True
    ohne_paragraphen = bestand.gesetze[gesetz].ohne_paragraphen
    if ohne_paragraphen:
        if rest.startswith("§"):
            raise ZitatFehler(f"„{bestand.gesetze[gesetz].kurz}“ hat keine Paragraphen", hilfe="mit „Nr. 1“ zitieren")
        paragraphen: list[str | None] = [None]
        m = re.match(r"^(?:Nr\.|Nummer)\s*(\d+)\s*(.*)$", rest)
        punkt = m.group(1) if m else None
        kette = m.group(2) if m else rest
    else:
        m = re.match(r"^(§§?)\s*(\d+[a-z]?(?:\s*(?:,|und)\s*\d+[a-z]?)*)\s*(.*)$", rest)
        if not m:
            raise ZitatFehler(f"Zitat „{roh}“ beginnt nicht mit „§ Nummer“", hilfe="z. B. „§ 160 Abs. 2 SGB IX“")
        paragraphen = re.split(r"\s*(?:,|und)\s*", m.group(2))
        kette = m.group(3)
        punkt = None
        if len(paragraphen) > 1 and kette:
            raise ZitatFehler(f"Zitat „{roh}“: bei mehreren Paragraphen sind keine Absätze/Sätze möglich",
                              hilfe="jeden Paragraphen einzeln zitieren")
    stufen: dict[str, str] = {}
    position = 0
    for art, _, name, schreibweisen in _STUFEN:
        m = re.compile(rf"\s*(?:{schreibweisen})\s*(\d+[a-z]?|[a-z]{{1,2}})(?=\s|$)").match(kette, position)
        if m:
            wert = m.group(1)
            if art != "buchstabe" and not wert[0].isdigit():
                raise ZitatFehler(f"Zitat „{roh}“: {name} „{wert}“ ist keine Zahl")
            stufen[art] = wert
            position = m.end()
    uebrig = kette[position:].strip()
    if uebrig and not genannt and re.fullmatch(r"[A-ZÄÖÜ][A-Za-zÄÖÜäöüß.]*", uebrig):
        # a trailing abbreviation such as "ZPO" or "SchwbAVO": a law the rulebook does not know
        bekannte = [f for f, _ in _gesetz_muster(bestand)]
        raise ZitatFehler(f"unbekanntes Gesetz „{uebrig}“ in Zitat „{roh}“", hilfe=vorschlag(uebrig, bekannte)
                          or "bekannt sind: " + ", ".join(sorted({g.kurz for g in bestand.gesetze.values()})))
    if uebrig:
        raise ZitatFehler(f"Zitat „{roh}“: Teil „{uebrig}“ nicht verstanden",
                          hilfe="Form: § N [Abs. N] [Satz N] [Nr. N] [Buchst. x] GESETZ")
    return [Zitat(gesetz, p, punkt, text=roh, **stufen) for p in paragraphen]


def zitierte_einheit(wurzel: Einheit, zitat: Zitat) -> Einheit:
    einheit = wurzel
    for art, nr in zitat.stufen():
        ziel_art = "nummer" if art == "punkt" else art
        kind = einheit.kind(ziel_art, nr)
        if kind is None and art == "satz" and einheit.art == "paragraph" and einheit.kind("absatz", "1") is None:
            kind = einheit.kind("satz", nr)  # a section without Absätze
        if kind is None and art == "nummer" and einheit.art in ("absatz", "paragraph"):
            # "Abs. 3 Nr. 1" without Satz: the sentence that has this Nummer, if only one does
            kandidaten = [s.kind("nummer", nr) for s in einheit.kinder if s.art == "satz" and s.kind("nummer", nr)]
            if len(kandidaten) > 1:
                raise ZitatFehler(f"„{zitat.text}“ ist mehrdeutig: mehrere Sätze haben eine Nummer {nr}",
                                  hilfe="den Satz angeben, z. B. „Satz 1 Nr. …“")
            kind = kandidaten[0] if kandidaten else None
        if kind is None:
            vorhanden = [k.nr for k in einheit.kinder if k.art == ziel_art]
            if not vorhanden and art == "nummer":  # Nummern of the Absatz's sentences ("Abs. 1 Nr. 7")
                vorhanden = [n.nr for s in einheit.kinder if s.art == "satz" for n in s.kinder if n.art == "nummer"]
            wo = "der Vorschrift" if einheit.art == "paragraph" else f"{_NAMEN.get(einheit.art, einheit.art)} {einheit.nr}"
            hilfe = f"vorhanden: {', '.join(vorhanden)}" if vorhanden else f"{wo} hat keine Untergliederung nach {_NAMEN[art]}"
            raise ZitatFehler(f"„{zitat.text}“: {_NAMEN[art]} {nr} gibt es in {wo} nicht", hilfe=hilfe)
        einheit = kind
    return einheit


def _vorschrift(bestand: Rechtsbestand, zitat: Zitat) -> Vorschrift:
    v = bestand.vorschrift(zitat.gesetz, zitat.paragraph)
    if v is None:
        vorhanden = sorted((p for g, p in bestand.vorschriften if g == zitat.gesetz and p), key=lambda p: (len(p), p))
        kurz = bestand.gesetze[zitat.gesetz].kurz
        raise ZitatFehler(f"„{zitat.text}“: § {zitat.paragraph} {kurz} ist nicht im Regelwerk enthalten",
                          hilfe=(vorschlag(zitat.paragraph or "", vorhanden) or
                                 f"vorhanden: §§ {', '.join(vorhanden)}") if vorhanden else "Vorschrift unter legal/ anlegen")
    return v


def _zeitraeume(v: Vorschrift) -> str:
    return zeitraeume_text(f.zeitraum for f in reversed(v.fassungen))


def loese_auf(zitat: Zitat, bestand: Rechtsbestand, stichtag: date) -> Fundstelle:
    """The unit the citation names in the Fassung in force on `stichtag`."""
    v = _vorschrift(bestand, zitat)
    fassung = v.fassung_am(stichtag)
    if fassung is None:
        raise ZitatFehler(f"„{zitat.text}“ ist am {datum(stichtag)} nicht in Kraft",
                          hilfe=f"gespeicherte Fassungen: {_zeitraeume(v)}")
    return Fundstelle(zitat, v, fassung, zitierte_einheit(fassung.wurzel, zitat))


def loese_auf_zeitraum(zitat: Zitat, bestand: Rechtsbestand, ab: date, bis: date | None) -> list[Fundstelle]:
    """Resolve in every Fassung overlapping [ab, bis]; the period must be covered without gaps."""
    v = _vorschrift(bestand, zitat)
    ende = bis or date(9999, 12, 31)
    tag = ab
    ergebnis = []
    while tag <= ende:
        fassung = v.fassung_am(tag)
        if fassung is None:
            raise ZitatFehler(f"„{zitat.text}“ ist am {datum(tag)} nicht in Kraft, die Regel gilt aber an diesem Tag",
                              hilfe=f"Geltung der Regel oder der Fundstelle anpassen; gespeicherte Fassungen: {_zeitraeume(v)}")
        try:
            ergebnis.append(Fundstelle(zitat, v, fassung, zitierte_einheit(fassung.wurzel, zitat)))
        except ZitatFehler as exc:
            exc.was += f" (Fassung ab {datum(fassung.gueltig_ab)})"
            raise
        if fassung.gueltig_bis is None:
            break
        tag = fassung.gueltig_bis + timedelta(days=1)
    return ergebnis
