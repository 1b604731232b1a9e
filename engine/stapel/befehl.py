"""The batch run as a command: parse options, run, print the summary line, exit code."""
from __future__ import annotations

import argparse
import sys

from .adapter import FehlerSammlung, RegelwerkFehler
from .ausgabe import fehler_text
from .lauf import entscheide_stapel, lies_optionen, registriere_optionen


def ausfuehren(args) -> int:
    """Run `decide` with parsed arguments (faelle, format, site_url, batch options, wurzel)."""
    try:
        code, bilanz = entscheide_stapel(args.faelle, lies_optionen(args), getattr(args, "wurzel", None))
    except FehlerSammlung as exc:
        for f in exc.fehler:
            print(fehler_text(f), file=sys.stderr)
        print(f"\n{len(exc.fehler)} Fehler im Regelwerk; `regelwerk check` zeigt alle.", file=sys.stderr)
        return 1
    except RegelwerkFehler as exc:
        print(fehler_text(exc), file=sys.stderr)
        return 2
    if bilanz.faelle == 0:
        print("fehler: keine Falldateien gefunden", file=sys.stderr)
        return 2
    print(bilanz.zeile(), file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m engine.stapel", description="Fälle stapelweise entscheiden.")
    p.add_argument("faelle", nargs="+", metavar="FALL", help="Falldateien, Ordner, .jsonl- oder .csv-Dateien")
    p.add_argument("--format", choices=("json", "text", "md", "html"), default="json")
    p.add_argument("--site-url", default="")
    p.add_argument("--wurzel")
    registriere_optionen(p)
    try:
        return ausfuehren(p.parse_args(argv))
    except KeyboardInterrupt:
        return 130
