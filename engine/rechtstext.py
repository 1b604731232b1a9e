"""Statute texts: load legal/, parse each Fassung into Absatz → Satz → Nummer → Buchstabe.

The YAML files keep the official wording verbatim (`wortlaut`); the structure is
derived here, so a legal expert edits text exactly as published. Every unit gets a
stable anchor in the style of LegalDocML.de ids, e.g. ``sgb9/160/abs-2/satz-1/nr-3``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .fehler import LadeFehler, Ort, RegelwerkFehler, relativ, vorschlag
from .format import datum
from .saetze import normalisiere, teile_saetze
from .schema import pruefe_schema
from .yamlquelle import YamlDokument, lade_yaml
from .zeitraum import Zeitraum

_ABSATZ = re.compile(r"^\((\d+[a-z]?)\)\s*")
_NUMMER = re.compile(r"^(\d+[a-z]?)\.\s+")
_BUCHSTABE = re.compile(r"^([a-z]{1,2})\)\s+")


@dataclass
class Einheit:
    """One addressable unit of a Fassung: the section, an Absatz, Satz, Nummer or Buchstabe."""

    art: str  # "paragraph" | "absatz" | "satz" | "nummer" | "buchstabe"
    nr: str | None
    anker: str
    text: str  # the unit's own wording incl. its sub-units
    kinder: list["Einheit"] = field(default_factory=list)

    def kind(self, art: str, nr: str) -> "Einheit | None":
        for k in self.kinder:
            if k.art == art and k.nr == nr:
                return k
        return None

    def alle(self):
        yield self
        for k in self.kinder:
            yield from k.alle()


@dataclass(frozen=True)
class Aenderung:
    """The provision that created a Fassung: amending law (or the original act), citation, in-force clause."""

    gesetz: str
    vom: date
    fundstelle: str
    artikel: str
    inkrafttreten: str
    in_kraft_ab: date
    beleg: str | None
    zeile: int  # line of `in_kraft_ab` (for errors)

    @property
    def zitat(self) -> str:
        """For readers: "Teilhabestärkungsgesetz vom 02.06.2021 (BGBl. I S. 1387), Art. 7 Nr. 17, in Kraft ab 10.06.2021"."""
        return (f"{self.gesetz} vom {datum(self.vom)} ({self.fundstelle}), {self.artikel}; "
                f"in Kraft ab {datum(self.in_kraft_ab)} ({self.inkrafttreten})")


@dataclass(frozen=True)
class Vergleich:
    """An official text the wording was compared with."""

    quelle: str
    stand: str
    archiv: str | None = None
    ergebnis: str | None = None


@dataclass(frozen=True)
class Nachweis:
    """The evidence of a verified Fassung (`nachweis` in legal/)."""

    aenderung: Aenderung
    verglichen_mit: tuple[Vergleich, ...]
    weitere_belege: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vorbehalt:
    """What stays uncertain about a Fassung on the days of one period, in one German sentence."""

    ab: date
    bis: date | None  # None: as long as its (open-ended) Fassung is in force
    stelle: str | None
    text: str
    zeile: int

    @property
    def zeitraum(self) -> Zeitraum:
        return Zeitraum(self.ab, self.bis)


@dataclass
class Fassung:
    gueltig_ab: date
    gueltig_bis: date | None
    gesichert: bool
    hinweis: str | None
    quelle: str
    stand: str
    aenderung: str | None
    wortlaut: str
    wurzel: Einheit
    zeile: int
    nachweis: Nachweis | None = None
    vorbehalte: tuple[Vorbehalt, ...] = ()
    bezeichnung: str = ""  # the provision for readers, e.g. "§ 158 SGB IX" or "Bek. v. 19.11.2020"

    @property
    def zeitraum(self) -> Zeitraum:
        return Zeitraum(self.gueltig_ab, self.gueltig_bis)

    def gilt_am(self, tag: date) -> bool:
        return self.zeitraum.enthaelt(tag)

    @property
    def kennung(self) -> str:
        return self.gueltig_ab.isoformat()

    @property
    def vorbehalt_grund(self) -> str:
        """The caveat for the whole Fassung when it is not verified, one German sentence naming the days."""
        name = self.bezeichnung or "die Vorschrift"
        if self.gueltig_bis is None:
            return f"Dass {name} seit dem {datum(self.gueltig_ab)} so lautet wie hier zitiert, ist nicht amtlich belegt."
        return (f"Dass {name} vom {datum(self.gueltig_ab)} bis zum {datum(self.gueltig_bis)} so lautete wie hier "
                "zitiert, ist nicht amtlich belegt.")

    def vorbehalte_am(self, tag: date, anker: str | None = None) -> tuple[str, ...]:
        """The caveat sentences for quoting this Fassung (the unit `anker`, default: all of it) as the law of `tag`;
        empty when nothing is uncertain then.

        The Fassung's own `vorbehalt` sentences for the periods containing the day (one naming a `stelle` only
        where the quote contains that place or lies within it); for a Fassung that is not verified and has none
        for that day, the general sentence (`vorbehalt_grund`)."""
        saetze = tuple(" ".join(v.text.split()) for v in self.vorbehalte
                       if v.zeitraum.enthaelt(tag) and self._betrifft(v, anker))
        if saetze or self.gesichert:
            return saetze
        return (self.vorbehalt_grund,)

    def _betrifft(self, v: Vorbehalt, anker: str | None) -> bool:
        """Whether a caveat on a place of this Fassung concerns a quote of the unit `anker`."""
        if not v.stelle or anker is None:
            return True
        stelle = f"{self.wurzel.anker}/{v.stelle.strip('/')}"
        return anker == stelle or anker.startswith(stelle + "/") or stelle.startswith(anker + "/")

    def vorbehalt_grenzen(self) -> set[date]:
        """Days on which the caveats of this Fassung can change (for caches per epoch)."""
        grenzen: set[date] = set()
        for v in self.vorbehalte:
            grenzen.add(v.ab)
            if v.bis is not None:
                grenzen.add(v.bis + timedelta(days=1))
        return grenzen


@dataclass
class Vorschrift:
    """A section (§) or a Bekanntmachung with all its known Fassungen, newest first."""

    gesetz: str
    paragraph: str | None
    ueberschrift: str
    fassungen: list[Fassung]
    entspricht: list[tuple[str, str]]
    datei: str

    @property
    def anker(self) -> str:
        return self.gesetz if self.paragraph is None else f"{self.gesetz}/{self.paragraph}"

    def fassung_am(self, tag: date) -> Fassung | None:
        for f in self.fassungen:
            if f.gilt_am(tag):
                return f
        return None


@dataclass
class Gesetz:
    id: str
    kurz: str
    titel: str
    zitierformen: list[str]
    ohne_paragraphen: bool = False


@dataclass
class Rechtsbestand:
    """All statute texts of the knowledge base."""

    gesetze: dict[str, Gesetz]
    vorschriften: dict[tuple[str, str | None], Vorschrift]

    def vorschrift(self, gesetz: str, paragraph: str | None) -> Vorschrift | None:
        return self.vorschriften.get((gesetz, paragraph))


# --- structure parsing -------------------------------------------------------------


def _absaetze(absaetze_text: list[str], ohne_paragraphen: bool) -> list[tuple[str | None, list[str]]]:
    """Group blank-line separated paragraphs into top-level units (Absätze, or Nummern of a Bek.)."""
    muster = _NUMMER if ohne_paragraphen else _ABSATZ
    gruppen: list[tuple[str | None, list[str]]] = []
    for absatz in absaetze_text:
        treffer = muster.match(absatz)
        if treffer:
            gruppen.append((treffer.group(1), [absatz[treffer.end():]]))
        elif gruppen:
            gruppen[-1][1].append(absatz)
        else:
            gruppen.append((None, [absatz]))
    return gruppen


def _saetze(basis: str, teile: list[str]) -> list[Einheit]:
    """Sentences of one Absatz; Nummern and Buchstaben belong to the sentence they continue."""
    saetze: list[Einheit] = []
    offen = False  # the last sentence continues (it introduced a list that has not ended)

    def neuer_satz(text: str) -> Einheit:
        nr = str(len(saetze) + 1)
        einheit = Einheit("satz", nr, f"{basis}/satz-{nr}", text)
        saetze.append(einheit)
        return einheit

    for teil in teile:
        text = normalisiere(teil)
        nummer = _NUMMER.match(text)
        buchstabe = _BUCHSTABE.match(text)
        if text.startswith("|"):  # a table row belongs to the current sentence
            ziel = saetze[-1] if saetze else neuer_satz("")
            ziel.text = (ziel.text + "\n" + teil.strip()).strip()
            continue
        if (nummer or buchstabe) and saetze:
            satz = saetze[-1]
            satz.text += " " + text
            if nummer:
                satz.kinder.append(Einheit("nummer", nummer.group(1), f"{satz.anker}/nr-{nummer.group(1)}", text))
            else:
                ziel = satz.kinder[-1] if satz.kinder and satz.kinder[-1].art == "nummer" else satz
                ziel.kinder.append(Einheit("buchstabe", buchstabe.group(1), f"{ziel.anker}/bst-{buchstabe.group(1)}", text))
                if ziel is not satz:
                    ziel.text += " " + text
            offen = not text.endswith(".")
            continue
        stuecke = teile_saetze(text)
        if offen and saetze and stuecke and not stuecke[0][:1].isupper():
            saetze[-1].text += " " + stuecke.pop(0)  # closing part after a list
        for stueck in stuecke:
            neuer_satz(stueck)
        offen = False
    return saetze


def gliedere(anker: str, wortlaut: str, ohne_paragraphen: bool) -> Einheit:
    """Parse a Fassung's verbatim wording into its unit tree."""
    absaetze_text = [a.strip() for a in re.split(r"\n\s*\n", wortlaut.strip()) if a.strip()]
    wurzel = Einheit("paragraph", None, anker, normalisiere(wortlaut))
    for nr, teile in _absaetze(absaetze_text, ohne_paragraphen):
        if nr is None:
            wurzel.kinder.extend(_saetze(anker, teile))
            continue
        art, praefix = ("nummer", "nr") if ohne_paragraphen else ("absatz", "abs")
        basis = f"{anker}/{praefix}-{nr}"
        text = " ".join(normalisiere(t) for t in teile)
        wurzel.kinder.append(Einheit(art, nr, basis, text, _saetze(basis, teile)))
    return wurzel


