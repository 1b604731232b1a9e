"""`regelwerk wirkung`: what the levy raises over a caseload under the law of one year (or revision) versus another.

    regelwerk wirkung --bestand faelle.jsonl --jahr 2023 --gegen 2024
    regelwerk wirkung --bestand anzeigen.csv --jahr 2024 --gegen-revision HEAD~3 --format md --diagramm w.svg

Exit codes: 0 done (cases that cannot be decided are listed in the report), 2 bad arguments or input files.
"""
from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from ..entscheidung import Entscheider
from ..fehler import AufrufFehler, Ort
from ..format import sekunden, zahl
from .gemeinsam import braucht, deutsche_hilfe, gemeldet, jahr, lade, vergleichsstand, wurzel


@gemeldet
def befehl_wirkung(args) -> int:
    braucht("wirkung")
    # imported here: NumPy is loaded only by this command, not by every start of the command line
    from ..autoren.wirkung import lade_revision
    from ..bestand.bericht import rendere, svg, vergleiche
    from ..bestand.rechnung import ART, hat_recht, rechne
    from ..bestand.spalten import lies_bestand

    revision, gegen_jahr = vergleichsstand(args, "`regelwerk wirkung --bestand faelle.jsonl --jahr 2023 --gegen 2024`")
    for pfad in args.bestand:
        if not Path(pfad).exists():
            raise AufrufFehler(f"Bestand `{pfad}` nicht gefunden", Ort(pfad), "Pfad einer JSON-Lines- oder CSV-Datei "
                               "(oder eines Ordners mit Falldateien) angeben")
    wb_neu = lade(args)
    with Entscheider(wb_neu, motor="direkt") as pruefer:
        k = pruefer.kompilat(ART)
        for j in (args.jahr, gegen_jahr):
            if j is not None and not hat_recht(k, j):
                jahre = [y for y in range(1900, 2101) if hat_recht(k, y)]
                raise AufrufFehler(f"für das Jahr {j} ist im Regelwerk kein Recht der Ausgleichsabgabe hinterlegt",
                                   hilfe=f"erlaubt sind die Jahre {jahre[0]} bis {jahre[-1]}" if jahre else None)
    start = time.perf_counter()
    bestand = lies_bestand(list(args.bestand))
    gelesen = time.perf_counter()
    with contextlib.ExitStack() as stapel:
        if revision is not None:
            wb_alt = stapel.enter_context(lade_revision(wurzel(args), revision))
            jahr_alt, jahr_neu = args.jahr, args.jahr
            name_alt = f"{revision}" + (f" ({args.jahr})" if args.jahr else "")
            name_neu = "Arbeitsstand" + (f" ({args.jahr})" if args.jahr else "")
        else:
            wb_alt = wb_neu
            jahr_alt, jahr_neu = args.jahr, gegen_jahr
            name_alt, name_neu = (str(args.jahr) if args.jahr else "Jahr des Falls"), str(gegen_jahr)
        e_alt = stapel.enter_context(Entscheider(wb_alt, motor=args.motor))
        e_neu = e_alt if wb_neu is wb_alt else stapel.enter_context(Entscheider(wb_neu, motor=args.motor))
        vorher = rechne(wb_alt, bestand, jahr_alt, e_alt)
        nachher = rechne(wb_neu, bestand, jahr_neu, e_neu)
    gerechnet = time.perf_counter()
    v = vergleiche(wb_alt, vorher, nachher, name_alt, name_neu, jahr_alt)
    print(rendere(v, args.format), end="")
    if args.diagramm:
        Path(args.diagramm).write_text(svg(v), encoding="utf-8")
    if args.zeiten:
        print(f"Lesen {sekunden(gelesen - start)}, Rechnen beider Seiten {sekunden(gerechnet - gelesen)} "
              f"({zahl(v.faelle)} Fälle)", file=sys.stderr)
    return 0


def registriere(sub) -> None:
    w = sub.add_parser("wirkung", help="Aufkommen der Ausgleichsabgabe über einen Bestand: ein Jahr oder eine "
                                       "Revision gegen eine andere, nach Staffel und Größenklasse")
    w.add_argument("--bestand", nargs="+", required=True, metavar="DATEI",
                   help="Fälle: JSON Lines (.jsonl), die CSV der Anzeige (.csv) oder Ordner mit Falldateien")
    w.add_argument("--jahr", type=jahr, metavar="JAHR", help="alle Fälle nach dem Recht dieses Jahres (Standard: Jahr des Falls)")
    w.add_argument("--gegen", metavar="JAHR|REVISION",
                   help="vierstellig: Recht dieses Jahres als Vergleich; sonst eine Git-Revision, deren Regelwerk "
                        "mit dem Arbeitsstand verglichen wird")
    w.add_argument("--gegen-revision", metavar="REVISION", help="Git-Revision als Vergleichsstand (wie `diff`)")
    w.add_argument("--format", choices=("text", "md", "json"), default="text", help="Ausgabeformat")
    w.add_argument("--diagramm", metavar="DATEI.svg", help="Balkendiagramm der Zahlbeträge je Größenklasse als SVG")
    w.add_argument("--motor", choices=("durable", "direkt"), default="durable",
                   help="Regelmotor für die Fälle, die nicht vektorisiert berechnet werden")
    w.add_argument("--zeiten", action="store_true", help="Dauer von Lesen und Rechnen auf stderr ausgeben")
    w.set_defaults(funktion=befehl_wirkung)
    deutsche_hilfe(w)
