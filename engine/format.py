"""The one value formatter: values as German readers see them, and their JSON form.

Reader form (`deutsch` and its parts): numbers "1.234,56", money with exactly two decimals
"9.065,00" (`geld`; with unit `euro` → "9.065,00 Euro"), dates "31.03.2024", ja/nein, lists.
JSON form (`als_json`, `json_wert`): Decimal as exact string, dates ISO, money as "9065.00".
Author form (`wie_geschrieben`, `kurz`): a value as written in a YAML/JSON file.

Digits, separators and dates come from Babel's CLDR data for de_DE (the well-kept library of
locale formats) instead of hand-made string replacements; years are never grouped ("2024",
`jahr`), whatever their number. Every module that shows a value to a person calls this one;
tests/test_architektur.py keeps copies (date format strings, thousands-separator tricks) from
coming back.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterator

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern

LEER = "—"  # a value that is not there
_CENT = Decimal("0.01")
_HOECHSTENS = Decimal("0.0001")  # more decimal places than this are cut, marked with " …"
_ZAHLTEXT = re.compile(r"\s*-?\d+(\.\d+)?\s*")
_ISO_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
EINHEITEN = {"euro": "Euro", "prozent": "Prozent", "anzahl": "", "text": ""}  # units of parameters, as read
EINHEIT_NAMEN = {"euro": "Euro", "prozent": "Prozent", "anzahl": "Anzahl", "text": "Text"}  # "Einheit: …"


# --- reading values written as text ------------------------------------------------------


def zahl_aus(wert: Any) -> Decimal | None:
    """A number (int, Decimal, float, or text such as "-12.50"); None for anything else, booleans included."""
    if isinstance(wert, bool):
        return None
    if isinstance(wert, (int, Decimal)):
        return Decimal(wert)
    if isinstance(wert, float):
        return Decimal(str(wert))
    if isinstance(wert, str) and _ZAHLTEXT.fullmatch(wert):
        try:
            return Decimal(wert.strip())
        except InvalidOperation:
            return None
    return None


def datum_aus(wert: Any) -> date | None:
    """A date, or ISO text "2024-03-31"; None for anything else."""
    if isinstance(wert, date):
        return wert
    if isinstance(wert, str) and _ISO_DATUM.fullmatch(wert):
        try:
            return date.fromisoformat(wert)
        except ValueError:
            return None
    return None


# --- reader form -------------------------------------------------------------------------


_DE = Locale("de", "DE")


@lru_cache(maxsize=None)
def _muster(stellen: int):
    """Babel's number pattern with `stellen` fixed decimal places ("#,##0.00": grouped thousands)."""
    return parse_pattern("#,##0" + ("." + "0" * stellen if stellen else ""))


@lru_cache(maxsize=65536)
def _ziffern_gemerkt(d: Decimal, stellen: int) -> str:
    return _muster(stellen).apply(d, _DE, decimal_quantization=True)


_SYMBOLE = _DE.number_symbols.get("latn", _DE.number_symbols)
# Python's grouping of a Decimal (",", ".") written with de_DE's symbols from CLDR; used only while the locale groups
# by three digits with these symbols (as Babel's pattern "#,##0.00" does), which tests compare with Babel's output
_TAUSCH = str.maketrans({",": _SYMBOLE["group"], ".": _SYMBOLE["decimal"]})
_DREIERGRUPPEN = (_DE.decimal_formats[None].grouping == (3, 3) and _SYMBOLE["minusSign"] == "-"
                  and len(_SYMBOLE["group"]) == len(_SYMBOLE["decimal"]) == 1)


def _ziffern(d: Decimal, stellen: int) -> str:
    """`d` with `stellen` decimal places in de_DE: "." between thousands and "," before the decimals (each value
    formatted once per process: equal values with the same places give the same text)."""
    if d == 0:
        d = abs(d)  # no "-0,00"
    if not d.is_finite():
        return _muster(stellen).apply(d, _DE, decimal_quantization=True)
    if _DREIERGRUPPEN and -d.as_tuple().exponent <= stellen:
        # no rounding needed (the callers quantize first): Python's grouping is Babel's, in C
        return f"{d:,.{stellen}f}".translate(_TAUSCH)
    return _ziffern_gemerkt(d, stellen)