# --- loading ------------------------------------------------------------------------


def _datum(wert, dok: YamlDokument, pfad) -> date | None:
    if wert is None:
        return None
    if isinstance(wert, date):
        return wert
    raise LadeFehler(f"`{wert}` ist kein Datum", dok.ort(pfad), "Datum als JJJJ-MM-TT schreiben")


def _zeile(dok: YamlDokument, pfad) -> int:
    return dok.ort(pfad).zeile or 1


def _nachweis(daten: dict | None, dok: YamlDokument, pfad) -> Nachweis | None:
    """The evidence of a Fassung (shape checked by the schema; dates checked here)."""
    if daten is None:
        return None
    a = daten["aenderung"]
    ap = pfad + ("aenderung",)
    aenderung = Aenderung(a["gesetz"], _datum(a["vom"], dok, ap + ("vom",)), a["fundstelle"], a["artikel"],
                          a["inkrafttreten"], _datum(a["in_kraft_ab"], dok, ap + ("in_kraft_ab",)), a.get("beleg"),
                          _zeile(dok, ap + ("in_kraft_ab",)))
    vergleiche = tuple(Vergleich(v["quelle"], str(v["stand"]), v.get("archiv"), v.get("ergebnis"))
                       for v in daten["verglichen_mit"])
    return Nachweis(aenderung, vergleiche, tuple(daten.get("weitere_belege") or ()))


