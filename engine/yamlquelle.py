"""Safe loading of YAML and JSON files that remembers where every value came from.

No Python objects are ever constructed: the loader builds dicts, lists and plain scalars
itself from the parser's event stream (libyaml when available, else PyYAML's pure-Python
parser), so neither `!!python/…` tags nor custom constructors exist. `.json` files are read
by a JSON parser of their own (tabs, a UTF-8 byte order mark and surrogate pairs like
``"\\ud83e\\udd84"`` are fine; NaN/Infinity are not).

The returned `Positionen` maps a field path like ``("regeln", 0, "dann")`` to its
(line, column), 1-based, so that later validation errors can point at the exact place.
Inside content reached through a YAML alias (`*name`) no positions are stored; messages
point at the alias.

How scalars are read (the same for rule files and case files):
- numbers as a person writes them: `121`, `-3`, `38.5`, `1e3`. Notations that YAML 1.1
  reads surprisingly are rejected with a German message: leading zero `0121` (octal),
  `0x1F`, `0o17`, `0b101`, `1_000`, `2:01` (base 60). Non-finite numbers (`.inf`, `.nan`,
  `1e400`) and integers with more than 30 digits are rejected;
- booleans only `true`/`false` (also `True`, `TRUE`, …). `yes`, `no`, `on`, `off`, `y`, `n`
  stay text — a boolean field then says "erwartet wahr/falsch (true/false)";
- `null`, `~` and an empty value are null; dates `2024-03-01` are dates;
- tags other than the standard `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`,
  `!!timestamp`, `!!seq`, `!!map` are rejected; the merge key `<<` is rejected.

Limits (`GRENZEN`, German errors): file size, regular files only (no FIFO, no device),
number of nodes, nodes reached through aliases (an alias bomb fails at once), nesting
depth and list length. The cost of loading is linear in the size of the file.
"""
from __future__ import annotations

import json
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass
from json.decoder import scanstring
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .fehler import LadeFehler, Ort
from .format import groesse, zahl

Pfad = tuple[Any, ...]


@dataclass
class Grenzen:
    datei_bytes: int = 20 * 1024 * 1024  # 20 MB
    knoten: int = 2_000_000  # nodes written in the file
    alias_knoten: int = 100_000  # nodes reached again through aliases, counted with their content
    tiefe: int = 100  # nesting of lists and mappings
    liste: int = 200_000  # entries of one list or mapping
    ziffern: int = 30  # digits of an integer


GRENZEN = Grenzen()


@dataclass
class YamlDokument:
    daten: Any
    datei: str  # the name shown in messages (relative to the working directory where possible)
    positionen: dict[Pfad, tuple[int, int]]
    pfad: Path | None = None  # the file, resolved (absolute); None for documents given as data
    ohne_datumswerte: bool = False  # the data holds no date objects (read by a JSON reader): checked as it is

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


# --- reading bytes -------------------------------------------------------------------------