def zahl(wert: int | Decimal | str, stellen: int | None = None) -> str:
    """A number in German: "1.234,56".

    Without `stellen` the number keeps its own decimal places; more than four are cut to four
    and marked " …" (an exact quotient such as 3,2258 …). With `stellen` it is rounded half up
    to that many places.
    """
    d = zahl_aus(wert)
    if d is None:
        raise ValueError(f"keine Zahl: {wert!r}")
    if stellen is not None:
        return _ziffern(d.quantize(Decimal(1).scaleb(-stellen), rounding=ROUND_HALF_UP), stellen)
    exponent = d.as_tuple().exponent
    if not isinstance(exponent, int):
        return str(d)
    gekuerzt = exponent < -4
    if gekuerzt:
        d = d.quantize(_HOECHSTENS).normalize()
    exponent = d.as_tuple().exponent
    return _ziffern(d, max(0, -exponent) if isinstance(exponent, int) else 0) + (" …" if gekuerzt else "")


@lru_cache(maxsize=None)
def _muster_ohne_gruppen(stellen: int):
    return parse_pattern("0" + ("." + "0" * stellen if stellen else ""))


def dezimal_ohne_gruppen(wert: int | Decimal | str) -> str:
    """A number with the decimal comma and no thousands separator, its own decimal places kept ("4115,00"):
    cells of the German CSV summary, which spreadsheets set to German read as numbers."""
    d = zahl_aus(wert)
    if d is None:
        raise ValueError(f"keine Zahl: {wert!r}")
    exponent = d.as_tuple().exponent
    if _DREIERGRUPPEN and isinstance(exponent, int):  # finite: its own places, nothing to round (as Babel, in C)
        return f"{d:f}".translate(_TAUSCH)
    return _muster_ohne_gruppen(max(0, -exponent) if isinstance(exponent, int) else 0).apply(d, _DE)


def geld(wert: int | Decimal | str | None) -> str:
    """Money: exactly two decimals, "9.065,00" (cents rounded half up); "—" when there is none."""
    return LEER if wert is None else zahl(wert, 2)


def euro(wert: int | Decimal | str | None) -> str:
    """Money with its unit: "9.065,00 Euro"; "—" when there is none."""
    return LEER if wert is None else f"{geld(wert)} Euro"


def prozent(wert: float | int | Decimal | str, stellen: int | None = None) -> str:
    """A share in percent for readers: "87,5 %" (with `stellen` decimals; without, as exact as given, "80 %")."""
    d = zahl_aus(wert)
    if d is None:
        raise ValueError(f"keine Zahl: {wert!r}")
    return f"{zahl(d if stellen is not None else d.normalize(), stellen)} %"


def sekunden(wert: float) -> str:
    """A duration: "0,53 s"."""
    return f"{zahl(wert, 2)} s"


@lru_cache(maxsize=65536)
def _datum(d: date) -> str:
    return format_date(d, "dd.MM.yyyy", locale=_DE)


def datum(d: date | None, leer: str = LEER) -> str:
    """A date as "31.03.2024" (four-digit year also before 1000: "01.01.0001"); `leer` when there is none."""
    return _datum(d) if d is not None else leer


def tag_und_monat(d: date) -> str:
    """Day and month only: "24.12."."""
    return format_date(d, "dd.MM.", locale=_DE)


def jahr(wert: int | Decimal | str) -> str:
    """A calendar year: digits only, never grouped ("2024", not "2.024")."""
    d = zahl_aus(wert)
    if d is None or d != d.to_integral_value():
        raise ValueError(f"kein Jahr: {wert!r}")
    return str(int(d))


def ja_nein(wert: bool) -> str:
    return "ja" if wert else "nein"


def mit_einheit(wert: Any, einheit: str) -> str:
    """A parameter value with its unit: "155,00 Euro", "5 Prozent", "20"."""
    if einheit == "euro" and zahl_aus(wert) is not None:
        return euro(wert)
    return f"{deutsch(wert)} {EINHEITEN.get(einheit, '')}".strip()


