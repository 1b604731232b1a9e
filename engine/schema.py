"""JSON Schema validation of YAML documents, with German messages at file:line:column.

The schemas in engine/schemas/ are the single definition of every file format; the
same files are referenced from each YAML file for editor support (yaml-language-server).
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from .fehler import Ort, SchemaFehler, vorschlag
from .yamlquelle import YamlDokument

SCHEMA_ORDNER = Path(__file__).parent / "schemas"


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.protocols.Validator:
    """The validator of one of the engine's own schemas. They are package data, not the user's files: that each is a
    valid schema is tested once (`pruefe_schemadateien`, tests/test_schema.py), not at every start (checking
    all of them took half a second of every `regelwerk` command)."""
    schema = json.loads((SCHEMA_ORDNER / f"{name}.schema.json").read_text(encoding="utf-8"))
    klasse = jsonschema.validators.validator_for(schema)
    return klasse(schema, format_checker=klasse.FORMAT_CHECKER)


def pruefe_schemadateien(ordner: Path = SCHEMA_ORDNER) -> list[str]:
    """The names of the schema files in `ordner`, each checked against its metaschema (raises `SchemaError`)."""
    namen = sorted(p.name.removesuffix(".schema.json") for p in ordner.glob("*.schema.json"))
    for name in namen:
        schema = json.loads((ordner / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema).check_schema(schema)
    return namen


# keywords that fastjsonschema (draft-07) implements with the meaning of draft 2020-12; it would
# silently ignore others (e.g. prefixItems, unevaluatedProperties), so such schemas are not compiled
_KOMPILIERBAR = {"$schema", "$id", "$ref", "$defs", "definitions", "title", "description", "default", "examples",
                 "type", "enum", "const", "properties", "additionalProperties", "required", "propertyNames",
                 "patternProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems",
                 "contains", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
                 "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"}


def _schluesselwoerter(schema: Any) -> set[str]:
    if isinstance(schema, list):
        return set().union(*map(_schluesselwoerter, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    woerter = set(schema)
    for k, v in schema.items():
        if k in ("properties", "patternProperties", "$defs", "definitions"):
            woerter |= _schluesselwoerter(list(v.values()))
        elif k not in ("default", "examples", "const", "enum", "description", "title"):
            woerter |= _schluesselwoerter(v)
    return woerter


@lru_cache(maxsize=None)
def _kompiliert(name: str) -> Any:
    """The same schema compiled to Python code (fastjsonschema): a quick yes/no for valid documents, or None.

    Formats are checked by jsonschema's own format checker, so both agree on what a date is.
    Only a "no" costs more: then `jsonschema` finds every problem with its German message.
    """
    val = validator(name)
    if not _schluesselwoerter(val.schema) <= _KOMPILIERBAR:
        return None
    formate = {f: (lambda wert, f=f: val.format_checker.conforms(wert, f)) for f in val.format_checker.checkers}
    # on a copy: fastjsonschema rewrites `$ref`s in the schema it is given
    return fastjsonschema.compile(copy.deepcopy(val.schema), formats=formate, use_default=False)


def _als_json(wert: Any) -> Any:
    """Dates become ISO strings so that `format: date` fields validate like JSON."""
    if isinstance(wert, dict):
        return {k: _als_json(v) for k, v in wert.items()}
    if isinstance(wert, list):
        return [_als_json(v) for v in wert]
    if isinstance(wert, date):
        return wert.isoformat()
    return wert


_TYPEN = {"string": "Text", "integer": "ganze Zahl", "number": "Zahl", "boolean": "wahr/falsch (true/false)",
          "array": "Liste", "object": "Zuordnung (Schlüssel: Wert)", "null": "leer (null)"}


def _typname(t: Any) -> str:
    if isinstance(t, list):
        return " oder ".join(_TYPEN.get(x, x) for x in t)
    return _TYPEN.get(t, str(t))


def _kurz(wert: Any, laenge: int = 60) -> str:
    text = str(wert)
    return text if len(text) <= laenge else text[:laenge] + "…"


def _gefunden(wert: Any) -> str:
    """The found value, named in German (no Python reprs like `{'a': 1}` or `True`)."""
    if isinstance(wert, bool):
        return f"`{'true' if wert else 'false'}` (wahr/falsch)"
    if wert is None:
        return "ein leerer Wert (null)"
    if isinstance(wert, dict):
        return "eine Zuordnung"
    if isinstance(wert, list):
        return "eine Liste"
    if isinstance(wert, str):
        return f"der Text `\"{_kurz(wert)}\"`"
    return f"`{_kurz(wert)}`"


def _wert_text(wert: Any) -> str:
    """A value of the schema or the document as a reader writes it (JSON/YAML), never a Python repr."""
    if isinstance(wert, str):
        return _kurz(wert)
    return _kurz(json.dumps(wert, ensure_ascii=False, default=str))


def _erster_doppelter(werte: Any) -> Any:
    gesehen = []
    for w in werte if isinstance(werte, list) else []:
        if w in gesehen:
            return w
        gesehen.append(w)
    return "?"


def _bedingung(fehler: jsonschema.ValidationError, wurzel: dict | None) -> str | None:
    """For an error of a `then` branch: the condition of its `if` as written in YAML ("`gueltigkeit_gesichert: true`")."""
    weg = list(fehler.absolute_schema_path)
    if wurzel is None or "then" not in weg:
        return None
    schema: object = wurzel
    for teil in weg[:len(weg) - 1 - weg[::-1].index("then")]:
        schema = schema[teil] if isinstance(schema, (dict, list)) else None
    wenn = schema.get("if", {}) if isinstance(schema, dict) else {}
    teile = [f"`{k}: {json.dumps(s['const'])}`" for k, s in wenn.get("properties", {}).items()
             if isinstance(s, dict) and "const" in s]
    return " und ".join(teile) or None


def _meldung(fehler: jsonschema.ValidationError, wurzel: dict | None = None) -> tuple[str, str | None, tuple]:
    """German (what, how-to-fix, path) for one jsonschema error."""
    pfad = tuple(fehler.absolute_path)
    v = fehler.validator
    if v == "additionalProperties":
        erlaubt = list(fehler.schema.get("properties", {}))
        unbekannt = [k for k in fehler.instance if k not in erlaubt]
        name = unbekannt[0] if unbekannt else "?"
        hilfe = vorschlag(_kurz(str(name)), erlaubt) or ("erlaubt sind: " + ", ".join(erlaubt) if erlaubt else None)
        return f"unbekanntes Feld `{_kurz(str(name))}`", hilfe, pfad + (name,)
    if v == "required":
        name = fehler.message.split("'")[1] if "'" in fehler.message else fehler.message
        bedingung = _bedingung(fehler, wurzel)
        if bedingung:  # required only under a condition (if/then): say which, and what the field is for
            zweck = _feldbeschreibung(wurzel, pfad + (name,)) if wurzel else None
            return (f"Pflichtfeld `{name}` fehlt: {bedingung} verlangt es",
                    f"`{name}` ergänzen" + (f" – {zweck}" if zweck else "") + f"; sonst {bedingung} ändern", pfad)
        return f"Pflichtfeld `{name}` fehlt", f"`{name}` ergänzen", pfad
    if v == "type":
        return (f"falscher Typ: erwartet {_typname(fehler.validator_value)}, gefunden: {_gefunden(fehler.instance)}", None, pfad)
    if v == "enum":
        erlaubt = [_wert_text(w) for w in fehler.validator_value]
        return (f"ungültiger Wert `{_wert_text(fehler.instance)}`",
                vorschlag(_wert_text(fehler.instance), erlaubt) or "erlaubt: " + ", ".join(erlaubt), pfad)
    if v == "const":
        return (f"ungültiger Wert `{_wert_text(fehler.instance)}`, erwartet `{_wert_text(fehler.validator_value)}`",
                None, pfad)
    if v == "pattern":
        beschreibung = fehler.schema.get("description")
        return (f"Wert `{_kurz(fehler.instance)}` hat nicht die erwartete Form", beschreibung or f"Muster: {fehler.validator_value}", pfad)
    if v in ("minimum", "exclusiveMinimum"):
        return f"Wert {fehler.instance} ist zu klein (Minimum {fehler.validator_value})", None, pfad
    if v in ("maximum", "exclusiveMaximum"):
        return f"Wert {fehler.instance} ist zu groß (Maximum {fehler.validator_value})", None, pfad
    if v == "minItems":
        return f"Liste hat zu wenige Einträge (mindestens {fehler.validator_value})", None, pfad
    if v == "maxItems":
        return f"Liste hat zu viele Einträge (höchstens {fehler.validator_value})", None, pfad
    if v == "uniqueItems":
        doppelt = _erster_doppelter(fehler.instance)
        return (f"Liste enthält `{_kurz(doppelt)}` mehrfach; jeder Eintrag darf nur einmal vorkommen", None, pfad)
    if v == "minLength":
        if fehler.validator_value <= 1 or fehler.instance == "":
            return "Text darf nicht leer sein", None, pfad
        return f"Text ist zu kurz (mindestens {fehler.validator_value} Zeichen)", None, pfad
    if v == "maxLength":
        return f"Text ist zu lang (höchstens {fehler.validator_value} Zeichen)", None, pfad
    if v == "format":
        return f"`{_kurz(fehler.instance)}` ist kein gültiges Datum", "Datum als JJJJ-MM-TT schreiben", pfad
    if v in ("oneOf", "anyOf"):
        beschreibung = fehler.schema.get("description")
        return "Wert passt zu keiner erlaubten Form", beschreibung, pfad
    return f"Wert entspricht nicht dem erlaubten Aufbau (Prüfung `{v}`)", None, pfad


def _wert_am(daten: Any, pfad: tuple) -> Any:
    for teil in pfad:
        daten = daten[teil]
    return daten


def aufloesen(schema: dict, wurzel: dict) -> dict:
    """Follow local `$ref`s ("#/$defs/geld") to the schema they name."""
    while isinstance(schema, dict) and "$ref" in schema:
        ziel = wurzel
        for teil in schema["$ref"].lstrip("#/").split("/"):
            ziel = ziel[teil]
        schema = ziel
    return schema


def beschreibung(wurzel: dict, pfad: tuple) -> str | None:
    """The `description` of the field at `pfad`: it tells the user what is allowed there."""
    schema = aufloesen(wurzel, wurzel)
    for teil in pfad:
        schema = aufloesen(schema.get("items", {}) if isinstance(teil, int)
                            else schema.get("properties", {}).get(teil, {}), wurzel)
    return schema.get("description") if isinstance(schema, dict) else None


_feldbeschreibung = beschreibung  # (inside _meldung, `beschreibung` names a local)
# files of the rulebook (YAML written by people): a date there is a YAML date; quoted, it is text that the code
# would compare with dates. Case files may give dates as text (JSON has no dates) and are not checked for this.
_REGELWERK_SCHEMAS = {"regeln", "verfahren", "parameter", "gesetz", "gesetze"}


def _ist_datumsfeld(schema: Any, wurzel: dict) -> bool:
    schema = aufloesen(schema, wurzel) if isinstance(schema, dict) else schema
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "date":
        return True
    return any(_ist_datumsfeld(z, wurzel) for k in ("anyOf", "oneOf") for z in schema.get(k, []))


def _daten_als_text(wert: Any, schema: Any, wurzel: dict, pfad: tuple = ()) -> list[tuple]:
    """Paths of date fields whose value is quoted text such as "2024-01-01" (schema and document walked together)."""
    schema = aufloesen(schema, wurzel) if isinstance(schema, dict) else {}
    if isinstance(wert, str):
        return [pfad] if _ist_datumsfeld(schema, wurzel) and _ISO.fullmatch(wert) else []
    ergebnis: list[tuple] = []
    if isinstance(wert, dict):
        eigenschaften = schema.get("properties", {})
        weitere = schema.get("additionalProperties")
        for k, v in wert.items():
            teil = eigenschaften.get(k, weitere if isinstance(weitere, dict) else None)
            if teil is not None:
                ergebnis += _daten_als_text(v, teil, wurzel, pfad + (k,))
    elif isinstance(wert, list) and isinstance(schema.get("items"), dict):
        for i, v in enumerate(wert):
            ergebnis += _daten_als_text(v, schema["items"], wurzel, pfad + (i,))
    return ergebnis


_ISO = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def schema_fehler(dok: YamlDokument, name: str) -> list[SchemaFehler]:
    """All schema problems of a document, sorted by position."""
    val = validator(name)
    if name in _REGELWERK_SCHEMAS:
        zitiert = _daten_als_text(dok.daten, val.schema, val.schema)
        if zitiert:
            return [SchemaFehler(f"Datum `{_kurz(_wert_am(dok.daten, p))}` steht in Anführungszeichen und ist so Text, "
                                 "kein Datum", dok.ort(p), f"die Anführungszeichen entfernen: {_kurz(_wert_am(dok.daten, p))}")
                    for p in zitiert]
    schnell = _kompiliert(name)
    daten = dok.daten if dok.ohne_datumswerte else _als_json(dok.daten)  # JSON: nothing to write as text
    if schnell is not None:
        try:
            schnell(daten)
            return []
        except fastjsonschema.JsonSchemaException:
            pass  # invalid (or the compiled check is stricter): jsonschema decides and explains
    ergebnis: list[SchemaFehler] = []
    fehlende: list[tuple[tuple, str, SchemaFehler]] = []
    for fehler in val.iter_errors(daten):
        # for anyOf/oneOf, the most specific sub-error explains best
        if fehler.context:
            fehler = jsonschema.exceptions.best_match(fehler.context) or fehler
        was, hilfe, pfad = _meldung(fehler, val.schema)
        if hilfe is None and (erlaubt := beschreibung(val.schema, pfad)):
            hilfe = f"erlaubt: {erlaubt}"
        ort = dok.ort(pfad)
        if ort.pfad is not None and len(ort.pfad) > 200:  # an unknown key of 10,000 characters is not echoed whole
            ort = Ort(ort.datei, ort.zeile, ort.spalte, _kurz(ort.pfad, 200))
        ergebnis.append(SchemaFehler(was, ort, hilfe))
        if fehler.validator == "required":
            fehlende.append((tuple(fehler.absolute_path), was.split("`")[1], ergebnis[-1]))
    # a misspelt field shows up twice: unknown here, required missing there; keep the first, it says both
    for pfad, name, meldung in fehlende:
        if any(f.hilfe and f"`{name}`" in f.hilfe and f.was.startswith("unbekanntes Feld") and f.ort.pfad
               and f.ort.pfad.startswith(dok.ort(pfad).pfad or "") for f in ergebnis):
            ergebnis.remove(meldung)
    ergebnis.sort(key=lambda f: (f.ort.zeile or 0, f.ort.spalte or 0))
    return ergebnis


def pruefe_schema(dok: YamlDokument, name: str) -> None:
    """Raise the first schema problem of the document, if any."""
    fehler = schema_fehler(dok, name)
    if fehler:
        raise fehler[0]
