"""The `-k` selector of `regelwerk test` (and of pytest's YAML cases): which test cases to run."""
from __future__ import annotations

import re

from ..fehler import AufrufFehler


def passt(ausdruck: str | None, text: str) -> bool:
    """pytest-like `-k`: case-insensitive substrings combined with `and`, `or`, `not` and parentheses."""
    if not ausdruck or not ausdruck.strip():
        return True
    tokens = re.findall(r"\(|\)|[^\s()]+", ausdruck)
    text = text.lower()
    pos = 0

    def naechstes() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def kette(wort: str, teil, verknuepfe) -> bool:
        """`teil (wort teil)*`, every part evaluated (so syntax errors anywhere are found)."""
        nonlocal pos
        wert = teil()
        while naechstes() == wort:
            pos += 1
            wert = verknuepfe(wert, teil())
        return wert

    def oder() -> bool:
        return kette("or", und, lambda a, b: a or b)

    def und() -> bool:
        return kette("and", nicht, lambda a, b: a and b)

    def nicht() -> bool:
        nonlocal pos
        t = naechstes()
        if t == "not":
            pos += 1
            return not nicht()
        if t == "(":
            pos += 1
            wert = oder()
            if naechstes() != ")":
                raise AufrufFehler(f"-k „{ausdruck}“: schließende Klammer fehlt")
            pos += 1
            return wert
        if t is None or t in ("and", "or", ")"):
            raise AufrufFehler(f"-k „{ausdruck}“: Ausdruck unvollständig", hilfe="z. B. -k \"staffel and not 2024\"")
        pos += 1
        return t.lower() in text

    ergebnis = oder()
    if pos != len(tokens):
        raise AufrufFehler(f"-k „{ausdruck}“: unerwartet „{tokens[pos]}“", hilfe="Wörter mit and, or, not verbinden")
    return ergebnis