def deutsch(wert: Any, format_: str | None = None) -> str:
    """A value as a German reader expects it: 1.234,56; 31.03.2025; ja/nein; lists and mappings.

    `format_` is the value's format where it is known ("geld": money, always two decimals);
    text holding an ISO date or a number is shown as that date or number.
    """
    if wert is None:
        return LEER
    if isinstance(wert, bool):
        return ja_nein(wert)
    if format_ == "geld" and zahl_aus(wert) is not None:
        return geld(wert)
    if format_ == "jahr" and zahl_aus(wert) is not None:
        return jahr(wert)
    if isinstance(wert, (date, str)) and (d := datum_aus(wert)) is not None:
        return datum(d)
    if isinstance(wert, (int, Decimal)) or (isinstance(wert, str) and _ZAHLTEXT.fullmatch(wert) and wert == wert.strip()):
        return zahl(wert)
    if isinstance(wert, list):
        return liste(wert)
    if isinstance(wert, dict):
        return ", ".join(f"{k}: {deutsch(v)}" for k, v in wert.items())
    return str(wert)


def liste(werte: list) -> str:
    """A list for readers: "a, b, c"; a list of records as "(k v, …); (…)"; "keine" when empty."""
    if not werte:
        return "keine"
    if all(isinstance(w, dict) for w in werte):
        return "; ".join("(" + ", ".join(f"{k} {deutsch(v)}" for k, v in w.items()) + ")" for w in werte)
    return ", ".join(deutsch(w) for w in werte)


def groesse(n_bytes: int) -> str:
    """A file size in megabytes: "1,5 MB"."""
    return f"{zahl(Decimal(n_bytes) / (1024 * 1024), 1)} MB"


# --- JSON form ---------------------------------------------------------------------------


def als_json(wert: Any) -> Any:
    """Engine values as JSON: Decimal as exact string, dates ISO, containers recursively."""
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, Decimal):
        return str(wert)
    if isinstance(wert, date):
        return wert.isoformat()
    if isinstance(wert, dict):
        return {k: als_json(v) for k, v in wert.items()}
    if isinstance(wert, (list, tuple)):
        return [als_json(v) for v in wert]
    return wert


def json_wert(wert: Any, format_: str) -> Any:
    """An ergebnis value in its public JSON form by the field's format (verfahren.yaml `ergebnis[].format`).

    geld: "9065.00" (two decimals, half up); prozent, zahl: two decimals cut ("3.22");
    anzahl: whole or exact; ja_nein: bool; datum: ISO; liste: list of texts and ISO dates.
    """
    if wert is None:
        return None
    if format_ == "ja_nein":
        return bool(wert)
    if format_ == "geld":
        return str(Decimal(wert).quantize(_CENT, rounding=ROUND_HALF_UP))
    if format_ in ("prozent", "zahl"):
        return str(Decimal(wert).quantize(_CENT, rounding=ROUND_DOWN))
    if format_ == "anzahl":
        d = Decimal(wert)
        return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())
    if format_ == "liste":
        return [None if w is None else w.isoformat() if isinstance(w, date) else str(w) for w in wert]
    if format_ == "datum":
        return wert.isoformat() if isinstance(wert, date) else str(wert)
    return str(wert)


# --- author form -------------------------------------------------------------------------


def wie_geschrieben(wert: Any) -> str:
    """A value as written in YAML/JSON (authors compare it with their file)."""
    if wert is None:
        return "— (nicht ermittelt)"
    if isinstance(wert, bool):
        return "true" if wert else "false"
    if isinstance(wert, date):
        return wert.isoformat()
    if isinstance(wert, (Decimal, int, float)):
        return str(wert)
    if isinstance(wert, str):
        return f'"{wert}"'
    return str(wert)


def kurz(wert: Any, laenge: int = 80) -> str:
    """A short one-line form for reports: JSON text, "wahr"/"falsch", "leer"; cut at `laenge` characters."""
    text = str(als_json(wert)) if not isinstance(wert, str) else wert
    if isinstance(wert, bool):
        text = "wahr" if wert else "falsch"
    if wert is None:
        text = "leer"
    return text if len(text) <= laenge else text[:laenge - 3] + "…"


