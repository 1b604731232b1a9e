"""Safe YAML loading that remembers where every value came from.

Only `yaml.SafeLoader` is used (no Python tags). Duplicate keys, non-UTF-8 bytes and
syntax errors become `LadeFehler` with file:line:column. The returned `Positionen`
maps a field path like ``("regeln", 0, "dann")`` to its (line, column), 1-based, so
that later validation errors can point at the exact place.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .fehler import LadeFehler, Ort

Pfad = tuple[Any, ...]


@dataclass
class YamlDokument:
    daten: Any
    datei: str
    positionen: dict[Pfad, tuple[int, int]]

    def ort(self, pfad: Pfad = ()) -> Ort:
        """The closest known position for a field path (walks up to the parent)."""
        p = tuple(pfad)
        while p and p not in self.positionen:
            p = p[:-1]
        zeile, spalte = self.positionen.get(p, (1, 1))
        return Ort(self.datei, zeile, spalte, pfad_text(pfad) or None)


def pfad_text(pfad: Pfad) -> str:
    teile: list[str] = []
    for teil in pfad:
        if isinstance(teil, int):
            teile.append(f"[{teil}]")
        else:
            teile.append(("." if teile else "") + str(teil))
    return "".join(teile)


def lies_text(datei: Path, anzeigename: str) -> str:
    try:
        roh = datei.read_bytes()
    except OSError as exc:
        raise LadeFehler(f"Datei kann nicht gelesen werden: {exc.strerror}", Ort(anzeigename)) from None
    try:
        return roh.decode("utf-8")
    except UnicodeDecodeError as exc:
        zeile = roh[: exc.start].count(b"\n") + 1
        raise LadeFehler(
            f"Datei ist nicht UTF-8-kodiert (Byte 0x{roh[exc.start]:02x} an Position {exc.start})",
            Ort(anzeigename, zeile),
            "Datei als UTF-8 speichern",
        ) from None


def lade_yaml_text(text: str, anzeigename: str) -> YamlDokument:
    try:
        knoten = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        zeile = mark.line + 1 if mark else None
        spalte = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "ungültiges YAML"
        raise LadeFehler(
            f"YAML-Syntaxfehler: {problem}",
            Ort(anzeigename, zeile, spalte),
            "Einrückung, Doppelpunkte und Anführungszeichen prüfen",
        ) from None
    except yaml.YAMLError as exc:
        raise LadeFehler(f"YAML-Fehler: {exc}", Ort(anzeigename)) from None
    positionen: dict[Pfad, tuple[int, int]] = {}
    if knoten is None:
        return YamlDokument(None, anzeigename, positionen)
    konstruktor = SafeConstructor()

    def umwandeln(node: yaml.Node, pfad: Pfad) -> Any:
        positionen[pfad] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            ergebnis: dict[Any, Any] = {}
            for schluessel_knoten, wert_knoten in node.value:
                if schluessel_knoten.tag == "tag:yaml.org,2002:merge":
                    raise LadeFehler(
                        "YAML-Merge-Schlüssel `<<` wird nicht unterstützt",
                        Ort(anzeigename, schluessel_knoten.start_mark.line + 1, schluessel_knoten.start_mark.column + 1),
                        "Werte ausschreiben",
                    )
                schluessel = umwandeln(schluessel_knoten, pfad + ("<schlüssel>",))
                if isinstance(schluessel, (list, dict)):
                    raise LadeFehler("Schlüssel muss ein einfacher Wert sein", Ort(anzeigename, schluessel_knoten.start_mark.line + 1))
                if schluessel in ergebnis:
                    erste = positionen.get(pfad + (schluessel,), ("?", "?"))
                    raise LadeFehler(
                        f"Schlüssel `{schluessel}` ist doppelt (zuerst in Zeile {erste[0]})",
                        Ort(anzeigename, schluessel_knoten.start_mark.line + 1, schluessel_knoten.start_mark.column + 1),
                        "einen der beiden Einträge entfernen oder umbenennen",
                    )
                kind_pfad = pfad + (schluessel,)
                ergebnis[schluessel] = umwandeln(wert_knoten, kind_pfad)
                positionen[kind_pfad] = (schluessel_knoten.start_mark.line + 1, schluessel_knoten.start_mark.column + 1)
            positionen.pop(pfad + ("<schlüssel>",), None)
            return ergebnis
        if isinstance(node, yaml.SequenceNode):
            return [umwandeln(kind, pfad + (i,)) for i, kind in enumerate(node.value)]
        try:
            return konstruktor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise LadeFehler(
                f"Wert kann nicht gelesen werden: {exc.problem}",
                Ort(anzeigename, node.start_mark.line + 1, node.start_mark.column + 1),
            ) from None
        except ValueError as exc:  # e.g. an impossible date like 2024-02-30
            raise LadeFehler(
                f"ungültiger Wert `{node.value}`: {exc}",
                Ort(anzeigename, node.start_mark.line + 1, node.start_mark.column + 1),
            ) from None

    return YamlDokument(umwandeln(knoten, ()), anzeigename, positionen)


def lade_yaml(datei: Path, anzeigename: str | None = None) -> YamlDokument:
    name = anzeigename or str(datei)
    return lade_yaml_text(lies_text(datei, name), name)
