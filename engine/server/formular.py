"""German decision forms generated from the case schemas, and form fields back to a case.

Each `art` gets one form: scalar fields become inputs (date, number, choice, yes/no),
nested objects fieldsets, lists of objects repeated entries (the levy's twelve months a
table with the columns of the Anzeige). Labels come from the rulebook's glossary
(rules/begriffe.yaml, `Regelbuch.bezeichnung` / `wert_bezeichnung`) or the schema's `title`,
help from its `description`. The human findings of an art (rules/*/*.yaml `feststellungen:`)
are asked as their German questions. Field names are paths such as
``monate.3.arbeitsplaetze``; `fall_aus_formular` turns them back into a case, German numbers
("11.900,00", "1.452") and dates ("12.06.2024") included.

`entscheide_formular` runs in a worker process: every schema error of the case at once
(each with its field path), else the decision with its Bescheid (engine.bescheid) and the
trail as the Prüfprotokoll; `entscheidung_html` makes the page of it.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from html import escape
from typing import Any

from ..stapel.adapter import deutsch, kurz

ZEILEN = 3  # entries offered for lists other than months
_NAMEN = {"ausgleichsabgabe": "Ausgleichsabgabe", "status": "Status (§§ 2, 151 SGB IX)",
          "leistung": "Leistung (§ 185 SGB IX)", "entziehung": "Entziehung (§ 200 SGB IX)",
          "verwendung": "Verwendung der Ausgleichsabgabe", "kuendigung": "Kündigungsschutz (§§ 168–175 SGB IX)"}
LEER = "— keine Angabe —"
_MEHRZEILIG = {"wuerdigung", "zusammenfassung", "begruendung", "anschrift", "text"}
# always open: what a decision on the merits needs; other optional groups open when filled or wrong
_OFFEN = {"feststellungen", "arbeitgeber", "person", "arbeitsverhaeltnis", "antrag"}

FAVICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
               '<rect width="32" height="32" rx="6" fill="#1a4f8b"/>'
               '<text x="16" y="24" font-family="serif" font-size="22" font-weight="bold" fill="#fff" '
               'text-anchor="middle">§</text></svg>')

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.45;color:#1d1d1d}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem}
nav.arten{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin-bottom:.5rem;font-size:.95rem}
nav.arten a[aria-current]{font-weight:bold;text-decoration:none;color:#1d1d1d}
fieldset{border:1px solid #c8c8c8;border-radius:6px;margin:.8rem 0;padding:.5rem .9rem .8rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
details.gruppe{border:1px solid #c8c8c8;border-radius:6px;margin:.8rem 0;padding:.4rem .9rem}
details.gruppe>summary{cursor:pointer;font-weight:600;padding:.3rem 0}
fieldset.liste{border:1px solid #dcdcdc;background:#fafafa;padding:.4rem .8rem .7rem}
.felder{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.6rem 1.2rem}
.feld{display:flex;flex-direction:column;gap:.15rem}
.feld>label,.feld>legend,.janein>legend{font-weight:500}
.feld.breit{grid-column:1/-1}
small.hilfe{color:#555;font-size:.82rem}
input[type=text],select,textarea{font:inherit;padding:.35rem .45rem;border:1px solid #888;border-radius:4px;width:100%;max-width:100%;background:#fff}
textarea{min-height:4.5rem}
fieldset.janein{border:0;margin:0;padding:0}
fieldset.janein label{margin-right:1rem;white-space:nowrap;font-weight:normal}
fieldset.janein input{width:1.1rem;height:1.1rem;vertical-align:middle}
.tabelle{overflow-x:auto}
table.liste{border-collapse:collapse}
table.liste th{font-weight:500;font-size:.82rem;text-align:left;vertical-align:bottom;padding:.2rem}
table.liste td{padding:.15rem}table.liste input{width:7.5rem}table.liste td:first-child input{width:3rem}
.fehlerhaft input,.fehlerhaft select,.fehlerhaft textarea,input.fehlerhaft{border:2px solid #b00020;background:#fff6f6}
.feldfehler{color:#b00020;font-size:.88rem;font-weight:500}
.fehler{border:2px solid #b00020;border-radius:6px;padding:.5rem 1rem;background:#fff4f4;margin:1rem 0}
.fehler a{color:#b00020}
.feststellung{background:#f7f9fc}
.feststellung>legend{font-weight:600}
button{font:inherit;padding:.5rem 1.1rem;border-radius:5px;border:1px solid #1a4f8b;background:#1a4f8b;color:#fff;cursor:pointer}
button.zweit{background:#fff;color:#1a4f8b}
.knoepfe{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.offen{border:2px solid #a86400;border-radius:6px;background:#fff8ec;padding:.5rem 1rem;margin:1rem 0}
article.bescheid{font-family:"Liberation Serif","Times New Roman",serif;border:1px solid #bbb;border-radius:4px;padding:1rem 1.4rem;background:#fff;box-shadow:0 1px 4px #0002;overflow-wrap:anywhere}
article.bescheid .entwurf{border:3px solid #b00;color:#b00;padding:.5em 1em;font-weight:bold}
article.bescheid .kopf{display:flex;flex-wrap:wrap;justify-content:space-between;gap:1em 2em}
article.bescheid .behoerde{text-align:right}
article.bescheid table{border-collapse:collapse;font-size:.9em;display:block;overflow-x:auto}
article.bescheid th,article.bescheid td{border:1px solid #999;padding:.2em .5em}article.bescheid td.z{text-align:right}
details.protokoll{margin:1.5rem 0;border:1px solid #c8c8c8;border-radius:6px;padding:.5rem 1rem}
details.protokoll>summary{cursor:pointer;font-weight:600}
details.protokoll table{border-collapse:collapse;display:block;overflow-x:auto}
details.protokoll td,details.protokoll th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
details.protokoll blockquote{border-left:4px solid #888;margin:.5rem 0;padding:.2rem .8rem;background:#f6f6f6}
details.protokoll pre{white-space:pre-wrap}
@media (max-width:40rem){body{padding:.6rem}table.liste input{width:4.5rem}fieldset,details.gruppe{padding-left:.6rem;padding-right:.6rem}.felder{grid-template-columns:1fr}article.bescheid{padding:.7rem}
article.bescheid .behoerde{text-align:left}}
"""