def _vorbehalt(daten: dict, dok: YamlDokument, pfad, fassung_bis: date | None) -> Vorbehalt:
    """A caveat; without `bis` it lasts as long as its Fassung (e.g. the wording is documented, but the law that
    made it is not)."""
    ab = _datum(daten["ab"], dok, pfad + ("ab",))
    bis = _datum(daten["bis"], dok, pfad + ("bis",)) if daten.get("bis") is not None else fassung_bis
    if bis is not None and bis < ab:
        raise LadeFehler(f"Vorbehalt endet ({datum(bis)}) vor seinem Beginn ({datum(ab)})", dok.ort(pfad + ("bis",)),
                         "`bis` muss am oder nach `ab` liegen")
    return Vorbehalt(ab, bis, daten.get("stelle"), daten["text"], _zeile(dok, pfad))


def lade_gesetze(legal: Path, basis: Path) -> dict[str, Gesetz]:
    datei = legal / "gesetze.yaml"
    dok = lade_yaml(datei, relativ(datei, basis))
    pruefe_schema(dok, "gesetze")
    return {
        g["id"]: Gesetz(g["id"], g["kurz"], g["titel"], list(g["zitierformen"]), bool(g.get("ohne_paragraphen", False)))
        for g in dok.daten["gesetze"]
    }