def oeffne_datei(datei: Path | str, anzeigename: str, hilfe: str = "eine YAML- oder JSON-Datei angeben"):
    """The file opened for reading bytes, after checking what it is: only regular files (a FIFO, a device such as
    /dev/zero or a socket would block or never end), so reads are bounded by the file's size. Every problem of the
    operating system (no such file, no rights, a symlink loop, a name too long) is a German `LadeFehler`."""
    try:
        info = os.stat(datei)
        if not stat.S_ISREG(info.st_mode):
            art = "ein Ordner" if stat.S_ISDIR(info.st_mode) else "keine gewöhnliche Datei (Gerät, FIFO oder Socket)"
            raise LadeFehler(f"`{anzeigename}` ist {art}", Ort(anzeigename), hilfe)
        # O_NONBLOCK: should the file have been swapped for a FIFO since the check, opening does not wait
        fd = os.open(datei, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LadeFehler(f"`{anzeigename}` ist keine gewöhnliche Datei", Ort(anzeigename), hilfe)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
    except OSError as exc:
        raise LadeFehler(f"Datei kann nicht gelesen werden: {os_text(exc)}", Ort(anzeigename), "Pfad und Rechte prüfen") from None
    except (ValueError, RuntimeError):  # a NUL byte in the name; a symlink loop reported by pathlib
        raise LadeFehler("Datei kann nicht gelesen werden: ungültiger Dateiname", Ort(anzeigename), "Pfad prüfen") from None


def lies_text(datei: Path, anzeigename: str) -> str:
    """The file's text; only regular files up to `GRENZEN.datei_bytes`, checked before reading."""
    grenze = GRENZEN.datei_bytes
    with oeffne_datei(datei, anzeigename) as f:
        groesse = os.fstat(f.fileno()).st_size
        if groesse > grenze:
            raise LadeFehler(f"Datei ist zu groß ({_mb(groesse)}; erlaubt sind höchstens {_mb(grenze)})",
                             Ort(anzeigename), "den Fall aufteilen oder unnötige Angaben entfernen")
        try:
            roh = f.read(grenze + 1)
        except OSError as exc:
            raise LadeFehler(f"Datei kann nicht gelesen werden: {os_text(exc)}", Ort(anzeigename), "Pfad und Rechte prüfen") from None
    if len(roh) > grenze:  # grew while reading
        raise LadeFehler(f"Datei ist zu groß (mehr als {_mb(grenze)})", Ort(anzeigename))
    try:
        text = roh.decode("utf-8")
    except UnicodeDecodeError as exc:
        zeile = roh[: exc.start].count(b"\n") + 1
        raise LadeFehler(
            f"Datei ist nicht UTF-8-kodiert (Byte 0x{roh[exc.start]:02x} an Position {exc.start})",
            Ort(anzeigename, zeile),
            "Datei als UTF-8 speichern",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text  # a UTF-8 byte order mark is allowed


def _mb(n: int) -> str:
    return groesse(n)


_OS_TEXTE = {2: "Datei nicht gefunden", 1: "keine Berechtigung", 13: "keine Leserechte", 21: "ist ein Ordner",
             20: "ein Teil des Pfads ist kein Ordner", 36: "Dateiname zu lang (höchstens 255 Bytes je Namensteil)",
             40: "zu viele symbolische Verknüpfungen (Verknüpfung im Kreis?)", 5: "Ein-/Ausgabefehler des Datenträgers",
             11: "Datei ist gerade nicht lesbar", 24: "zu viele offene Dateien", 6: "Gerät nicht vorhanden"}


def os_text(exc: OSError) -> str:
    """What went wrong with a file, in German (no English text of the operating system)."""
    return _OS_TEXTE.get(exc.errno or 0, f"Betriebssystemfehler Nr. {exc.errno}")


def _pruefe_laenge(text: str, anzeigename: str) -> None:
    if len(text) > GRENZEN.datei_bytes:
        raise LadeFehler(f"Text ist zu groß (mehr als {_mb(GRENZEN.datei_bytes)})", Ort(anzeigename),
                         "den Fall aufteilen oder unnötige Angaben entfernen")


_SURROGAT = re.compile("[\ud800-\udfff]")


def _text(wert: str, ort) -> str:
    """Surrogate pairs from escapes become one character; a lone surrogate is an error."""
    if _SURROGAT.search(wert) is None:
        return wert
    try:
        return wert.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        einzeln = _SURROGAT.search(wert).group()  # type: ignore[union-attr]
        raise LadeFehler(f"Text enthält das einzelne Ersatzzeichen \\u{ord(einzeln):04x} (Hälfte eines Surrogatpaars), "
                         "das kein gültiges Zeichen ist", ort(),
                         "das Zeichen selbst schreiben oder ein vollständiges Paar wie \\ud83e\\udd84 angeben") from None


def ganzzahl_zu_lang(text: str) -> bool:
    """An integer written with more digits than the readers accept (`GRENZEN.ziffern`)."""
    return len(text.lstrip("+-")) > GRENZEN.ziffern


# --- YAML ---------------------------------------------------------------------------------

_T = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")
_NICHT_ENDLICH = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_NOTATIONEN = [
    (re.compile(r"[-+]?0[0-9_]+\Z"), "mit führender Null (YAML 1.1 liest sie als Oktalzahl)"),
    (re.compile(r"[-+]?0[xX][0-9a-fA-F_]+\Z"), "in Hexadezimalschreibweise"),
    (re.compile(r"[-+]?0[oO][0-7_]+\Z"), "in Oktalschreibweise"),
    (re.compile(r"[-+]?0[bB][01_]+\Z"), "in Binärschreibweise"),
    (re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z"), "mit Doppelpunkt (YAML 1.1 liest sie zur Basis 60)"),
    (re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]+(?:[eE][-+]?[0-9]+)?\Z"), "mit Unterstrich"),
]
_DATUM = re.compile(r"[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
                    r"(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
                    r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?\Z")
_ERLAUBTE_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_KONSTRUKTOR = SafeConstructor()

_SYNTAX = [  # PyYAML / libyaml problem texts -> German
    ("mapping values are not allowed", "an dieser Stelle ist kein `Schlüssel: Wert` erlaubt (Einrückung oder fehlende Anführungszeichen?)"),
    ("cannot start any token", "dieses Zeichen darf hier nicht stehen (Tabulator zur Einrückung? dann Leerzeichen verwenden)"),
    ("tab character", "Tabulator zur Einrückung ist in YAML nicht erlaubt; Leerzeichen verwenden"),
    ("could not find expected ':'", "`:` nach dem Schlüssel erwartet"),
    ("did not find expected key", "Schlüssel erwartet (Einrückung prüfen)"),
    ("did not find expected node content", "Wert erwartet"),
    ("did not find expected '-' indicator", "Listeneintrag `- ` erwartet (Einrückung prüfen)"),
    ("did not find expected ',' or ']'", "`,` oder `]` erwartet"),
    ("did not find expected ',' or '}'", "`,` oder `}` erwartet"),
    ("expected ',' or ']'", "`,` oder `]` erwartet"),
    ("expected ',' or '}'", "`,` oder `}` erwartet"),
    ("found unexpected end of stream", "Datei endet mitten in einem Wert (Anführungszeichen oder Klammer nicht geschlossen?)"),
    ("found unexpected end of stream", "unerwartetes Dateiende"),
    ("found undefined alias", "Alias verweist auf einen unbekannten Anker"),
    ("found unknown escape character", "unbekannte Escape-Sequenz mit `\\`"),
    ("invalid Unicode character escape code", "ungültiges Unicode-Escape (Ersatzzeichen/Surrogat); das Zeichen selbst oder \\U0001F984 schreiben"),
    ("expected escape sequence", "ungültige Escape-Sequenz"),
    ("found unexpected ':'", "unerwarteter Doppelpunkt `:`"),
    ("block sequence entries are not allowed", "Listeneintrag `- ` ist hier nicht erlaubt (Einrückung prüfen)"),
    ("block mapping", "Einrückung passt nicht zur Zuordnung darüber"),
    ("block collection", "Einrückung passt nicht zur Liste oder Zuordnung darüber"),
    ("found incompatible YAML document", "nicht unterstützte YAML-Version"),
    ("expected <document start>", "nach dem Ende des Dokuments folgt noch Text"),
    ("control characters are not allowed", "unerlaubtes Steuerzeichen"),
    ("special characters are not allowed", "unerlaubtes Steuerzeichen"),
    ("found character", "unerlaubtes Zeichen"),
    ("could not find expected", "erwartetes Zeichen fehlt"),
    ("expected alphabetic or numeric character", "Name eines Ankers oder Alias erwartet (Buchstaben oder Ziffern)"),
    ("found duplicate", "doppelte Angabe"),
    ("expected", "an dieser Stelle nicht erwartet"),
    ("found", "an dieser Stelle nicht erwartet"),
]


def _syntax_text(problem: str | None) -> str:
    for englisch, deutsch in _SYNTAX:
        if problem and englisch in problem:
            return deutsch
    return "ungültiges YAML"


class _Knoten:
    """An open list or mapping while the event stream is read."""

    __slots__ = ("wert", "pfad", "schluessel", "anker", "groesse", "start", "schluessel_start", "alias")

    def __init__(self, wert, pfad, anker, start, alias):
        self.wert = wert
        self.pfad = pfad
        self.schluessel = _KEIN
        self.schluessel_start = None
        self.anker = anker
        self.groesse = 1
        self.start = start
        self.alias = alias  # inside content reached through an alias: no positions


_KEIN = object()


def _ereignisse(text: str):
    lader = yaml.CSafeLoader(text) if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader(text)
    try:
        while lader.check_event():
            yield lader.get_event()
    finally:
        lader.dispose()


def lade_yaml_text(text: str, anzeigename: str) -> YamlDokument:
    _pruefe_laenge(text, anzeigename)
    if text.startswith("\ufeff"):
        text = text[1:]
    positionen: dict[Pfad, tuple[int, int]] = {}
    try:
        daten = _baue(_ereignisse(text), anzeigename, positionen)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LadeFehler(f"YAML-Syntaxfehler: {_syntax_text(exc.problem or exc.context)}",
                         Ort(anzeigename, mark.line + 1 if mark else None, mark.column + 1 if mark else None),
                         "Einrückung, Doppelpunkte und Anführungszeichen prüfen") from None
    except yaml.reader.ReaderError as exc:
        zeile = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise LadeFehler(f"unerlaubtes Zeichen (Code {exc.character!r}) in der Datei" if isinstance(exc.character, int)
                         else "unerlaubtes Steuerzeichen in der Datei", Ort(anzeigename, zeile),
                         "das Zeichen entfernen oder als Escape in doppelten Anführungszeichen schreiben") from None
    except yaml.YAMLError:
        raise LadeFehler("YAML-Fehler: Datei kann nicht gelesen werden", Ort(anzeigename),
                         "Einrückung, Doppelpunkte und Anführungszeichen prüfen") from None
    return YamlDokument(daten, anzeigename, positionen)


def _baue(ereignisse, name: str, positionen: dict) -> Any:
    """Dicts, lists and scalars from the event stream, iteratively, with the limits of `GRENZEN`."""
    g = GRENZEN
    stapel: list[_Knoten] = []
    anker: dict[str, tuple[Any, int, bool]] = {}  # name -> (value, size, complete)
    offen: set[str] = set()
    knoten = 0
    alias_knoten = 0
    ergebnis: Any = None
    dokumente = 0

    def ort(mark, pfad: Pfad | None = None) -> Ort:
        if pfad is None:
            pfad = kind_pfad() if stapel else ()
        return Ort(name, mark.line + 1, mark.column + 1, pfad_text(pfad) or None)

    def fertig(wert: Any, groesse: int, mark, pfad_start) -> None:
        """Put a finished value into its parent (or make it the document)."""
        nonlocal ergebnis
        if not stapel:
            ergebnis = wert
            return
        eltern = stapel[-1]
        eltern.groesse += groesse
        if isinstance(eltern.wert, list):
            if len(eltern.wert) >= g.liste:
                raise LadeFehler(f"Liste hat mehr als {zahl(g.liste)} Einträge", ort(mark, eltern.pfad),
                                 "die Eingabe aufteilen")
            eltern.wert.append(wert)
            return
        if eltern.schluessel is _KEIN:  # this value is a key
            if isinstance(wert, (list, dict)):
                raise LadeFehler("Schlüssel muss ein einfacher Wert sein", ort(mark, eltern.pfad))
            if wert in eltern.wert:
                erste = positionen.get(eltern.pfad + (wert,), ("?", "?"))
                raise LadeFehler(f"Schlüssel `{wert}` ist doppelt (zuerst in Zeile {erste[0]})", ort(mark, eltern.pfad + (wert,)),
                                 "einen der beiden Einträge entfernen oder umbenennen")
            if len(eltern.wert) >= g.liste:
                raise LadeFehler(f"Zuordnung hat mehr als {zahl(g.liste)} Schlüssel", ort(mark, eltern.pfad))
            eltern.schluessel = wert
            eltern.schluessel_start = (mark.line + 1, mark.column + 1)
            return
        eltern.wert[eltern.schluessel] = wert
        if not eltern.alias:
            positionen[eltern.pfad + (eltern.schluessel,)] = eltern.schluessel_start
        eltern.schluessel = _KEIN

    def kind_pfad() -> Pfad:
        if not stapel:
            return ()
        eltern = stapel[-1]
        if isinstance(eltern.wert, list):
            return eltern.pfad + (len(eltern.wert),)
        if eltern.schluessel is _KEIN:
            return eltern.pfad + ("<schlüssel>",)
        return eltern.pfad + (eltern.schluessel,)

    for e in ereignisse:
        if isinstance(e, yaml.StreamStartEvent) or isinstance(e, yaml.StreamEndEvent) or isinstance(e, yaml.DocumentEndEvent):
            continue
        if isinstance(e, yaml.DocumentStartEvent):
            dokumente += 1
            if dokumente > 1:
                raise LadeFehler("die Datei enthält mehr als ein YAML-Dokument (`---`)", ort(e.start_mark),
                                 "ein Dokument je Datei; weitere in eigene Dateien")
            continue
        im_alias = bool(stapel) and stapel[-1].alias
        if isinstance(e, yaml.AliasEvent):
            if e.anchor in offen:
                raise LadeFehler(f"Alias `*{e.anchor}` verweist auf sich selbst (Kreis)", ort(e.start_mark),
                                 "Werte ausschreiben")
            if e.anchor not in anker:
                raise LadeFehler(f"Alias `*{e.anchor}` verweist auf keinen Anker `&{e.anchor}` davor", ort(e.start_mark))
            wert, groesse, _ = anker[e.anchor]
            alias_knoten += groesse
            if alias_knoten > g.alias_knoten:
                raise LadeFehler(f"Aliase (`*name`) vervielfachen die Datei auf mehr als {zahl(g.alias_knoten)} Knoten",
                                 ort(e.start_mark), "Werte ausschreiben statt Anker zu wiederholen")
            if not im_alias:
                positionen[kind_pfad()] = (e.start_mark.line + 1, e.start_mark.column + 1)
            fertig(wert, groesse, e.start_mark, None)
            continue
        if isinstance(e, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            k = stapel.pop()
            if k.anker is not None:
                offen.discard(k.anker)
                anker[k.anker] = (k.wert, k.groesse, True)
            fertig(k.wert, k.groesse, k.start, None)
            continue
        knoten += 1
        if knoten > g.knoten:
            raise LadeFehler(f"Datei hat mehr als {zahl(g.knoten)} Werte", ort(e.start_mark),
                             "die Eingabe aufteilen")
        tag = e.tag
        if tag is not None and tag != "!" and tag not in _ERLAUBTE_TAGS | {_T + "seq", _T + "map"}:
            raise LadeFehler(f"YAML-Tag `{tag.replace(_T, '!!')}` wird nicht unterstützt", ort(e.start_mark),
                             "Tag entfernen; erlaubt sind einfache Werte, Listen und Zuordnungen")
        if isinstance(e, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stapel) >= g.tiefe:
                raise LadeFehler(f"zu tief verschachtelt (mehr als {g.tiefe} Ebenen)", ort(e.start_mark),
                                 "Struktur flacher anlegen")
            ist_liste = isinstance(e, yaml.SequenceStartEvent)
            if tag in (_T + "seq", _T + "map") and tag != (_T + ("seq" if ist_liste else "map")):
                raise LadeFehler(f"YAML-Tag `{tag.replace(_T, '!!')}` passt nicht zum Wert", ort(e.start_mark))
            pfad = kind_pfad()
            if not im_alias:
                positionen[pfad] = (e.start_mark.line + 1, e.start_mark.column + 1)
            if e.anchor is not None:
                if e.anchor in anker or e.anchor in offen:
                    raise LadeFehler(f"Anker `&{e.anchor}` ist doppelt", ort(e.start_mark), "Anker eindeutig benennen")
                offen.add(e.anchor)
            stapel.append(_Knoten([] if ist_liste else {}, pfad, e.anchor, e.start_mark, im_alias))
            continue
        # scalar
        pfad = kind_pfad()
        if not im_alias and pfad[-1:] != ("<schlüssel>",):
            positionen[pfad] = (e.start_mark.line + 1, e.start_mark.column + 1)
        wert = _skalar(e, name, pfad)
        if e.anchor is not None:
            if e.anchor in anker:
                raise LadeFehler(f"Anker `&{e.anchor}` ist doppelt", ort(e.start_mark), "Anker eindeutig benennen")
            anker[e.anchor] = (wert, 1, True)
        fertig(wert, 1, e.start_mark, None)
    return ergebnis


def _skalar(e, name: str, pfad: Pfad) -> Any:
    text = e.value
    mark = e.start_mark

    def ort() -> Ort:
        return Ort(name, mark.line + 1, mark.column + 1, pfad_text(pfad) or None)

    tag = e.tag
    if tag is None or tag == "!":
        if tag == "!" or not e.implicit[0]:  # quoted or `!`: text
            return _text(text, ort)
        tag = _loese_auf(text)
    if tag == _T + "str":
        return _text(text, ort)
    if tag == _T + "null":
        if not _NULL.match(text):
            raise LadeFehler(f"`{text}` ist kein leerer Wert", ort(), "`null` schreiben oder den Tag entfernen")
        return None
    if tag == _T + "bool":
        if not _BOOL.match(text):
            raise LadeFehler(f"`{text}` ist kein Wahrheitswert", ort(), "true oder false schreiben")
        return text.lower() == "true"
    if tag == _T + "int":
        if not _INT.match(text):
            raise _notation_fehler(text, ort(), "ganze Zahl")
        if ganzzahl_zu_lang(text):
            raise LadeFehler(f"Zahl mit {len(text.lstrip('+-'))} Stellen ist zu groß (höchstens {GRENZEN.ziffern} Stellen)", ort())
        return int(text)
    if tag == _T + "float":
        if _NICHT_ENDLICH.match(text):
            raise LadeFehler(f"`{text}` ist keine endliche Zahl; unendliche oder unbestimmte Werte sind nicht erlaubt", ort(),
                             "eine Zahl wie 38.5 angeben")
        if not (_FLOAT.match(text) or _INT.match(text)):
            raise _notation_fehler(text, ort(), "Zahl")
        wert = float(text)
        if wert in (float("inf"), float("-inf")):
            raise LadeFehler(f"Zahl `{text}` ist zu groß; sie ist als Zahl nicht darstellbar", ort(),
                             "eine endliche Zahl angeben")
        return wert
    if tag == _T + "timestamp":
        if not _DATUM.match(text):
            raise LadeFehler(f"`{text}` ist kein Datum", ort(), "Datum als JJJJ-MM-TT schreiben")
        try:
            return _KONSTRUKTOR.construct_yaml_timestamp(yaml.ScalarNode(tag, text, mark, mark))
        except (ValueError, OverflowError):
            raise LadeFehler(f"ungültiges Datum `{text}`: diesen Tag gibt es nicht", ort(),
                             "Datum als JJJJ-MM-TT schreiben (Monat 1–12, Tag passend zum Monat)") from None
    if tag == _T + "merge":
        raise LadeFehler("YAML-Merge-Schlüssel `<<` wird nicht unterstützt", ort(), "Werte ausschreiben")
    if tag == "regelwerk:nicht_endlich":
        raise LadeFehler(f"`{text}` ist keine endliche Zahl; unendliche oder unbestimmte Werte sind nicht erlaubt", ort(),
                         "eine Zahl wie 38.5 angeben")
    if tag == "regelwerk:notation":
        raise _notation_fehler(text, ort(), "Zahl")
    return _text(text, ort)


def _loese_auf(text: str) -> str:
    """The tag of a plain (unquoted) scalar, read as a person writes it."""
    if not text:
        return _T + "null"
    erstes = text[0]
    if erstes in "0123456789-+.":
        if _INT.match(text):
            return _T + "int"
        if _FLOAT.match(text):
            return _T + "float"
        if _NICHT_ENDLICH.match(text):
            return "regelwerk:nicht_endlich"
        if _DATUM.match(text):
            return _T + "timestamp"
        if any(muster.match(text) for muster, _ in _NOTATIONEN):
            return "regelwerk:notation"
        return _T + "str"
    if _NULL.match(text):
        return _T + "null"
    if _BOOL.match(text):
        return _T + "bool"
    if text == "<<":
        return _T + "merge"
    return _T + "str"


def _notation_fehler(text: str, ort: Ort, was: str) -> LadeFehler:
    for muster, grund in _NOTATIONEN:
        if muster.match(text):
            return LadeFehler(f"Zahl `{text}` {grund} ist mehrdeutig und wird nicht gelesen", ort,
                              "als Dezimalzahl ohne führende Null, Unterstrich oder Doppelpunkt schreiben; "
                              f"ist Text gemeint, in Anführungszeichen: \"{text}\"")
    return LadeFehler(f"`{text}` ist keine {was}", ort, f"als Dezimalzahl schreiben; ist Text gemeint, in Anführungszeichen: \"{text}\"")


# --- JSON ---------------------------------------------------------------------------------

_LEER = re.compile(r"[ \t\n\r]*")
_ZAHL = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_TEXTE = [("Unterminated string", "Text in Anführungszeichen wird nicht geschlossen"),
               ("Invalid control character", "Steuerzeichen (z. B. Zeilenumbruch oder Tabulator) im Text; als \\n bzw. \\t schreiben"),
               ("Invalid \\uXXXX", "ungültiges \\u-Escape (vier Hexadezimalziffern erwartet)"),
               ("Invalid \\escape", "ungültige Escape-Sequenz mit `\\`")]


def lade_json_text(text: str, anzeigename: str) -> YamlDokument:
    """A JSON document with positions; German errors with line and column."""
    _pruefe_laenge(text, anzeigename)
    if text.startswith("\ufeff"):
        text = text[1:]
    zeilen = [m.start() for m in re.finditer("\n", text)]
    g = GRENZEN
    positionen: dict[Pfad, tuple[int, int]] = {}
    zaehler = [0]

    def pos(i: int) -> tuple[int, int]:
        z = bisect_right(zeilen, i - 1)
        return z + 1, i - (zeilen[z - 1] + 1 if z else 0) + 1

    aktuell: list[Pfad] = [()]  # path of the value being read, for messages

    def fehler(was: str, i: int, hilfe: str | None = None) -> LadeFehler:
        return LadeFehler(f"JSON-Fehler: {was}", Ort(anzeigename, *pos(min(i, len(text))), pfad_text(aktuell[0]) or None), hilfe)

    def leer(i: int) -> int:
        return _LEER.match(text, i).end()

    def zeichenkette(i: int) -> tuple[str, int]:
        try:
            s, ende = scanstring(text, i + 1, True)
        except json.JSONDecodeError as exc:
            deutsch = next((d for e, d in _JSON_TEXTE if exc.msg.startswith(e)), "ungültiger Text")
            raise fehler(deutsch, exc.pos) from None
        return _text(s, lambda: Ort(anzeigename, *pos(i), pfad_text(aktuell[0]) or None)), ende

    def wert(i: int, pfad: Pfad, tiefe: int) -> tuple[Any, int]:
        i = leer(i)
        aktuell[0] = pfad
        zaehler[0] += 1
        if zaehler[0] > g.knoten:
            raise fehler(f"mehr als {zahl(g.knoten)} Werte", i, "die Eingabe aufteilen")
        positionen[pfad] = pos(i)
        c = text[i:i + 1]
        if c == "{" or c == "[":
            if tiefe >= g.tiefe:
                raise fehler(f"zu tief verschachtelt (mehr als {g.tiefe} Ebenen)", i, "Struktur flacher anlegen")
            return (objekt if c == "{" else liste)(i + 1, pfad, tiefe + 1)
        if c == '"':
            return zeichenkette(i)
        m = _ZAHL.match(text, i)
        if m and m.end() > i:
            ganz, bruch, exp = m.groups()
            if bruch is None and exp is None:
                if ganzzahl_zu_lang(ganz):
                    raise fehler(f"Zahl mit {len(ganz.lstrip('-'))} Stellen ist zu groß (höchstens {g.ziffern} Stellen)", i)
                return int(ganz), m.end()
            gleitzahl = float(m.group())
            if gleitzahl in (float("inf"), float("-inf")):
                raise fehler(f"Zahl `{m.group()[:40]}` ist zu groß; sie ist als Zahl nicht darstellbar", i, "eine endliche Zahl angeben")
            return gleitzahl, m.end()
        for wort, w in (("true", True), ("false", False), ("null", None)):
            if text.startswith(wort, i):
                return w, i + len(wort)
        for wort in ("NaN", "Infinity", "-Infinity"):
            if text.startswith(wort, i):
                raise fehler(f"`{wort}` ist keine endliche Zahl und in JSON nicht erlaubt", i, "eine Zahl wie 38.5 angeben")
        if i >= len(text):
            raise fehler("Datei endet, wo ein Wert erwartet wird", i)
        raise fehler("Wert erwartet (Text in \"Anführungszeichen\", Zahl, true, false, null, Liste oder Objekt)", i)

    def objekt(i: int, pfad: Pfad, tiefe: int) -> tuple[dict, int]:
        ergebnis: dict[str, Any] = {}
        i = leer(i)
        if text[i:i + 1] == "}":
            return ergebnis, i + 1
        while True:
            i = leer(i)
            if text[i:i + 1] != '"':
                raise fehler("Schlüssel in \"Anführungszeichen\" erwartet", i)
            start = i
            schluessel, i = zeichenkette(i)
            if schluessel in ergebnis:
                erste = positionen.get(pfad + (schluessel,), ("?", "?"))
                raise fehler(f"Schlüssel `{schluessel}` ist doppelt (zuerst in Zeile {erste[0]})", start,
                             "einen der beiden Einträge entfernen oder umbenennen")
            if len(ergebnis) >= g.liste:
                aktuell[0] = pfad
                raise fehler(f"Objekt hat mehr als {zahl(g.liste)} Schlüssel", start)
            i = leer(i)
            if text[i:i + 1] != ":":
                raise fehler("`:` nach dem Schlüssel erwartet", i)
            ergebnis[schluessel], i = wert(i + 1, pfad + (schluessel,), tiefe)
            positionen[pfad + (schluessel,)] = pos(start)
            i = leer(i)
            c = text[i:i + 1]
            if c == "}":
                return ergebnis, i + 1
            if c != ",":
                raise fehler("`,` oder `}` erwartet", i)
            i += 1

    def liste(i: int, pfad: Pfad, tiefe: int) -> tuple[list, int]:
        ergebnis: list[Any] = []
        i = leer(i)
        if text[i:i + 1] == "]":
            return ergebnis, i + 1
        while True:
            if len(ergebnis) >= g.liste:
                aktuell[0] = pfad
                raise fehler(f"Liste hat mehr als {zahl(g.liste)} Einträge", i, "die Eingabe aufteilen")
            w, i = wert(i, pfad + (len(ergebnis),), tiefe)
            ergebnis.append(w)
            i = leer(i)
            c = text[i:i + 1]
            if c == "]":
                return ergebnis, i + 1
            if c != ",":
                raise fehler("`,` oder `]` erwartet", i)
            i += 1

    if not text.strip():
        raise fehler("die Datei ist leer", 0, "ein JSON-Objekt angeben")
    daten, ende = wert(0, (), 0)
    ende = leer(ende)
    if ende != len(text):
        raise fehler("nach dem Ende des JSON-Werts folgt noch Text", ende)
    return YamlDokument(daten, anzeigename, positionen)


# --- files ----------------------------------------------------------------------------------


def lade_text(text: str, anzeigename: str, json_datei: bool = False) -> YamlDokument:
    return lade_json_text(text, anzeigename) if json_datei else lade_yaml_text(text, anzeigename)


def lade_yaml(datei: Path, anzeigename: str | None = None) -> YamlDokument:
    """A YAML file (or a `.json` file, read as JSON)."""
    name = anzeigename or str(datei)
    return lade_text(lies_text(datei, name), name, json_datei=Path(datei).suffix == ".json")