def _kopf(titel: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="/favicon.ico" type="image/svg+xml">'
            f'<title>{escape(titel)}</title><style>{_CSS}</style></head>')


def registriere(app: Any) -> None:
    """The form's own routes: the favicon (a small SVG, no external request)."""
    from fastapi.responses import Response

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


# --- schema helpers ------------------------------------------------------------------------

def _aufloesen(schema: dict, wurzel: dict) -> dict:
    """The schema a `$ref` points to, with the referring schema's own keys (title, description) kept."""
    while isinstance(schema, dict) and "$ref" in schema:
        ziel: Any = wurzel
        for teil in schema["$ref"].lstrip("#/").split("/"):
            ziel = ziel[teil]
        schema = {**ziel, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _typen(schema: dict) -> list[str]:
    t = schema.get("type", "string")
    return t if isinstance(t, list) else [t]


def _ist_monatsliste(items: dict) -> bool:
    monat = items.get("properties", {}).get("monat", {})
    return monat.get("minimum") == 1 and monat.get("maximum") == 12


def _ist_dezimal(schema: dict) -> bool:
    return schema.get("pattern", "").startswith("^\\d")


class _Kontext:
    """What a form is built with: the schema root, the rulebook's labels, entered values and errors per field."""

    def __init__(self, wurzel: dict, buch: Any, werte: dict[str, str], fehler: dict[str, list[str]]):
        self.wurzel, self.buch, self.werte, self.fehler = wurzel, buch, werte, fehler
        self.titel: dict[str, str] = {}  # field name -> the schema's title (for names inside help texts)

        def sammle(s: Any) -> None:
            if isinstance(s, dict):
                for n, f in (s.get("properties") or {}).items():
                    if isinstance(f, dict) and f.get("title"):
                        self.titel.setdefault(n, f["title"])
                for v in s.values():
                    sammle(v)
            elif isinstance(s, list):
                for v in s:
                    sammle(v)
        sammle(wurzel)

    def bezeichnung(self, name: str, schema: dict) -> str:
        if schema.get("title") and not schema["title"].startswith("Fall:"):
            return schema["title"]
        b = self.buch.bezeichnung(name) if self.buch is not None else None
        return b or name.replace("_", " ").capitalize()

    def wert_bezeichnung(self, wert: Any) -> str:
        if isinstance(wert, bool):
            return "ja" if wert else "nein"
        b = self.buch.wert_bezeichnung(str(wert)) if self.buch is not None else None
        return b or str(wert).replace("_", " ")

    def hat_werte(self, praefix: str) -> bool:
        return any(k.startswith(praefix + ".") and v.strip() for k, v in self.werte.items()) or \
            any(k == praefix or k.startswith(praefix + ".") for k in self.fehler)


def _hilfe(schema: dict, ctx: _Kontext) -> str:
    """The schema's description as help: yes/no in words, codes of fixed values as their labels."""
    text = schema.get("description", "")
    text = re.sub(r"\btrue\b", "ja", re.sub(r"\bfalse\b", "nein", text))  # yes/no are choices, not words to type
    werte = schema.get("enum") or (schema.get("items", {}) or {}).get("enum") or []
    for w in sorted((str(w) for w in werte), key=len, reverse=True):
        if "_" in w or w.isascii():
            text = re.sub(rf"(?<![\w-]){re.escape(w)}(?![\w-])", ctx.wert_bezeichnung(w), text)
    text = text.replace("JJJJ-MM-TT", "TT.MM.JJJJ")  # the form reads German dates (ISO too)
    if _ist_dezimal(schema):  # and German numbers: the examples written so
        text = re.sub(r'"?\b([0-9]+)\.([0-9]+)\b"?', lambda m: _deutsch(m.group(1), m.group(2)), text)
        text = text.replace(" als Text mit Punkt und ", " mit ")
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda m: _name_als_wort(m.group(0), ctx), text).replace("`", "")


def _deutsch(ganz: str, bruch: str) -> str:
    """An example number of a help text ("11900.00") as the form reads it: 11.900,00 (engine.format)."""
    return deutsch(Decimal(f"{ganz}.{bruch}"))


def _name_als_wort(name: str, ctx: _Kontext) -> str:
    """A field name or code inside a help text as its German label, if the glossary has one."""
    b = (ctx.buch.bezeichnung(name) or ctx.buch.wert_bezeichnung(name) if ctx.buch is not None else None) \
        or ctx.titel.get(name)
    return f"„{b}“" if b else name


# --- inputs ---------------------------------------------------------------------------------

def _fehler_html(name: str, ctx: _Kontext) -> str:
    meldungen = ctx.fehler.get(name, [])
    return "".join(f'<span class="feldfehler" id="{escape(name, quote=True)}-fehler" role="alert">{escape(m)}</span>'
                   for m in meldungen)


