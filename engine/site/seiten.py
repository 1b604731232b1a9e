"""The published rulebook: generate Markdown pages from legal/, rules/, parameters and test
cases, then build them with MkDocs (mkdocs-material, built-in search only) into static HTML.

Layout (all paths relative to the project root):
  site/docs/       hand-written pages (Startseite, guide, formula language, glossary)
  site/generiert/  build input: a copy of site/docs/ plus the generated pages (not committed)
  site/build/      the built HTML site (not committed)

Provision pages live at ``engine.rechtstext.seitenpfad`` (``recht/sgb9/160/``) and give every
unit of every Fassung the id ``engine.rechtstext.html_anker`` – the same addresses that
``regelwerk decide --format html --site-url …`` links to.
"""
from __future__ import annotations

import ast
import html
import io
import json
import logging
import re
import shutil
import time
import tokenize
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..autoren.testfaelle import gleich
from ..darstellung import ergebnis_namen, geldwerte, setze_ein
from ..fehler import ZitatFehler
from ..format import EINHEIT_NAMEN, EINHEITEN, datum, deutsch, euro, mit_einheit
from ..formel import FUNKTIONEN, SCHLUESSELWOERTER
from ..parameter import Parameter
from ..rechtstext import Fassung, Vorschrift, html_anker
from ..regeln import NichtAutomatisiert, Regel
from ..zeitraum import Zeitraum, zeitraum_text
from ..wissensbasis import Wissensbasis, lade_wissensbasis
from ..zitate import loese_auf, parse_zitat
from . import roh
from .hervorhebung import gemerkte_yaml_bloecke
from .suche import Suchindex
from .analyse import Analyse, FallLauf, zeilen
from .diagramm import parameter_svg
from .text import (ART_NAMEN, ISO_IN_TEXT, FORMELWOERTER, GRUENDE, NBSP, md_pfad, nbsp_ausser_code, regel_anker,
                   sortierschluessel, grund_worte, html_link, kasten_titel, kuerze, lesbar, md_text, md_titel,
                   relativ_link, satz, stellenname, vorschrift_name, wort, zitat_nbsp)

BEISPIEL = "tests/cases/ausgleichsabgabe/staffel-2-2024.yaml"
_VORLAGEN = Path(__file__).parent / "vorlagen"
_PLATZHALTER_FUNKTIONEN = "<!-- regelwerk:funktionen -->"
# functions of the formula language that give a list of words, named in a rule's sentence by what they list
_LISTENFUNKTIONEN = {"laender_mit_spaeterem_fristende": "Länder mit späterem Fristende"}


# --- the site generator ----------------------------------------------------------------------


