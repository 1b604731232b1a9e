"""`regelwerk decide` (alias `entscheide`): decide cases and print the reasoned decisions.

Inputs: case files (YAML/JSON), folders of them, JSON Lines (`*.jsonl`, one case per line) and
the levy CSV (one row per employer and month). Outputs: the Bescheid (text, md, html) or JSON
Lines in input order on standard output, a CSV summary (`--csv`), one Bescheid file per case
(`--bescheide`). Cases are decided by worker processes (`--jobs N`, default all cores); a bad
case gets an error record at its place and never stops the others. Exit code 0 when every case
was decided, 2 when at least one was bad input, 3 after an internal error.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from ..stapel.lauf import entscheide_stapel, lies_optionen, registriere_optionen
from ..stapel.adapter import lade_regelwerk
from .gemeinsam import deutsche_hilfe, wurzel

FORMATE = ("json", "text", "md", "html")


def befehl_decide(args) -> int:
    rw = lade_regelwerk(wurzel(args), motor=args.motor)  # a broken rulebook: FehlerSammlung, exit 1 (main)
    if args.site_url is None:  # HTML links: the published address, else the local `regelwerk site serve`
        args.site_url = standard_site_url(rw.wurzel)
    code, bilanz = entscheide_stapel(args.faelle, lies_optionen(args), str(rw.wurzel), rw=rw)
    if bilanz.faelle == 0:
        print("fehler: keine Falldateien gefunden\n  = hilfe: YAML-, JSON-, JSONL- oder CSV-Dateien oder einen Ordner "
              "mit solchen Dateien angeben", file=sys.stderr)
        return 2
    print(bilanz.zeile(), file=sys.stderr)
    return code


LOKALE_SITE = "http://127.0.0.1:8000/"  # `regelwerk site serve` (default port)


def standard_site_url(wurzel: Path) -> str:
    """Where the HTML decision's citations link to when --site-url is not given: the published
    address (`site_url` in mkdocs.yml), else the local `regelwerk site serve`. Links are absolute
    either way, so that a decision saved as a file and opened in a browser has no dead links."""
    try:
        konfig = yaml.safe_load((wurzel / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        konfig = {}
    adresse = konfig.get("site_url") if isinstance(konfig, dict) else None
    return str(adresse) if adresse else LOKALE_SITE


def registriere(sub) -> None:
    for name in ("decide", "entscheide"):
        d = sub.add_parser(name, help="Fälle entscheiden und die Begründung ausgeben" + (" (wie decide)" if name != "decide" else ""),
                           description="Fälle entscheiden: Falldateien (YAML/JSON), Ordner, JSON Lines (*.jsonl, ein Fall "
                                       "je Zeile) oder die CSV-Anzeige der Ausgleichsabgabe. Ein fehlerhafter Fall ergibt "
                                       "an seiner Stelle einen Fehlerdatensatz; Exit-Code 2, wenn ein Fall fehlerhaft war.")
        d.add_argument("faelle", nargs="+", metavar="FALL",
                       help="Falldatei(en), Ordner, .jsonl- oder .csv-Dateien")
        d.add_argument("--format", choices=FORMATE, default=None,
                       help="text (Standard), md, html (Bescheide) oder json (eine Zeile je Fall, in Eingabereihenfolge)")
        d.add_argument("--motor", choices=("durable", "direkt"), default="durable",
                       help="Regelmotor (durable) oder direkte Auswertung zum Vergleich")
        d.add_argument("--site-url", default=None,
                       help="Adresse des Regelwerks für die Links im HTML (Standard: site_url aus mkdocs.yml, "
                            "sonst die lokale Ausgabe von `regelwerk site serve` unter " + LOKALE_SITE + ")")
        registriere_optionen(d)
        d.set_defaults(funktion=befehl_decide)
        deutsche_hilfe(d)