def _eingabe(name: str, schema: dict, ctx: _Kontext, beschriftet: str = "", in_tabelle: bool = False) -> str:
    schema = _aufloesen(schema, ctx.wurzel)
    wert = ctx.werte.get(name, "")
    n = escape(name, quote=True)
    attr = f'name="{n}" id="{n}"' + (f' aria-label="{escape(beschriftet, quote=True)}"' if beschriftet else "")
    if name in ctx.fehler:
        attr += f' aria-invalid="true" aria-describedby="{n}-fehler"'
    if "enum" in schema or "const" in schema:
        werte = schema.get("enum") or [schema["const"]]
        optionen = f'<option value="">{LEER}</option>' + "".join(
            f'<option value="{escape(str(w), quote=True)}"{" selected" if str(w) == wert else ""}>'
            f'{escape(ctx.wert_bezeichnung(w))}</option>' for w in werte if w is not None)
        return f"<select {attr}>{optionen}</select>"
    typen = [t for t in _typen(schema) if t != "null"]
    if typen == ["boolean"]:
        if in_tabelle:
            return (f'<select {attr}><option value="">{LEER}</option>'
                    f'<option value="true"{" selected" if wert == "true" else ""}>ja</option>'
                    f'<option value="false"{" selected" if wert == "false" else ""}>nein</option></select>')
        return "".join(
            f'<label><input type="radio" name="{n}" id="{n}-{k}" value="{v}"{" checked" if wert == v else ""}> {t}</label>'
            for k, v, t in (("ja", "true", "ja"), ("nein", "false", "nein"), ("leer", "", "keine Angabe")))
    if schema.get("format") == "date":  # typed as in German (TT.MM.JJJJ), whatever the browser's locale
        return (f'<input type="text" placeholder="TT.MM.JJJJ" autocomplete="off" data-art="datum" {attr} '
                f'value="{escape(wert, quote=True)}">')
    if typen == ["integer"]:
        return f'<input type="text" inputmode="numeric" autocomplete="off" {attr} value="{escape(wert, quote=True)}">'
    if _ist_dezimal(schema) or "number" in typen:
        return (f'<input type="text" inputmode="decimal" placeholder="0,00" autocomplete="off" {attr} '
                f'value="{escape(wert, quote=True)}">')
    if name.rsplit(".", 1)[-1] in _MEHRZEILIG and not in_tabelle:
        return f'<textarea {attr} rows="3">{escape(wert)}</textarea>'
    return f'<input type="text" {attr} value="{escape(wert, quote=True)}">'


def _feld(name: str, voll: str, schema: dict, ctx: _Kontext, pflicht: bool) -> str:
    """One scalar field with label, help and its errors."""
    schema = _aufloesen(schema, ctx.wurzel)
    label = escape(ctx.bezeichnung(name, schema)) + (" *" if pflicht else "")
    hilfe = _hilfe(schema, ctx)
    hilfe_html = f'<small class="hilfe">{escape(hilfe)}</small>' if hilfe else ""
    klasse = "feld" + (" fehlerhaft" if voll in ctx.fehler else "") + \
        (" breit" if name in _MEHRZEILIG else "")
    v = escape(voll, quote=True)
    if [t for t in _typen(schema) if t != "null"] == ["boolean"] and "enum" not in schema:
        return (f'<fieldset class="{klasse} janein" id="{v}-gruppe"><legend>{label}</legend>{hilfe_html}'
                f'<div>{_eingabe(voll, schema, ctx)}</div>{_fehler_html(voll, ctx)}</fieldset>')
    return (f'<div class="{klasse}"><label for="{v}">{label}</label>{hilfe_html}'
            f'{_eingabe(voll, schema, ctx)}{_fehler_html(voll, ctx)}</div>')


def _auswahl_liste(name: str, voll: str, feld: dict, items: dict, ctx: _Kontext, pflicht: bool) -> str:
    """A list of fixed values (e.g. the Vorwürfe of § 200) as checkboxes `pfad.0`, `pfad.1`, …"""
    gewaehlt = {v for k, v in ctx.werte.items() if k.startswith(voll + ".")}
    boxen = "".join(
        f'<label><input type="checkbox" name="{escape(voll, quote=True)}.{i}" id="{escape(voll, quote=True)}.{i}" '
        f'value="{escape(str(w), quote=True)}"{" checked" if str(w) in gewaehlt else ""}> {escape(ctx.wert_bezeichnung(w))}</label><br>'
        for i, w in enumerate(items["enum"]))
    hilfe = _hilfe(feld, ctx)
    return (f'<fieldset class="feld breit{" fehlerhaft" if voll in ctx.fehler else ""}" id="{escape(voll, quote=True)}">'
            f'<legend>{escape(ctx.bezeichnung(name, feld))}{" *" if pflicht else ""}</legend>'
            + (f'<small class="hilfe">{escape(hilfe)}</small>' if hilfe else "") + f"<div>{boxen}</div>"
            + _fehler_html(voll, ctx) + "</fieldset>")


def _gruppe(name: str, voll: str, feld: dict, inhalt: str, ctx: _Kontext, pflicht: bool) -> str:
    """A nested object or list: a fieldset, or a foldable group when optional and empty."""
    label = escape(ctx.bezeichnung(name, feld)) + (" *" if pflicht else "")
    hilfe = _hilfe(feld, ctx)
    hilfe_html = f'<small class="hilfe">{escape(hilfe)}</small>' if hilfe else ""
    fehler = _fehler_html(voll, ctx)
    if pflicht or name in _OFFEN or "." in voll:
        return (f'<fieldset id="{escape(voll, quote=True)}-gruppe"><legend>{label}</legend>{hilfe_html}{fehler}'
                f'{inhalt}</fieldset>')
    offen = " open" if ctx.hat_werte(voll) else ""
    return (f'<details class="gruppe" id="{escape(voll, quote=True)}-gruppe"{offen}><summary>{label}</summary>'
            f'{hilfe_html}{fehler}{inhalt}</details>')


