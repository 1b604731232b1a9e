"""Render decisions: JSON (the public contract), German text and Markdown (a reasoned
Bescheid), and HTML with links into the published rulebook."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlparse

import jinja2

from .entscheidung import Entscheidung
from .format import als_json, deutsch, entschaerfe, md_code, md_text, sichere_texte, terminal_text
from .kompilat import Kompilat
from .ausfuehrung import Schritt
from .rechtstext import html_anker, seitenpfad
from .regeln import Verfahren

FORMATE = ("json", "text", "md", "html")
_PLATZHALTER = re.compile(r"\{([a-z0-9_.]+)\}")
_BETRAG = re.compile(r"\{([a-z0-9_.]+)\} Euro\b")


def ergebnis_namen(verfahren: Iterable[Verfahren]) -> dict[str, str]:
    """German labels of the ergebnis fields, as the Verfahren files name them (in their order)."""
    return {f.feld: f.bezeichnung for v in verfahren for f in v.ergebnis}


def geldwerte(k: Kompilat) -> set[str]:
    """Names whose values are money, shown with two decimals everywhere: ergebnis fields of format `geld`,
    parameters in Euro (`parameter.<id>`) and every fact an explanation writes as an amount (`{name} Euro`)."""
    namen = {f.fakt for f in k.verfahren.ergebnis if f.format == "geld"}
    namen |= {f"parameter.{pid}" for pid, p in k.parameter.items() if p.einheit == "euro"}
    for kr in k.regeln:
        namen |= set(_BETRAG.findall(kr.regel.erklaerung or ""))
    return namen


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


def ist_jahr(name: str) -> bool:
    """A fact naming a calendar year (`jahr`, `erhebungsjahr`, `jahr_der_anzeige`): shown ungrouped."""
    letzter = name.rsplit(".", 1)[-1]
    return letzter.endswith("jahr") or letzter.startswith("jahr_")


def setze_ein(vorlage: str, werte: dict[str, Any], geld: set[str] = frozenset(),
              formatiere: Callable[[Any, str | None], str] = deutsch) -> str:
    """Replace each `{name}` of a German text template by the value, formatted for readers (`deutsch`, or a
    cached equivalent of it).

    Money (a name in `geld`, or a placeholder followed by " Euro") always shows two decimals."""
    def ersetze(m: re.Match) -> str:
        name = m.group(1)
        wert = _wert(werte, name)
        if wert is _FEHLT:
            return m.group(0)
        ist_geld = name in geld or vorlage.startswith(" Euro", m.end())
        if ist_jahr(name):
            return formatiere(wert, "jahr")
        return formatiere(wert, "geld" if ist_geld else None)
    return _PLATZHALTER.sub(ersetze, vorlage)


def erklaerung(schritt: Schritt, geld: set[str] = frozenset()) -> str:
    return setze_ein(schritt.regel.regel.erklaerung, {**schritt.eingaben, **schritt.ergebnisse}, geld)


def schritt_json(nr: int, s: Schritt, k: Kompilat, geld: set[str] = frozenset()) -> dict[str, Any]:
    r = s.regel.regel
    parameter = {}
    eingaben = {}
    for name, wert in s.eingaben.items():
        if name.startswith("parameter."):
            pid = name.split(".", 1)[1]
            w = s.parameter[pid]
            parameter[pid] = {"wert": als_json(wert), "fundstelle": w.fundstelle, "beleg": w.beleg,
                              "gueltig_ab": als_json(w.gueltig_ab), "gueltig_bis": als_json(w.gueltig_bis),
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
        "fundstellen": [{"zitat": f.zitat.text, "anker": f.anker, "fassung_ab": als_json(f.fassung.gueltig_ab),
                         "fassung_bis": als_json(f.fassung.gueltig_bis), "angewandt_fuer": als_json(s.datum),
                         "gueltigkeit_gesichert": f.fassung.gesichert,
                         # what is uncertain about this wording on the step's day (sentences; empty: nothing)
                         "vorbehalt": s.stand.vorbehalt(f) if s.stand is not None else [],
                         "wortlaut": f.wortlaut} for f in s.fundstellen],
        "bedingung": r.wenn_quelle,
        "eingaben": eingaben,
        "parameter": parameter,
        "formeln": {sf.fakt: sf.quelle for sf in r.dann},
        "ergebnisse": als_json(s.ergebnisse),
        "rundung": r.rundung,
        "lesart": r.lesart,
        "erklaerung": erklaerung(s, geld),
        "datei": f"{r.ort}",
        "feststellungen": als_json(s.feststellungen),
        "ermessen": bool(r.ermessen),
    }


def vorbehalte(e: Entscheidung) -> list[dict[str, Any]]:
    """Every caveat on a quoted Fassung as the law of the day it was applied for, once per sentence, with the
    citations and days it was applied for: the decision rests on wording that may not be the law of that day,
    and says in one sentence which days and what is uncertain."""
    gesammelt: dict[tuple[str, str], dict[str, Any]] = {}  # (Fassung's first day, sentence) -> entry
    for s in e.schritte:
        if s.stand is None or not s.stand.ungesichert:
            continue
        tag = s.datum.isoformat() if s.datum is not None else None
        for u in s.stand.ungesichert:
            eintrag = gesammelt.get((u.fassung_ab, u.hinweis))
            if eintrag is None:  # built once per sentence, not for every quote of its Fassung
                eintrag = gesammelt[(u.fassung_ab, u.hinweis)] = {
                    "vorschrift": u.vorschrift, "fassung_ab": u.fassung_ab, "zitate": [u.zitat],
                    "angewandt_fuer": [], "hinweis": u.hinweis}
            elif u.zitat not in eintrag["zitate"]:
                eintrag["zitate"].append(u.zitat)
            if tag is not None and tag not in eintrag["angewandt_fuer"]:
                eintrag["angewandt_fuer"].append(tag)
    for x in list(e.ermessen) + list(e.offene_feststellungen):
        for v in x.get("vorbehalt", ()):
            eintrag = gesammelt.setdefault((v["fassung_ab"], v["hinweis"]), {
                "vorschrift": v["zitat"], "fassung_ab": v["fassung_ab"], "zitate": [],
                "angewandt_fuer": [], "hinweis": v["hinweis"]})
            if v["zitat"] not in eintrag["zitate"]:
                eintrag["zitate"].append(v["zitat"])
            if v["angewandt_fuer"] not in eintrag["angewandt_fuer"]:
                eintrag["angewandt_fuer"].append(v["angewandt_fuer"])
    return sorted(gesammelt.values(), key=lambda v: (v["vorschrift"], v["fassung_ab"], v["hinweis"]))


def nicht_vorgesehen(e: Entscheidung) -> list[dict[str, Any]]:
    """The rules that would have applied but whose provision did not exist on their date, with the reasons."""
    return [{"regel": n["regel"], "titel": n["titel"], "datum": als_json(n["datum"]), "gruende": list(n["gruende"])}
            for n in e.nicht_vorgesehen]


def _jahr(e: Entscheidung) -> int | None:
    jahr = e.fall.eingaben.get("jahr")
    return int(jahr) if jahr is not None else None


def _ermessen(e: Entscheidung, geld: set[str]) -> list[dict[str, Any]]:
    return [als_json({"regel": x["regel"], "zitat": x["zitat"], "wortlaut": x["wortlaut"],
                      "vorbehalt": x.get("vorbehalt", []), "grenzen": [setze_ein(g, x["werte"], geld) for g in x["grenzen"]]})
            for x in e.ermessen]


# The fields of a decision's JSON before and after its trail (`begruendung`), in their order, each with what it holds:
# the one list `als_dict` and the batch's fast writer (`stapel.ausgabe.JsonSchreiber`) both write.
Feld = Callable[[Entscheidung, set], Any]
FELDER_VOR: tuple[tuple[str, Feld], ...] = (
    ("datei", lambda e, geld: e.datei or e.fall.datei),  # display only; `quittung` identifies the case by its hash
    ("art", lambda e, geld: e.fall.art),
    ("jahr", lambda e, geld: _jahr(e)),
    ("ergebnis", lambda e, geld: e.ergebnis),
    ("nicht_ermittelt", lambda e, geld: e.fehlend),
)
FELDER_NACH: tuple[tuple[str, Feld], ...] = (
    ("nicht_automatisiert", lambda e, geld: [{"zitat": n.zitat, "grund": n.grund, "erlaeuterung": n.erlaeuterung}
                                             for n in e.nicht_automatisiert]),
    ("entscheidungsdatum", lambda e, geld: als_json(e.fall.eingaben.get("entscheidungsdatum"))),
    ("feststellungen", lambda e, geld: als_json(e.feststellungen)),
    ("offene_feststellungen", lambda e, geld: als_json(e.offene_feststellungen)),
    ("ermessen", _ermessen),
    # the result rests on wording whose validity on the applied day is not verified
    ("vorbehalte", lambda e, geld: vorbehalte(e)),
    # rules not applied: their provision did not exist on their date
    ("nicht_vorgesehen", lambda e, geld: nicht_vorgesehen(e)),
    ("quittung", lambda e, geld: e.quittung),
)


def als_dict(e: Entscheidung) -> dict[str, Any]:
    geld = geldwerte(e.kompilat)
    daten = {name: feld(e, geld) for name, feld in FELDER_VOR}
    daten["begruendung"] = [schritt_json(i, s, e.kompilat, geld) for i, s in enumerate(e.schritte, 1)]
    daten.update((name, feld(e, geld)) for name, feld in FELDER_NACH)
    return daten


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
    if format_ in ("text", "md"):  # the case's own texts, wherever the decision repeats them, made safe (engine.format)
        ersetzen = sichere_texte(e.fall.daten, md_text if format_ == "md" else terminal_text)
        daten, arbeitgeber, person = entschaerfe(daten, ersetzen), entschaerfe(arbeitgeber, ersetzen), \
            entschaerfe(person, ersetzen)
        daten["datei"] = (md_code if format_ == "md" else terminal_text)(str(daten["datei"]))
    return _umgebung.get_template(vorlage).render(
        d=daten, titel=e.kompilat.verfahren.titel, arbeitgeber=arbeitgeber, person=person,
        namen=ergebnis_namen([e.kompilat.verfahren]), rechtsstand=e.fall.stichtag, geld=geldwerte(e.kompilat),
        site_url=site_url, site_lokal=_lokal(site_url))


def _lokal(site_url: str) -> bool:
    """The links point to a rulebook served on this computer (`regelwerk site serve`)."""
    host = urlparse(site_url).hostname if site_url else None
    return host in ("127.0.0.1", "localhost", "::1")