# --- text made safe for an output kind -----------------------------------------------------
# The one place where text from outside (a case's free text, a file name, a value echoed in a message) is made
# harmless for where it is written. JSON and HTML are safe by construction (json encoder, Jinja's autoescape).

# control characters: C0 (escape sequences, carriage return, line breaks), DEL, C1, line/paragraph separators and
# the bidirectional overrides that make text read differently from what it is
_STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SICHTBAR = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _sichtbar(m: re.Match) -> str:
    c = m.group()
    return _SICHTBAR.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")


def terminal_text(text: str) -> str:
    """Text for a terminal or a plain-text file: every control character as a visible escape (`\\x1b`, `\\n`), so no
    escape sequence runs and no value starts a line of its own (no forged "FALL NICHT ENTSCHIEDEN")."""
    return _STEUERZEICHEN.sub(_sichtbar, text) if _STEUERZEICHEN.search(text) else text


# what Markdown would read as markup that does something: links and images ([ ]), raw HTML and autolinks (< >),
# code and fences (`), headings (#), table cells (|), the escape itself. Emphasis (* _) only changes the look and
# stays, so that values such as `schwerbehinderter_mensch` read the same in formulas and prose.
_MD_ZEICHEN = re.compile(r"([\\`\[\]<>#|])")


def md_text(text: str) -> str:
    """Text for Markdown: one line (control characters visible, see `terminal_text`), markup characters escaped
    with a backslash, so a name like `[x](javascript:…)`, `![](http://…)` or `## Ergebnis` shows as written."""
    return _MD_ZEICHEN.sub(r"\\\1", terminal_text(text))


def md_code(text: str) -> str:
    """Text for inside a Markdown code span (a file name): one line, and no backtick that could close it."""
    return terminal_text(text).replace("`", "ˋ")


def md_codeblock(text: str) -> str:
    """A fenced Markdown code block around `text` whose fence no backtick run in the text can close."""
    laengste = max((len(m.group()) for m in re.finditer("`+", text)), default=0)
    zaun = "`" * max(3, laengste + 1)
    return f"{zaun}\n{text}\n{zaun}"


_ZAHL_IN_ZELLE = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?")


def csv_zelle(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
    return gets a leading apostrophe (numbers such as -12.50 stay numbers); control characters visible as in
    `terminal_text` (the summary may go to a terminal: `--csv -`)."""
    if text and text[0] in "=+-@\t\r" and not _ZAHL_IN_ZELLE.fullmatch(text):
        text = "'" + text
    return terminal_text(text)


def entschaerfe(daten: Any, ersetzen: dict[str, str]) -> Any:
    """`daten` (dicts, lists, text) with every occurrence of the texts in `ersetzen` replaced by their safe form;
    used for the case's own texts wherever a rendered decision repeats them (names, findings, explanations)."""
    if not ersetzen:
        return daten
    if isinstance(daten, str):
        for alt, neu in ersetzen.items():  # longest first (see `sichere_texte`)
            if alt in daten:
                daten = daten.replace(alt, neu)
        return daten
    if isinstance(daten, dict):
        return {k: entschaerfe(v, ersetzen) for k, v in daten.items()}
    if isinstance(daten, list):
        return [entschaerfe(v, ersetzen) for v in daten]
    return daten


def sichere_texte(daten: Any, sicher: Any) -> dict[str, str]:
    """The texts of `daten` that `sicher` (e.g. `md_text`) changes, with their safe form, longest first."""
    ersetzen = {t: sicher(t) for t in set(texte(daten))}
    return {t: ersetzen[t] for t in sorted(ersetzen, key=len, reverse=True) if ersetzen[t] != t}


def texte(daten: Any, tiefe: int = 0) -> Iterator[str]:
    """Every text (keys too) in nested dicts and lists."""
    if isinstance(daten, str):
        yield daten
    elif isinstance(daten, dict) and tiefe < 200:
        for k, v in daten.items():
            if isinstance(k, str):
                yield k
            yield from texte(v, tiefe + 1)
    elif isinstance(daten, list) and tiefe < 200:
        for v in daten:
            yield from texte(v, tiefe + 1)