def _felder(schema: dict, ctx: _Kontext, pfad: str) -> str:
    teile, skalare = [], []

    def skalare_ausgeben() -> None:
        if skalare:
            teile.append(f'<div class="felder">{"".join(skalare)}</div>')
            skalare.clear()

    pflicht = set(schema.get("required", []))
    for name, feld in schema.get("properties", {}).items():
        if name == "$schema" or (not pfad and name in ("art", "feststellungen")):  # nested `art` fields are asked
            continue
        feld = _aufloesen(feld, ctx.wurzel)
        voll = f"{pfad}.{name}" if pfad else name
        typen = _typen(feld)
        if typen == ["object"]:
            if "properties" not in feld:
                continue
            skalare_ausgeben()
            teile.append(_gruppe(name, voll, feld, _felder(feld, ctx, voll), ctx, name in pflicht))
        elif typen == ["array"]:
            items = _aufloesen(feld.get("items", {}), ctx.wurzel)
            if _typen(items) != ["object"] or "enum" in items:
                if "enum" in items:
                    skalare_ausgeben()
                    teile.append(_auswahl_liste(name, voll, feld, items, ctx, name in pflicht))
                else:
                    skalare.append(_feld(name, voll, {**feld, "type": "string", "description": (
                        feld.get("description", "") + " (mehrere durch Komma trennen)").strip()}, ctx, name in pflicht))
                continue
            skalare_ausgeben()
            teile.append(_gruppe(name, voll, feld, _liste(name, voll, feld, items, ctx), ctx, name in pflicht))
        else:
            skalare.append(_feld(name, voll, feld, ctx, name in pflicht))
    skalare_ausgeben()
    return "".join(teile)


def _liste(name: str, voll: str, feld: dict, items: dict, ctx: _Kontext) -> str:
    """A list of objects: the twelve months as a table, other lists as numbered entries."""
    if _ist_monatsliste(items):
        spalten = [(n, _aufloesen(s, ctx.wurzel)) for n, s in items.get("properties", {}).items()
                   if _typen(_aufloesen(s, ctx.wurzel)) not in (["array"], ["object"])]
        pflicht = set(items.get("required", []))
        kopf = "".join(f'<th scope="col">{escape(ctx.bezeichnung(n, s))}{" *" if n in pflicht else ""}'
                       + (f'<br><small class="hilfe">{escape(_hilfe(s, ctx))}</small>' if s.get("description") else "")
                       + "</th>" for n, s in spalten)
        koerper = []
        for i in range(12):
            zellen = []
            for n, s in spalten:
                schluessel = f"{voll}.{i}.{n}"
                if schluessel not in ctx.werte and n == "monat":
                    ctx.werte[schluessel] = str(i + 1)
                zelle = _eingabe(schluessel, s, ctx, f"{ctx.bezeichnung(n, s)}, Zeile {i + 1}", in_tabelle=True)
                if schluessel in ctx.fehler:
                    zelle = zelle.replace("<input ", '<input class="fehlerhaft" ', 1) + _fehler_html(schluessel, ctx)
                zellen.append(f"<td>{zelle}</td>")
            koerper.append(f"<tr>{''.join(zellen)}</tr>")
        return (f'<div class="tabelle"><table class="liste" id="tabelle-{escape(voll, quote=True)}"><thead><tr>{kopf}'
                f'</tr></thead><tbody>{"".join(koerper)}</tbody></table></div>')
    eintraege = []
    for i in range(ZEILEN):
        inhalt = _felder(items, ctx, f"{voll}.{i}")
        eintraege.append(f'<fieldset class="liste" id="{escape(voll, quote=True)}.{i}-eintrag">'
                         f'<legend>{escape(ctx.bezeichnung(name, feld))} – Eintrag {i + 1}</legend>{inhalt}</fieldset>')
    return "".join(eintraege)


def _feststellungen(art: str, schema: dict, ctx: _Kontext) -> str:
    """The findings a person makes for this art, each asked as its question (newest Fassung first)."""
    if ctx.buch is None or "feststellungen" not in schema.get("properties", {}):
        return ""
    fragen: dict[str, Any] = {}
    for f in ctx.buch.feststellungen:
        if f.entscheidungsart == art and (f.id not in fragen or f.zeitraum.ab > fragen[f.id].zeitraum.ab):
            fragen[f.id] = f
    if not fragen:
        return ""
    eigenschaften = _aufloesen(schema["properties"]["feststellungen"], ctx.wurzel).get("additionalProperties", {})
    felder = eigenschaften.get("properties", {})
    teile = []
    for fid, f in fragen.items():
        voll = f"feststellungen.{fid}"
        innen = []
        for n in ("wert", "durch", "am", "begruendung"):
            if n not in felder:
                continue
            s = felder[n]
            if n == "wert":
                s = {**s, "title": "Ergebnis", "description": ""}
            innen.append(_feld(n, f"{voll}.{n}", {**s, "description": ""}, ctx, False))
        teile.append(f'<fieldset class="feststellung" id="{escape(voll, quote=True)}-gruppe"><legend>{escape(f.frage)}</legend>'
                     f'<small class="hilfe">{escape(f.zitat)}</small>{_fehler_html(voll, ctx)}'
                     f'<div class="felder">{"".join(innen)}</div></fieldset>')
    s = schema["properties"]["feststellungen"]
    vorgabe = "".join(_feld(n, f"{VORGABE}.{n}", {**felder[n], "title": titel, "description": ""}, ctx, False)
                      for n, titel in (("durch", "Alle Feststellungen getroffen durch"), ("am", "Alle Feststellungen getroffen am"))
                      if n in felder)
    return (f'<fieldset id="feststellungen-gruppe"><legend>{escape(ctx.bezeichnung("feststellungen", s))}</legend>'
            '<small class="hilfe">Was nur ein Mensch feststellen kann. Eine Frage ohne Ergebnis bleibt offen; '
            'zu jedem Ergebnis gehören, wer es festgestellt hat und wann. Was hier oben steht, gilt für jedes '
            'Ergebnis, bei dem „Festgestellt durch“ oder „Festgestellt am“ leer ist.</small>'
            f'<div class="felder">{vorgabe}</div>' + "".join(teile) + "</fieldset>")


