"""Command line: `regelwerk check | zeige | decide | …` with German help and errors.

Exit codes: 0 success; 1 the knowledge base has errors (check) or tests failed;
2 bad input (case file, citation, arguments); 3 internal error (never a traceback
unless REGELWERK_DEBUG=1).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import date
from pathlib import Path

from . import cli_autoren, cli_site
from .fehler import FallFehler, FehlerSammlung, LadeFehler, RegelwerkFehler, SchemaFehler, ZitatFehler
from .wissensbasis import Wissensbasis, lade_wissensbasis, projektwurzel

FORMATE = ("json", "text", "md", "html")


class _Parser(argparse.ArgumentParser):
    """argparse with German messages and exit code 2."""

    def error(self, message: str) -> None:  # noqa: D401
        uebersetzt = (message.replace("the following arguments are required", "folgende Angaben fehlen")
                      .replace("invalid choice", "ungültige Wahl").replace("choose from", "erlaubt")
                      .replace("unrecognized arguments", "unbekannte Angaben")
                      .replace("expected one argument", "erwartet einen Wert"))
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fehler: {uebersetzt}", file=sys.stderr)
        sys.exit(2)


def _deutsche_hilfe(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "Angaben"
    parser._optionals.title = "Optionen"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "diese Hilfe anzeigen und beenden"


def melde(fehler: RegelwerkFehler, stream=sys.stderr) -> None:
    ort = f"{fehler.ort}: " if fehler.ort else ""
    feld = f" (Feld `{fehler.ort.pfad}`)" if fehler.ort and fehler.ort.pfad else ""
    hilfe = f"\n  = hilfe: {fehler.hilfe}" if fehler.hilfe else ""
    print(f"{ort}{fehler.art}: {fehler.was}{feld}{hilfe}", file=stream)


def _wurzel(args) -> Path:
    return Path(args.wurzel).resolve() if getattr(args, "wurzel", None) else projektwurzel()


def lade(args) -> Wissensbasis:
    return lade_wissensbasis(_wurzel(args))


# --- check ---------------------------------------------------------------------------


def befehl_check(args) -> int:
    start = time.perf_counter()
    fehler: list[RegelwerkFehler] = []
    wb = None
    try:
        wb = lade_wissensbasis(_wurzel(args), fehler)
    except FehlerSammlung as exc:
        fehler = exc.fehler
    if wb is not None:
        from .pruefung import pruefe
        fehler.extend(pruefe(wb))
    fehler.sort(key=lambda f: (str(f.ort.datei) if f.ort else "", f.ort.zeile or 0 if f.ort else 0))
    for f in fehler:
        melde(f, sys.stdout)
    dauer = time.perf_counter() - start
    if fehler:
        dateien = len({f.ort.datei for f in fehler if f.ort})
        print(f"\n{len(fehler)} Fehler in {dateien} Datei(en) gefunden ({dauer:.2f} s).")
        return 1
    fassungen = sum(len(v.fassungen) for v in wb.recht.vorschriften.values())
    print(f"Regelwerk in Ordnung: {len(wb.recht.vorschriften)} Vorschriften mit {fassungen} Fassungen, "
          f"{len(wb.regelbuch.regeln)} Regeln, {len(wb.parameter)} Parameter, "
          f"{len(wb.regelbuch.nicht_automatisiert)} nicht automatisierte Stellen ({dauer:.2f} s).")
    return 0


# --- zeige ---------------------------------------------------------------------------


def befehl_zeige(args) -> int:
    from .rechtstext import lade_rechtsbestand
    from .zitate import loese_auf, parse_zitat

    wurzel = _wurzel(args)
    bestand = lade_rechtsbestand(wurzel / "legal", wurzel)
    stichtag = args.stichtag or date.today()
    ausgaben = []
    for z in parse_zitat(args.zitat, bestand):
        f = loese_auf(z, bestand, stichtag)
        ausgaben.append({
            "zitat": args.zitat, "anker": f.anker, "stichtag": stichtag.isoformat(),
            "vorschrift": f"{'§ ' + f.vorschrift.paragraph + ' ' if f.vorschrift.paragraph else ''}{bestand.gesetze[f.vorschrift.gesetz].kurz}",
            "ueberschrift": f.vorschrift.ueberschrift,
            "fassung": {"gueltig_ab": f.fassung.gueltig_ab.isoformat(),
                        "gueltig_bis": f.fassung.gueltig_bis.isoformat() if f.fassung.gueltig_bis else None,
                        "gesichert": f.fassung.gesichert, "hinweis": f.fassung.hinweis,
                        "quelle": f.fassung.quelle, "stand": f.fassung.stand},
            "wortlaut": f.wortlaut,
            "gliederung": [k.anker for k in f.einheit.alle()][1:],
        })
    if args.format == "json":
        print(json.dumps(ausgaben if len(ausgaben) > 1 else ausgaben[0], ensure_ascii=False, indent=2))
        return 0
    for a in ausgaben:
        fa = a["fassung"]
        bis = f"bis {date.fromisoformat(fa['gueltig_bis']):%d.%m.%Y}" if fa["gueltig_bis"] else "bis heute"
        print(f"{a['vorschrift']} – {a['ueberschrift']}  [{a['anker']}]")
        print(f"Fassung gültig ab {date.fromisoformat(fa['gueltig_ab']):%d.%m.%Y} {bis}"
              + ("" if fa["gesichert"] else " (Geltungsdaten nicht gesichert)"))
        print(f"Stand: {fa['stand']}")
        print(f"Quelle: {fa['quelle']}")
        if fa["hinweis"] and not fa["gesichert"]:
            print(f"Hinweis: {fa['hinweis']}")
        print()
        print(a["wortlaut"])
        print()
    return 0


# --- decide --------------------------------------------------------------------------


def falldateien(pfade: list[str]) -> list[Path]:
    dateien: list[Path] = []
    for p in map(Path, pfade):
        if p.is_dir():
            dateien += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml", ".json") and x.is_file())
        else:
            dateien.append(p)
    return dateien


def befehl_decide(args) -> int:
    from .darstellung import rendere
    from .entscheidung import Entscheider
    from .faelle import lade_fall

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
                    from .fehler import Ort
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


# --- main ----------------------------------------------------------------------------


def _datum(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="regelwerk", description="Regelwerk: Schwerbehindertenrecht (SGB IX) als Regeln mit erklärten Entscheidungen.")
    _deutsche_hilfe(p)
    p.add_argument("--wurzel", help="Projektordner mit legal/ und rules/ (Standard: aktueller Ordner)")
    sub = p.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=_Parser)
    sub.required = True

    c = sub.add_parser("check", help="das ganze Regelwerk prüfen (Schema, Zitate, Parameter, Konflikte, Zyklen)")
    c.set_defaults(funktion=befehl_check)

    z = sub.add_parser("zeige", help="Wortlaut einer Vorschrift in der an einem Tag geltenden Fassung zeigen")
    z.add_argument("zitat", metavar="ZITAT", help="z. B. \"§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX\"")
    z.add_argument("--stichtag", type=_datum, metavar="DATUM", help="Tag, dessen Fassung gilt (JJJJ-MM-TT; Standard: heute)")
    z.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabeformat")
    z.set_defaults(funktion=befehl_zeige)

    for name in ("decide", "entscheide"):
        d = sub.add_parser(name, help="Fälle entscheiden und die Begründung ausgeben" + (" (wie decide)" if name != "decide" else ""))
        d.add_argument("faelle", nargs="+", metavar="FALL", help="Falldatei(en) oder Ordner (YAML oder JSON)")
        d.add_argument("--format", choices=FORMATE, default="text", help="json (eine Zeile je Fall), text, md oder html")
        d.add_argument("--motor", choices=("durable", "direkt"), default="durable",
                       help="Regelmotor (durable) oder direkte Auswertung zum Vergleich")
        d.add_argument("--site-url", default="", help="Adresse des veröffentlichten Regelwerks für Links im HTML")
        d.set_defaults(funktion=befehl_decide)

    for modul in (cli_autoren, cli_site):  # test, coverage, diff, neu; site build, site serve
        modul.registriere(sub)
    for a in sub.choices.values():
        _deutsche_hilfe(a)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.funktion(args)
    except FehlerSammlung as exc:
        for f in exc.fehler:
            melde(f)
        print(f"\n{len(exc.fehler)} Fehler im Regelwerk; `regelwerk check` zeigt alle.", file=sys.stderr)
        return 1
    except (FallFehler, ZitatFehler, LadeFehler, SchemaFehler) as exc:
        melde(exc)
        return 2
    except RegelwerkFehler as exc:
        melde(exc)
        return 2
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


if __name__ == "__main__":
    sys.exit(main())