class Generator:
    def __init__(self, wb: Wissensbasis, ziel: Path, docs: Path | None = None, faelle: Path | None = None):
        self.wb = wb
        self.ziel = ziel
        self.docs = docs
        self.faelle_ordner = faelle or wb.wurzel / "tests" / "cases"
        self.analyse = Analyse(wb, self.faelle_ordner)
        self.kurz = {g.id: g.kurz for g in wb.recht.gesetze.values()}
        self.vorschriften = sorted(wb.recht.vorschriften.values(), key=sortierschluessel)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_VORLAGEN)), autoescape=False,
                                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                      undefined=jinja2.ChainableUndefined)
        self.env.filters.update(md=md_text, titel=md_titel, datum=lambda d: datum(d, leer="offen"),
                                deutsch=deutsch, euro=euro,
                                mit_einheit=mit_einheit, lesbar=lesbar,
                                kuerze=kuerze, nbsp=zitat_nbsp, sprache=self.sprache, satz=satz)
        self.env.globals.update(regel_anker=regel_anker, kasten_titel=kasten_titel, grund_worte=grund_worte,
                                zeitraum_text=zeitraum_text, GRUENDE=GRUENDE, EINHEITEN=EINHEITEN,
                                EINHEIT_NAMEN=EINHEIT_NAMEN, stellenname=stellenname, wort=wort,
                                fundstelle_link=self.fundstelle_link, bezeichnung=self.bezeichnung,
                                # parts written as HTML (engine.site.roh)
                                kasten=self.kasten, schritt_html=self.schritt_html, ergebnis_html=self.ergebnis_html,
                                erwartet_html=self.erwartet_html, monate_html=self.monate_html,
                                matrix_gesamt_html=self.matrix_gesamt_html, matrix_stellen_html=self.matrix_stellen_html,
                                parameter_link=self.parameter_link, gleich=gleich, regel_link=self.regel_link,
                                html_anker=html_anker, name=self.name, link=relativ_link, md_pfad=md_pfad,
                                ART_NAMEN=ART_NAMEN,
                                NAMEN={k: zitat_nbsp(t) for k, t in ergebnis_namen(wb.regelbuch.verfahren.values()).items()})
        self.seiten: list[str] = []
        self.suchindex = Suchindex()  # the statute and test case pages (search: exclude for the plugin)

    def name(self, v: Vorschrift) -> str:
        return zitat_nbsp(vorschrift_name(v, self.kurz[v.gesetz]))

    # links and words for rules and parameters ---------------------------------------

    def parameter_link(self, pid: str, von: str, text: str | None = None) -> str:
        """Markdown link to a parameter's own page."""
        if pid not in self.wb.parameter:
            return md_text(text or pid)
        return f"[{text or md_text(self.wb.parameter[pid].titel)}]({relativ_link(von, f'parameter/{pid}.md')})"

    def fundstelle_link(self, zitat: str, tag: date, von: str) -> str:
        """A citation as links to its units in the Fassung in force on `tag`. Compound Fundstellen
        ("§ 160 Abs. 2 Satz 1 Nr. 1 i.V.m. Abs. 3 SGB IX und Nr. 1 Bek. v. 2.12.2024") link each part that
        names a unit; a part without its law takes the law named after it; the rest stays text."""
        teile = re.split(r"( und | i\.\s?V\.\s?m\. |; )", zitat)
        formen = sorted(((f, g.kurz) for g in self.wb.recht.gesetze.values() for f in g.zitierformen + [g.kurz]),
                        key=lambda x: -len(x[0]))
        gesetz_danach = ""
        ergebnis: list[str] = []
        for i in range(len(teile) - 1, -1, -1):
            teil = teile[i]
            if i % 2:  # separator
                ergebnis.append(md_text(teil))
                continue
            eigenes = next((k for f, k in formen if teil.endswith(" " + f) or teil == f), "")
            gesetz_danach = eigenes or gesetz_danach
            voll = teil if eigenes or not teil.startswith("§") else f"{teil} {gesetz_danach}"
            try:
                fs = loese_auf(parse_zitat(voll, self.wb.recht)[0], self.wb.recht, tag)
            except (ZitatFehler, IndexError):
                ergebnis.append(md_text(teil))
                continue
            ergebnis.append(f"[{md_text(teil)}]({relativ_link(von, md_pfad(fs.vorschrift), html_anker(fs.fassung.gueltig_ab, fs.anker))})")
        return "".join(reversed(ergebnis))

    def regel_link(self, rid: str, von: str) -> str:
        """A rule id linked to its row on the page of the first provision it cites."""
        if rid.startswith("parameter."):
            return self.parameter_link(rid.split(".", 1)[1], von, f"`{rid}`")
        v = self._regel_vorschrift(rid)
        if v is None:
            return f"`{rid}`"
        return f"[`{rid}`]({relativ_link(von, md_pfad(v), 'regel-' + regel_anker(rid))})"

    def _regel_vorschrift(self, rid: str) -> Vorschrift | None:
        """The provision whose page lists a rule: the first it cites, the current numbering first."""
        stellen = self.analyse.regel_stellen.get(rid) or []
        return next((sv for sv, _, _ in stellen if sv.gesetz == "sgb9"), stellen[0][0]) if stellen else None

    def _parameter_a(self, pid: str, von: str, inhalt_html: str) -> str:
        """HTML link to a parameter's own page (the rule boxes are HTML, engine.site.roh)."""
        return roh.a(html_link(von, f"parameter/{pid}.md"), inhalt_html)

    def _wert(self, pid: str, zeit: date | Zeitraum, mit_einheit: bool, von: str) -> str:
        """A parameter's value (HTML), linked to its page: on a day, or every value in force in a period (a Fassung's
        tab shows the amounts of its own years: "125 Euro (ab 01.01.2021: 140 Euro)")."""
        p = self.wb.parameter.get(pid)
        if p is None:
            return roh.code(f"parameter.{pid}")
        if isinstance(zeit, date):
            w = p.wert_oder_none(zeit)
            werte = [w] if w is not None else []
        else:
            werte = sorted((w for w in p.werte if w.zeitraum.schnitt(zeit)), key=lambda w: w.gueltig_ab)
        if not werte:
            return self._parameter_a(pid, von, roh.code(f"parameter.{pid}"))

        def text(w) -> str:
            return deutsch(w.wert) + (f"{NBSP}{EINHEITEN.get(p.einheit, '')}" if mit_einheit and EINHEITEN.get(p.einheit) else "")
        erster = text(werte[0])
        if len(werte) > 1:
            erster += " (" + "; ".join(f"ab {datum(w.gueltig_ab)}: {text(w)}" for w in werte[1:]) + ")"
        return self._parameter_a(pid, von, roh.t(erster))

    _FORMEL_STUECKE = re.compile(r'(parameter\.[a-z0-9_]+|"[^"]*"|(?<![.\w])[a-z_][a-z0-9_]*\b(?!\s*\())')
    _NAME = re.compile(r"[a-z_][a-z0-9_]*")

    def _formel_worte(self, formel: str, tag: date | Zeitraum, von: str) -> str:
        """A formula for readers (HTML): parameters as their linked values on `tag`, facts as words."""
        text = lesbar(" ".join(formel.split()))
        # parameters; names of facts (not functions "name(", keywords, fields after "." or inside quotes)
        ergebnis = []
        for stueck in self._FORMEL_STUECKE.split(text):
            if stueck.startswith("parameter."):
                ergebnis.append(self._wert(stueck.split(".", 1)[1], tag, True, von))
            elif self._NAME.fullmatch(stueck or "-") and stueck not in FORMELWOERTER and len(stueck) > 2:
                ergebnis.append(f"<em>{roh.t(self.bezeichnung(stueck))}</em>")
            else:
                ergebnis.append(roh.t(stueck))
        return "".join(ergebnis)

    _PLATZHALTER = re.compile(r"(\{[a-z_][a-z0-9_.]*\})")

    @staticmethod
    def _luecke(bezeichnung: str, hinweis: str = "Angabe des Falls") -> str:
        """A gap for a value of the case in a rule's sentence, named by its German label: "[Entscheidungsdatum]"
        (a bare "…" left sentences such as "Genehmigungsfiktion: …" or only "…", issue 23)."""
        return (f'<span class="rw-platzhalter" title="{html.escape(hinweis, quote=True)}">'
                f"[{roh.t(zitat_nbsp(bezeichnung))}]</span>")

    def _text_worte(self, quelle: str, name_html, anfang: bool = False) -> str | None:
        """A formula that writes a text (`text("Offen: …", x, ".")`, a quoted string, or `wenn(…)` choosing between
        such texts) as the words it writes: its literal parts as written, the values of the case as named gaps,
        a choice as its alternatives ("je nach Fall „…“ oder „…“"); a choice inside a text is a gap. None for any
        other formula (a number, a date, a code of another fact): the caller names it as a gap. `anfang`: the text
        opens the sentence (its first letter is written capital)."""
        try:  # the formula's German words ("leer", "und") as Python's, to read its structure with `ast`
            woerter = tokenize.generate_tokens(io.StringIO(" ".join(quelle.split())).readline)
            python = tokenize.untokenize(t._replace(string=SCHLUESSELWOERTER.get(t.string, t.string))
                                         if t.type == tokenize.NAME else t for t in woerter)
            knoten = ast.parse(python, mode="eval").body
        except (SyntaxError, tokenize.TokenError):
            return None

        def name(k: ast.AST) -> str | None:
            if isinstance(k, ast.Name):
                return k.id
            if isinstance(k, ast.Attribute) and (wurzel := name(k.value)):
                return f"{wurzel}.{k.attr}"
            return None

        def ist_aufruf(k: ast.AST, f: str) -> bool:
            return isinstance(k, ast.Call) and isinstance(k.func, ast.Name) and k.func.id == f

        def leer(k: ast.AST) -> bool:
            return isinstance(k, ast.Constant) and (k.value is None or isinstance(k.value, str) and not k.value.strip())

        def textartig(k: ast.AST) -> bool:
            if leer(k):
                return True
            if isinstance(k, ast.Constant):
                return isinstance(k.value, str)
            if ist_aufruf(k, "wenn") and len(k.args) == 3:
                return textartig(k.args[1]) and textartig(k.args[2])
            return ist_aufruf(k, "text")

        def teil(k: ast.AST, gross: bool) -> str:
            if leer(k):
                return ""
            if isinstance(k, ast.Constant):
                wert = (self.sprache(k.value) if isinstance(k.value, str)
                        else {True: "ja", False: "nein"}.get(k.value) if isinstance(k.value, bool) else deutsch(k.value))
                return roh.t(wert[:1].upper() + wert[1:] if gross else wert)
            if ist_aufruf(k, "text"):
                return "".join(teil(a, gross and i == 0) for i, a in enumerate(k.args))
            if (n := name(k)) is not None:
                return name_html(n) if "." not in n else self._luecke(self.bezeichnung(n.split(".")[-1]))
            if ist_aufruf(k, "wenn"):
                # a part written only in some cases: " [gegebenenfalls: (Tag der Bekanntgabe …)]"
                andere = [z for z in zweige(k) if not leer(z)]
                namen = [n for z in andere if (n := name(z)) is not None]
                if namen and len(namen) == len(andere):  # one value or another of the case: named by the plain one
                    return teil(next((ast.Name(n) for n in namen if "." not in n), andere[0]), False)
                if len(andere) == 1 and textartig(andere[0]):
                    return (f' <span class="rw-platzhalter" title="nur in manchen Fällen">[gegebenenfalls: '
                            f'{teil(andere[0], False).lstrip(" .,;").strip()}]</span>')
                return self._luecke("je nach Fall", "ein Teil, der von den Angaben des Falls abhängt")
            if ist_aufruf(k, "plus_tage") and len(k.args) == 2 and (n := name(k.args[0])) \
                    and isinstance(k.args[1], ast.Constant) and k.args[1].value == 1:  # "seit dem [Tag nach: Ende …]"
                return self._luecke(f"Tag nach: {self.bezeichnung(n.split('.')[-1])}", "aus den Angaben des Falls errechnet")
            if ist_aufruf(k, "verbinde") and k.args:  # a list joined into words: named by what it lists
                return liste(k.args[0])
            return errechnet(k)

        def liste(k: ast.AST) -> str:
            if (n := name(k)) is not None:
                return self._luecke(self.bezeichnung(n.split(".")[-1]), "Liste aus den Angaben des Falls")
            if isinstance(k, ast.BinOp) and isinstance(k.op, ast.Add):  # a list with more entries: named by the list
                return liste(k.left)
            if isinstance(k, ast.Call) and isinstance(k.func, ast.Name) and k.func.id in _LISTENFUNKTIONEN:
                return self._luecke(_LISTENFUNKTIONEN[k.func.id], "aus den Angaben des Falls errechnet")
            return errechnet(k)

        def errechnet(k: ast.AST) -> str:
            """A value computed from the case, named by the facts it is computed from ("[errechnet aus: Unanfechtbar
            am]"); a bare "[errechneter Wert]" said nothing (issue 23, left open there)."""
            funktionen = {id(a.func) for a in ast.walk(k) if isinstance(a, ast.Call)}
            gebunden = {t.id for c in ast.walk(k) if isinstance(c, ast.comprehension) for t in ast.walk(c.target)
                        if isinstance(t, ast.Name)}
            innere = {id(a.value) for a in ast.walk(k) if isinstance(a, ast.Attribute)}  # `mensch` of `mensch.eingang`
            # `"antrag" in person` asks whether the case has a field; it reads no value
            innere |= {id(c.comparators[0]) for c in ast.walk(k) if isinstance(c, ast.Compare) and len(c.ops) == 1
                       and isinstance(c.ops[0], (ast.In, ast.NotIn)) and isinstance(c.left, ast.Constant)}
            ausser = gebunden | {"parameter", "eintrag"}  # names bound in the formula, parameters, a `je` element
            namen = [n for a in ast.walk(k) if isinstance(a, (ast.Name, ast.Attribute)) and id(a) not in innere
                     and id(a) not in funktionen and (n := name(a)) is not None]
            gelesen = list(dict.fromkeys(self.bezeichnung(n.split(".")[-1]) for n in namen
                                         if n.split(".")[0] not in ausser))
            if not gelesen:
                return self._luecke("errechneter Wert", "aus den Angaben des Falls errechnet")
            aufzaehlung = gelesen[0] if len(gelesen) == 1 else ", ".join(gelesen[:-1]) + " und " + gelesen[-1]
            was = "Fristende, errechnet aus" if ist_aufruf(k, "fristende") else "errechnet aus"
            return self._luecke(f"{was}: {aufzaehlung}", "aus den Angaben des Falls errechnet")

        def zweige(k: ast.AST) -> list[ast.AST]:
            return zweige(k.args[1]) + zweige(k.args[2]) if ist_aufruf(k, "wenn") and len(k.args) == 3 else [k]
        if not textartig(knoten):
            return None
        if ist_aufruf(knoten, "wenn"):
            alle = [f"„{teil(z, False)}“" if any(isinstance(b, ast.Constant) for b in ast.walk(z)) else teil(z, False)
                    for z in zweige(knoten) if not leer(z)]
            if len(alle) == 1:  # a text written only in some cases
                return ("Gegebenenfalls " if anfang else "gegebenenfalls ") + alle[0]
            return ("Je" if anfang else "je") + " nach Fall " + ", ".join(alle[:-1]) + " oder " + alle[-1]
        return teil(knoten, anfang)

    def regel_worte(self, r: Regel, zeitraum: Zeitraum | date, von: str) -> dict[str, Any]:
        """A rule in plain German for its box (HTML): the Bescheid's sentence with the parameter values of the period
        (a Fassung's tab, cut to the rule's own validity) filled in and linked; a text the rule itself writes in its own
        words (`_text_worte`); other facts of a case as gaps named by their German label ("[Tag der Entscheidung]");
        and, for the fold, the formula in words."""
        if isinstance(zeitraum, Zeitraum):
            zeit: date | Zeitraum = zeitraum.schnitt(r.zeitraum) or zeitraum
        else:
            zeit = zeitraum
        werte: list[str] = []

        eigene = {d.fakt: d.quelle for d in r.dann}

        def platzhalter(name: str, tiefe: int = 0, anfang: bool = False) -> str:
            if name.startswith("parameter."):
                werte.append(name)
                return self._wert(name.split(".", 1)[1], zeit, False, von)
            wurzel = name.split(".", 1)[0]
            # a text the rule itself writes is said in its own words (its gaps named), not left as one gap
            if wurzel == name and wurzel in eigene and tiefe < 2:
                worte = self._text_worte(eigene[wurzel], lambda n: platzhalter(n, tiefe + 1), anfang)
                if worte is not None:
                    return worte
            return self._luecke(self.wb.regelbuch.bezeichnung(wurzel) or wort(wurzel))
        stuecke = self._PLATZHALTER.split(" ".join(r.erklaerung.split()))
        satz = "".join(platzhalter(s[1:-1], anfang=i == 1 and not stuecke[0].strip() or stuecke[i - 1].endswith(". "))
                       if i % 2 else roh.t(self.sprache(s)) for i, s in enumerate(stuecke))
        wenn = self._formel_worte(r.wenn_quelle, zeit, von) if r.wenn_quelle else ""
        dann = "; ".join(f"<em>{roh.t(self.bezeichnung(d.fakt))}</em> = {self._formel_worte(d.quelle, zeit, von)}" for d in r.dann)
        return {"satz": satz, "wenn": wenn, "dann": dann, "werte": werte}

    # the rule boxes beside the statute, as HTML (engine.site.roh) ------------------------------

    def _regel_inhalt(self, r: Regel, zeitraum: Zeitraum | date, pfad: str) -> str:
        """The content of one rule: the Bescheid's sentence as legal prose with the values of the tab's Fassung
        (facts of a case are gaps named by their German label, "[Tag der Entscheidung]"), reading, rounding, validity, citations, the
        test cases that use it; the formula, the rule's id and file and its YAML one click away."""
        w = self.regel_worte(r, zeitraum, pfad)
        teile = [f"<p>{w['satz']}</p>"]
        if r.lesart:
            teile.append(f"<p><em>Auslegung:</em> {roh.t(self.sprache(' '.join(r.lesart.split())))}</p>")
        if r.rundung:
            teile.append(f"<p><em>Rundung:</em> {roh.t(self.sprache(' '.join(r.rundung.split())))}</p>")
        fundstellen = "; ".join(f"{roh.t(z.zitat)} ({roh.t(zeitraum_text(z.zeitraum.ab, z.zeitraum.bis))})" for z in r.fundstellen)
        teile.append(f'<p class="rw-regel-fuss"><em>Geltung der Regel:</em> {roh.t(zeitraum_text(r.zeitraum.ab, r.zeitraum.bis))}'
                     f" · <em>Fundstellen:</em> {fundstellen}"
                     + (" · <em>Beträge und Sätze dieser Fassung verlinkt</em>" if w["werte"] else "") + "</p>")
        faelle = self.analyse.faelle_der_regel(r.id)
        if faelle:
            links = "; ".join(roh.a(html_link(pfad, fl.seite), roh.t(fl.titel)) for fl in faelle[:4])
            mehr = f" und {len(faelle) - 4} weitere" if len(faelle) > 4 else ""
            teile.append(f'<p class="rw-regel-fuss"><em>Testfälle:</em> {links}{mehr}</p>')
        formel = (f"<strong>Wenn</strong> {w['wenn']}, <strong>dann</strong> {w['dann']}." if w["wenn"]
                  else f"<strong>Immer:</strong> {w['dann']}.")
        fach = "\n".join([f'<p class="rw-formel">{formel}</p>',
                          f"<p>Kennung {roh.code(r.id)}, Datei {roh.code(str(r.ort))}</p>",
                          roh.yaml_html(self.analyse.regel_yaml(r))])
        teile.append(roh.details("quote", "Formel und YAML der Regel (für Fachleute)", fach))
        return "\n".join(teile)

    def _markiert_inhalt(self, n: NichtAutomatisiert) -> str:
        return (f"<p>{roh.t(self.sprache(' '.join(n.erlaeuterung.split())))}</p>\n<p><em>Markierung:</em> {roh.t(n.zitat)}, "
                f"{roh.t(zeitraum_text(n.zeitraum.ab, n.zeitraum.bis))} ({roh.t(str(n.ort))})</p>")

    def kasten(self, regeln: list[Regel], markiert: list[NichtAutomatisiert], zeitraum: Zeitraum | date, pfad: str) -> str:
        """The folded box beside a unit: its rules and non-automation marks, one box per unit, so that it can stand
        beside the sentence (CSS grid) and unfold below it. The search index keeps the box's title (rule titles are
        good search words) and skips its body: material's parser matches excluded elements by tag name only, so the
        exclusion sits on a tag that does not occur inside (<section>, not <details> or <div>)."""
        if not regeln and not markiert:
            return ""
        if len(regeln) + len(markiert) == 1:
            inhalt = [self._regel_inhalt(r, zeitraum, pfad) for r in regeln] + [self._markiert_inhalt(n) for n in markiert]
        else:
            inhalt = [f'<div class="admonition regel">\n<p class="admonition-title">{roh.t(md_titel(r.titel))}</p>\n'
                      f"{self._regel_inhalt(r, zeitraum, pfad)}\n</div>" for r in regeln]
            inhalt += [f'<div class="admonition nicht-automatisiert">\n<p class="admonition-title">Nicht automatisiert '
                       f"({roh.t(GRUENDE.get(n.grund, n.grund))})</p>\n{self._markiert_inhalt(n)}\n</div>" for n in markiert]
        titel = kasten_titel(regeln, markiert)
        kopf = f'<span class="rw-titel">{roh.t(md_titel(titel) if regeln else titel)}</span>'
        koerper = '<section class="rw-neben-inhalt" data-search-exclude="">\n' + "\n".join(inhalt) + "\n</section>"
        return roh.roh('<aside class="rw-neben">\n' + roh.details("regel" if regeln else "nicht-automatisiert", kopf, koerper)
                       + "\n</aside>")

    _CODE = re.compile(r"`([A-Za-z_][A-Za-z0-9_.]*)`|([„\"])([a-z0-9]+(?:_[a-z0-9]+)*)([“\"])"
                       r"|(?<![\w./#-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/#-]|\.[a-z])"
                       r"|(?<![\w./#-])([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)(?![\w/#-])")

    def sprache(self, text: str) -> str:
        """A rule's own text (erklaerung, lesart, rundung) as readers see it: names of facts in backticks and quoted
        codes of case values replaced by their German labels (rules/begriffe.yaml)."""
        def ersetze(m: re.Match) -> str:
            if m.group(1):
                teile = m.group(1).split(".")
                return self.wb.regelbuch.bezeichnung(teile[-1]) or self.wb.regelbuch.bezeichnung(teile[0]) \
                    or self.wb.regelbuch.wert_bezeichnung(teile[-1]) or wort(teile[-1])
            if m.group(6):  # a field of the case named by its path ("gleichstellung.widerruf.unanfechtbar_am")
                if "_" not in m.group(6):
                    return m.group(0)
                return " › ".join(self.bezeichnung(t) for t in m.group(6).split("."))
            code = m.group(3) or m.group(5)
            if m.group(3) and "_" not in code and not self.wb.regelbuch.wert_bezeichnung(code):
                return m.group(0)  # a quoted word ("„bis dahin“"), not a code: a code of one word has its label
            wort_ = self.wb.regelbuch.wert_bezeichnung(code) or self.wb.regelbuch.bezeichnung(code) or wort(code)
            return f"{m.group(2)}{wort_}{m.group(4)}" if m.group(3) else wort_
        text = self._CODE.sub(ersetze, text)
        # ISO dates in prose as German readers write them ("2024-12-31" -> "31.12.2024")
        return ISO_IN_TEXT.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", text)

    def bezeichnung(self, name: str) -> str:
        """A fact's German label from rules/begriffe.yaml (the readable name as a fallback)."""
        return self.wb.regelbuch.bezeichnung(name) or wort(name)

    def schreibe(self, pfad: str, text: str) -> None:
        datei = self.ziel / pfad
        datei.parent.mkdir(parents=True, exist_ok=True)
        if pfad.endswith(".md"):
            text = nbsp_ausser_code(text)
        datei.write_text(text, encoding="utf-8")
        if pfad.endswith(".md"):
            self.seiten.append(pfad)

    def render(self, vorlage: str, **werte) -> str:
        return self.env.get_template(vorlage).render(**werte)

    def erzeuge(self) -> None:
        if self.ziel.exists():
            shutil.rmtree(self.ziel)
        self.ziel.mkdir(parents=True)
        if self.docs and self.docs.is_dir():
            shutil.copytree(self.docs, self.ziel, dirs_exist_ok=True)
            for datei in self.ziel.rglob("*.md"):
                text = datei.read_text(encoding="utf-8")
                if _PLATZHALTER_FUNKTIONEN in text:
                    datei.write_text(text.replace(_PLATZHALTER_FUNKTIONEN, self.funktionen_tabelle()), encoding="utf-8")
        self.parameter_seiten()
        self.zitierformen_js()
        for v in self.vorschriften:
            self.vorschrift_seite(v)
        self.schreibe("recht/index.md", self.render("recht-index.md.j2", gesetze=self.nach_gesetz(), a=self.analyse))
        self.fall_seiten()
        self.schreibe("beispiel.md", self.beispiel_seite())
        self.schreibe("matrix.md", self.matrix_seite())
        self.schreibe("aenderungen.md", self.aenderungen_seite())

    # pieces ---------------------------------------------------------------------

    def zitierformen_js(self) -> None:
        """The law spellings of legal/gesetze.yaml for the citation search (javascripts/regelwerk.js)."""
        daten = [{"id": g.id, "formen": list(dict.fromkeys(g.zitierformen + [g.kurz])), "ohne_paragraphen": g.ohne_paragraphen}
                 for g in self.wb.recht.gesetze.values()]
        self.schreibe("javascripts/zitierformen.js", "/* generated from legal/gesetze.yaml by regelwerk site build */\n"
                      f"window.RW_ZITIERFORMEN = {json.dumps(daten, ensure_ascii=False)};\n")

    def funktionen_tabelle(self) -> str:
        zeilen_ = ["| Funktion | Bedeutung |", "|---|---|"]
        for n, (_, text) in sorted(FUNKTIONEN.items()):
            zeilen_.append(f"| `{n}(…)` | {text} |")
        zeilen_.append("| `wenn(bedingung, dann, sonst)` | wählt einen von zwei Werten; ausgewertet wird nur der gewählte Zweig |")
        zeilen_ += ["", "| Wort | Bedeutung |", "|---|---|"]
        bedeutung = {"und": "beide Bedingungen", "oder": "mindestens eine Bedingung", "nicht": "Verneinung",
                     "wahr": "Wahrheitswert wahr", "falsch": "Wahrheitswert falsch",
                     "fuer": "Listenausdruck: `x fuer x in liste`", "falls": "Filter im Listenausdruck",
                     "leer": "keine Angabe"}
        for wort in SCHLUESSELWOERTER:
            zeilen_.append(f"| `{wort}` | {bedeutung.get(wort, '')} |")
        return "\n".join(zeilen_)

    def nach_gesetz(self) -> list[tuple[Any, list[Vorschrift]]]:
        gruppen: dict[str, list[Vorschrift]] = {}
        for v in self.vorschriften:
            gruppen.setdefault(v.gesetz, []).append(v)
        return [(self.wb.recht.gesetze[g], vs) for g, vs in gruppen.items()]

    def vorschrift_seite(self, v: Vorschrift) -> None:
        pfad = md_pfad(v)
        fassungen = []
        for f in v.fassungen:
            # the rule boxes of this Fassung show the parameter values in force during its own period
            fassungen.append({"f": f, "zeitraum": Zeitraum(f.gueltig_ab, f.gueltig_bis), "zeilen": zeilen(self.analyse, v, f), "abdeckung": self.analyse.abdeckung(v, f),
                              "ganz": self.analyse.regeln_genau(v, f, f.wurzel),
                              "ganz_markiert": self.analyse.markiert_genau(v, f, f.wurzel), "vorgaenger": None})
        entsprechungen = [self.wb.recht.vorschrift(g, p) for g, p in v.entspricht]
        entsprechungen = [e for e in entsprechungen if e is not None]
        # the predecessor's (old numbering) wording as the oldest tab: the version switch reaches back
        for alt in entsprechungen:
            for f in alt.fassungen:
                if f.gueltig_ab < v.fassungen[-1].gueltig_ab:
                    fassungen.append({"f": f, "zeitraum": Zeitraum(f.gueltig_ab, f.gueltig_bis), "zeilen": [], "abdeckung": None, "ganz": [], "ganz_markiert": [],
                                      "vorgaenger": alt})
        parameter = self.analyse.parameter_der_vorschrift(v)
        faelle = self.analyse.faelle_der_vorschrift(v)
        text = self.render("vorschrift.md.j2", v=v, pfad=pfad, gesetz=self.wb.recht.gesetze[v.gesetz],
                           fassungen=fassungen, entsprechungen=entsprechungen, parameter=parameter, faelle=faelle,
                           a=self.analyse, regeln=self.analyse.regeln_der_vorschrift(v), heute=date.today())
        self.schreibe(pfad, text)
        self._suche_vorschrift(v, pfad, fassungen)

    def _suche_vorschrift(self, v: Vorschrift, pfad: str, fassungen: list[dict[str, Any]]) -> None:
        """Search entries of a provision page, section by section as the page shows them (vorschrift.md.j2,
        fassung.md.j2): the page; "Wortlaut" with the head of each Fassung and the units before its first
        Absatz; one entry per Absatz with its sentences and the titles of their rule boxes; the predecessor's
        wording. Status badges, box contents, provenance and the tables below are not searched."""
        index, n = self.suchindex, zitat_nbsp
        index.seite(pfad, n(f"{self.name(v)} – {v.ueberschrift}"), boost=10)

        def kasten(regeln: list[Regel], markiert: list[NichtAutomatisiert]) -> None:
            if regeln or markiert:
                index.worte(n(kasten_titel(regeln, markiert)))

        for i, fa in enumerate(fassungen):
            f = fa["f"]
            zeitraum = zeitraum_text(f.gueltig_ab, f.gueltig_bis)
            index.abschnitt("wortlaut", "Wortlaut")  # each tab's head belongs to the section of the tabs
            if fa["vorgaenger"]:
                alt = self.name(fa["vorgaenger"])
                index.absatz(n(f"Vorgängervorschrift {alt} · gültig {zeitraum} · Stand: {f.stand}"))
                index.abschnitt(f"vorgaenger-{f.gueltig_ab.isoformat()}", n(f"{alt}, Vorgängervorschrift (gültig {zeitraum})"))
                index.absatz(n(f"Bis 31.12.2017 stand diese Regelung in {alt}. Hier steht dessen Wortlaut zum Vergleich; "
                               f"die verlinkbaren Stellen, die Regeln und die Abdeckung dazu stehen auf der Seite {alt}."))
                for absatz in f.wortlaut.strip().split("\n\n"):
                    index.absatz(n(" ".join(z.strip(" |") for z in absatz.split("\n") if set(z.strip()) - set("|-: "))))
                continue
            index.absatz(n(f"Fassung gültig {zeitraum}" + (" (gilt heute)" if not f.gueltig_bis else "")
                           + f" · Stand: {f.stand}" + ("" if f.gesichert else " · Geltungsbeginn nicht gesichert")))
            if v.paragraph is None:  # a Bekanntmachung: found by the years whose amounts it set ("Ausgleichsabgabe 2021")
                bis = (f.gueltig_bis or date(date.today().year, 12, 31)).year
                index.worte(f"{v.ueberschrift} Beträge für die Jahre "
                            + " ".join(str(j) for j in range(f.gueltig_ab.year, bis + 1)))
            kasten(fa["ganz"], fa["ganz_markiert"])
            vorher = None
            for z in fa["zeilen"]:
                e = z.einheit
                absatz_nr = vorher.einheit.nr if vorher and vorher.html_id and vorher.einheit.art == "absatz" else None
                vor = f"({absatz_nr}) " if absatz_nr else ""
                if not z.html_id:
                    index.absatz(n(z.schluss))
                elif e.art == "absatz":
                    index.abschnitt(z.html_id, f"Abs. {e.nr}" if i == 0 else f"Abs. {e.nr} (Fassung {zeitraum})")
                elif e.art == "nummer" and not z.text and not z.tabelle:
                    index.absatz(f"{vor}{e.nr}.")
                else:
                    sup = f"<sup>{html.escape(e.nr or '')}</sup> " if e.art == "satz" else ""
                    index.absatz(n(z.text), html.escape(vor) + sup)
                    for zeile in z.tabelle:
                        if set(zeile.strip()) - set("|-: "):
                            index.worte(n(" ".join(zelle.strip() for zelle in zeile.strip(" |").split("|"))))
                if e.art != "absatz":
                    if absatz_nr:
                        kasten(vorher.regeln + z.regeln, vorher.markiert + z.markiert)
                    else:
                        kasten(z.regeln, z.markiert)
                vorher = z

    def _parameter_thema(self, p: Parameter) -> Vorschrift | None:
        """The provision a parameter belongs to (legal topic): the newest value's statute citation,
        preferring the current numbering over a.F. and over a Bekanntmachung."""
        kandidaten = []
        for w in reversed(p.werte):
            try:
                for z in parse_zitat(w.fundstelle, self.wb.recht):
                    v = self.wb.recht.vorschrift(z.gesetz, z.paragraph)
                    if v is not None:
                        kandidaten.append(v)
            except ZitatFehler:
                continue
        rang = {"sgb9": 0, "sgb4": 1, "sgb9-af": 2}
        return min(kandidaten, key=lambda v: rang.get(v.gesetz, 3)) if kandidaten else None

    def parameter_seiten(self) -> None:
        params = sorted(self.wb.parameter.values(), key=lambda p: p.id)
        mit_svg = set()
        for p in params:
            svg = parameter_svg(p)
            if svg:
                self.schreibe(f"parameter/{p.id}.svg", svg)
                mit_svg.add(p.id)
        verwendet: dict[str, list[Regel]] = {}
        for r in self.wb.regelbuch.regeln:
            for formel in ([r.wenn] if r.wenn else []) + [d.formel for d in r.dann if d.formel]:
                for n in formel.namen:
                    if n.startswith("parameter.") and r not in verwendet.setdefault(n.split(".", 1)[1], []):
                        verwendet[n.split(".", 1)[1]].append(r)
        gruppen: dict[str, dict[str, Any]] = {}
        for p in params:
            v = self._parameter_thema(p)
            schluessel = v.anker if v else "~"
            gruppe = gruppen.setdefault(schluessel, {"v": v, "parameter": []})
            gruppe["parameter"].append(p)
            pfad = f"parameter/{p.id}.md"
            self.schreibe(pfad, self.render("parameter.md.j2", p=p, pfad=pfad, svg=p.id in mit_svg, thema=v,
                                            regeln=verwendet.get(p.id, []), heute=date.today()))
        geordnet = sorted(gruppen.values(), key=lambda g: sortierschluessel(g["v"]) if g["v"] else (9,))
        self.schreibe("parameter/index.md", self.render("parameter-index.md.j2", gruppen=geordnet, pfad="parameter/index.md",
                                                        heute=date.today()))

    def fall_seiten(self) -> None:
        for fl in self.analyse.faelle:
            self.schreibe(fl.seite, self.render("fall.md.j2", fl=fl, pfad=fl.seite, schritte=self.schritte(fl, fl.seite),
                                                eingabe=self.eingabe(fl)))
            self._suche_fall(fl)
        self.schreibe("faelle/index.md", self.render("faelle-index.md.j2", faelle=self.analyse.faelle,
                                                     fehler=[f for f in self.analyse.fehler if "tests" in f]))

    def _suche_fall(self, fl: FallLauf) -> None:
        """Search entries of a test case page (fall.md.j2): the case with its hand calculation, the result, each
        step of the decision with its explanation, citations and values, the marks "nicht automatisiert". The
        wording quoted in each step is not repeated here: it is found on the statute page it links to."""
        index, n, namen = self.suchindex, zitat_nbsp, self.env.globals["NAMEN"]
        d = fl.daten
        index.seite(fl.seite, f"Testfall {fl.name}", boost=0.1)
        staende = "; ".join(f"{r['bezeichnung']} {deutsch(r['datum'])}" for r in (d.get("quittung") or {}).get("rechtsstaende") or [])
        jahr = f" · Jahr {d['jahr']}" if d.get("jahr") is not None else ""
        index.absatz(n(f"{fl.titel}{jahr} · Datei {fl.datei} · Rechtsstand {staende}"))
        index.absatz(n(fl.begruendung))
        index.abschnitt("ergebnis", "Ergebnis")
        for feld, wert in (d.get("ergebnis") or {}).items():
            index.worte(n(f"{namen.get(feld, feld)}: {deutsch(wert) if wert is not None else 'nicht ermittelt'}"))
        for s in d.get("begruendung") or []:
            index.abschnitt(f"schritt-{s['nr']}", n(f"Schritt {s['nr']}: {s['titel']}"))
            index.absatz(n(s.get("erklaerung") or ""))
            for f in s.get("fundstellen") or []:
                index.absatz(n(f"{f['zitat']} (Fassung ab {deutsch(f['fassung_ab'])})"))
            for fakt, wert in (s.get("ergebnisse") or {}).items():
                index.worte(n(f"{fakt} = {deutsch(wert)}"))
            index.worte(f"Regel {s.get('regel', '')}")
        if d.get("nicht_automatisiert"):
            index.abschnitt("nicht-automatisiert", "Nicht automatisiert")
            for m in d["nicht_automatisiert"]:
                index.absatz(n(f"{m['zitat']} ({GRUENDE.get(m['grund'], m['grund'])}): {m['erlaeuterung']}"))

    def eingabe(self, fl: FallLauf) -> dict[str, Any]:
        return fl.entscheidung.fall.daten

    def schritte(self, fl: FallLauf, von: str) -> list[dict[str, Any]]:
        ergebnis = []
        geld = geldwerte(fl.entscheidung.kompilat)  # money shows two decimals
        for s, lauf in zip(fl.daten["begruendung"], fl.entscheidung.schritte):
            fundstellen = []
            for f, fs in zip(s["fundstellen"], lauf.fundstellen):
                fundstellen.append(dict(f, url=html_link(von, md_pfad(fs.vorschrift), html_anker(fs.fassung.gueltig_ab, fs.anker))))
            ergebnis.append(dict(s, fundstellen=fundstellen, geld=geld))
        return ergebnis

    # the steps of a decision on the test case pages and the example, as HTML (engine.site.roh) -------------

    @staticmethod
    def _tabellen_eingabe(wert: Any) -> bool:
        """A list input (the months of the Anzeige, payments …): shown as a table, not as one long line."""
        return isinstance(wert, (list, tuple)) and bool(wert) and isinstance(wert[0], dict)

    def leserwert(self, wert: Any, format_: str | None = None) -> str:
        """A value of a case in reader-facing text: a record with the German labels of its fields, fields not given
        left out ("Name: Clara, Grad der Behinderung: 50, Gleichstellung: nein"), not its raw field names."""
        if isinstance(wert, dict):
            felder = {k: v for k, v in wert.items() if v is not None and v != ""}
            trenner = "; " if any(isinstance(v, (list, tuple, dict)) for v in felder.values()) else ", "
            return trenner.join(f"{self.bezeichnung(k)}: {self.leserwert(v)}" for k, v in felder.items())
        if isinstance(wert, (list, tuple)) and wert and all(isinstance(w, dict) for w in wert):
            return "; ".join(f"({self.leserwert(w)})" for w in wert)
        if isinstance(wert, (list, tuple)) and wert:
            return ", ".join(self.leserwert(w) for w in wert)
        if isinstance(wert, str) and self._CODEWERT.fullmatch(wert):  # a code ("schwerbehinderter_mensch"): its label
            return self.wb.regelbuch.wert_bezeichnung(wert) or (self.bezeichnung(wert) if "_" in wert else wert)
        return deutsch(wert, format_)

    _CODEWERT = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

    @cached_property
    def _regeln_nach_id(self) -> dict[str, Regel]:
        return {r.id: r for r in self.wb.regelbuch.regeln}

    def schritt_erklaerung(self, s: dict[str, Any]) -> str:
        """A step's explanation for the case page: the rule's sentence filled in again from the step's values, with
        records written in words (`leserwert`); the engine's text where a value is not in the step."""
        regel = self._regeln_nach_id.get(s["regel"])
        if regel is None or not regel.erklaerung:
            return s.get("erklaerung") or ""
        werte = {**s["eingaben"], **{f"parameter.{pid}": p["wert"] for pid, p in s["parameter"].items()}, **s["ergebnisse"]}
        text = setze_ein(regel.erklaerung, werte, set(s["geld"]), self.leserwert)
        return s.get("erklaerung") or "" if self._PLATZHALTER.search(text) else text

    _ZITAT = re.compile(r"(?:§|Abs\.|SGB|Art\.)")

    @classmethod
    def _zitattabelle(cls, wert: Any) -> bool:
        """The table of the provisions in force (`vs`: "erfordernis" -> "§ 168", …): the step's sentence names the
        provisions it applies, so the table is not listed among its inputs (its keys are not words for readers)."""
        return isinstance(wert, dict) and bool(wert) and all(isinstance(v, str) and cls._ZITAT.match(v) for v in wert.values())

    def schritt_html(self, s: dict[str, Any], pfad: str) -> str:
        """One step of a decision below its heading: explanation, the quoted wording (links checked by
        tests/test_site.py), inputs, parameters, rounding, reading; formula and rule one click away."""
        teile = []
        if s.get("erklaerung"):
            teile.append(f"<p>{roh.t(self.sprache(self.schritt_erklaerung(s)))}</p>")
        for f in s["fundstellen"]:
            ab = f["fassung_ab"]
            ab = deutsch(ab) if isinstance(ab, str) else datum(ab, leer="offen")
            fuer = f", angewandt für den {deutsch(f['angewandt_fuer'])}" if f.get("angewandt_fuer") else ""
            teile.append(f'<blockquote><p>{roh.a(f["url"], roh.t(f["zitat"]))} ({roh.t(f"Fassung ab {ab}{fuer}")}): '
                         f'„{roh.t(f["wortlaut"].replace(chr(10), " "))}“</p></blockquote>')
        punkte = [f"{roh.t(self.bezeichnung(n))}: {roh.t(self.sprache(self.leserwert(w, 'jahr' if n == 'jahr' else None)))}"
                  for n, w in s["eingaben"].items() if not self._tabellen_eingabe(w) and not self._zitattabelle(w)]
        for pid, p in s["parameter"].items():
            beleg = f", {p['beleg']}" if p["beleg"] != "wörtlich" else ""
            name = (self._parameter_a(pid, pfad, roh.t(self.wb.parameter[pid].titel)) if pid in self.wb.parameter
                    else roh.t(pid))
            punkte.append(f"{name}: "
                          f"{roh.t(deutsch(p['wert'], 'geld' if 'parameter.' + pid in s['geld'] else None))} "
                          f"({roh.t(p['fundstelle'] + beleg)})")
        if s.get("rundung"):
            punkte.append(f"Rundung: {roh.t(self.sprache(s['rundung']))}")
        if s.get("lesart"):
            punkte.append(f"Auslegung: {roh.t(self.sprache(s['lesart']))}")
        if punkte:
            teile.append(roh.liste(punkte))
        fach = []
        if s.get("bedingung"):
            fach.append(f"Bedingung: {roh.code(lesbar(s['bedingung']))}")
        for fakt, formel in s["formeln"].items():
            wert = " ".join(str(deutsch(s["ergebnisse"][fakt], "geld" if fakt in s["geld"] else None)).split())
            fach.append(f"Berechnung: {roh.code(f'{fakt} = ' + lesbar(' '.join((formel or '').split())))} → "
                        f"<strong>{roh.t(wert) or 'leer'}</strong>")
        fach.append(f"Regel {roh.code(s['regel'])} ({roh.code(s['datei'])})")
        teile.append(roh.details("quote", "Formel und Regel (für Fachleute)", roh.liste(fach)))
        for name, wert in s["eingaben"].items():
            if self._tabellen_eingabe(wert):
                spalten = list(wert[0].keys())
                teile.append(f"<p>{roh.t(self.bezeichnung(name))}:</p>\n"
                             + roh.tabelle([roh.t(wort(k)) for k in spalten],
                                           [[roh.t(deutsch(zeile.get(k))) for k in spalten] for zeile in wert]))
        return roh.roh("\n".join(teile))

    def ergebnis_html(self, d: dict[str, Any]) -> str:
        """The table of a decision's results and the reasons of those not determined."""
        namen = self.env.globals["NAMEN"]
        zeilen_ = [[roh.t(namen.get(f, f)), roh.t(self.sprache(deutsch(w))) if w is not None else "nicht ermittelt"]
                   for f, w in d["ergebnis"].items()]
        teile = [roh.tabelle(["Angabe", "Wert"], zeilen_)]
        teile += [f"<p><em>{roh.t(namen.get(f, f))}:</em> {roh.t(self.sprache(g))}</p>" for f, g in d["nicht_ermittelt"].items()]
        return roh.roh("\n".join(teile))

    def erwartet_html(self, fl: FallLauf) -> str:
        """Expected (the hand calculation of the case file) against computed, field by field."""
        namen = self.env.globals["NAMEN"]
        zeilen_ = []
        for feld, soll in fl.erwartet.items():
            ist = fl.entscheidung.ergebnis.get(feld)
            zeilen_.append([roh.t(namen.get(feld, feld)), roh.t(deutsch(soll)) if soll is not None else "leer",
                            roh.t(deutsch(ist)) if ist is not None else "nicht ermittelt",
                            "✓ stimmt" if gleich(soll, ist) else "<strong>✗ weicht ab</strong>"])
        return roh.roh(roh.tabelle(["Angabe", "erwartet", "berechnet", ""], zeilen_))

    @staticmethod
    def monate_html(eingabe: dict[str, Any]) -> str:
        """The months of the Anzeige as a table."""
        if not eingabe.get("monate"):
            return ""
        zeilen_ = [[roh.t(str(m.get("monat")))] + [roh.t(deutsch(m.get(k))) for k in (
                    "arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen")]
                   + [roh.t(deutsch(m.get("besetzte_pflichtarbeitsplaetze", "aus Personenliste")))] for m in eingabe["monate"]]
        return roh.roh(roh.tabelle(["Monat", "Arbeitsplätze (Sp. 1)", "Ausbildungsstellen (Sp. 2)",
                                    "nicht zu berücksichtigen (Sp. 3)", "besetzte Pflichtarbeitsplätze (Sp. 5)"], zeilen_))

    def beispiel_seite(self) -> str:
        fl = next((f for f in self.analyse.faelle if f.datei.endswith(Path(BEISPIEL).name)), None)
        if fl is None and self.analyse.faelle:
            fl = self.analyse.faelle[0]
        return self.render("beispiel.md.j2", fl=fl, pfad="beispiel.md",
                           schritte=self.schritte(fl, "beispiel.md") if fl else [], eingabe=self.eingabe(fl) if fl else {})

    def matrix_seite(self) -> str:
        """Traceability matrix: the same coverage figures as `regelwerk coverage` (engine.autoren.abdeckung)."""
        zeilen_ = self._matrix_abdeckung()
        a = self.analyse.abdeckung_gesamt
        gesamt = {"stellen": a.gesamt, "umgesetzt": a.umgesetzt, "nicht_automatisiert": a.nicht_automatisiert,
                  "offen": a.offen, "getestet": a.getestet, "anteil": round(a.prozent) if a.gesamt else 0}
        return self.render("matrix.md.j2", zeilen=zeilen_, gesamt=gesamt, pfad="matrix.md")

    def _regel_a(self, rid: str, von: str) -> str:
        """A rule id (HTML) linked to its row on the page of the first provision it cites (regel_link as HTML)."""
        if rid.startswith("parameter."):
            pid = rid.split(".", 1)[1]
            return self._parameter_a(pid, von, roh.code(rid)) if pid in self.wb.parameter else roh.code(rid)
        v = self._regel_vorschrift(rid)
        if v is None:
            return roh.code(rid)
        return roh.a(html_link(von, md_pfad(v), "regel-" + regel_anker(rid)), roh.code(rid))

    def matrix_gesamt_html(self, zeilen_: list[dict[str, Any]], pfad: str) -> str:
        """The coverage figures of every Fassung as one table (HTML: a table of 160 rows is cheap to write and costly
        to convert)."""
        return roh.roh(roh.tabelle(
            ["Vorschrift", "Fassung", "Stellen", "umgesetzt", "nicht automatisiert", "offen", "getestet", "bearbeitet"],
            [[roh.a(html_link(pfad, md_pfad(z["v"])), roh.t(self.name(z["v"]))),
              roh.t(zeitraum_text(z["f"].gueltig_ab, z["f"].gueltig_bis))]
             + [str(z["zahlen"][k]) for k in ("stellen", "umgesetzt", "nicht_automatisiert", "offen", "getestet")]
             + [f"{z['zahlen']['anteil']} %"] for z in zeilen_]))

    def matrix_stellen_html(self, z: dict[str, Any], pfad: str) -> str:
        """Stelle ↔ Regel ↔ Testfall of one Fassung (HTML)."""
        v, f = z["v"], z["f"]
        zeilen_ = []
        for st in z["stellen"]:
            stelle = roh.a(html_link(pfad, md_pfad(v), html_anker(f.gueltig_ab, st["anker"])),
                           roh.t(stellenname(st["anker"].split("/", 2 if v.paragraph else 1)[-1])))
            if st["status"] == "umgesetzt":
                status = "umgesetzt"
            elif st["status"] == "nicht_automatisiert":
                status = f"nicht automatisiert ({roh.t(', '.join(GRUENDE.get(g, g) for g in dict.fromkeys(st['gruende'])))})"
            else:
                status = "<strong>noch nicht umgesetzt</strong>"
            regeln = ", ".join(self._regel_a(r, pfad) for r in st["regeln"])
            faelle = ", ".join(roh.a(html_link(pfad, fl.seite), roh.t(fl.name)) for fl in st["faelle"][:6])
            if len(st["faelle"]) > 6:
                faelle += f" und {len(st['faelle']) - 6} weitere"
            zeilen_.append([stelle, status, regeln, faelle])
        return roh.roh(roh.tabelle(["Stelle", "Status", "Regeln", "Testfälle"], zeilen_))

    def _faelle_an(self, v: Vorschrift, f: Fassung, anker: str) -> list[FallLauf]:
        ergebnis = []
        for a, faelle in self.analyse.an_fassung(self.analyse.faelle_an, v, f):
            if Analyse._betrifft(anker, a):
                ergebnis += [fl for fl in faelle if fl not in ergebnis]
        return ergebnis

    def _matrix_abdeckung(self) -> list[dict[str, Any]]:
        zeilen_ = []
        for va in self.analyse.abdeckung_gesamt.vorschriften:
            v = self.wb.recht.vorschrift(va.gesetz, va.paragraph)
            for fa in va.fassungen:
                f = next(x for x in v.fassungen if x.gueltig_ab == fa.gueltig_ab)
                stellen = [{"anker": s.anker, "status": s.status, "gruende": list(s.nicht_automatisiert),
                            "regeln": list(s.regeln) + [f"parameter.{p}" for p in s.parameter],
                            "faelle": self._faelle_an(v, f, s.anker), "getestet": bool(s.getestet_durch)}
                           for s in fa.stellen]
                zeilen_.append({"v": v, "f": f, "stellen": stellen, "zahlen": fa.zahlen()})
        zeilen_.sort(key=lambda z: (sortierschluessel(z["v"]), -z["f"].gueltig_ab.toordinal()))
        return zeilen_

    def aenderungen_seite(self) -> str:
        ereignisse: dict[date, list[dict[str, Any]]] = {}
        for v in self.vorschriften:
            for i, f in enumerate(reversed(v.fassungen)):
                ereignisse.setdefault(f.gueltig_ab, []).append({"art": "fassung", "v": v, "f": f, "erste": i == 0})
        for p in sorted(self.wb.parameter.values(), key=lambda p: p.id):
            vorher = None
            for w in p.werte:
                if vorher is None or w.wert != vorher.wert:
                    ereignisse.setdefault(w.gueltig_ab, []).append({"art": "parameter", "p": p, "w": w, "vorher": vorher})
                vorher = w
        liste = sorted(ereignisse.items(), key=lambda x: x[0], reverse=True)
        return self.render("aenderungen.md.j2", ereignisse=liste, pfad="aenderungen.md")

    def nav(self) -> list:
        """Navigation: the fixed pages of mkdocs.yml plus every provision page."""
        recht: list = [{"Übersicht": "recht/index.md"}]
        for g, vs in self.nach_gesetz():
            # titles cut at a word, with "…" (Bekanntmachungen have titles of several lines)
            recht.append({g.kurz: [{kuerze(f"{self.name(v)} – {v.ueberschrift}", 90): md_pfad(v)} for v in vs]})
        return recht