# --- errors at their fields -------------------------------------------------------------------

def _ist_nr(text: str) -> bool:
    """A row number of a form field name (ASCII digits, as `fall_aus_formular` reads them)."""
    return re.fullmatch(r"[0-9]{1,4}", text) is not None


def _zeilennummern(felder: dict[str, str]) -> dict[str, list[int]]:
    """For each list in the form: the form rows that became entries of the case (empty rows are left out)."""
    zeilen: dict[str, set[int]] = {}
    for schluessel, text in felder.items():
        teile = schluessel.split(".")
        for i in range(1, len(teile)):
            if _ist_nr(teile[i]) and text.strip() and not (teile[-1] == "monat" and i == len(teile) - 2):
                zeilen.setdefault(".".join(teile[:i]), set()).add(int(teile[i]))
    return {k: sorted(v) for k, v in zeilen.items()}


def feldname(fehler: dict, felder: dict[str, str]) -> str | None:
    """The form field of an engine error: its path `monate[4].arbeitsplaetze` as `monate.4.arbeitsplaetze`
    (a list index counted among the filled rows), the missing field of "Pflichtfeld `x` fehlt" below it."""
    pfad = fehler.get("feldpfad") or ""
    zeilen = _zeilennummern(felder)
    teile: list[str] = []
    for stueck in re.findall(r"[^.\[\]]+|\[[0-9]{1,6}\]", pfad):
        if stueck.startswith("["):
            nr = int(stueck[1:-1])
            reihe = zeilen.get(".".join(teile), [])
            teile.append(str(reihe[nr] if nr < len(reihe) else nr))
        else:
            teile.append(stueck)
    fehlt = re.match(r"Pflichtfeld `([a-z0-9_]+)` fehlt", fehler.get("meldung", ""))
    if fehlt:
        teile.append(fehlt.group(1))
    return ".".join(teile) or None


def _lesbar(meldung: str, ctx: _Kontext, schema: dict) -> str:
    """An engine message for the form: field names in backticks as their German labels."""
    def ersetze(m: re.Match) -> str:
        wort = m.group(1)
        if re.fullmatch(r"[a-z][a-z0-9_]*", wort):
            b = (ctx.buch.bezeichnung(wort) if ctx.buch is not None else None) or ctx.titel.get(wort)
            return f"„{b}“" if b else f"„{wort}“"
        return f"„{wort.strip(chr(34))}“"
    meldung = re.sub(r'"([0-9]+)\.([0-9]+)"', lambda m: _deutsch(m.group(1), m.group(2)), meldung)
    return re.sub(r"`([^`]*)`", ersetze, meldung.replace(" als Text mit Punkt und ", " mit "))


def _fehler_je_feld(fehler: list[dict], felder: dict[str, str], ctx: _Kontext, schema: dict) -> list[tuple[str | None, str]]:
    """(field or None, message) per error; fills ctx.fehler so each field shows its own."""
    liste = []
    for f in fehler:
        meldung = _lesbar(f.get("meldung", ""), ctx, schema) + (f" – {_lesbar(f['hilfe'], ctx, schema)}" if f.get("hilfe") else "")
        feld = feldname(f, felder)
        liste.append((feld, meldung))
        if feld:
            ctx.fehler.setdefault(feld, []).append(meldung)
    return liste


def _feld_im_formular(feld: str, html: str) -> str | None:
    """The id to link to: the field itself, its yes/no group or the group it belongs to."""
    for kandidat in (feld, f"{feld}-ja", f"{feld}-gruppe", f"{feld}-eintrag"):
        if f'id="{escape(kandidat, quote=True)}"' in html:
            return kandidat
    teile = feld.split(".")
    while teile:
        teile.pop()
        for kandidat in (".".join(teile) + "-gruppe", ".".join(teile) + "-eintrag"):
            if f'id="{escape(kandidat, quote=True)}"' in html:
                return kandidat
    return None


# --- the page ---------------------------------------------------------------------------------

