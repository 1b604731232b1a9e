"""German decision forms generated from the case schemas, and form fields back to a case.

Each `art` gets one form: scalar fields become inputs (date, number, choice, yes/no),
nested objects fieldsets, lists of objects tables (the levy: twelve month rows with
the columns of the Anzeige, Werkstatt orders, payments). Field names are paths such as
``monate.3.arbeitsplaetze``; `fall_aus_formular` turns them back into a case.
"""
from __future__ import annotations

import re
from html import escape
from typing import Any

from ..stapel.adapter import kurz

ZEILEN = 3  # empty rows offered for lists other than months
_NAMEN = {"ausgleichsabgabe": "Ausgleichsabgabe", "status": "Status (§§ 2, 151 SGB IX)",
          "leistung": "Leistung (§ 185 SGB IX)", "entziehung": "Entziehung (§ 200 SGB IX)",
          "verwendung": "Verwendung der Ausgleichsabgabe"}


def _aufloesen(schema: dict, wurzel: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        ziel: Any = wurzel
        for teil in schema["$ref"].lstrip("#/").split("/"):
            ziel = ziel[teil]
        schema = ziel
    return schema


def _typen(schema: dict) -> list[str]:
    t = schema.get("type", "string")
    return t if isinstance(t, list) else [t]


def _ist_monatsliste(items: dict) -> bool:
    monat = items.get("properties", {}).get("monat", {})
    return monat.get("minimum") == 1 and monat.get("maximum") == 12


def _eingabe(name: str, schema: dict, wurzel: dict, wert: str = "", beschriftet: str = "") -> str:
    schema = _aufloesen(schema, wurzel)
    hilfe = escape(schema.get("description", ""), quote=True)
    attr = f'name="{escape(name, quote=True)}" id="{escape(name, quote=True)}" title="{hilfe}"' + \
        (f' aria-label="{escape(beschriftet, quote=True)}"' if beschriftet else "")
    if "enum" in schema or "const" in schema:
        werte = schema.get("enum") or [schema["const"]]
        optionen = '<option value=""></option>' + "".join(
            f'<option value="{escape(str(w), quote=True)}"{" selected" if str(w) == wert else ""}>{escape(str(w))}</option>'
            for w in werte)
        return f"<select {attr}>{optionen}</select>"
    typen = _typen(schema)
    if typen == ["boolean"]:
        return (f'<select {attr}><option value=""></option><option value="true">ja</option>'
                f'<option value="false">nein</option></select>')
    if schema.get("format") == "date":
        return f'<input type="date" {attr} value="{escape(wert, quote=True)}">'
    if typen == ["integer"]:
        grenzen = "".join(f' {k}="{schema[s]}"' for k, s in (("min", "minimum"), ("max", "maximum")) if s in schema)
        return f'<input type="number" step="1"{grenzen} {attr} value="{escape(wert, quote=True)}">'
    platzhalter = ' placeholder="0.00" inputmode="decimal"' if schema.get("pattern", "").startswith("^\\d") else ""
    return f'<input type="text"{platzhalter} {attr} value="{escape(wert, quote=True)}">'


def _beschriftung(name: str, schema: dict, pflicht: bool) -> str:
    text = escape(name.replace("_", " "))
    beschreibung = schema.get("description")
    return f"{text}{' *' if pflicht else ''}" + (f'<br><small>{escape(beschreibung)}</small>' if beschreibung else "")


def _felder(schema: dict, wurzel: dict, pfad: str, werte: dict[str, str]) -> str:
    teile = []
    pflicht = set(schema.get("required", []))
    for name, feld in schema.get("properties", {}).items():
        if name in ("$schema", "art") or (not pfad and name == "feststellungen"):
            continue
        feld = _aufloesen(feld, wurzel)
        voll = f"{pfad}.{name}" if pfad else name
        typen = _typen(feld)
        if typen == ["object"]:
            if "properties" not in feld:
                continue  # free-form maps (findings) only by upload
            teile.append(f'<fieldset><legend>{_beschriftung(name, feld, name in pflicht)}</legend>'
                         f'{_felder(feld, wurzel, voll, werte)}</fieldset>')
        elif typen == ["array"]:
            items = _aufloesen(feld.get("items", {}), wurzel)
            if _typen(items) != ["object"]:
                teile.append(f'<p><label for="{voll}">{_beschriftung(name, feld, name in pflicht)} '
                             f'<small>(mehrere durch Komma trennen)</small></label><br>'
                             f'{_eingabe(voll, {"type": "string", "description": feld.get("description", "")}, wurzel, werte.get(voll, ""))}</p>')
                continue
            spalten = [(n, _aufloesen(s, wurzel)) for n, s in items.get("properties", {}).items()
                       if _typen(_aufloesen(s, wurzel)) not in (["array"], ["object"])]
            monate = _ist_monatsliste(items)
            zeilen = 12 if monate else ZEILEN
            kopf = "".join(f"<th>{_beschriftung(n, s, n in set(items.get('required', [])))}</th>" for n, s in spalten)
            koerper = []
            for i in range(zeilen):
                zellen = []
                for n, s in spalten:
                    schluessel = f"{voll}.{i}.{n}"
                    wert = werte.get(schluessel, str(i + 1) if monate and n == "monat" else "")
                    zellen.append(f"<td>{_eingabe(schluessel, s, wurzel, wert, f'{name} Zeile {i + 1}: {n}')}</td>")
                koerper.append(f"<tr>{''.join(zellen)}</tr>")
            teile.append(f'<fieldset><legend>{_beschriftung(name, feld, name in pflicht)}</legend>'
                         f'<table class="liste" id="tabelle-{voll}"><thead><tr>{kopf}</tr></thead>'
                         f'<tbody>{"".join(koerper)}</tbody></table></fieldset>')
        else:
            teile.append(f'<p><label for="{voll}">{_beschriftung(name, feld, name in pflicht)}</label><br>'
                         f'{_eingabe(voll, feld, wurzel, werte.get(voll, ""))}</p>')
    return "".join(teile)


def formular_html(art: str, schema: dict, arten: list[str], fehler: list[dict] | None = None,
                  werte: dict[str, str] | None = None) -> str:
    """The whole page: choice of art, the form of `art`, upload of a case file or CSV."""
    wahl = " · ".join(f'<a href="/?art={a}"{" aria-current=page" if a == art else ""}>{escape(_NAMEN.get(a, a))}</a>'
                      for a in arten)
    meldungen = ""
    if fehler:
        meldungen = '<div class="fehler" role="alert"><h2>Die Angaben enthalten Fehler</h2><ul>' + "".join(
            f"<li>{escape(f.get('feldpfad') or '')}{': ' if f.get('feldpfad') else ''}{escape(f['meldung'])}"
            + (f" — {escape(f['hilfe'])}" if f.get("hilfe") else "") + "</li>" for f in fehler) + "</ul></div>"
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Regelwerk – Entscheidung: {escape(_NAMEN.get(art, art))}</title>
<style>
body{{font-family:sans-serif;max-width:72rem;margin:1.5rem auto;line-height:1.4;color:#222}}
fieldset{{margin:1rem 0}}table.liste td{{padding:.1rem}}table.liste th{{font-weight:normal;font-size:.85em;text-align:left;vertical-align:bottom}}
table.liste input{{width:7rem}}small{{color:#555}}.fehler{{border:2px solid #b00;padding:.5rem 1rem;background:#fff4f4}}
nav{{margin-bottom:1rem}}
</style></head><body>
<nav>{wahl} · <a href="/regelwerk/">Regelwerk</a> · <a href="/api/docs">API</a></nav>
<h1>Entscheidung: {escape(_NAMEN.get(art, art))}</h1>
<p>{escape(schema.get("description", ""))}</p>
{meldungen}
<form method="post" action="/formular/{art}" id="formular">
{_felder(schema, schema, "", werte or {})}
<p><button type="submit" id="entscheiden">Entscheiden</button></p>
</form>
<h2>Oder eine Datei hochladen</h2>
<form method="post" action="/formular/datei" enctype="multipart/form-data" id="hochladen">
<p><label for="datei">Falldatei (YAML oder JSON) oder CSV-Datei nach dem Muster der Anzeige (Ausgleichsabgabe)</label><br>
<input type="file" name="datei" id="datei" accept=".yaml,.yml,.json,.csv"></p>
<p><button type="submit">Hochladen und entscheiden</button></p>
</form>
</body></html>
"""


_GANZZAHL = re.compile(r"-?[0-9]{1,30}")  # ASCII digits only ("²", "٣" and "--5" stay text); as the readers' limit


class Formularfehler(ValueError):
    """Form fields that do not make one case (a field sent twice, a field inside a value): German, with the field."""

    def __init__(self, meldung: str, feldpfad: str, hilfe: str = "das Formular neu laden und erneut ausfüllen"):
        super().__init__(meldung)
        self.meldung, self.feldpfad, self.hilfe = meldung, feldpfad, hilfe


def _wert(text: str, schema: dict) -> Any:
    typen = _typen(schema)
    if typen == ["boolean"]:
        return {"true": True, "false": False}.get(text, text)
    if typen == ["integer"]:
        t = text.strip()
        return int(t) if _GANZZAHL.fullmatch(t) else t  # else the schema names the field and what is allowed
    return text.strip()


def _kurz(text: str) -> str:
    """A field name cut for a message (one of 10,000 characters is not echoed whole)."""
    return kurz(text, 60)


def fall_aus_formular(art: str, schema: dict, felder: dict[str, str]) -> dict[str, Any]:
    """Form fields (path -> text) as a case; empty fields are left out, rows without input too."""
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
            feld = _aufloesen(s.get("properties", {}).get(name, {}), schema)
            if _typen(feld) == ["array"]:
                items = _aufloesen(feld.get("items", {}), schema)
                if i + 1 >= len(teile):  # list of scalars, comma separated
                    ziel[name] = [_wert(x, items) for x in text.split(",") if x.strip()]
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
                for z in reihen:
                    fuelle(z, voll)
                d[name] = reihen
            elif isinstance(wert, dict):
                fuelle(wert, voll)
    fuelle(fall, "")
    for name, wert in list(fall.items()):
        if wert == [] and name not in schema.get("required", []):
            del fall[name]
    return fall


def mit_bescheid_knoepfen(seite: str, fall: str, typ: str) -> str:
    """The decision page with buttons that download the case's Bescheid as Word and PDF (one case, JSON or YAML)."""
    if typ not in ("json", "yaml"):
        return seite
    knoepfe = "".join(
        f'<form method="post" action="/formular/bescheid" style="display:inline">'
        f'<input type="hidden" name="fall" value="{escape(fall, quote=True)}"><input type="hidden" name="typ" value="{typ}">'
        f'<input type="hidden" name="format" value="{fmt}"><button type="submit" id="bescheid-{fmt}">{text}</button></form> '
        for fmt, text in (("docx", "Bescheid als Word herunterladen"), ("pdf", "Bescheid als PDF herunterladen")))
    leiste = f'<nav class="bescheid-download" aria-label="Bescheid herunterladen">{knoepfe}</nav>'
    koerper = seite.find("<body")
    ende = seite.find(">", koerper) + 1 if koerper >= 0 else 0
    return seite[:ende] + leiste + seite[ende:]
