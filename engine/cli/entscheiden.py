"""`regelwerk decide` (alias `entscheide`): decide case files and print the reasoned decision."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from ..darstellung import FORMATE, rendere
from ..entscheidung import Entscheider
from ..faelle import lade_fall
from ..fehler import FallFehler, Ort, RegelwerkFehler
from .gemeinsam import deutsche_hilfe, falldateien, lade, melde


def befehl_decide(args) -> int:
    wb = lade(args)
    dateien = falldateien(args.faelle)
    if not dateien:
        print("fehler: keine Falldateien gefunden", file=sys.stderr)
        return 2
    code = 0
    site_url = args.site_url if args.site_url is not None else standard_site_url(wb.wurzel)
    with Entscheider(wb, motor=args.motor) as entscheider:
        for i, datei in enumerate(dateien):
            try:
                if not datei.exists():
                    raise FallFehler("Datei nicht gefunden", hilfe="Pfad prüfen")
                fall = lade_fall(datei, wb)
                ergebnis = entscheider.entscheide(fall)
            except RegelwerkFehler as exc:
                if exc.ort is None:
                    exc.ort = Ort(str(datei))
                melde(exc)
                code = 2
                continue
            text = rendere(ergebnis, args.format, site_url=site_url)
            if args.format == "json" or i == 0:
                print(text, end="" if text.endswith("\n") else "\n")
            else:
                print("\n" + ("-" * 72 if args.format == "text" else "---") + "\n")
                print(text, end="")
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
        d = sub.add_parser(name, help="Fälle entscheiden und die Begründung ausgeben" + (" (wie decide)" if name != "decide" else ""))
        d.add_argument("faelle", nargs="+", metavar="FALL", help="Falldatei(en) oder Ordner (YAML oder JSON)")
        d.add_argument("--format", choices=FORMATE, default="text", help="json (eine Zeile je Fall), text, md oder html")
        d.add_argument("--motor", choices=("durable", "direkt"), default="durable",
                       help="Regelmotor (durable) oder direkte Auswertung zum Vergleich")
        d.add_argument("--site-url", default=None,
                       help="Adresse des Regelwerks für die Links im HTML (Standard: site_url aus mkdocs.yml, "
                            "sonst die lokale Ausgabe von `regelwerk site serve` unter " + LOKALE_SITE + ")")
        d.set_defaults(funktion=befehl_decide)
        deutsche_hilfe(d)
