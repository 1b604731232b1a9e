"""`regelwerk check` and `regelwerk zeige`: check the whole rulebook; show a provision's wording on a date."""
from __future__ import annotations

import json
import sys
import time
from datetime import date

from ..fehler import FehlerSammlung, RegelwerkFehler
from ..format import als_json, deutsch, sekunden
from ..pruefung import pruefe
from ..rechtstext import lade_rechtsbestand
from ..wissensbasis import lade_wissensbasis
from ..zitate import loese_auf, parse_zitat
from .gemeinsam import datum, deutsche_hilfe, melde, wurzel


def befehl_check(args) -> int:
    start = time.perf_counter()
    fehler: list[RegelwerkFehler] = []
    wb = None
    try:
        wb = lade_wissensbasis(wurzel(args), fehler)
    except FehlerSammlung as exc:
        fehler = exc.fehler
    if wb is not None:
        fehler.extend(pruefe(wb))
    fehler.sort(key=lambda f: (str(f.ort.datei) if f.ort else "", f.ort.zeile or 0 if f.ort else 0))
    for f in fehler:
        melde(f, sys.stdout)
    dauer = time.perf_counter() - start
    if fehler:
        dateien = len({f.ort.datei for f in fehler if f.ort})
        print(f"\n{len(fehler)} Fehler in {dateien} Datei(en) gefunden ({sekunden(dauer)}).")
        return 1
    for e in wb.regelbuch.entwuerfe:
        print(f"{e.ort}: Hinweis: Regel `{e.id}` ist ein Entwurf und gilt in keiner Entscheidung – "
              "fertig schreiben und `entwurf: true` entfernen")
    fassungen = sum(len(v.fassungen) for v in wb.recht.vorschriften.values())
    print(f"Regelwerk in Ordnung: {len(wb.recht.vorschriften)} Vorschriften mit {fassungen} Fassungen, "
          f"{len(wb.regelbuch.regeln)} Regeln, {len(wb.parameter)} Parameter, "
          f"{len(wb.regelbuch.nicht_automatisiert)} nicht automatisierte Stellen"
          + (f", {len(wb.regelbuch.entwuerfe)} Regelentwürfe (gelten nicht)" if wb.regelbuch.entwuerfe else "")
          + f" ({sekunden(dauer)}).")
    return 0



def befehl_zeige(args) -> int:
    basis = wurzel(args)
    bestand = lade_rechtsbestand(basis / "legal", basis)
    stichtag = args.stichtag or date.today()
    ausgaben = []
    for z in parse_zitat(args.zitat, bestand):
        f = loese_auf(z, bestand, stichtag)
        ausgaben.append({
            "zitat": args.zitat, "anker": f.anker, "stichtag": stichtag.isoformat(),
            "vorschrift": f"{'§ ' + f.vorschrift.paragraph + ' ' if f.vorschrift.paragraph else ''}{bestand.gesetze[f.vorschrift.gesetz].kurz}",
            "ueberschrift": f.vorschrift.ueberschrift,
            "fassung": {"gueltig_ab": als_json(f.fassung.gueltig_ab), "gueltig_bis": als_json(f.fassung.gueltig_bis),
                        "gesichert": f.fassung.gesichert, "hinweis": f.fassung.hinweis,
                        "quelle": f.fassung.quelle, "stand": f.fassung.stand,
                        "nachweis": _nachweis(f.fassung.nachweis),
                        # what is uncertain about the quoted wording on the day (the caveat a decision would carry)
                        "vorbehalt": list(f.fassung.vorbehalte_am(stichtag, f.anker))},
            "wortlaut": f.wortlaut,
            "gliederung": [k.anker for k in f.einheit.alle()][1:],
        })
    if args.format == "json":
        print(json.dumps(ausgaben if len(ausgaben) > 1 else ausgaben[0], ensure_ascii=False, indent=2))
        return 0
    for a in ausgaben:
        fa = a["fassung"]
        bis = f"bis {deutsch(fa['gueltig_bis'])}" if fa["gueltig_bis"] else "bis heute"
        print(f"{a['vorschrift']} – {a['ueberschrift']}  [{a['anker']}]")
        print(f"Fassung gültig ab {deutsch(fa['gueltig_ab'])} {bis}"
              + ("" if fa["gesichert"] else " (Geltungsdaten nicht gesichert)"))
        print(f"Stand: {fa['stand']}")
        print(f"Quelle: {fa['quelle']}")
        if fa["hinweis"] and not fa["gesichert"]:
            print(f"Hinweis: {fa['hinweis']}")
        n = fa["nachweis"]
        if n is not None:
            ae = n["aenderung"]
            print(f"Nachweis: {ae['gesetz']} vom {deutsch(ae['vom'])} ({ae['fundstelle']}), {ae['artikel']}; "
                  f"in Kraft ab {deutsch(ae['in_kraft_ab'])} ({ae['inkrafttreten']})")
            for v in n["verglichen_mit"]:
                print(f"  verglichen mit: {v['quelle']}, {v['stand']}" + (f" – {v['ergebnis']}" if v.get("ergebnis") else ""))
        for satz in fa["vorbehalt"]:
            print(f"Vorbehalt: {satz}")
        print()
        print(a["wortlaut"])
        print()
    return 0



def _nachweis(n) -> dict | None:
    """The evidence of a Fassung as JSON (None when it has none)."""
    if n is None:
        return None
    a = n.aenderung
    return {"aenderung": {"gesetz": a.gesetz, "vom": als_json(a.vom), "fundstelle": a.fundstelle, "artikel": a.artikel,
                          "inkrafttreten": a.inkrafttreten, "in_kraft_ab": als_json(a.in_kraft_ab), "beleg": a.beleg},
            "verglichen_mit": [{"quelle": v.quelle, "stand": v.stand, "archiv": v.archiv, "ergebnis": v.ergebnis}
                               for v in n.verglichen_mit],
            "weitere_belege": list(n.weitere_belege)}


def registriere(sub) -> None:
    c = sub.add_parser("check", help="das ganze Regelwerk prüfen (Schema, Zitate, Parameter, Konflikte, Zyklen)")
    c.set_defaults(funktion=befehl_check)

    z = sub.add_parser("zeige", help="Wortlaut einer Vorschrift in der an einem Tag geltenden Fassung zeigen")
    z.add_argument("zitat", metavar="ZITAT", help="z. B. \"§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX\"")
    z.add_argument("--stichtag", type=datum, metavar="DATUM", help="Tag, dessen Fassung gilt (JJJJ-MM-TT; Standard: heute)")
    z.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabeformat")
    z.set_defaults(funktion=befehl_zeige)
    for p in (c, z):
        deutsche_hilfe(p)