# --- building ---------------------------------------------------------------------------------


@dataclass
class BauErgebnis:
    generiert: Path
    build: Path
    seiten: int
    sekunden_generieren: float
    sekunden_mkdocs: float
    hinweise: list[str]
    seiten_im_kind: int = 0  # pages whose Markdown a forked child rendered (engine.site.parallel)


def baue(wurzel: Path | None = None, generiert: Path | None = None, build: Path | None = None,
         wb: Wissensbasis | None = None, strict: bool = True, leise: bool = True,
         parallel: bool = True) -> BauErgebnis:
    """Generate the pages and build the site with MkDocs (strict: any warning aborts).

    parallel: a forked child renders the Markdown of about half of the pages (engine.site.parallel);
    the site is the same byte for byte as with ``parallel=False``.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .navigation import NavigationGemerkt
    from .parallel import ZweiterKern

    start = time.perf_counter()
    wb = wb or lade_wissensbasis(wurzel)
    wurzel = wb.wurzel
    generiert = (generiert or wurzel / "site" / "generiert").resolve()
    build = (build or wurzel / "site" / "build").resolve()
    gen = Generator(wb, generiert, wurzel / "site" / "docs")
    gen.erzeuge()
    mitte = time.perf_counter()
    konfig = wurzel / "mkdocs.yml"
    cfg_roh = yaml.safe_load(konfig.read_text(encoding="utf-8"))
    nav = _nav_ergaenzen(cfg_roh.get("nav") or [], gen.nav())
    logger = logging.getLogger("mkdocs")
    alte_stufe = logger.level
    if leise:
        logger.setLevel(logging.WARNING)
    zweiter_kern = ZweiterKern() if parallel else None
    try:
        cfg = load_config(str(konfig), docs_dir=str(generiert), site_dir=str(build), strict=strict, nav=nav)
        gemerkte_yaml_bloecke(cfg["mdx_configs"])
        if zweiter_kern is not None:
            cfg.plugins["regelwerk/zweiter-kern"] = zweiter_kern
        cfg.plugins["regelwerk/navigation"] = NavigationGemerkt()
        mkdocs_build(cfg)
    finally:
        logger.setLevel(alte_stufe)
        if zweiter_kern is not None:
            zweiter_kern.beende()
    gen.suchindex.ergaenze(build)
    ende = time.perf_counter()
    return BauErgebnis(generiert, build, len(gen.seiten), mitte - start, ende - mitte, gen.analyse.fehler,
                       zweiter_kern.uebernommen if zweiter_kern is not None else 0)


def _nav_ergaenzen(nav: list, recht: list) -> list:
    """Replace the `recht/index.md` entry of the configured nav by the full list of provisions."""
    ergebnis = []
    for eintrag in nav:
        if isinstance(eintrag, dict) and len(eintrag) == 1:
            titel, ziel = next(iter(eintrag.items()))
            if ziel == "recht/index.md":
                ergebnis.append({titel: recht})
                continue
        ergebnis.append(eintrag)
    return ergebnis
