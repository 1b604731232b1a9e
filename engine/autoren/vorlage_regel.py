"""`regelwerk neu regel ZITAT --art ART`: a commented, valid skeleton of a rule.

The citation is resolved (it must exist in legal/); its wording is quoted as a comment
above the rule. Formulas are placeholders that parse; the rule is marked `entwurf: true`, so it
stays out of every decision (and `regelwerk check` names it) until the author has
filled in the TODOs and removed the mark.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..fehler import AufrufFehler, FehlerSammlung, Ort, RegelwerkFehler, relativ, vorschlag
from ..format import datum
from ..yamlquelle import lade_yaml
from ..wissensbasis import lade_wissensbasis
from ..zitate import loese_auf, parse_zitat


@dataclass
class NeueRegel:
    datei: Path
    regel_id: str
    fakt: str
    zitat: str
    angelegt: bool  # the file was created

    def hinweise(self) -> str:
        return "\n".join([
            f"Regel `{self.regel_id}` {'in neuer Datei' if self.angelegt else 'angefügt an'} {relativ(self.datei)} "
            f"(Fundstelle „{self.zitat}“).",
            "Nächste Schritte:",
            "  1. titel und erklaerung ausfüllen (alle Stellen mit TODO).",
            "  2. liest, wenn und dann schreiben; den Platzhalter-Fakt "
            f"`{self.fakt}` durch den abgeleiteten Wert ersetzen.",
            "  3. neue Namen unter `liest`/`dann` in rules/begriffe.yaml deutsch bezeichnen; die Zeile",
            "     `entwurf: true` entfernen, erst dann gilt die Regel;",
            "     regelwerk check – prüft Schema, Zitate, Parameter, Konflikte und Zyklen.",
            "  4. einen Testfall unter tests/cases/ anlegen (von Hand gerechnet) und regelwerk test ausführen.",
            "  5. regelwerk coverage zeigt, welche Sätze danach noch offen sind.",
        ])


def _slug(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text.lower())).strip("_")


def _kommentar(text: str, einzug: str) -> list[str]:
    zeilen = []
    for absatz in text.splitlines() or [""]:
        for z in textwrap.wrap(absatz, 96) or [""]:
            zeilen.append(f"{einzug}#   {z}".rstrip())
    return zeilen


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def neue_regel(wurzel: Path, zitat_text: str, art: str, regel_id: str | None = None, datei: Path | None = None,
               ab: date | None = None) -> NeueRegel:
    wb = lade_wissensbasis(wurzel)
    if art not in wb.regelbuch.verfahren:
        raise AufrufFehler(f"unbekannte Art `{art}`", hilfe=vorschlag(art, wb.regelbuch.verfahren)
                         or "bekannt: " + ", ".join(sorted(wb.regelbuch.verfahren)))
    zitate = parse_zitat(zitat_text, wb.recht)
    if len(zitate) != 1:
        raise AufrufFehler(f"„{zitat_text}“ nennt mehrere Vorschriften", hilfe="eine Regel je Fundstelle anlegen")
    zitat = zitate[0]
    v = wb.recht.vorschrift(zitat.gesetz, zitat.paragraph)
    stichtag = ab or date.today()
    if v is not None and v.fassung_am(stichtag) is None and ab is None and v.fassungen:
        stichtag = v.fassungen[0].gueltig_ab  # repealed provision: its newest Fassung
    fundstelle = loese_auf(zitat, wb.recht, stichtag)  # German ZitatFehler if it does not exist
    fassung = fundstelle.fassung
    # the rule must not start before the Fassung (the citation must hold on every day of the rule)
    gueltig_ab = max(ab or fassung.gueltig_ab, fassung.gueltig_ab)
    gueltig_bis = fassung.gueltig_bis
    # id and draft fact
    stellen = "_".join(x for x in [zitat.paragraph or zitat.punkt or "", zitat.absatz or "", zitat.satz or "",
                                   zitat.nummer or "", zitat.buchstabe or ""] if x)
    vorhandene = [r.id for r in wb.regelbuch.regeln if r.art == art]
    praefix = vorhandene[0].split(".")[0] if vorhandene else _slug(art)
    rid = regel_id or f"{praefix}.entwurf_{_slug(zitat.gesetz)}_{stellen}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", rid):
        raise AufrufFehler(f"Regel-ID `{rid}` hat nicht die erwartete Form",
                         hilfe="Kleinbuchstaben, Ziffern und _, mit Punkt gegliedert, z. B. aa.staffel_4")
    if rid in {r.id for r in wb.regelbuch.regeln} | {e.id for e in wb.regelbuch.entwuerfe}:
        raise AufrufFehler(f"Regel-ID `{rid}` gibt es schon", hilfe="mit --id eine andere Kennung wählen")
    fakt = "entwurf_" + _slug(rid.split(".", 1)[1]).removeprefix("entwurf_")
    # target file
    ziel = (datei if datei is None or datei.is_absolute() else Path.cwd() / datei) if datei else \
        wurzel / "rules" / art / "entwurf.yaml"
    ziel = ziel.resolve()
    try:
        ziel.relative_to((wurzel / "rules").resolve())
    except ValueError:
        raise AufrufFehler(f"{ziel} liegt nicht unter {wurzel / 'rules'}", hilfe="Regeldateien liegen unter rules/<art>/") from None
    if "parameter" in ziel.relative_to((wurzel / "rules").resolve()).parts or ziel.name == "verfahren.yaml":
        raise AufrufFehler("in Parameter- oder Verfahrensdateien werden keine Regeln angelegt", Ort(str(ziel)),
                         "eine Regeldatei unter rules/<art>/ wählen")
    einzug = "  "
    heute = date.today().isoformat()
    zeilen = [
        f"{einzug}# --- Entwurf, angelegt mit `regelwerk neu regel` am {heute}: alle TODO ausfüllen ---",
        f"{einzug}# {fundstelle.zitat.text} (Fassung ab {datum(fassung.gueltig_ab)}, Anker {fundstelle.anker}):",
        *_kommentar(f"„{fundstelle.wortlaut}“", einzug),
        f"{einzug}- id: {rid}",
        f"{einzug}  # Entwurf: gilt in keiner Entscheidung, bis diese Zeile entfernt ist (regelwerk check nennt ihn).",
        f"{einzug}  entwurf: true",
        f"{einzug}  titel: {_yaml_text('TODO: kurzer Titel – ' + fundstelle.zitat.text)}",
        f"{einzug}  fundstellen:",
        f"{einzug}    - {_yaml_text(fundstelle.zitat.text)}",
        f"{einzug}  gueltig_ab: {gueltig_ab.isoformat()}",
    ]
    if gueltig_bis:
        zeilen.append(f"{einzug}  gueltig_bis: {gueltig_bis.isoformat()}")
    eingaben = ", ".join(wb.regelbuch.verfahren[art].eingaben)
    zeilen += [
        f"{einzug}  # TODO: Fakten, die die Regel liest – Eingaben des Falls ({eingaben})",
        f"{einzug}  # oder Ergebnisse anderer Regeln.",
        f"{einzug}  liest: []",
        f"{einzug}  # TODO: Bedingung (optional), z. B.  wenn: \"beschaeftigungspflichtig und beschaeftigungsquote < 3\"",
        f"{einzug}  # (jeder Name in der Bedingung muss unter `liest` stehen).",
        f"{einzug}  dann:",
        f"{einzug}    # TODO: PLATZHALTER – Namen des abgeleiteten Werts und Formel ersetzen.",
        f"{einzug}    {fakt}: \"0\"",
        f"{einzug}  erklaerung: {_yaml_text('TODO: Begründungssatz für den Bescheid; {' + fakt + '} setzt den Wert ein.')}",
        "",
    ]
    block = "\n".join(zeilen) + "\n"
    angelegt = not ziel.exists()
    if angelegt:
        ziel.parent.mkdir(parents=True, exist_ok=True)
        tiefe = len(ziel.relative_to(wurzel.resolve()).parts) - 1
        schema = "../" * tiefe + "engine/schemas/regeln.schema.json"
        ziel.write_text(f"# yaml-language-server: $schema={schema}\n"
                        f"# Entwürfe neuer Regeln für die Art „{art}“.\n"
                        f"art: {art}\nregeln:\n{block}", encoding="utf-8")
    else:
        dok = lade_yaml(ziel, relativ(ziel))
        daten = dok.daten if isinstance(dok.daten, dict) else {}
        if daten.get("art") != art:
            raise AufrufFehler(f"{relativ(ziel)} gehört zur Art `{daten.get('art')}`, nicht `{art}`", Ort(relativ(ziel)),
                             "passende Datei mit --datei wählen")
        text = ziel.read_text(encoding="utf-8")
        zeilen_alt = text.splitlines(keepends=True)
        if not text.endswith("\n"):
            zeilen_alt[-1] += "\n"
        regeln_zeile = next((i for i, z in enumerate(zeilen_alt) if re.match(r"regeln:\s*(#.*)?$", z)), None)
        if regeln_zeile is None or re.match(r"regeln:\s*\[\s*\]", zeilen_alt[regeln_zeile]):
            if regeln_zeile is not None:
                del zeilen_alt[regeln_zeile]
            zeilen_alt.append("regeln:\n" + block)
        else:  # insert before the next top-level key after `regeln:` (e.g. nicht_automatisiert)
            ende = next((i for i in range(regeln_zeile + 1, len(zeilen_alt))
                         if re.match(r"[a-z_]+:", zeilen_alt[i])), len(zeilen_alt))
            zeilen_alt.insert(ende, ("\n" if zeilen_alt[ende - 1].strip() else "") + block)
        ziel.write_text("".join(zeilen_alt), encoding="utf-8")
    try:
        lade_wissensbasis(wurzel)
    except FehlerSammlung:
        raise
    except RegelwerkFehler as exc:  # pragma: no cover - the skeleton is designed to be valid
        raise RegelwerkFehler(f"das Gerüst ist angelegt, aber das Regelwerk meldet einen Fehler: {exc}", Ort(str(ziel)))
    return NeueRegel(ziel, rid, fakt, fundstelle.zitat.text, angelegt)
