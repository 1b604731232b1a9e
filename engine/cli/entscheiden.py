"""`regelwerk decide` (alias `entscheide`): decide case files and print the reasoned decision."""
from __future__ import annotations

import sys

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
            text = rendere(ergebnis, args.format, site_url=args.site_url)
            if args.format == "json" or i == 0:
                print(text, end="" if text.endswith("\n") else "\n")
            else:
                print("\n" + ("-" * 72 if args.format == "text" else "---") + "\n")
                print(text, end="")
    return code



def registriere(sub) -> None:
    for name in ("decide", "entscheide"):
        d = sub.add_parser(name, help="Fälle entscheiden und die Begründung ausgeben" + (" (wie decide)" if name != "decide" else ""))
        d.add_argument("faelle", nargs="+", metavar="FALL", help="Falldatei(en) oder Ordner (YAML oder JSON)")
        d.add_argument("--format", choices=FORMATE, default="text", help="json (eine Zeile je Fall), text, md oder html")
        d.add_argument("--motor", choices=("durable", "direkt"), default="durable",
                       help="Regelmotor (durable) oder direkte Auswertung zum Vergleich")
        d.add_argument("--site-url", default="", help="Adresse des veröffentlichten Regelwerks für Links im HTML")
        d.set_defaults(funktion=befehl_decide)
        deutsche_hilfe(d)