def formular_html(art: str, schema: dict, arten: list[str], fehler: list[dict] | None = None,
                  werte: dict[str, str] | None = None, buch: Any = None) -> str:
    """The whole page: choice of art, the form of `art` (labels from `buch`, the Regelbuch), upload of a file."""
    werte = dict(werte or {})
    ctx = _Kontext(schema, buch, werte, {})
    zuordnung = _fehler_je_feld(fehler or [], werte, ctx, schema)
    wahl = "".join(f'<a href="/?art={a}"{" aria-current=page" if a == art else ""}>{escape(_NAMEN.get(a, a))}</a>'
                   for a in arten)
    formular = _felder(schema, ctx, "") + _feststellungen(art, schema, ctx)
    # errors whose field is not in the form appear at the group they belong to, or only in the list
    meldungen = ""
    if zuordnung:
        punkte = []
        for feld, meldung in zuordnung:
            ziel = _feld_im_formular(feld, formular) if feld else None
            if ziel:
                label = escape(_feldlabel(feld, schema, ctx))
                punkte.append(f'<li><a href="#{escape(ziel, quote=True)}">{label}</a>: {escape(meldung)}</li>')
            else:
                punkte.append(f"<li>{escape(meldung)}</li>")
        anzahl = len(zuordnung)
        meldungen = (f'<div class="fehler" role="alert" id="fehlerliste"><h2>Die Angaben enthalten Fehler</h2>'
                     f'<p>{"Ein Fehler" if anzahl == 1 else f"{anzahl} Fehler"}, jeweils auch beim Feld angezeigt:</p>'
                     f'<ul>{"".join(punkte)}</ul></div>')
    titel = _NAMEN.get(art, art)
    return f"""{_kopf(f"Regelwerk – Entscheidung: {titel}")}<body>
<nav class="arten" aria-label="Entscheidungsarten">{wahl}<a href="/regelwerk/">Regelwerk</a><a href="/api/docs">API</a></nav>
<h1>Entscheidung: {escape(titel)}</h1>
<p>{escape(_hilfe(schema, ctx))}</p>
<p><small class="hilfe">Felder mit * sind Pflichtangaben. Zahlen dürfen deutsch geschrieben werden (11.900,00).</small></p>
{meldungen}
<form method="post" action="/formular/{escape(art, quote=True)}" id="formular" novalidate>
{formular}
<p class="knoepfe"><button type="submit" id="entscheiden">Entscheiden</button></p>
</form>
<h2>Oder eine Datei hochladen</h2>
<form method="post" action="/formular/datei" enctype="multipart/form-data" id="hochladen">
<div class="feld"><label for="datei">Falldatei (YAML oder JSON) oder CSV-Datei nach dem Muster der Anzeige (Ausgleichsabgabe)</label>
<input type="file" name="datei" id="datei" accept=".yaml,.yml,.json,.csv"></div>
<p class="knoepfe"><button type="submit" class="zweit">Hochladen und entscheiden</button></p>
</form>
</body></html>
"""


def _feldlabel(feld: str, schema: dict, ctx: _Kontext) -> str:
    """`monate.3.arbeitsplaetze` as "Monate der Anzeige, Zeile 4: Arbeitsplätze"."""
    teile, s, worte = feld.split("."), schema, []
    i = 0
    while i < len(teile):
        name = teile[i]
        props = s.get("properties", {})
        unter = props.get(name)
        if unter is None and isinstance(s.get("additionalProperties"), dict):
            frage = next((f.frage for f in (ctx.buch.feststellungen if ctx.buch else []) if f.id == name), None)
            worte.append(frage or name)
            s, i = s["additionalProperties"], i + 1
            continue
        if unter is None:
            worte.append(name)
            break
        unter = _aufloesen(unter, ctx.wurzel)
        worte.append(ctx.bezeichnung(name, unter))
        if _typen(unter) == ["array"] and i + 1 < len(teile) and _ist_nr(teile[i + 1]):
            eintraege = _aufloesen(unter.get("items", {}), ctx.wurzel)
            worte[-1] = f"Monat {int(teile[i + 1]) + 1}" if _ist_monatsliste(eintraege) else \
                f"{worte[-1]}, Eintrag {int(teile[i + 1]) + 1}"
            s, i = _aufloesen(unter.get("items", {}), ctx.wurzel), i + 2
            continue
        s, i = unter, i + 1
    return ": ".join(worte)


# --- form fields back to a case ------------------------------------------------------------------

_DEUTSCHE_GANZZAHL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+")
_DEUTSCHE_DEZIMALZAHL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?|-?[0-9]+(,[0-9]+)?")
_DEUTSCHES_DATUM = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def deutsche_eingabe(text: str, schema: dict) -> str:
    """German writing of a number or date as the schema's: "1.452" -> "1452" (integer), "11.900,00" ->
    "11900.00", "11.900" -> "11900" (a dot before three digits groups thousands), "12.06.2024" -> "2024-06-12".
    Anything else is returned unchanged, for the schema to name what is allowed."""
    t = text.strip().replace("\u00a0", "").replace(" ", "") if text.strip()[:1].isdigit() or text.strip()[:1] == "-" \
        else text.strip()
    typen = _typen(schema)
    if typen == ["integer"] and _DEUTSCHE_GANZZAHL.fullmatch(t):
        return t.replace(".", "")
    if (_ist_dezimal(schema) or "number" in typen) and (_DEUTSCHE_DEZIMALZAHL.fullmatch(t) or _DEUTSCHE_GANZZAHL.fullmatch(t)):
        if "," in t or _DEUTSCHE_GANZZAHL.fullmatch(t):
            ganz, komma, bruch = t.partition(",")  # reading German input, not formatting
            return ganz.replace(".", "") + ("." + bruch if komma else "")
    if schema.get("format") == "date" and (m := _DEUTSCHES_DATUM.fullmatch(t)):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return t


_GANZZAHL = re.compile(r"-?[0-9]{1,30}")  # ASCII digits only ("²", "٣" and "--5" stay text); as the readers' limit


class Formularfehler(ValueError):
    """Form fields that do not make one case (a field sent twice, a field inside a value): German, with the field."""

    def __init__(self, meldung: str, feldpfad: str, hilfe: str = "das Formular neu laden und erneut ausfüllen"):
        super().__init__(meldung)
        self.meldung, self.feldpfad, self.hilfe = meldung, feldpfad, hilfe


