"""Helpers shared by every command group of the command line: German argparse, error
reports, the project root, argument types.

Imported by the command modules; imports nothing from engine.cli itself.
"""
from __future__ import annotations

import argparse
import functools
import sys
from datetime import date
from pathlib import Path

from ..fehler import FehlerSammlung, RegelwerkFehler, melde_text
from ..wissensbasis import Wissensbasis, lade_wissensbasis, projektwurzel


# argparse's own texts (it looks them up through gettext at call time): every message and heading
# of the command line in German, not only the ones `error` sees.
_ARGPARSE_DEUTSCH = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Angaben",
    "options": "Optionen",
    "optional arguments": "Optionen",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "the following arguments are required: %s": "folgende Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Wahl: %(value)r (erlaubt: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "invalid %(type)s value: %(value)r": "ungültiger Wert (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "überzähliger Wert %r",
    "one of the arguments %s is required": "eine der Angaben %s ist nötig",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fehler: %(message)s\n",
    "subcommands": "Befehle",
}


def _argparse_deutsch(text: str) -> str:
    return _ARGPARSE_DEUTSCH.get(text, text)


def _argparse_ndeutsch(einzahl: str, mehrzahl: str, n: int) -> str:
    if einzahl == "expected %s argument":
        return "erwartet %s Wert" if n == 1 else "erwartet %s Werte"
    return _argparse_deutsch(einzahl if n == 1 else mehrzahl)


argparse._ = _argparse_deutsch  # type: ignore[attr-defined]
argparse.ngettext = _argparse_ndeutsch  # type: ignore[attr-defined]


class DeutscherParser(argparse.ArgumentParser):
    """argparse with German messages (see _ARGPARSE_DEUTSCH) and exit code 2."""

    def error(self, message: str) -> None:  # noqa: D401
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fehler: {message}", file=sys.stderr)
        sys.exit(2)


def deutsche_hilfe(parser: argparse.ArgumentParser) -> None:
    """German section titles and help text for a parser."""
    parser._positionals.title = "Angaben"
    parser._optionals.title = "Optionen"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "diese Hilfe anzeigen und beenden"


def melde(fehler: RegelwerkFehler, stream=None) -> None:
    """Print one error in the CLI's format (see `engine.fehler.melde_text`), by default on stderr."""
    print(melde_text(fehler), file=stream if stream is not None else sys.stderr)


def melde_sammlung(sammlung: FehlerSammlung, stream=None) -> None:
    stream = stream if stream is not None else sys.stderr
    for f in sammlung.fehler:
        melde(f, stream)
    print(f"\n{len(sammlung.fehler)} Fehler im Regelwerk; `regelwerk check` zeigt alle.", file=stream)


def gemeldet(funktion):
    """Report German errors on the current stderr (1 for rulebook errors, 2 for bad input) instead of leaving it to main."""

    @functools.wraps(funktion)
    def huelle(args) -> int:
        try:
            return funktion(args)
        except FehlerSammlung as exc:
            melde_sammlung(exc)
            return 1
        except RegelwerkFehler as exc:
            melde(exc)
            return 2
    return huelle


def wurzel(args) -> Path:
    """The project root: --wurzel or the folder holding legal/ and rules/."""
    return Path(args.wurzel).resolve() if getattr(args, "wurzel", None) else projektwurzel()


def lade(args) -> Wissensbasis:
    return lade_wissensbasis(wurzel(args))


def datum(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def jahr(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Jahr (vierstellig, z. B. 2024)")
    return int(text)


def prozent(text: str) -> float:
    try:
        wert = float(text.replace(",", ".").rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Prozentzahl") from None
    if not 0 <= wert <= 100:
        raise argparse.ArgumentTypeError(f"„{text}“ liegt nicht zwischen 0 und 100")
    return wert


def falldateien(pfade: list[str]) -> list[Path]:
    """Case files named on the command line; folders are searched for YAML and JSON files."""
    dateien: list[Path] = []
    for p in map(Path, pfade):
        if p.is_dir():
            dateien += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml", ".json") and x.is_file())
        else:
            dateien.append(p)
    return dateien


# the optional parts of an installation (pyproject.toml [project.optional-dependencies]):
# extra -> (import name of a package it brings, what needs it)
ZUSATZ = {
    "site": ("mkdocs", "das veröffentlichte Regelwerk (`regelwerk site build|serve`)"),
    "server": ("fastapi", "den Server mit Formular und API (`regelwerk serve`)"),
    "wirkung": ("numpy", "die Wirkung einer Rechtsänderung auf einen Bestand (`regelwerk wirkung`)"),
}


def braucht(extra: str) -> None:
    """Stop with a German message (exit 2) when the optional part `extra` is not installed."""
    import importlib.util

    modul, wofuer = ZUSATZ[extra]
    if importlib.util.find_spec(modul) is None:
        from ..fehler import AufrufFehler

        raise AufrufFehler(f"für {wofuer} fehlt das Paket `{modul}`: es gehört zum Zusatz `{extra}`, der nicht installiert ist",
                           hilfe=f"im Projektordner `pip install -e '.[{extra}]'` (oder `.[alle]`) in der aktiven Umgebung ausführen")


def vergleichsstand(args, beispiel: str) -> tuple[str | None, int | None]:
    """What `--gegen` / `--gegen-revision` name: (git revision, year); `--gegen 2024` is a year, anything else a
    revision. German error when both name a revision or nothing is named (`beispiel`: a command that works)."""
    from ..fehler import AufrufFehler

    revision, gegen_jahr = args.gegen_revision, None
    if args.gegen is not None:
        if args.gegen.isdigit() and len(args.gegen) == 4:
            gegen_jahr = int(args.gegen)
        elif revision is None:
            revision = args.gegen
        else:
            raise AufrufFehler("--gegen und --gegen-revision nennen beide eine Revision", hilfe="nur eines angeben")
    if revision is None and gegen_jahr is None:
        raise AufrufFehler("nichts zu vergleichen", hilfe=f"--gegen JAHR (mit --jahr) oder --gegen REVISION angeben, z. B. {beispiel}")
    return revision, gegen_jahr

