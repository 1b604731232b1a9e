"""The authority's settings for its Bescheide (letterhead, Widerspruchsstelle, courts, Word template),
read from a YAML or JSON file and checked against engine/schemas/behoerde.schema.json."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..fehler import AufrufFehler
from ..schema import validator

_SICHERER_LADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lade_behoerde(pfad: str | Path) -> dict[str, Any]:
    """The settings as data; `vorlage_docx` resolved against the file's folder. German error on any problem."""
    pfad = Path(pfad)
    try:
        text = pfad.read_text(encoding="utf-8")
    except OSError as fehler:
        raise AufrufFehler(f"{pfad}: die Behördendatei kann nicht gelesen werden ({fehler.strerror or fehler})",
                           hilfe="Pfad der Datei mit den Angaben der Behörde prüfen (--behoerde DATEI)") from None
    try:
        daten = yaml.load(text, Loader=_SICHERER_LADER)
    except yaml.YAMLError as fehler:
        ort = getattr(fehler, "problem_mark", None)
        stelle = f":{ort.line + 1}:{ort.column + 1}" if ort is not None else ""
        raise AufrufFehler(f"{pfad}{stelle}: die Behördendatei ist kein gültiges YAML ({getattr(fehler, 'problem', fehler)})",
                           hilfe="Einrückung und Anführungszeichen prüfen; Muster: site/docs/beispiele/behoerde-beispiel.yaml") from None
    return pruefe_behoerde(daten, str(pfad), pfad.parent)


def pruefe_behoerde(daten: Any, quelle: str = "<behoerde>", ordner: Path | None = None) -> dict[str, Any]:
    val = validator("behoerde")
    fehler = sorted(val.iter_errors(daten), key=lambda f: list(f.absolute_path))
    if fehler:
        f = fehler[0]
        feld = ".".join(str(t) for t in f.absolute_path) or "(Wurzel)"
        raise AufrufFehler(f"{quelle}: Feld `{feld}`: {_meldung(f)}",
                           hilfe="erlaubt sind die Felder aus engine/schemas/behoerde.schema.json; "
                                 "Muster: site/docs/beispiele/behoerde-beispiel.yaml")
    daten = dict(daten)
    if daten.get("vorlage_docx") and ordner is not None:
        vorlage = (ordner / daten["vorlage_docx"]).resolve()
        if not vorlage.is_file():
            raise AufrufFehler(f"{quelle}: Feld `vorlage_docx`: die Word-Vorlage {vorlage} gibt es nicht",
                               hilfe="Pfad relativ zur Behördendatei angeben oder das Feld weglassen")
        daten["vorlage_docx"] = str(vorlage)
    return daten


def _meldung(f: Any) -> str:
    if f.validator == "required":
        return f"Pflichtangabe fehlt ({f.message.split(' ')[0]})"
    if f.validator == "additionalProperties":
        return "unbekanntes Feld (" + f.message.split("(")[-1]
    if f.validator == "type":
        return f"falscher Typ, erwartet: {f.validator_value}"
    if f.validator == "minLength":
        return "darf nicht leer sein"
    return f.message
