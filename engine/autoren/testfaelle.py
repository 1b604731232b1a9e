"""Test cases: a case with its hand-computed expected result (tests/cases/**/*.yaml).

A test-case file has `titel`, `begruendung`, `fall` (a case as in a case file) and
`erwartet` (expected values of the decision's `ergebnis`). This module loads such
files (schema `testfall`), decides them with `Entscheider`, compares each expected
field semantically with the actual value and, for a mismatch, finds the trail step
where expectation and result part, explained in German.

Used by `regelwerk test`, by tests/conftest.py (one pytest item per file) and by the
coverage report (which rules fired in at least one case).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..fehler import AufrufFehler, FallFehler, Ort, RegelwerkFehler, relativ, vorschlag
from ..format import als_json, datum_aus, kurz, wie_geschrieben, zahl_aus
from ..faelle import fall_teil, pruefe_fall
from ..schema import pruefe_schema
from ..yamlquelle import YamlDokument, lade_yaml

REGELWERK_SCHLUESSEL = ("regeln", "verfahren", "parameter", "fassungen", "gesetze", "nicht_automatisiert")
ENDUNGEN = (".yaml", ".yml")


# --- loading ---------------------------------------------------------------------------


@dataclass
class Testfall:
    datei: Path
    anzeigename: str
    id: str  # the file stem
    titel: str
    begruendung: str
    erwartet: dict[str, Any]
    dokument: YamlDokument

    @property
    def kennung(self) -> str:
        """Readable id: file stem and title."""
        return f"{self.id} – {self.titel}"


def ist_testfalldatei(pfad: Path) -> bool:
    return pfad.suffix in ENDUNGEN and pfad.is_file() and not pfad.name.lower().startswith("readme")


def sammle(pfade: Iterable[Path | str]) -> list[Path]:
    """Test-case files below folders (recursively, sorted) or given directly; README files are skipped."""
    dateien: list[Path] = []
    for p in map(Path, pfade):
        if p.is_dir():
            dateien += sorted(x for x in p.rglob("*") if ist_testfalldatei(x))
        elif not p.exists():
            raise AufrufFehler("Datei oder Ordner nicht gefunden", Ort(str(p)), "Pfad prüfen")
        else:
            dateien.append(p)
    return dateien


def lade_testfall(datei: Path, anzeigename: str | None = None) -> Testfall:
    """Load and schema-check one test-case file; German `RegelwerkFehler` on problems."""
    name = anzeigename or relativ(datei)
    dok = lade_yaml(datei, name)
    daten = dok.daten
    if isinstance(daten, dict) and any(k in daten for k in REGELWERK_SCHLUESSEL) and "fall" not in daten:
        raise FallFehler("das ist keine Testfalldatei, sondern eine Datei des Regelwerks", dok.ort(),
                         "ein Testfall hat die Schlüssel `titel`, `begruendung`, `fall` und `erwartet`")
    if isinstance(daten, dict) and "art" in daten and "fall" not in daten:
        raise FallFehler("das ist eine Falldatei ohne erwartetes Ergebnis, kein Testfall", dok.ort(),
                         "den Fall unter `fall:` einrücken und `titel`, `begruendung` und `erwartet` ergänzen")
    if not isinstance(daten, dict):
        raise FallFehler("Testfalldatei muss eine Zuordnung mit `titel`, `begruendung`, `fall`, `erwartet` sein", dok.ort())
    try:
        pruefe_schema(dok, "testfall")
    except RegelwerkFehler as exc:
        raise FallFehler(exc.was, exc.ort, exc.hilfe) from None
    return Testfall(datei, name, datei.stem, str(daten["titel"]), str(daten["begruendung"]),
                    dict(daten["erwartet"]), dok)


# --- comparing -------------------------------------------------------------------------


_WAHR = {"true": True, "ja": True, "wahr": True, "false": False, "nein": False, "falsch": False}


def gleich(erwartet: Any, ist: Any) -> bool:
    """Semantic equality of an expected YAML value and an actual (JSON-ready) ergebnis value.

    Numbers as Decimal ("73" == "73.0" == 73), dates (date or ISO text), booleans
    (also "ja"/"nein"); an expected value with no actual value is never equal.
    """
    if erwartet is None or ist is None:
        return erwartet is None and ist is None
    if isinstance(erwartet, bool) or isinstance(ist, bool):
        e = _WAHR.get(erwartet.lower()) if isinstance(erwartet, str) else erwartet
        i = _WAHR.get(ist.lower()) if isinstance(ist, str) else ist
        return isinstance(e, bool) and isinstance(i, bool) and e == i
    if isinstance(erwartet, date) or isinstance(ist, date):
        e, i = datum_aus(erwartet), datum_aus(ist)
        return e is not None and e == i
    e_zahl, i_zahl = zahl_aus(erwartet), zahl_aus(ist)
    if e_zahl is not None and i_zahl is not None:
        return e_zahl == i_zahl
    if isinstance(erwartet, (list, dict)) or isinstance(ist, (list, dict)):
        return erwartet == ist
    return str(erwartet) == str(ist)


@dataclass
class Schrittinfo:
    """One fired rule, as shown in reports."""

    nr: int  # 1-based position in the trail
    regel: str
    titel: str
    zitate: list[str]
    eingaben: dict[str, Any]
    ergebnisse: dict[str, Any]

    def text(self, einzug: str = "") -> str:
        zeilen = [f"{einzug}Schritt {self.nr}: Regel `{self.regel}` – {self.titel}"
                  + (f" ({'; '.join(self.zitate)})" if self.zitate else "")]
        if self.eingaben:
            zeilen.append(f"{einzug}  Eingaben: " + ", ".join(f"{k} = {kurz(v)}" for k, v in self.eingaben.items()))
        zeilen.append(f"{einzug}  Ergebnis: " + ", ".join(f"{k} = {kurz(v)}" for k, v in self.ergebnisse.items()))
        return "\n".join(zeilen)

    def als_dict(self) -> dict[str, Any]:
        return {"nr": self.nr, "regel": self.regel, "titel": self.titel, "fundstellen": self.zitate,
                "eingaben": als_json(self.eingaben), "ergebnisse": als_json(self.ergebnisse)}


def schrittinfo(nr: int, schritt) -> Schrittinfo:
    r = schritt.regel.regel
    return Schrittinfo(nr, r.id, r.titel, [f.zitat.text for f in schritt.fundstellen],
                       dict(schritt.eingaben), dict(schritt.ergebnisse))


def erzeugender_schritt(schritte: list, fakt: str) -> int | None:
    """Index of the step that derived `fakt`, or None."""
    for i, s in enumerate(schritte):
        if fakt in s.ergebnisse:
            return i
    return None


def kette(schritte: list, index: int) -> list[int]:
    """Indices of the step and of every step it depends on (transitively), in trail order."""
    herkunft = {fakt: i for i, s in enumerate(schritte) for fakt in s.ergebnisse}
    gesehen: set[int] = set()
    offen = [index]
    while offen:
        i = offen.pop()
        if i in gesehen:
            continue
        gesehen.add(i)
        for name in schritte[i].eingaben:
            if name in herkunft and herkunft[name] != i:
                offen.append(herkunft[name])
    return sorted(gesehen)


# --- running ---------------------------------------------------------------------------


@dataclass
class Abweichung:
    feld: str
    erwartet: Any
    ist: Any
    fakt: str
    grund_fehlt: str | None = None  # why the field was not determined
    schritt: Schrittinfo | None = None  # the step that derived the field's fact
    trennstelle: Schrittinfo | None = None  # earliest step in its chain whose checked value already differs
    trennfeld: str | None = None
    letzte_bestaetigte: Schrittinfo | None = None  # last step in the chain whose checked value matches
    fruehester: Schrittinfo | None = None  # earliest step of the dependency chain
    kette: list[Schrittinfo] = field(default_factory=list)
    kandidaten: list[str] = field(default_factory=list)  # rules that could have derived a missing fact

    def text(self) -> str:
        z = [f"  Feld `{self.feld}`: erwartet {wie_geschrieben(self.erwartet)}, ermittelt {wie_geschrieben(self.ist)}"]
        if self.grund_fehlt:
            z.append(f"    nicht ermittelt: {self.grund_fehlt}")
        if self.schritt is None:
            z.append(f"    Keine Regel hat `{self.fakt}` abgeleitet.")
            if self.kandidaten:
                z.append("    In Frage kommende Regeln (Bedingung nicht erfüllt oder Angaben fehlten):")
                z += [f"      - {k}" for k in self.kandidaten]
            return "\n".join(z)
        z.append("    abgeleitet in")
        z.append(self.schritt.text("      "))
        if self.trennstelle is not None and self.trennstelle.nr != self.schritt.nr:
            z.append(f"    hier trennen sich Erwartung und Ergebnis – schon der Vorschritt weicht ab "
                     f"(Feld `{self.trennfeld}`):")
            z.append(self.trennstelle.text("      "))
        elif self.letzte_bestaetigte is not None:
            z.append(f"    hier trennen sich Erwartung und Ergebnis: die Vorschritte bis Schritt {self.letzte_bestaetigte.nr} "
                     f"(`{self.letzte_bestaetigte.regel}`) stimmen mit den erwarteten Werten überein, "
                     f"Schritt {self.schritt.nr} (`{self.schritt.regel}`) weicht ab")
        else:
            z.append(f"    hier trennen sich Erwartung und Ergebnis: Schritt {self.schritt.nr} (`{self.schritt.regel}`) "
                     "oder einer seiner Vorschritte (keiner davon ist im Testfall mit einem erwarteten Wert belegt)")
        if self.fruehester is not None and self.fruehester.nr != self.schritt.nr:
            z.append(f"    frühester Schritt der Kette: Schritt {self.fruehester.nr} `{self.fruehester.regel}`"
                     + (f" ({'; '.join(self.fruehester.zitate)})" if self.fruehester.zitate else ""))
            z.append("    Kette: " + " → ".join(f"{s.nr} `{s.regel}`" for s in self.kette))
        return "\n".join(z)

    def als_dict(self) -> dict[str, Any]:
        return {"feld": self.feld, "erwartet": als_json(self.erwartet), "ist": als_json(self.ist), "fakt": self.fakt,
                "nicht_ermittelt": self.grund_fehlt,
                "schritt": self.schritt.als_dict() if self.schritt else None,
                "trennstelle": self.trennstelle.als_dict() if self.trennstelle else None,
                "trennfeld": self.trennfeld,
                "fruehester_schritt": self.fruehester.als_dict() if self.fruehester else None,
                "kette": [s.regel for s in self.kette], "kandidaten": self.kandidaten}


@dataclass
class Testergebnis:
    testfall: Testfall
    abweichungen: list[Abweichung] = field(default_factory=list)
    fehler: RegelwerkFehler | None = None  # the decision itself failed (rulebook gap, runtime error)
    entscheidung: Any = None
    gefeuert: list[str] = field(default_factory=list)  # rule ids in trail order

    @property
    def bestanden(self) -> bool:
        return self.fehler is None and not self.abweichungen

    def bericht(self) -> str:
        tf = self.testfall
        kopf = f"FEHLGESCHLAGEN {tf.kennung} ({tf.anzeigename})"
        if self.bestanden:
            return f"bestanden {tf.kennung}"
        if self.fehler is not None:
            return f"{kopf}\n  Entscheidung nicht möglich: {self.fehler}"
        return "\n".join([kopf] + [a.text() for a in self.abweichungen])

    def als_dict(self) -> dict[str, Any]:
        return {"id": self.testfall.id, "titel": self.testfall.titel, "datei": self.testfall.anzeigename,
                "bestanden": self.bestanden, "fehler": str(self.fehler) if self.fehler else None,
                "abweichungen": [a.als_dict() for a in self.abweichungen]}


def _kandidaten(wb, art: str, stichtag: date, fakt: str, werte: dict) -> list[str]:
    ergebnis = []
    for r in wb.regelbuch.regeln:
        if r.art == art and fakt in r.leitet_ab and r.zeitraum.enthaelt(stichtag):
            fehlt = [n for n in r.liest if n not in werte]
            grund = f"fehlende Angaben: {', '.join(fehlt)}" if fehlt else f"Bedingung: {r.wenn_quelle}"
            zitate = "; ".join(z.zitat for z in r.zitate_am(stichtag))
            ergebnis.append(f"`{r.id}` ({zitate}) – {grund}")
    return ergebnis


def pruefe_ergebnis(tf: Testfall, entscheidung, wb) -> list[Abweichung]:
    """Compare expected and actual values; unknown expected fields are bad input (FallFehler)."""
    verfahren = entscheidung.kompilat.verfahren
    felder = {f.feld: f for f in verfahren.ergebnis}
    for name in tf.erwartet:
        if name not in felder:
            raise FallFehler(f"`erwartet` nennt das unbekannte Ergebnisfeld `{name}`", tf.dokument.ort(("erwartet", name)),
                             vorschlag(str(name), felder) or "erlaubt: " + ", ".join(felder))
    schritte = entscheidung.schritte
    infos = [schrittinfo(i, s) for i, s in enumerate(schritte, 1)]
    # which trail step's facts are checked by the test case, and whether they match
    gepruefte_fakten: dict[str, tuple[str, bool]] = {}
    for name, wert in tf.erwartet.items():
        gepruefte_fakten[felder[name].fakt] = (name, gleich(wert, entscheidung.ergebnis.get(name)))
    abweichungen = []
    for name, wert in tf.erwartet.items():
        ist = entscheidung.ergebnis.get(name)
        if gleich(wert, ist):
            continue
        fakt = felder[name].fakt
        a = Abweichung(name, wert, ist, fakt, grund_fehlt=entscheidung.fehlend.get(name))
        index = erzeugender_schritt(schritte, fakt)
        if index is None:
            werte = dict(entscheidung.fall.eingaben)
            for s in schritte:
                werte.update(s.ergebnisse)
            a.kandidaten = _kandidaten(wb, entscheidung.fall.art, entscheidung.fall.stichtag, fakt, werte)
        else:
            a.schritt = infos[index]
            k = kette(schritte, index)
            a.kette = [infos[i] for i in k]
            a.fruehester = infos[k[0]]
            for i in k:  # the earliest step of the chain whose checked value already differs
                geprueft = [gepruefte_fakten[fk] for fk in schritte[i].ergebnisse if fk in gepruefte_fakten]
                falsch = [f for f, ok in geprueft if not ok]
                if falsch:
                    a.trennstelle = infos[i]
                    a.trennfeld = falsch[0]
                    break
                if geprueft and i != index:
                    a.letzte_bestaetigte = infos[i]
        abweichungen.append(a)
    return abweichungen


def fuehre_aus(tf: Testfall, wb, entscheider) -> Testergebnis:
    """Decide one test case and compare. Bad input (invalid case) raises `FallFehler`."""
    fall = pruefe_fall(fall_teil(tf.dokument), wb)
    ergebnis = Testergebnis(tf)
    try:
        entscheidung = entscheider.entscheide(fall)
    except FallFehler:
        raise
    except RegelwerkFehler as exc:
        ergebnis.fehler = exc
        return ergebnis
    ergebnis.entscheidung = entscheidung
    ergebnis.gefeuert = [s.regel.regel.id for s in entscheidung.schritte]
    ergebnis.abweichungen = pruefe_ergebnis(tf, entscheidung, wb)
    return ergebnis
