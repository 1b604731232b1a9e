"""Case files: load, validate against the art's JSON Schema, convert to engine values, check plausibility.

Bad input never reaches the rules: every problem becomes a `FallFehler` naming the
file, the field path and what is allowed.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from json.encoder import encode_basestring as _json_text  # = json.dumps(text, ensure_ascii=False)
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import orjson

from .fehler import FallFehler, relativ, vorschlag
from .format import datum
from .formel import SCHRITTE, Laufzeitfehler, schrittbudget, schrittbudget_fuer
from .schema import aufloesen, schema_fehler, validator
from .yamlquelle import YamlDokument, lade_json_text, lade_yaml_text, lies_text
from .wissensbasis import Wissensbasis
from .zeitraum import zeitraum_text


@dataclass
class Fall:
    datei: str
    art: str
    daten: dict[str, Any]  # as written (for the record)
    eingaben: dict[str, Any]  # converted engine values: Decimal, date, bool, str, lists, dicts
    stichtag: date  # the date whose law applies
    dokument: YamlDokument
    # evaluation steps a decision of this case may spend (grows with its size; see `schrittbudget_fuer`)
    schrittbudget: int = SCHRITTE
    # the case as written holds no float (checked while converting it): its canonical JSON is orjson's sorted form
    ohne_gleitzahlen: bool = False

    @cached_property
    def sha256(self) -> str:
        """The content hash of the case as written (canonical JSON): the same case gives the same hash from any
        file name, folder, working directory, YAML or JSON."""
        return inhalt_sha256(self.daten, self.ohne_gleitzahlen)

    def anzeigename(self, wurzel: Path) -> str:
        """The file for display in a decision, independent of the working directory: relative to the project
        root `wurzel` when inside it, else absolute; the source name for a case given as data."""
        pfad = self.dokument.pfad
        if pfad is None:
            return self.datei
        try:
            return pfad.relative_to(wurzel).as_posix()
        except ValueError:
            return pfad.as_posix()


def kanonisch(wert: Any) -> str:
    """Canonical JSON of case data: sorted keys, no spaces, UTF-8 text, dates ISO, numbers by value
    (38.5, 38.50 and 3.85e1 are the same number; 12 and 12.0 too)."""
    if type(wert) is int:  # the common case: a whole number as written (the same text as the Decimal path below)
        return str(wert)
    if type(wert) is str:
        return _json_text(wert)
    if wert is None or isinstance(wert, bool):
        return {None: "null", True: "true", False: "false"}[wert]
    if isinstance(wert, (int, float, Decimal)):
        d = Decimal(str(wert)) if isinstance(wert, float) else Decimal(wert)
        if not d.is_finite():
            return json.dumps(str(d))
        d = d.normalize()
        return f"{d:f}" if d != 0 else "0"
    if isinstance(wert, date):
        return json.dumps(wert.isoformat())
    if isinstance(wert, str):
        return json.dumps(wert, ensure_ascii=False)
    if isinstance(wert, dict):
        return "{" + ",".join(f"{_json_text(str(k))}:{kanonisch(v)}"
                              for k, v in sorted(wert.items(), key=lambda e: str(e[0]))) + "}"
    if isinstance(wert, (list, tuple)):
        return "[" + ",".join(kanonisch(v) for v in wert) + "]"
    return json.dumps(str(wert), ensure_ascii=False)


def _nur_tage(wert: Any) -> str:
    if type(wert) is date:
        return wert.isoformat()
    raise TypeError  # a datetime, Decimal, subclass, …: the general path


_SORTIERT = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS


def inhalt_sha256(daten: Any, ohne_gleitzahlen: bool = False) -> str:
    """SHA-256 of `kanonisch(daten)`. Data known to hold no float is written by orjson (C), which gives the same
    text for what such data holds: texts (same escapes), whole numbers within 64 bits, true/false/null, dates,
    keys sorted by code point, no spaces; anything else (a number too large, a datetime, a lone surrogate, a key that
    is no text) raises there and takes `kanonisch`."""
    if ohne_gleitzahlen:
        try:
            return hashlib.sha256(orjson.dumps(daten, default=_nur_tage, option=_SORTIERT)).hexdigest()
        except (TypeError, orjson.JSONEncodeError):
            pass
    return hashlib.sha256(kanonisch(daten).encode("utf-8", "surrogatepass")).hexdigest()


# Plausible magnitudes of case values: the law knows no employer with 10^12 places, no date before 1900 (birth
# dates) or after 2099: deadlines run from a case's dates into the next year, and the holiday tables of the Fristen
# (engine.fristen.FEIERTAGE_BIS) end with 2100, so a later date could be read but never decided.
GROESSTE_ZAHL = Decimal(10) ** 12
_GRENZE_INT = 10 ** 12
ERSTES_DATUM, LETZTES_DATUM = date(1900, 1, 1), date(2099, 12, 31)
_ISO_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # only JJJJ-MM-TT (no 20240101, no 2024-W01-1, ASCII digits)


def _zahl_pruefen(d: Decimal, pfad: tuple, dok: YamlDokument | None, ganz: bool) -> Decimal:
    ort = dok.ort(pfad) if dok is not None else None
    if not d.is_finite():
        raise FallFehler(f"`{d}` ist keine endliche Zahl", ort, "eine Zahl wie 38.5 angeben")
    if abs(d) >= GROESSTE_ZAHL:
        raise FallFehler(f"Zahl {d:.6g} ist unplausibel groß (erlaubt sind Beträge unter 1.000.000.000.000)", ort,
                         "Angabe prüfen")
    if ganz and d != d.to_integral_value():
        raise FallFehler(f"`{d}` ist keine ganze Zahl", ort, "eine ganze Zahl angeben")
    return d.quantize(Decimal(1)) if ganz else d


def _datum_pruefen(d: date, pfad: tuple, dok: YamlDokument | None) -> date:
    if not ERSTES_DATUM <= d <= LETZTES_DATUM:
        raise FallFehler(f"Datum {datum(d)} liegt außerhalb des Bereichs, den das Regelwerk berechnen kann",
                         dok.ort(pfad) if dok is not None else None,
                         f"erlaubt sind Daten vom {zeitraum_text(ERSTES_DATUM, LETZTES_DATUM)} (Fristen laufen ins "
                         "Folgejahr; die Feiertage sind bis 2100 hinterlegt)")
    return d


def _grenzen_pruefen(d: Decimal, schema: dict, pfad: tuple, dok: YamlDokument | None) -> None:
    """`minimum`/`maximum` of the schema for a number written as text (the schema checks them only for numbers)."""
    ort = dok.ort(pfad) if dok is not None else None
    hilfe = f"erlaubt: {schema['description']}" if schema.get("description") else None
    if "maximum" in schema and d > Decimal(str(schema["maximum"])):
        raise FallFehler(f"Wert {d} ist zu groß (Maximum {schema['maximum']})", ort, hilfe)
    if "minimum" in schema and d < Decimal(str(schema["minimum"])):
        raise FallFehler(f"Wert {d} ist zu klein (Minimum {schema['minimum']})", ort, hilfe)


_OBJEKT_SCHEMAS: dict[int, tuple[dict, tuple[dict, dict, tuple]]] = {}


def _objekt_schema(schema: dict) -> tuple[dict, dict, tuple]:
    """(properties, schema of further entries, fields with a default) of an object schema, once per schema."""
    eintrag = _OBJEKT_SCHEMAS.get(id(schema))
    if eintrag is None or eintrag[0] is not schema:
        eigenschaften = schema.get("properties", {})
        weitere = schema.get("additionalProperties")  # a map of entries (e.g. `feststellungen`): their schema
        weitere = weitere if isinstance(weitere, dict) else {}
        vorgaben = tuple((k, feld) for k, feld in eigenschaften.items() if "default" in feld)
        eintrag = _OBJEKT_SCHEMAS[id(schema)] = (schema, (eigenschaften, weitere, vorgaben))  # keeps the id valid
    return eintrag[1]


def _umwandeln(wert: Any, schema: dict, wurzel: dict, pfad: tuple = (), dok: YamlDokument | None = None,
               gleitzahlen: list | None = None) -> Any:
    """The case's values as engine values (Decimal, date), checked against the schema's meaning; every float met is
    appended to `gleitzahlen` (when given)."""
    if type(wert) is int and -_GRENZE_INT < wert < _GRENZE_INT:  # fast path: the common case needs no schema
        return Decimal(wert)
    schema = aufloesen(schema, wurzel)
    if isinstance(wert, dict):
        eigenschaften, weitere, vorgaben = _objekt_schema(schema)
        # whole numbers (most values of a case) converted in place, everything else by its schema
        ergebnis = {k: Decimal(v) if type(v) is int and -_GRENZE_INT < v < _GRENZE_INT else
                    _umwandeln(v, eigenschaften.get(k, weitere), wurzel, pfad + (k,), dok, gleitzahlen)
                    for k, v in wert.items()}
        for k, feld in vorgaben:  # documented defaults of optional fields
            if k not in ergebnis:
                ergebnis[k] = _umwandeln(feld["default"], feld, wurzel, pfad + (k,), dok)
        return ergebnis
    if isinstance(wert, list):
        eintrag = schema.get("items", {})
        return [Decimal(v) if type(v) is int and -_GRENZE_INT < v < _GRENZE_INT else
                _umwandeln(v, eintrag, wurzel, pfad + (i,), dok, gleitzahlen) for i, v in enumerate(wert)]
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, (int, float)):
        if isinstance(wert, float) and gleitzahlen is not None:
            gleitzahlen.append(wert)
        if isinstance(wert, float) and wert != wert or wert in (float("inf"), float("-inf")):
            raise FallFehler(f"`{wert}` ist keine endliche Zahl", dok.ort(pfad) if dok else None, "eine Zahl wie 38.5 angeben")
        typ = schema.get("type")
        d = _zahl_pruefen(Decimal(str(wert)), pfad, dok, typ == "integer" or (isinstance(typ, list) and "number" not in typ
                                                                                and "integer" in typ))
        if isinstance(typ, list) and "string" in typ:  # a number that may also be written as text: bounds checked once
            _grenzen_pruefen(d, schema, pfad, dok)
        return d
    if isinstance(wert, date):
        return _datum_pruefen(wert, pfad, dok)
    if isinstance(wert, str):
        if schema.get("format") == "date":
            try:
                if not _ISO_DATUM.fullmatch(wert):
                    raise ValueError
                return _datum_pruefen(date.fromisoformat(wert), pfad, dok)
            except ValueError:
                raise FallFehler(f"`{_kurz(wert)}` ist kein gültiges Datum", dok.ort(pfad) if dok else None,
                                 "Datum als JJJJ-MM-TT schreiben") from None
        if "pattern" in schema and schema["pattern"].startswith("^\\d"):
            # the schema's pattern as the readers mean it: ASCII digits, the whole text (JSON Schema's `\\d` is any
            # Unicode digit and its `$` allows a trailing line break: "١٢" or "12\\n" would pass it)
            if not re.fullmatch(schema["pattern"].removeprefix("^").removesuffix("$"), wert, re.ASCII):
                raise FallFehler(f"`{_kurz(wert)}` ist keine Zahl aus den Ziffern 0–9", dok.ort(pfad) if dok else None,
                                 f"erlaubt: {schema['description']}" if schema.get("description") else
                                 "Zahl mit den Ziffern 0 bis 9 und Punkt als Dezimaltrennzeichen schreiben, ohne Leerzeichen")
            try:
                d = _zahl_pruefen(Decimal(wert), pfad, dok, False)
            except InvalidOperation:
                raise FallFehler(f"`{_kurz(wert)}` ist keine Zahl", dok.ort(pfad) if dok else None) from None
            _grenzen_pruefen(d, schema, pfad, dok)
            return d
    return wert


def _kurz(text: str, laenge: int = 60) -> str:
    return text if len(text) <= laenge else text[:laenge] + "…"


def _pruefe_feststellungen(daten: dict, dok: YamlDokument, wb: Wissensbasis, art: str) -> None:
    """Every finding the case supplies must be one the rules of its art ask for."""
    bekannt = {f.id for f in wb.regelbuch.feststellungen if f.entscheidungsart == art}
    for fid in (daten.get("feststellungen") or {}):
        if fid not in bekannt:
            raise FallFehler(f"unbekannte Feststellung `{_kurz(fid)}`", dok.ort(("feststellungen", fid)),
                             vorschlag(_kurz(fid), bekannt) or ("erlaubt: " + ", ".join(sorted(bekannt)) if bekannt
                                                         else "diese Entscheidungsart kennt keine Feststellungen"))


def fall_teil(dok: YamlDokument) -> YamlDokument:
    """The case itself: the `fall:` part of a test-case file (with `erwartet`), else the document as it is."""
    daten = dok.daten
    if isinstance(daten, dict) and "fall" in daten and "erwartet" in daten:
        if not isinstance(daten["fall"], dict):
            raise FallFehler("`fall` muss eine Zuordnung mit `art`, `jahr`, … sein", dok.ort(("fall",)),
                             "unter `fall:` die Angaben des Falls eingerückt aufführen")
        return YamlDokument(daten["fall"], dok.datei, {k[1:]: v for k, v in dok.positionen.items() if k[:1] == ("fall",)},
                            dok.pfad, dok.ohne_datumswerte)
    return dok


def lies_falldokument(datei: Path, text: str | None = None) -> YamlDokument:
    """Read a case file (YAML or JSON) with positions for messages; not yet checked against a rulebook."""
    name = relativ(datei)
    if text is None:
        text = lies_text(datei, name)
    dok = lade_json_text(text, name) if datei.suffix == ".json" else lade_yaml_text(text, name)  # JSON: own parser
    try:
        dok.pfad = Path(datei).resolve()
    except (OSError, RuntimeError):  # a symlink loop or a vanished folder: no stable name, the given one stays
        dok.pfad = None
    return dok


def falldokument_aus_daten(daten: Any, quelle: str = "<daten>") -> YamlDokument:
    """A case given as data (a dict as from JSON), named `quelle` in messages; no line numbers."""
    return YamlDokument(daten, quelle, {})


def lade_fall(datei: Path, wb: Wissensbasis, text: str | None = None) -> Fall:
    return pruefe_fall(lies_falldokument(datei, text), wb)


def _pruefe_eindeutig(pruefung: Any, liste: Any, dok: YamlDokument) -> None:
    """`eindeutig: feld`: the field's value occurs once at most among the entries; reports the first entry whose
    value occurs again (in one pass, so the cost grows linearly with the list)."""
    if not isinstance(liste, list):
        return
    feld = pruefung.eindeutig

    def wert(i: int, eintrag: Any) -> Any:
        if not isinstance(eintrag, dict) or feld not in eintrag:
            raise FallFehler(f"Prüfung nicht möglich: Feld `{feld}` fehlt", dok.ort((pruefung.je, i)))
        w = eintrag[feld]
        return w if isinstance(w, (str, int, Decimal, date, bool)) or w is None else repr(w)

    werte = [wert(i, e) for i, e in enumerate(liste)]
    anzahl: dict[Any, int] = {}
    for w in werte:
        anzahl[w] = anzahl.get(w, 0) + 1
    for i, w in enumerate(werte):
        if anzahl[w] > 1:
            pfad = (pruefung.je, i) + ((pruefung.feld,) if pruefung.feld else ())
            raise FallFehler(pruefung.meldung.format(**liste[i]), dok.ort(pfad))


def _plausibel(verfahren: Any, eingaben: dict[str, Any], dok: YamlDokument) -> None:
    """The Verfahren's plausibility checks (`pruefungen`) of a converted case; raises `FallFehler` at the field."""
    umgebung = dict(eingaben)  # formulas never change what they read; `eintrag` is set per entry
    for pruefung in verfahren.pruefungen:
        if pruefung.eindeutig is not None:
            _pruefe_eindeutig(pruefung, eingaben.get(pruefung.je), dok)
            continue
        if pruefung.bedingung is None:
            continue
        liste = eingaben.get(pruefung.je) if pruefung.je else [None]
        for i, eintrag in enumerate(liste or []):
            umgebung["eintrag"] = eintrag
            try:
                ok = pruefung.bedingung.ausfuehren(umgebung)
            except Laufzeitfehler as exc:
                raise FallFehler(f"Prüfung nicht möglich: {exc}", dok.ort((pruefung.je, i) if pruefung.je else ())) from None
            if not ok:
                pfad: tuple = ((pruefung.je, i) if pruefung.je else ()) + ((pruefung.feld,) if pruefung.feld else ())
                raise FallFehler(pruefung.meldung.format(**({k: v for k, v in (eintrag or {}).items()} if isinstance(eintrag, dict) else {})),
                                 dok.ort(pfad))