def _wert(text: str, schema: dict) -> Any:
    text = deutsche_eingabe(text, schema)
    typen = _typen(schema)
    if typen == ["boolean"]:
        return {"true": True, "false": False}.get(text, text)
    if typen == ["integer"]:
        t = text.strip()
        return int(t) if _GANZZAHL.fullmatch(t) else t  # else the schema names the field and what is allowed
    return text.strip()


def _unterschema(s: dict, name: str, wurzel: dict) -> dict:
    """The schema of field `name` of object `s` (a declared property or, for maps such as the findings, any key)."""
    feld = s.get("properties", {}).get(name)
    if feld is None and isinstance(s.get("additionalProperties"), dict):
        feld = s["additionalProperties"]
    return _aufloesen(feld or {}, wurzel)


def _kurz(text: str) -> str:
    """A field name cut for a message (one of 10,000 characters is not echoed whole)."""
    return kurz(text, 60)


VORGABE = "feststellungen_vorgabe"  # form fields for who and when of every finding (not a case field)


def _mit_vorgabe(schema: dict, felder: dict[str, str]) -> dict[str, str]:
    """Who and when of all findings, entered once: filled in where a finding has a result but no `durch` / `am`."""
    if "feststellungen" not in schema.get("properties", {}) or not any(k.startswith(VORGABE + ".") for k in felder):
        return felder
    felder = dict(felder)
    vorgabe = {n: felder.pop(f"{VORGABE}.{n}", "").strip() for n in ("durch", "am")}
    for schluessel, text in list(felder.items()):
        teile = schluessel.split(".")
        if len(teile) == 3 and teile[0] == "feststellungen" and teile[2] == "wert" and text.strip():
            for n, wert in vorgabe.items():
                if wert and not felder.get(f"feststellungen.{teile[1]}.{n}", "").strip():
                    felder[f"feststellungen.{teile[1]}.{n}"] = wert
    return felder


def fall_aus_formular(art: str, schema: dict, felder: dict[str, str]) -> dict[str, Any]:
    """Form fields (path -> text) as a case; empty fields are left out, rows without input too."""
    felder = _mit_vorgabe(schema, felder)
    fall: dict[str, Any] = {"art": art}
    zeilen: dict[str, dict[int, dict[str, Any]]] = {}
    for schluessel, text in felder.items():
        if not text.strip():
            continue
        teile = schluessel.split(".")
        ziel, s = fall, schema
        i = 0
        while i < len(teile):
            name = teile[i]
            feld = _unterschema(s, name, schema)
            if _typen(feld) == ["array"]:
                items = _aufloesen(feld.get("items", {}), schema)
                if i + 1 >= len(teile):  # list of scalars, comma separated
                    ziel[name] = [_wert(x, items) for x in text.split(",") if x.strip()]
                    break
                if _typen(items) != ["object"] or "enum" in items:  # a checkbox of a list of fixed values
                    liste = ziel.setdefault(name, [])
                    if not isinstance(liste, list):
                        raise Formularfehler(f"Feld `{_kurz(name)}` ist mehrfach angegeben", _kurz(schluessel))
                    liste.append(_wert(text, items))
                    break
                if not re.fullmatch(r"[0-9]{1,4}", teile[i + 1]):
                    raise Formularfehler(f"Feld `{_kurz(schluessel)}`: `{_kurz(teile[i + 1])}` ist keine Zeilennummer",
                                         _kurz(schluessel))
                nr = int(teile[i + 1])
                if not isinstance(ziel.get(name, []), list):
                    raise Formularfehler(f"Feld `{_kurz(name)}` ist mehrfach angegeben", _kurz(schluessel))
                zeile = zeilen.setdefault(".".join(teile[:i + 1]), {}).setdefault(nr, {})
                ziel.setdefault(name, [])  # keeps the field's position among the others
                ziel, s, i = zeile, items, i + 2
                continue
            if i + 1 < len(teile):
                unter = ziel.setdefault(name, {})
                if not isinstance(unter, dict):  # `jahr` and `jahr.x`: a value and fields inside it
                    raise Formularfehler(f"Feld `{_kurz('.'.join(teile[:i + 1]))}` ist mehrfach angegeben "
                                         f"(als Wert und als `{_kurz(schluessel)}`)", _kurz(schluessel))
                ziel, s, i = unter, feld, i + 1
                continue
            if name in ziel:
                raise Formularfehler(f"Feld `{_kurz(schluessel)}` ist mehrfach angegeben", _kurz(schluessel))
            ziel[name] = _wert(text, feld)
            break
    # rows in order; a month row that holds only its preset number counts as empty
    def fuelle(d: dict[str, Any], pfad: str) -> None:
        for name, wert in list(d.items()):
            voll = f"{pfad}.{name}" if pfad else name
            if voll in zeilen:
                reihen = [z for _, z in sorted(zeilen[voll].items()) if set(z) - {"monat"}]
                for nr, z in sorted(zeilen[voll].items()):
                    fuelle(z, f"{voll}.{nr}")
                d[name] = reihen
            elif isinstance(wert, dict):
                fuelle(wert, voll)
    fuelle(fall, "")
    for name, wert in list(fall.items()):
        if wert == [] and name not in schema.get("required", []):
            del fall[name]
    return fall


# --- deciding (in a worker process) and the decision page ----------------------------------------

