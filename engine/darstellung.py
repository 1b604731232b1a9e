"""Render decisions: JSON (the public contract), German text and Markdown (a reasoned
Bescheid), and HTML with links into the published rulebook."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2

from .entscheidung import Entscheidung
from .ausfuehrung import Schritt
from .rechtstext import html_anker, seitenpfad
from .regeln import Verfahren

FORMATE = ("json", "text", "md", "html")
_PLATZHALTER = re.compile(r"\{([a-z0-9_.]+)\}")


def ergebnis_namen(verfahren: Iterable[Verfahren]) -> dict[str, str]:
    """German labels of the ergebnis fields, as the Verfahren files name them (in their order)."""
    return {f.feld: f.bezeichnung for v in verfahren for f in v.ergebnis}


def als_json(wert: Any) -> Any:
    """Engine values as JSON: Decimal as exact string, dates ISO."""
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, Decimal):
        return str(wert)
    if isinstance(wert, date):
        return wert.isoformat()
    if isinstance(wert, dict):
        return {k: als_json(v) for k, v in wert.items()}
    if isinstance(wert, (list, tuple)):
        return [als_json(v) for v in wert]
    return wert


def deutsch(wert: Any) -> str:
    """A value as a German reader expects it: 1.234,56; 31.03.2025; ja/nein."""
    if wert is None:
        return "—"
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, date):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", wert):
        return date.fromisoformat(wert).strftime("%d.%m.%Y")
    if isinstance(wert, (int, Decimal)) or (isinstance(wert, str) and re.fullmatch(r"-?\d+(\.\d+)?", wert)):
        d = Decimal(wert)
        exponent = d.as_tuple().exponent
        gekuerzt = isinstance(exponent, int) and exponent < -4
        if gekuerzt:
            d = d.quantize(Decimal("0.0001")).normalize()
        stellen = max(0, -d.as_tuple().exponent) if isinstance(d.as_tuple().exponent, int) else 0
        text = f"{d:,.{stellen}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
        return text + (" …" if gekuerzt else "")
    if isinstance(wert, list):
        if not wert:
            return "keine"
        if all(isinstance(w, dict) for w in wert):
            return "; ".join("(" + ", ".join(f"{k} {deutsch(v)}" for k, v in w.items()) + ")" for w in wert)
        return ", ".join(deutsch(w) for w in wert)
    if isinstance(wert, dict):
        return ", ".join(f"{k}: {deutsch(v)}" for k, v in wert.items())
    return str(wert)


def _wert(werte: dict[str, Any], name: str) -> Any:
    """`name` from the values; a dotted name not found as such is a path into dicts (`eintrag.beginn`)."""
    if name in werte:
        return werte[name]
    kopf, _, rest = name.partition(".")
    wert = werte.get(kopf, _FEHLT)
    for teil in rest.split(".") if rest else ():
        wert = wert.get(teil, _FEHLT) if isinstance(wert, dict) else _FEHLT
    return wert


_FEHLT = object()


def setze_ein(vorlage: str, werte: dict[str, Any], formatiere: Callable[[Any], str] = deutsch) -> str:
    """Replace each `{name}` of a German text template by the value, formatted for readers (`deutsch`, or a
    cached equivalent of it)."""
    def ersetze(m: re.Match) -> str:
        wert = _wert(werte, m.group(1))
        return m.group(0) if wert is _FEHLT else formatiere(wert)
    return _PLATZHALTER.sub(ersetze, vorlage)


def erklaerung(schritt: Schritt) -> str:
    return setze_ein(schritt.regel.regel.erklaerung, {**schritt.eingaben, **schritt.ergebnisse})


def schritt_json(nr: int, s: Schritt, k) -> dict[str, Any]:
    r = s.regel.regel
    parameter = {}
    eingaben = {}
    for name, wert in s.eingaben.items():
        if name.startswith("parameter."):
            pid = name.split(".", 1)[1]
            w = s.parameter[pid]
            parameter[pid] = {"wert": als_json(wert), "fundstelle": w.fundstelle, "beleg": w.beleg,
                              "gueltig_ab": w.gueltig_ab.isoformat(),
                              "gueltig_bis": w.gueltig_bis.isoformat() if w.gueltig_bis else None,
                              # the row (or sentence) of the cited text that shows the value, quoted verbatim
                              "auszug": " | ".join(t.strip() for t in w.auszug.strip().strip("|").split("|"))
                              if w.auszug else None}
        else:
            eingaben[name] = als_json(wert)
    rechtsstand = k.rechtsstaende.get(s.regel.rechtsstand)
    return {
        "nr": nr,
        "regel": r.id,
        "titel": r.titel,
        # the date whose law the step applied, and which named date of the case it is
        "rechtsstand": {"name": s.regel.rechtsstand,
                        "bezeichnung": rechtsstand.bezeichnung if rechtsstand else s.regel.rechtsstand,
                        "datum": als_json(s.datum)},
        "eintrag": als_json(s.eintrag) if s.eintrag is not None else None,
        "fundstellen": [{"zitat": f.zitat.text, "anker": f.anker, "fassung_ab": f.fassung.gueltig_ab.isoformat(),
                         "fassung_bis": als_json(f.fassung.gueltig_bis), "angewandt_fuer": als_json(s.datum),
                         "gueltigkeit_gesichert": f.fassung.gesichert,
                         "wortlaut": f.wortlaut} for f in s.fundstellen],
        "bedingung": r.wenn_quelle,
        "eingaben": eingaben,
        "parameter": parameter,
        "formeln": {sf.fakt: sf.quelle for sf in r.dann},
        "ergebnisse": als_json(s.ergebnisse),
        "rundung": r.rundung,
        "lesart": r.lesart,
        "erklaerung": erklaerung(s),
        "datei": f"{r.ort}",
        "feststellungen": als_json(s.feststellungen),
        "ermessen": bool(r.ermessen),
    }


def vorbehalte(e: Entscheidung) -> list[dict[str, Any]]:
    """Every quoted Fassung whose validity on the day it was applied for is not verified, once each,
    with the citations and days it was applied for: the decision rests on wording that may not be
    the law of that day, and says so."""
    gesammelt: dict[tuple[str, str], dict[str, Any]] = {}

    def nimm(zitat: str, anker: str, fassung, tag) -> None:
        ab = fassung.gueltig_ab.isoformat()
        eintrag = gesammelt.get((anker, ab))
        if eintrag is None:  # built once per Fassung, not for every quote of it
            eintrag = gesammelt[(anker, ab)] = {
                "vorschrift": anker, "fassung_ab": ab, "zitate": [], "angewandt_fuer": [],
                "hinweis": " ".join((fassung.hinweis or "Geltungszeitraum nicht belegt.").split())}
        if zitat not in eintrag["zitate"]:
            eintrag["zitate"].append(zitat)
        if tag is not None and tag.isoformat() not in eintrag["angewandt_fuer"]:
            eintrag["angewandt_fuer"].append(tag.isoformat())

    for s in e.schritte:
        for f in s.fundstellen:
            if not f.fassung.gesichert:
                nimm(f.zitat.text, f.vorschrift.anker, f.fassung, s.datum)
    for x in list(e.ermessen) + list(e.offene_feststellungen):
        for v in x.get("vorbehalt", ()):
            eintrag = gesammelt.setdefault(("zitat:" + v["zitat"], v["fassung_ab"]), {
                "vorschrift": v["zitat"], "fassung_ab": v["fassung_ab"], "zitate": [v["zitat"]],
                "angewandt_fuer": [v["angewandt_fuer"]], "hinweis": v["hinweis"]})
            if v["angewandt_fuer"] not in eintrag["angewandt_fuer"]:
                eintrag["angewandt_fuer"].append(v["angewandt_fuer"])
    return sorted(gesammelt.values(), key=lambda v: (v["vorschrift"], v["fassung_ab"]))


def als_dict(e: Entscheidung) -> dict[str, Any]:
    return {
        "datei": e.datei or e.fall.datei,  # display only; `quittung` identifies the case by its content hash
        "art": e.fall.art,
        "jahr": int(e.fall.eingaben.get("jahr")) if e.fall.eingaben.get("jahr") is not None else None,
        "ergebnis": e.ergebnis,
        "nicht_ermittelt": e.fehlend,
        "begruendung": [schritt_json(i, s, e.kompilat) for i, s in enumerate(e.schritte, 1)],
        "nicht_automatisiert": [{"zitat": n.zitat, "grund": n.grund, "erlaeuterung": n.erlaeuterung}
                                for n in e.nicht_automatisiert],
        "entscheidungsdatum": als_json(e.fall.eingaben.get("entscheidungsdatum")),
        "feststellungen": als_json(e.feststellungen),
        "offene_feststellungen": als_json(e.offene_feststellungen),
        "ermessen": [als_json({"regel": x["regel"], "zitat": x["zitat"], "wortlaut": x["wortlaut"],
                               "vorbehalt": x.get("vorbehalt", []),
                               "grenzen": [setze_ein(g, x["werte"]) for g in x["grenzen"]]}) for x in e.ermessen],
        # the result rests on wording whose validity on the applied day is not verified
        "vorbehalte": vorbehalte(e),
        "quittung": e.quittung,
    }


_umgebung = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "vorlagen")),
    # escape by default (bescheid.html.j2 ends in .j2, which ["html"] never matched); only plain text and Markdown are raw
    autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2", "htm.j2", "xml.j2"),
                                        disabled_extensions=("txt.j2", "md.j2"), default=True, default_for_string=True),
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)
_umgebung.filters["deutsch"] = deutsch


def rendere(e: Entscheidung, format_: str, site_url: str = "") -> str:
    daten = als_dict(e)
    if format_ == "json":
        return json.dumps(daten, ensure_ascii=False, sort_keys=False)
    for s, roh in zip(daten["begruendung"], e.schritte):
        for f, fs in zip(s["fundstellen"], roh.fundstellen):
            f["link"] = (f"{site_url.rstrip('/')}/" if site_url else "") + \
                seitenpfad(fs.vorschrift.gesetz, fs.vorschrift.paragraph) + "#" + html_anker(fs.fassung.gueltig_ab, fs.anker)
    vorlage = {"text": "bescheid.txt.j2", "md": "bescheid.md.j2", "html": "bescheid.html.j2"}[format_]
    arbeitgeber = (e.fall.daten.get("arbeitgeber") or {}).get("name")
    person = (e.fall.daten.get("person") or {}).get("name") if isinstance(e.fall.daten.get("person"), dict) else None
    return _umgebung.get_template(vorlage).render(
        d=daten, titel=e.kompilat.verfahren.titel, arbeitgeber=arbeitgeber, person=person,
        namen=ergebnis_namen([e.kompilat.verfahren]), rechtsstand=e.fall.stichtag)