def lade_vorschrift(datei: Path, gesetze: dict[str, Gesetz], basis: Path) -> Vorschrift:
    dok = lade_yaml(datei, relativ(datei, basis))
    pruefe_schema(dok, "gesetz")
    daten = dok.daten
    gesetz_id = daten["gesetz"]
    if gesetz_id not in gesetze:
        raise LadeFehler(f"unbekanntes Gesetz `{gesetz_id}`", dok.ort(("gesetz",)),
                         vorschlag(gesetz_id, gesetze) or "in legal/gesetze.yaml eintragen")
    gesetz = gesetze[gesetz_id]
    paragraph = daten.get("paragraph")
    anker = gesetz_id if paragraph is None else f"{gesetz_id}/{paragraph}"
    bezeichnung = gesetz.kurz if paragraph is None else f"§ {paragraph} {gesetz.kurz}"
    fassungen: list[Fassung] = []
    for i, f in enumerate(daten["fassungen"]):
        pfad = ("fassungen", i)
        ab = _datum(f["gueltig_ab"], dok, pfad + ("gueltig_ab",))
        bis = _datum(f.get("gueltig_bis"), dok, pfad + ("gueltig_bis",))
        if bis is not None and bis < ab:
            raise LadeFehler(f"Fassung endet ({bis}) vor ihrem Beginn ({ab})", dok.ort(pfad + ("gueltig_bis",)),
                             "gueltig_bis muss am oder nach gueltig_ab liegen")
        fassungen.append(Fassung(
            gueltig_ab=ab, gueltig_bis=bis, gesichert=bool(f.get("gueltigkeit_gesichert", False)),
            hinweis=f.get("gueltigkeit_hinweis"), quelle=f["quelle"], stand=f["stand"],
            aenderung=f.get("aenderung"), wortlaut=f["wortlaut"],
            wurzel=gliedere(anker, f["wortlaut"], gesetz.ohne_paragraphen), zeile=dok.positionen.get(pfad, (1, 1))[0],
            nachweis=_nachweis(f.get("nachweis"), dok, pfad + ("nachweis",)),
            vorbehalte=tuple(_vorbehalt(v, dok, pfad + ("vorbehalt", j), bis)
                             for j, v in enumerate(f.get("vorbehalt") or ())),
            bezeichnung=bezeichnung,
        ))
    fassungen.sort(key=lambda f: f.gueltig_ab, reverse=True)
    for neuer, aelter in zip(fassungen, fassungen[1:]):
        if aelter.gueltig_bis is None or aelter.gueltig_bis >= neuer.gueltig_ab:
            raise LadeFehler(
                f"Fassungen überschneiden sich: ab {aelter.gueltig_ab} (bis {aelter.gueltig_bis or 'offen'}) und ab {neuer.gueltig_ab}",
                Ort(dok.datei, aelter.zeile), "gueltig_bis der älteren Fassung auf den Vortag der neueren setzen")
    return Vorschrift(gesetz_id, None if paragraph is None else str(paragraph), daten["ueberschrift"], fassungen,
                      [(e["gesetz"], str(e["paragraph"])) for e in daten.get("entspricht", [])], dok.datei)


def lade_rechtsbestand(legal: Path, basis: Path | None = None, fehler: list[RegelwerkFehler] | None = None) -> Rechtsbestand:
    """Load every statute file below `legal`. With `fehler`, collect problems instead of raising."""
    basis = basis or legal.parent
    gesetze = lade_gesetze(legal, basis)
    vorschriften: dict[tuple[str, str | None], Vorschrift] = {}
    for datei in sorted(legal.rglob("*.yaml")):
        if datei.name == "gesetze.yaml":
            continue
        try:
            v = lade_vorschrift(datei, gesetze, basis)
        except RegelwerkFehler as exc:
            if fehler is None:
                raise
            fehler.append(exc)
            continue
        schluessel = (v.gesetz, v.paragraph)
        if schluessel in vorschriften:
            err = LadeFehler(f"Vorschrift {v.anker} ist doppelt (auch in {vorschriften[schluessel].datei})", Ort(v.datei, 1))
            if fehler is None:
                raise err
            fehler.append(err)
            continue
        vorschriften[schluessel] = v
    return Rechtsbestand(gesetze, vorschriften)


# --- addresses on the published rulebook ------------------------------------------------


def seitenpfad(gesetz: str, paragraph: str | None) -> str:
    """Path of a provision's page in the rulebook site, e.g. ``recht/sgb9/160/``."""
    return f"recht/{gesetz}/" if paragraph is None else f"recht/{gesetz}/{paragraph}/"


def html_anker(fassung_ab: date, anker: str) -> str:
    """HTML id of a unit in one Fassung, e.g. ``f2024-01-01-abs-2-satz-1-nr-3``."""
    gesetz, _, rest = anker.partition("/")
    if not gesetz.startswith("bek-"):
        _, _, rest = rest.partition("/")  # the page is the section: drop its number
    return f"f{fassung_ab.isoformat()}" + (f"-{rest.replace('/', '-')}" if rest else "")