def _im_bereich(verfahren: Any, regeln: list, eingaben: dict[str, Any], dok: YamlDokument) -> None:
    """Every named date of the case that rules read their law at (other than the default date, checked by the
    caller) lies within the time the rulebook covers for it: an application received before the first rule for
    applications is a field out of range (with the first day allowed), not a gap found while deciding."""
    for name, rs in verfahren.rechtsstaende.items():
        if name == verfahren.rechtsstand or rs.formel is None or len(rs.formel.namen) != 1:
            continue
        eigene = [r for r in regeln if r.rechtsstand == name]
        if not eigene:
            continue
        try:
            tag = rs.formel.ausfuehren(eingaben)
        except Laufzeitfehler:
            continue
        if not isinstance(tag, date) or any(r.zeitraum.enthaelt(tag) for r in eigene):
            continue
        feld = next(iter(rs.formel.namen))
        ab = min(r.zeitraum.ab for r in eigene)
        bis = max((r.zeitraum.bis or date(9999, 12, 31)) for r in eigene)
        if ab <= tag <= bis:
            continue  # a gap between rules: the decision names it
        raise FallFehler(f"{rs.bezeichnung} am {datum(tag)} liegt außerhalb des Zeitraums, für den das Regelwerk Recht "
                         f"enthält", dok.ort(tuple(feld.split("."))),
                         f"erlaubt: {rs.bezeichnung} ab {datum(ab)}" + (f" bis {datum(bis)}" if bis.year < 9999 else ""))


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
    if art is not None and not isinstance(art, str):
        raise FallFehler("Feld `art` muss ein einfacher Text sein", dok.ort(("art",)),
                         "erlaubt: " + ", ".join(sorted(wb.regelbuch.verfahren)))
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
    gleitzahlen: list = []
    eingaben.update(_umwandeln(daten, val.schema, val.schema, (), dok, gleitzahlen))
    eingaben.pop("$schema", None)
    budget = schrittbudget_fuer(eingaben)
    regeln = wb.regelbuch.regeln_je_art.get(art, [])
    with schrittbudget(budget):  # one scope for the checks and the default date, as for a decision
        _plausibel(verfahren, eingaben, dok)
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
        raise FallFehler(f"für eine Entscheidung am {datum(stichtag)} ist im Regelwerk kein Recht für `{art}` hinterlegt",
                         dok.ort((feld,)), f"erlaubt sind Entscheidungsdaten ab {datum(ab)}")
    with schrittbudget(budget):
        _im_bereich(verfahren, regeln, eingaben, dok)
    return Fall(dok.datei, art, daten, eingaben, stichtag, dok, budget, ohne_gleitzahlen=not gleitzahlen)