def entscheide_formular(fall_text: str) -> tuple[int, Any]:
    """In a worker process (`arbeit`): (422, every error of the case, each with its field path) or
    (200, {art, bescheid, protokoll, offen, ergebnis}) – the Bescheid as HTML, the trail, the open questions."""
    from ..schema import schema_fehler
    from ..stapel import adapter
    from . import arbeit

    rw = arbeit._rw
    assert rw is not None
    daten = json.loads(fall_text)
    eingabe = adapter.fall_aus_daten(daten, "formular")
    verfahren = rw.wb.regelbuch.verfahren.get(daten.get("art"))
    if verfahren is not None:
        probleme = schema_fehler(eingabe.dokument, verfahren.fall_schema)
        if probleme:
            return 422, [{"index": None, "meldung": p.was, "ort": str(p.ort), "feldpfad": p.ort.pfad, "hilfe": p.hilfe}
                         for p in probleme]
    return _entschieden(eingabe)


def entscheide_datei(text: str, typ: str, quelle: str) -> tuple[int, Any]:
    """In a worker process: an uploaded file (YAML or JSON) that holds exactly one case, decided as the form's
    cases are; (0, None) for anything else (several cases, errors), which the trail page answers as before."""
    from . import arbeit

    try:
        faelle, fehler, mehrere = arbeit._faelle(text, typ, quelle)
    except arbeit.ZuVieleFaelle:  # the general path answers
        return 0, None
    if fehler or mehrere or len(faelle) != 1:
        return 0, None
    return _entschieden(faelle[0])


def _entschieden(eingabe: Any) -> tuple[int, Any]:
    from ..bescheid import datei_fuer
    from ..stapel import adapter
    from . import arbeit, bescheide

    rw = arbeit._rw
    assert rw is not None
    try:
        e = rw.entscheide(eingabe)
        bescheid = datei_fuer(e, "html", bescheide._behoerde_der_umgebung()).decode("utf-8")
    except adapter.RegelwerkFehler as exc:
        return 422, [arbeit._fehler(exc)]
    daten_e = json.loads(adapter.rendere(e, "json"))
    return 200, {"art": daten_e.get("art"), "bescheid": bescheid,
                 "protokoll": adapter.rendere(e, "html", site_url="/regelwerk"),
                 "offen": [{"frage": o.get("frage", ""), "zitat": o.get("zitat", "")}
                           for o in daten_e.get("offene_feststellungen") or []],
                 "ergebnis": (daten_e.get("ergebnis") or {}).get("ergebnis")}


def _koerper(html: str) -> str:
    anfang = html.find("<body")
    anfang = html.find(">", anfang) + 1 if anfang >= 0 else 0
    ende = html.rfind("</body>")
    return html[anfang:ende if ende >= 0 else len(html)]


def _knoepfe(fall: str, typ: str) -> str:
    return "".join(
        f'<form method="post" action="/formular/bescheid">'
        f'<input type="hidden" name="fall" value="{escape(fall, quote=True)}"><input type="hidden" name="typ" value="{typ}">'
        f'<input type="hidden" name="format" value="{fmt}"><button type="submit" id="bescheid-{fmt}">{text}</button></form>'
        for fmt, text in (("docx", "Bescheid als Word herunterladen"), ("pdf", "Bescheid als PDF herunterladen")))


def entscheidung_html(art: str, ergebnis: dict[str, Any], fall: str, typ: str = "json") -> str:
    """The decision page: open questions (if any), the Bescheid, downloads, the trail as Prüfprotokoll."""
    bescheid = _koerper(ergebnis["bescheid"])
    protokoll_anfang = bescheid.find("<h2>Anlage: Prüfprotokoll</h2>")
    if protokoll_anfang >= 0:  # the text trail of the printed Anlage: here the linked one below
        bescheid = bescheid[:protokoll_anfang]
    offen = ""
    if ergebnis.get("offen"):
        offen = ('<div class="offen" id="offene-feststellungen"><h2>Noch offen: diese Feststellungen fehlen</h2>'
                 '<p>Über den Antrag kann erst entschieden werden, wenn sie getroffen sind (im Formular unter '
                 '„Feststellungen der Sachbearbeitung“).</p><ul>'
                 + "".join(f"<li>{escape(o['frage'])} <small>({escape(o['zitat'])})</small></li>" for o in ergebnis["offen"])
                 + "</ul></div>")
    titel = _NAMEN.get(art, art)
    return f"""{_kopf(f"Regelwerk – Bescheid: {titel}")}<body>
<nav class="arten"><a href="/?art={escape(art, quote=True)}">Neuer Fall: {escape(titel)}</a><a href="/regelwerk/">Regelwerk</a></nav>
<h1>Entscheidung: {escape(titel)}</h1>
{offen}
<nav class="knoepfe bescheid-download" aria-label="Bescheid herunterladen">{_knoepfe(fall, typ)}</nav>
<article class="bescheid" id="bescheid">{bescheid}</article>
<details class="protokoll" id="pruefprotokoll"><summary>Prüfprotokoll (alle Schritte mit Wortlaut des Gesetzes)</summary>
{_koerper(ergebnis["protokoll"])}
</details>
</body></html>
"""


def mit_bescheid_knoepfen(seite: str, fall: str, typ: str) -> str:
    """The decision page with buttons that download the case's Bescheid as Word and PDF (one case, JSON or YAML)."""
    if "<head>" in seite and 'name="viewport"' not in seite:
        seite = seite.replace("<head>", '<head><meta name="viewport" content="width=device-width, initial-scale=1">'
                                        '<link rel="icon" href="/favicon.ico" type="image/svg+xml">', 1)
    if typ not in ("json", "yaml"):
        return seite
    leiste = (f'<nav class="bescheid-download" aria-label="Bescheid herunterladen" '
              f'style="display:flex;flex-wrap:wrap;gap:.5rem">{_knoepfe(fall, typ)}</nav>')
    koerper = seite.find("<body")
    ende = seite.find(">", koerper) + 1 if koerper >= 0 else 0
    return seite[:ende] + leiste + seite[ende:]
