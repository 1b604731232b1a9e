"""Commands for legal experts who write rules and test cases:
`regelwerk test`, `regelwerk coverage`, `regelwerk diff`, `regelwerk neu regel`.

Registered by engine.cli (`registriere`); exit codes follow pytest for
`test` (0 passed, 1 failed, 2 bad input, 5 nothing collected) and the CLI's
convention elsewhere (0 ok, 1 threshold missed, 2 bad input).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..autoren.abdeckung import als_text, berechne
from ..autoren.auswahl import passt
from ..autoren.testfaelle import fuehre_aus, lade_testfall, sammle
from ..autoren.vorlage_regel import neue_regel
from ..autoren.wirkung import berechne_wirkung, lade_revision, rendere_wirkung
from ..entscheidung import Entscheider
from ..fehler import AufrufFehler, Ort, RegelwerkFehler
from ..format import prozent as prozenttext  # .gemeinsam.prozent reads the option
from .gemeinsam import datum, deutsche_hilfe, gemeldet, jahr, lade, melde, prozent, vergleichsstand, wurzel


def _standardfaelle(wurzel: Path, pfade: list[str] | None) -> list[Path]:
    if pfade:
        return [Path(p) for p in pfade]
    return [wurzel / "tests" / "cases"]


# --- test ------------------------------------------------------------------------------


@gemeldet
def befehl_test(args) -> int:
    basis = wurzel(args)
    try:
        dateien = sammle(_standardfaelle(basis, args.pfade))
    except RegelwerkFehler as exc:
        melde(exc, sys.stderr)
        return 2
    testfaelle = []
    for datei in dateien:
        try:
            tf = lade_testfall(datei)
        except RegelwerkFehler as exc:
            melde(exc, sys.stderr)
            return 2
        if passt(args.k, f"{tf.id} {tf.titel} {tf.anzeigename}"):
            testfaelle.append(tf)
    if not testfaelle:
        print("keine Testfälle gefunden" + (f" (Filter -k „{args.k}“)" if args.k else ""), file=sys.stderr)
        return 5
    wb = lade(args)
    bestanden = fehlgeschlagen = 0
    ergebnisse = []
    with Entscheider(wb, motor=args.motor) as entscheider:
        for tf in testfaelle:
            try:
                e = fuehre_aus(tf, wb, entscheider)
            except RegelwerkFehler as exc:
                if exc.ort is None:
                    exc.ort = Ort(tf.anzeigename)
                melde(exc, sys.stderr)
                return 2
            ergebnisse.append(e)
            if e.bestanden:
                bestanden += 1
                if args.ausfuehrlich and args.format == "text":
                    print(e.bericht())
            else:
                fehlgeschlagen += 1
                if args.format == "text":
                    print(e.bericht())
                    print()
    if args.format == "json":
        print(json.dumps({"bestanden": bestanden, "fehlgeschlagen": fehlgeschlagen,
                          "faelle": [e.als_dict() for e in ergebnisse]}, ensure_ascii=False, indent=2))
    else:
        print(f"{bestanden} bestanden, {fehlgeschlagen} fehlgeschlagen")
    return 1 if fehlgeschlagen else 0


# --- coverage --------------------------------------------------------------------------


@gemeldet
def befehl_coverage(args) -> int:
    wb = lade(args)
    faelle = Path(args.faelle) if args.faelle else None
    abdeckung = berechne(wb, faelle, stichtag=args.stichtag, gesetz=args.gesetz,
                         nur_zitierte=args.nur_zitierte)
    if args.format == "json":
        print(json.dumps(abdeckung.als_dict(), ensure_ascii=False, indent=2))
    else:
        print(als_text(abdeckung, alle=args.alle), end="")
    if args.mindestens is not None and abdeckung.prozent < args.mindestens:
        print(f"Abdeckung {prozenttext(abdeckung.prozent, 1)} liegt unter dem Mindestwert {prozenttext(args.mindestens)}",
              file=sys.stderr)
        return 1
    return 0


# --- diff ------------------------------------------------------------------------------


@gemeldet
def befehl_diff(args) -> int:
    basis = wurzel(args)
    revision, gegen_jahr = vergleichsstand(args, "`regelwerk diff --jahr 2023 --gegen 2024` oder `regelwerk diff --gegen HEAD`")
    wb_neu = lade(args)
    dateien = sammle(_standardfaelle(basis, args.pfade))
    if not dateien:
        raise AufrufFehler("keine Falldateien gefunden", hilfe="Pfad prüfen")
    if revision is not None:
        with lade_revision(basis, revision) as wb_alt:
            wirkung = berechne_wirkung(dateien, wb_alt, wb_neu, jahr_alt=args.jahr, jahr_neu=args.jahr,
                                       name_alt=revision, name_neu="Arbeitsstand",
                                       ignorieren=tuple(args.ignoriere))
    else:
        wirkung = berechne_wirkung(dateien, wb_neu, wb_neu, jahr_alt=args.jahr, jahr_neu=gegen_jahr,
                                   name_alt=str(args.jahr) if args.jahr else "Jahr des Falls", name_neu=str(gegen_jahr),
                                   ignorieren=tuple(args.ignoriere))
    print(rendere_wirkung(wirkung, args.format), end="")
    return 0


# --- neu -------------------------------------------------------------------------------


@gemeldet
def befehl_neu_regel(args) -> int:
    basis = wurzel(args)
    ergebnis = neue_regel(basis, args.zitat, args.art, regel_id=args.id, datei=Path(args.datei) if args.datei else None,
                          ab=args.ab)
    print(ergebnis.hinweise())
    return 0


# --- registration ----------------------------------------------------------------------


def registriere(sub) -> None:
    t = sub.add_parser("test", help="Testfälle entscheiden und mit dem erwarteten Ergebnis vergleichen")
    t.add_argument("pfade", nargs="*", metavar="PFAD", help="Testfalldatei(en) oder Ordner (Standard: tests/cases)")
    t.add_argument("-k", metavar="AUSDRUCK", help="nur Fälle, deren Name/Titel passt, z. B. -k \"staffel and not 2005\"")
    t.add_argument("--motor", choices=("durable", "direkt"), default="durable", help="Regelmotor")
    t.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabeformat")
    t.add_argument("-v", "--ausfuehrlich", action="store_true", help="auch bestandene Fälle nennen")
    t.set_defaults(funktion=befehl_test)

    c = sub.add_parser("coverage", aliases=["abdeckung"],
                       help="welche Sätze des Gesetzes Regeln umsetzen und Testfälle prüfen")
    c.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabeformat")
    c.add_argument("--mindestens", type=prozent, metavar="PROZENT",
                   help="Fehlschlag (Code 1), wenn die Gesamtabdeckung darunter liegt")
    c.add_argument("--faelle", metavar="ORDNER", help="Ordner der Testfälle (Standard: tests/cases)")
    c.add_argument("--stichtag", type=datum, metavar="DATUM", help="nur die an diesem Tag geltenden Fassungen")
    c.add_argument("--gesetz", metavar="ID", help="nur Vorschriften dieses Gesetzes (z. B. sgb9)")
    c.add_argument("--nur-zitierte", action="store_true",
                   help="nur Vorschriften, die eine Regel, ein Parameter oder eine Markierung zitiert")
    c.add_argument("--alle", action="store_true", help="auch vollständig abgedeckte Fassungen einzeln zeigen")
    c.set_defaults(funktion=befehl_coverage)

    d = sub.add_parser("diff", help="Wirkung einer Änderung auf die Fälle: anderes Jahr oder andere Revision")
    d.add_argument("pfade", nargs="*", metavar="PFAD", help="Fall- oder Testfalldateien oder Ordner (Standard: tests/cases)")
    d.add_argument("--jahr", type=jahr, metavar="JAHR", help="die Fälle mit diesem Jahr entscheiden (Standard: Jahr des Falls)")
    d.add_argument("--gegen", metavar="JAHR|REVISION",
                   help="vierstellig: Rechtsstand dieses Jahres statt --jahr; sonst eine Git-Revision (z. B. HEAD), "
                        "deren Regelwerk mit dem Arbeitsstand verglichen wird")
    d.add_argument("--gegen-revision", metavar="REVISION", help="Git-Revision als Vergleichsstand (wie --gegen HEAD)")
    d.add_argument("--ignoriere", action="append", default=[], metavar="FELD",
                   help="Ergebnisfeld nicht vergleichen (mehrfach möglich), z. B. faellig_am beim Jahresvergleich")
    d.add_argument("--format", choices=("text", "md", "json"), default="text", help="Ausgabeformat")
    d.set_defaults(funktion=befehl_diff)

    n = sub.add_parser("neu", help="Gerüst für neue Inhalte anlegen")
    nsub = n.add_subparsers(dest="was", metavar="WAS", parser_class=sub._parser_class)
    nsub.required = True
    r = nsub.add_parser("regel", help="Regelgerüst zu einer Fundstelle anlegen")
    r.add_argument("zitat", metavar="ZITAT", help="z. B. \"§ 160 Abs. 2 Satz 1 SGB IX\"")
    r.add_argument("--art", required=True, help="Entscheidungsart, z. B. ausgleichsabgabe")
    r.add_argument("--id", help="Regel-ID (Standard: aus Art und Fundstelle)")
    r.add_argument("--datei", metavar="PFAD", help="Regeldatei, an die angefügt wird (Standard: rules/<art>/entwurf.yaml)")
    r.add_argument("--ab", type=datum, metavar="DATUM", help="Fassung, die an diesem Tag gilt (Standard: heute)")
    r.set_defaults(funktion=befehl_neu_regel)
    for p in (t, c, d, n, r):
        deutsche_hilfe(p)
