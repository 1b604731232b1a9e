"""`regelwerk bescheid FALL [--format md|html|docx|pdf] [-o DATEI] [--behoerde DATEI]`: the decision of
one case written as a Bescheid (engine.bescheid), with the trail as its Anlage „Prüfprotokoll“."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import lade_regelwerk, lies_fall
from ..bescheid import FORMATE, datei_fuer, lade_behoerde
from ..fehler import AufrufFehler
from .gemeinsam import deutsche_hilfe, wurzel


def befehl_bescheid(args) -> int:
    format_ = args.format or _format_aus_endung(args.ausgabe) or "md"
    if format_ in ("docx", "pdf") and not args.ausgabe and sys.stdout.isatty():
        raise AufrufFehler(f"ein {format_.upper()}-Bescheid ist eine Binärdatei und wird nicht ins Terminal geschrieben",
                           hilfe=f"mit -o bescheid.{format_} in eine Datei schreiben oder die Ausgabe umleiten")
    behoerde = lade_behoerde(args.behoerde) if args.behoerde else None
    fall = lies_fall(args.fall)
    with lade_regelwerk(wurzel(args)) as rw:
        daten = datei_fuer(rw.entscheide(fall), format_, behoerde)
    if args.ausgabe:
        try:
            Path(args.ausgabe).write_bytes(daten)
        except OSError as fehler:
            raise AufrufFehler(f"{args.ausgabe}: die Datei kann nicht geschrieben werden ({fehler.strerror or fehler})",
                               hilfe="Ordner und Schreibrechte prüfen") from None
        print(f"Bescheid ({format_}) geschrieben: {args.ausgabe}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(daten)
        sys.stdout.flush()
    return 0


def _format_aus_endung(ausgabe: str | None) -> str | None:
    endung = Path(ausgabe).suffix.lower().lstrip(".") if ausgabe else ""
    return {"markdown": "md", "htm": "html"}.get(endung, endung) if endung in FORMATE + ("markdown", "htm") else None


def registriere(sub) -> None:
    b = sub.add_parser("bescheid", help="einen Fall entscheiden und als Bescheid ausgeben (md, html, docx, pdf)",
                       description="Einen Fall entscheiden und als Bescheid ausgeben: Briefkopf, Entscheidung, Begründung, "
                                   "Ermessenserwägungen, Rechtsbehelfsbelehrung, Hinweise und als Anlage das Prüfprotokoll. "
                                   "Ohne Behördenangaben, Aktenzeichen, Datum und Adressaten bleibt der Bescheid ein Entwurf.")
    b.add_argument("fall", metavar="FALL", help="Falldatei (YAML oder JSON)")
    b.add_argument("--format", choices=FORMATE, default=None,
                   help="md (Standard), html, docx (Word) oder pdf; ohne Angabe aus der Endung von -o")
    b.add_argument("-o", "--ausgabe", metavar="DATEI", default=None, help="in diese Datei schreiben (Standard: Standardausgabe)")
    b.add_argument("--behoerde", metavar="DATEI", default=None,
                   help="Angaben der Behörde (YAML, Schema engine/schemas/behoerde.schema.json; "
                        "Beispiel: site/docs/beispiele/behoerde-beispiel.yaml)")
    b.set_defaults(funktion=befehl_bescheid)
    deutsche_hilfe(b)
