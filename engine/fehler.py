"""Error types with a location, in the style of ruff/cargo: file:line:col: what — how to fix.

Every error the user can cause is a `RegelwerkFehler`; the CLI prints it and exits
with a non-zero code. Messages are German (user-facing); code stays English.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .format import terminal_text


@dataclass(frozen=True)
class Ort:
    """Where a problem sits: a file, optionally a line/column and a field path."""

    datei: str
    zeile: int | None = None
    spalte: int | None = None
    pfad: str | None = None

    def __str__(self) -> str:
        text = self.datei
        if self.zeile is not None:
            text += f":{self.zeile}"
            if self.spalte is not None:
                text += f":{self.spalte}"
        return text


@dataclass
class RegelwerkFehler(Exception):
    """A problem in the knowledge base or in a case file, explained in German."""

    was: str
    ort: Ort | None = None
    hilfe: str | None = None
    art: str = "fehler"
    hinweise: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.was)

    def __str__(self) -> str:
        return melde_text(self, einzeilig=True)


class LadeFehler(RegelwerkFehler):
    """A file cannot be read or parsed (encoding, YAML syntax, duplicate keys)."""


class SchemaFehler(RegelwerkFehler):
    """A file does not match its JSON Schema (unknown field, wrong type, …)."""


class ZitatFehler(RegelwerkFehler):
    """A citation cannot be parsed or resolves to nothing on the given date."""


class FormelFehler(RegelwerkFehler):
    """A formula does not parse, uses a forbidden construct or names an unknown fact."""


class ParameterFehler(RegelwerkFehler):
    """A parameter has gaps/overlaps or no value on the requested date."""


class RegelFehler(RegelwerkFehler):
    """A rule is inconsistent with the rest of the rulebook (conflicts, cycles)."""


class FallFehler(RegelwerkFehler):
    """A case file is invalid: bad input from the person asking for a decision."""


class AufrufFehler(RegelwerkFehler):
    """The command line is wrong: arguments, a `-k` expression, what the rule scaffolder was asked for."""


class AusfuehrungsFehler(RegelwerkFehler):
    """A decision could not be made although the input was valid (a rulebook gap)."""


class FehlerSammlung(RegelwerkFehler):
    """Several problems found in one pass (loading the rulebook, `regelwerk check`)."""

    def __init__(self, fehler: list[RegelwerkFehler]):
        super().__init__(f"{len(fehler)} Fehler im Regelwerk", hilfe="`regelwerk check` zeigt alle")
        self.fehler = fehler


def melde_text(fehler: RegelwerkFehler, einzeilig: bool = False) -> str:
    """The one place where an error becomes text.

    Multi-line (command line, ruff/cargo style): `datei:zeile:spalte: fehler: was (Feld `pfad`)`
    and `  = hilfe: …` on the next line; one line (`str(fehler)`): `datei:zeile: was (Feld …) — hilfe`.
    Values from outside (file names, echoed values and keys) reach terminals and text files: control characters
    become visible escapes (`format.terminal_text`), so no escape sequence runs and no message forges a line.
    """
    t = terminal_text
    ort = f"{t(str(fehler.ort))}: " if fehler.ort is not None else ""
    feld = f" (Feld `{t(fehler.ort.pfad)}`)" if fehler.ort is not None and fehler.ort.pfad else ""
    was, hilfe = t(str(fehler.was)), t(str(fehler.hilfe)) if fehler.hilfe else None
    if einzeilig:
        return f"{ort}{was}{feld}" + (f" — {hilfe}" if hilfe else "")
    return f"{ort}{fehler.art}: {was}{feld}" + (f"\n  = hilfe: {hilfe}" if hilfe else "")


def vorschlag(name: str, bekannte: object) -> str | None:
    """A "meinten Sie …?" hint for a misspelt name, or None."""
    treffer = difflib.get_close_matches(name, sorted(set(bekannte)), n=1, cutoff=0.7)
    return f"meinten Sie `{treffer[0]}`?" if treffer else None


def relativ(pfad: Path | str, basis: Path | None = None) -> str:
    """Path as shown to users: relative to the base folder when possible."""
    p = Path(pfad)
    for b in ([basis] if basis else []) + [Path.cwd()]:
        try:
            return str(p.resolve().relative_to(b.resolve()))
        except ValueError:
            continue
        except (OSError, RuntimeError):  # a symlink loop, a name too long: resolve the folder only
            try:
                return str((p.parent.resolve() / p.name).relative_to(b.resolve()))
            except (ValueError, OSError, RuntimeError):
                continue
    return str(p)
