"""Case files: load, validate against the art's JSON Schema, convert to engine values, check plausibility.

Bad input never reaches the rules: every problem becomes a `FallFehler` naming the
file, the field path and what is allowed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .fehler import FallFehler, LadeFehler, Ort, relativ, vorschlag
from .formel import Laufzeitfehler
from .schema import aufloesen, schema_fehler, validator
from .yamlquelle import YamlDokument, lade_yaml_text, lies_text
from .wissensbasis import Wissensbasis


@dataclass
class Fall:
    datei: str
    art: str
    daten: dict[str, Any]  # as written (for the record)
    eingaben: dict[str, Any]  # converted engine values: Decimal, date, bool, str, lists, dicts
    stichtag: date  # the date whose law applies
    dokument: YamlDokument


def _umwandeln(wert: Any, schema: dict, wurzel: dict) -> Any:
    schema = aufloesen(schema, wurzel)
    if isinstance(wert, dict):
        eigenschaften = schema.get("properties", {})
        ergebnis = {k: _umwandeln(v, eigenschaften.get(k, {}), wurzel) for k, v in wert.items()}
        for k, feld in eigenschaften.items():  # documented defaults of optional fields
            if k not in ergebnis and "default" in feld:
                ergebnis[k] = _umwandeln(feld["default"], feld, wurzel)
        return ergebnis
    if isinstance(wert, list):
        return [_umwandeln(v, schema.get("items", {}), wurzel) for v in wert]
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, (int, float)):
        return Decimal(str(wert))
    if isinstance(wert, date):
        return wert
    if isinstance(wert, str):
        if schema.get("format") == "date":
            return date.fromisoformat(wert)
        if "pattern" in schema and schema["pattern"].startswith("^\\d"):
            return Decimal(wert)
    return wert


def _pruefe_feststellungen(daten: dict, dok: YamlDokument, wb: Wissensbasis, art: str) -> None:
    """Every finding the case supplies must be one the rules of its art ask for."""
    bekannt = {f.id for f in wb.regelbuch.feststellungen if f.entscheidungsart == art}
    for fid in (daten.get("feststellungen") or {}):
        if fid not in bekannt:
            raise FallFehler(f"unbekannte Feststellung `{fid}`", dok.ort(("feststellungen", fid)),
                             vorschlag(fid, bekannt) or ("erlaubt: " + ", ".join(sorted(bekannt)) if bekannt
                                                         else "diese Entscheidungsart kennt keine Feststellungen"))


def fall_teil(dok: YamlDokument) -> YamlDokument:
    """The case itself: the `fall:` part of a test-case file (with `erwartet`), else the document as it is."""
    daten = dok.daten
    if isinstance(daten, dict) and "fall" in daten and "erwartet" in daten:
        return YamlDokument(daten["fall"], dok.datei, {k[1:]: v for k, v in dok.positionen.items() if k[:1] == ("fall",)})
    return dok


def lies_falldokument(datei: Path, text: str | None = None) -> YamlDokument:
    """Read a case file (YAML or JSON) with positions for messages; not yet checked against a rulebook."""
    name = relativ(datei)
    if text is None:
        text = lies_text(datei, name)
    if datei.suffix == ".json":
        try:
            daten = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LadeFehler(f"JSON-Fehler: {exc.msg}", Ort(name, exc.lineno, exc.colno)) from None
        dok = lade_yaml_text(text, name)  # JSON is YAML: gives positions for messages
        dok.daten = daten
        return dok
    return lade_yaml_text(text, name)


def falldokument_aus_daten(daten: Any, quelle: str = "<daten>") -> YamlDokument:
    """A case given as data (a dict as from JSON), named `quelle` in messages; no line numbers."""
    return YamlDokument(daten, quelle, {})


def lade_fall(datei: Path, wb: Wissensbasis, text: str | None = None) -> Fall:
    return pruefe_fall(lies_falldokument(datei, text), wb)


def pruefe_fall(dok: YamlDokument, wb: Wissensbasis) -> Fall:
    daten = dok.daten
    if not isinstance(daten, dict):
        raise FallFehler("Falldatei muss eine Zuordnung mit `art`, `jahr`, … sein", dok.ort())
    if "regeln" in daten or "verfahren" in daten or "parameter" in daten or "fassungen" in daten:
        raise FallFehler("das ist keine Falldatei, sondern eine Datei des Regelwerks", dok.ort(),
                         "eine Falldatei beginnt mit `art:` und `jahr:`")
    dok = fall_teil(dok)
    daten = dok.daten
    art = daten.get("art")
    if art not in wb.regelbuch.verfahren:
        raise FallFehler(f"unbekannte Art `{art}`" if art else "Feld `art` fehlt", dok.ort(("art",)),
                         vorschlag(str(art), wb.regelbuch.verfahren) or "erlaubt: " + ", ".join(sorted(wb.regelbuch.verfahren)))
    verfahren = wb.regelbuch.verfahren[art]
    probleme = schema_fehler(dok, verfahren.fall_schema)
    if probleme:  # the first problem in the file, with what the field allows
        raise FallFehler(probleme[0].was, probleme[0].ort, probleme[0].hilfe)
    val = validator(verfahren.fall_schema)
    _pruefe_feststellungen(daten, dok, wb, art)
    eingaben = {name: None for name in verfahren.eingaben}
    eingaben.update(_umwandeln(daten, val.schema, val.schema))
    eingaben.pop("$schema", None)
    for pruefung in verfahren.pruefungen:
        if pruefung.bedingung is None:
            continue
        liste = eingaben.get(pruefung.je) if pruefung.je else [None]
        for i, eintrag in enumerate(liste or []):
            umgebung = dict(eingaben, eintrag=eintrag)
            try:
                ok = pruefung.bedingung.ausfuehren(umgebung)
            except Laufzeitfehler as exc:
                raise FallFehler(f"Prüfung nicht möglich: {exc}", dok.ort((pruefung.je, i) if pruefung.je else ())) from None
            if not ok:
                pfad: tuple = ((pruefung.je, i) if pruefung.je else ()) + ((pruefung.feld,) if pruefung.feld else ())
                raise FallFehler(pruefung.meldung.format(**({k: v for k, v in (eintrag or {}).items()} if isinstance(eintrag, dict) else {})),
                                 dok.ort(pfad))
    regeln = [r for r in wb.regelbuch.regeln if r.art == art]
    # the default date whose law applies (other named dates are read by the rules themselves)
    standard = verfahren.rechtsstaende[verfahren.rechtsstand]
    if standard.formel is None:
        raise FallFehler(f"der Standard-Rechtsstand `{standard.name}` muss eine Formel haben", standard.ort)
    try:
        stichtag = standard.formel.ausfuehren(eingaben)
    except Laufzeitfehler as exc:
        raise FallFehler(f"{standard.bezeichnung} lässt sich nicht bestimmen: {exc}", dok.ort()) from None
    feld = "jahr" if "jahr" in standard.formel.namen else min(standard.formel.namen, default="art")
    if not isinstance(stichtag, date):
        raise FallFehler(f"{standard.bezeichnung} lässt sich aus `{feld}` nicht bestimmen", dok.ort((feld,)))
    if not any(r.zeitraum.enthaelt(stichtag) for r in regeln if (r.rechtsstand or verfahren.rechtsstand) == verfahren.rechtsstand):
        gueltig = [r for r in regeln if (r.rechtsstand or verfahren.rechtsstand) == verfahren.rechtsstand] or regeln
        ab = min(r.zeitraum.ab for r in gueltig)
        bis = max((r.zeitraum.bis or date(9999, 12, 31)) for r in gueltig)
        if feld == "jahr":
            bereich = f"{ab.year} bis {bis.year}" if bis.year < 9999 else f"ab {ab.year}"
            raise FallFehler(f"für das Jahr {eingaben['jahr']} ist im Regelwerk kein Recht hinterlegt", dok.ort(("jahr",)),
                             f"erlaubt sind die Jahre {bereich}")
        raise FallFehler(f"für eine Entscheidung am {stichtag:%d.%m.%Y} ist im Regelwerk kein Recht für `{art}` hinterlegt",
                         dok.ort((feld,)), f"erlaubt sind Entscheidungsdaten ab {ab:%d.%m.%Y}")
    return Fall(dok.datei, art, daten, eingaben, stichtag, dok)
