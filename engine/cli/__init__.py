"""Command line: `regelwerk check | zeige | decide | bescheid | test | coverage | diff | neu | recht | wirkung | site | serve`
with German help and errors.

One module per command group registers its subcommands (`registriere(sub)`); shared helpers
live in `gemeinsam`. No command module imports this package module.

Exit codes: 0 success; 1 the knowledge base has errors (check) or tests failed;
2 bad input (case file, citation, arguments); 3 internal error (never a traceback
unless REGELWERK_DEBUG=1).
"""
from __future__ import annotations

import os
import sys
import traceback

from . import autoren, bescheid, bestand, entscheiden, pruefen, recht, server, site
from .gemeinsam import DeutscherParser, deutsche_hilfe, gemeldet

# check, zeige; decide; bescheid; test, coverage, diff, neu; recht; wirkung; site; serve
GRUPPEN = (pruefen, entscheiden, bescheid, autoren, recht, bestand, site, server)


def parser() -> DeutscherParser:
    p = DeutscherParser(prog="regelwerk", description="Regelwerk: Schwerbehindertenrecht (SGB IX) als Regeln mit erklärten Entscheidungen.")
    deutsche_hilfe(p)
    p.add_argument("--wurzel", help="Projektordner mit legal/ und rules/ (Standard: aktueller Ordner)")
    sub = p.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=DeutscherParser)
    sub.required = True
    for gruppe in GRUPPEN:
        gruppe.registriere(sub)
    for a in sub.choices.values():
        deutsche_hilfe(a)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return gemeldet(args.funktion)(args)  # German errors: 1 rulebook, 2 bad input
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for users
        if os.environ.get("REGELWERK_DEBUG"):
            traceback.print_exc()
        print(f"interner Fehler: {type(exc).__name__}: {exc}\n  = hilfe: mit REGELWERK_DEBUG=1 erneut aufrufen und den Fehler melden",
              file=sys.stderr)
        return 3
