"""`regelwerk recht vergleiche | importiere`: legal/ against the official XML of gesetze-im-internet.de."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..autoren.gii import GiiDatei, lies_gii
from ..autoren.rechtsvergleich import bericht, gesetz_der_datei, importiere, schreibe, vergleiche
from ..fehler import AufrufFehler, Ort, relativ
from ..format import datum as datum_text
from ..rechtstext import lade_rechtsbestand
from .gemeinsam import datum, deutsche_hilfe, wurzel


def _stichtag(datei: GiiDatei, args) -> date:
    tag = args.stichtag or datei.stand_datum
    if tag is None:
        raise AufrufFehler("die Datei nennt kein builddate, aus dem der Stichtag folgt", Ort(datei.datei),
                           "den Tag, dessen Recht die Datei zeigt, mit --stichtag JJJJ-MM-TT angeben")
    return tag


def _lies(args):
    """The project root, its statute texts, the official XML file, its law and the day whose law it shows."""
    basis = wurzel(args)
    recht = lade_rechtsbestand(basis / "legal", basis)
    datei = lies_gii(Path(args.xml), relativ(args.xml))
    return basis, recht, datei, gesetz_der_datei(datei, recht, args.gesetz), _stichtag(datei, args)


def befehl_vergleiche(args) -> int:
    _, recht, datei, gesetz, stichtag = _lies(args)
    ergebnisse = vergleiche(datei, recht, stichtag, gesetz)
    print(bericht(datei, ergebnisse, stichtag, gesetz))
    return 1 if any(e.abweichungen for e in ergebnisse) else 0


def befehl_importiere(args) -> int:
    basis, recht, datei, gesetz, ab = _lies(args)
    imp = importiere(datei, args.paragraph, recht, gesetz, basis / "legal", ab)
    if imp.gleich_mit is not None:
        print(f"§ {args.paragraph} {gesetz.kurz}: der amtliche Text stimmt mit der Fassung ab "
              f"{datum_text(imp.gleich_mit.gueltig_ab)} überein ({relativ(imp.ziel, basis)}); nichts zu übernehmen.")
        return 0
    if not args.schreiben:
        print(f"# neue Fassung für {relativ(imp.ziel, basis)} (unter `fassungen:` einfügen; mit --schreiben anhängen)")
        print(imp.block, end="")
        return 0
    norm = datei.norm(args.paragraph)
    print(schreibe(imp, gesetz, norm, ab, basis))
    print("Bitte Beginn (gueltig_ab), Vorbehalt und Nachweis prüfen; dann `regelwerk check`.")
    return 0


def registriere(sub) -> None:
    r = sub.add_parser("recht", help="legal/ mit der amtlichen XML-Fassung von gesetze-im-internet.de vergleichen "
                                     "oder eine Norm daraus übernehmen")
    unter = r.add_subparsers(dest="recht_befehl", metavar="BEFEHL", parser_class=type(r))
    unter.required = True
    v = unter.add_parser("vergleiche", help="jede Vorschrift der Datei, die legal/ enthält, mit der am Stichtag "
                                            "geltenden Fassung vergleichen (Exit 1 bei Abweichung)")
    v.add_argument("xml", metavar="XML", help="amtliche XML-Datei, z. B. BJNR323410016.xml")
    v.set_defaults(funktion=befehl_vergleiche)
    i = unter.add_parser("importiere", help="eine Norm der Datei als neue Fassung im Format von legal/ ausgeben "
                                            "(oder mit --schreiben anhängen)")
    i.add_argument("xml", metavar="XML", help="amtliche XML-Datei, z. B. BJNR323410016.xml")
    i.add_argument("--paragraph", required=True, metavar="N", help="Paragraphennummer, z. B. 160 oder 2a")
    i.add_argument("--schreiben", action="store_true", help="die Fassung an die Datei in legal/ anhängen "
                                                            "(die offene Vorgängerfassung endet am Vortag)")
    i.set_defaults(funktion=befehl_importiere)
    for p in (v, i):
        p.add_argument("--gesetz", metavar="ID", help="Gesetz aus legal/gesetze.yaml (Standard: nach der Abkürzung "
                                                      "in der Datei, z. B. SGB IX → sgb9)")
        p.add_argument("--stichtag", type=datum, metavar="DATUM",
                       help="Tag, dessen Recht die Datei zeigt (JJJJ-MM-TT; Standard: ihr builddate)")
    for p in (r, v, i):
        deutsche_hilfe(p)
