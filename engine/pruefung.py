"""Cross-checks over the whole knowledge base (`regelwerk check`).

Each check returns errors instead of raising, so that one run shows every problem.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Protocol

from .fehler import LadeFehler, Ort, RegelFehler, RegelwerkFehler, ZitatFehler, vorschlag
from .format import datum
from .parameter import Parameter
from .rechtstext import Rechtsbestand
from .regeln import Regel, Regelbuch
from .zeitraum import Zeitraum
from .zitate import Zitat, loese_auf, loese_auf_zeitraum, parse_zitat, zitierte_einheit


class Wissensbasis(Protocol):
    """What the checks read: statute texts, parameters and rules (`engine.wissensbasis.Wissensbasis` has these).

    A protocol, so that loading (wissensbasis) can run the checks without the checks importing the loader.
    """

    recht: Rechtsbestand
    parameter: dict[str, Parameter]
    regelbuch: Regelbuch


def _nur_zeitweise(z: Zitat, recht: Rechtsbestand, zeitraum: Zeitraum) -> bool:
    """The provision is in force on every day of the period, and the cited unit exists in some of its Fassungen
    there but not in all: a rule citing it does not apply on the other days (the decision says "nicht vorgesehen")."""
    v = recht.vorschrift(z.gesetz, z.paragraph)
    if v is None:
        return False
    ende = zeitraum.bis or date.max
    tag, gefunden = zeitraum.ab, False
    while tag <= ende:
        f = v.fassung_am(tag)
        if f is None:
            return False  # a gap: the provision itself is not in force
        try:
            zitierte_einheit(f.wurzel, z)
            gefunden = True
        except ZitatFehler:
            pass
        if f.gueltig_bis is None or f.gueltig_bis >= ende:
            break
        tag = f.gueltig_bis + timedelta(days=1)
    return gefunden


def _zitat_fehler(wb: Wissensbasis, text: str, zeitraum: Zeitraum, ort, zeitweise: bool = False) -> list[RegelwerkFehler]:
    """Problems of one citation over a period; with `zeitweise` (a rule's own citations), a unit that exists only in
    some Fassungen of the period is allowed: the rule applies only on the days the unit exists."""
    try:
        for z in parse_zitat(text, wb.recht):
            try:
                loese_auf_zeitraum(z, wb.recht, zeitraum.ab, zeitraum.bis)
            except ZitatFehler:
                if not (zeitweise and _nur_zeitweise(z, wb.recht, zeitraum)):
                    raise
    except ZitatFehler as exc:
        exc.ort = ort
        return [exc]
    return []


def pruefe_zitate(wb: Wissensbasis) -> list[RegelwerkFehler]:
    fehler: list[RegelwerkFehler] = []
    for regel in wb.regelbuch.regeln:
        for z in regel.fundstellen:
            fehler += _zitat_fehler(wb, z.zitat, z.zeitraum, z.ort, zeitweise=True)
        # every day of the rule's validity needs at least one citation
        grenzen = sorted({regel.zeitraum.ab} | {z.zeitraum.ab for z in regel.fundstellen}
                         | {z.zeitraum.bis for z in regel.fundstellen if z.zeitraum.bis} )
        for tag in grenzen:
            if regel.zeitraum.enthaelt(tag) and not regel.zitate_am(tag):
                fehler.append(RegelFehler(f"Regel `{regel.id}` hat am {datum(tag)} keine Fundstelle", regel.ort,
                                          "Zeiträume der Fundstellen lückenlos über die Geltung der Regel legen"))
        if regel.ermessen is not None:
            fehler += _zitat_fehler(wb, regel.ermessen.zitat, regel.zeitraum, regel.ermessen.ort)
    for n in wb.regelbuch.nicht_automatisiert:
        fehler += _zitat_fehler(wb, n.zitat, n.zeitraum, n.ort)
    for f in wb.regelbuch.feststellungen:
        fehler += _zitat_fehler(wb, f.zitat, f.zeitraum, f.ort)
    for p in wb.parameter.values():
        for w in p.werte:
            fehler += _zitat_fehler(wb, w.fundstelle, Zeitraum(w.gueltig_ab, w.gueltig_bis), w.ort)
    return fehler


def _formelnamen(regel: Regel) -> set[str]:
    namen: set[str] = set()
    for formel in [regel.wenn] + [s.formel for s in regel.dann]:
        if formel is not None:
            namen |= formel.namen
    return namen


_PLATZHALTER = re.compile(r"\{([a-z0-9_.]+)\}")


def platzhalter_fehler(r: Regel) -> list[RegelwerkFehler]:
    """A `{name}` in the explanation or the Ermessen limits must be a value the rule's step knows:
    one its formulas read or one it derives (a fact only listed in `liest` is not in the trail)."""
    werte = _formelnamen(r) | set(r.leitet_ab)
    texte = [r.erklaerung] + (r.ermessen.grenzen if r.ermessen is not None else [])
    fehler: list[RegelwerkFehler] = []
    for name in sorted({n for text in texte for n in _PLATZHALTER.findall(text)}):
        if name not in werte and name.split(".", 1)[0] not in werte:
            fehler.append(RegelFehler(
                f"Regel `{r.id}`: Platzhalter `{{{name}}}` nennt keinen Wert der Regel; er bliebe im Bescheid als Text stehen",
                r.ort, "den Wert in einer Formel der Regel verwenden (`wenn`/`dann`) oder den Platzhalter entfernen"))
    return fehler


def _abgeleitet(wb: Wissensbasis) -> dict[str, set[str]]:
    """Per art: every fact some rule derives."""
    abgeleitet: dict[str, set[str]] = defaultdict(set)
    for r in wb.regelbuch.regeln:
        abgeleitet[r.art] |= set(r.leitet_ab)
    return abgeleitet


def pruefe_namen(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Parameters exist and cover the rule's period; read facts are inputs or derived by some rule."""
    fehler: list[RegelwerkFehler] = []
    abgeleitet = _abgeleitet(wb)
    for r in wb.regelbuch.regeln:
        verfahren = wb.regelbuch.verfahren.get(r.art)
        if verfahren is None:
            fehler.append(RegelFehler(f"zur Art `{r.art}` gibt es kein verfahren.yaml", r.ort,
                                      vorschlag(r.art, wb.regelbuch.verfahren) or "Verfahren anlegen"))
            continue
        bekannt = set(verfahren.eingaben) | abgeleitet[r.art]
        for fakt in r.liest:
            if fakt not in bekannt:
                fehler.append(RegelFehler(f"Regel `{r.id}` liest `{fakt}`, das weder Eingabe noch Ergebnis einer Regel ist",
                                          r.ort, vorschlag(fakt, bekannt) or "Schreibweise prüfen oder Regel ergänzen"))
        for name in sorted(_formelnamen(r)):
            if not name.startswith("parameter."):
                continue
            pid = name.split(".", 1)[1]
            param = wb.parameter.get(pid)
            if param is None:
                fehler.append(RegelFehler(f"Regel `{r.id}` nutzt unbekannten Parameter `{pid}`", r.ort,
                                          vorschlag(pid, wb.parameter) or "Parameter unter rules/parameter/ anlegen"))
                continue
            erster = param.werte[0].gueltig_ab if param.werte else date.max
            letzter = param.werte[-1].gueltig_bis if param.werte else date.min
            if erster > r.zeitraum.ab or (letzter is not None and (r.zeitraum.bis is None or letzter < r.zeitraum.bis)):
                fehler.append(RegelFehler(
                    f"Parameter `{pid}` deckt die Geltung der Regel `{r.id}` ({r.zeitraum}) nicht ab", r.ort,
                    "Werte des Parameters ergänzen oder Geltung der Regel begrenzen"))
        if r.wenn is not None and r.wenn_quelle is not None and not r.liest and not r.feststellungen:
            fehler.append(RegelFehler(f"Regel `{r.id}` hat eine Bedingung, liest aber keine Fakten", r.ort, "`liest` ergänzen"))
        fehler += platzhalter_fehler(r)
    for verfahren in wb.regelbuch.verfahren.values():
        for feld in verfahren.ergebnis:
            if feld.fakt not in abgeleitet[verfahren.art] and feld.fakt not in verfahren.eingaben \
                    and feld.fakt != "offene_feststellungen":  # provided by the engine
                fehler.append(RegelFehler(f"Ergebnisfeld `{feld.feld}` nennt `{feld.fakt}`, das keine Regel ableitet",
                                          verfahren.ort, vorschlag(feld.fakt, abgeleitet[verfahren.art])))
    return fehler


def _normal(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


def pruefe_auszuege(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """A parameter value's `auszug` stands word for word in the wording its citation names on its first day."""
    fehler: list[RegelwerkFehler] = []
    for p in wb.parameter.values():
        for w in p.werte:
            if not w.auszug:
                continue
            try:
                texte = [loese_auf(z, wb.recht, w.gueltig_ab).wortlaut for z in parse_zitat(w.fundstelle, wb.recht)]
            except ZitatFehler:
                continue  # reported by pruefe_zitate
            if not any(_normal(w.auszug) in _normal(t) for t in texte):
                fehler.append(RegelFehler(f"Auszug „{w.auszug}“ von Parameter `{p.id}` steht nicht im Wortlaut von {w.fundstelle}",
                                          w.ort, "den Auszug wörtlich aus der zitierten Stelle übernehmen (Leerzeichen und | zählen nicht)"))
            elif str(w.wert) not in _normal(w.auszug):
                fehler.append(RegelFehler(f"Auszug „{w.auszug}“ von Parameter `{p.id}` nennt den Wert {w.wert} nicht", w.ort,
                                          "die Zeile oder den Satz zitieren, der den Wert nennt"))
    return fehler


def pruefe_rechtsstaende(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Every named date a rule, mark or finding reads its law at exists and fits the rule."""
    fehler: list[RegelwerkFehler] = []
    abgeleitet = _abgeleitet(wb)
    for verfahren in wb.regelbuch.verfahren.values():
        for rs in verfahren.rechtsstaende.values():
            if rs.fakt and rs.fakt not in abgeleitet[verfahren.art] and rs.fakt not in verfahren.eingaben:
                fehler.append(RegelFehler(f"Rechtsstand `{rs.name}` nennt den Fakt `{rs.fakt}`, den keine Regel ableitet",
                                          rs.ort, vorschlag(rs.fakt, abgeleitet[verfahren.art]) or "Fakt einer Regel angeben"))
    eintraege = [(r.rechtsstand, r.art, r.ort, f"Regel `{r.id}`", r.je) for r in wb.regelbuch.regeln]
    eintraege += [(n.rechtsstand, n.art, n.ort, f"Markierung `{n.zitat}`", None) for n in wb.regelbuch.nicht_automatisiert]
    eintraege += [(f.rechtsstand, f.entscheidungsart, f.ort, f"Feststellung `{f.id}`", None) for f in wb.regelbuch.feststellungen]
    for name, art, ort, was, je in eintraege:
        verfahren = wb.regelbuch.verfahren.get(art)
        if verfahren is None or name is None:
            continue
        rs = verfahren.rechtsstaende.get(name)
        if rs is None:
            fehler.append(RegelFehler(f"{was} liest ihr Recht am unbekannten Rechtsstand `{name}`", ort,
                                      vorschlag(name, verfahren.rechtsstaende)
                                      or "erlaubt: " + ", ".join(sorted(verfahren.rechtsstaende))))
        elif rs.feld and not je:
            fehler.append(RegelFehler(f"{was} nennt den Rechtsstand `{name}`, der ein Feld je Eintrag ist (`feld: {rs.feld}`)",
                                      ort, "nur Regeln mit `je:` lesen ihr Recht am Datum eines Eintrags"))
        elif je and not rs.feld:
            fehler.append(RegelFehler(f"{was} gilt je Eintrag von `{je}`, ihr Rechtsstand `{name}` ist aber kein Feld des Eintrags",
                                      ort, "einen Rechtsstand mit `feld:` angeben, z. B. das Datum jedes Eintrags"))
    return fehler


def pruefe_konflikte(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Duplicate ids; two rules deriving one fact for overlapping periods outside a Fallgruppe."""
    fehler: list[RegelwerkFehler] = []
    gesehen: dict[str, Regel] = {}
    for r in wb.regelbuch.regeln:
        if r.id in gesehen:
            fehler.append(RegelFehler(f"Regel-ID `{r.id}` ist doppelt", r.ort, f"auch in {gesehen[r.id].ort}"))
        gesehen.setdefault(r.id, r)
    nach_fakt: dict[tuple[str, str], list[Regel]] = defaultdict(list)
    for r in wb.regelbuch.regeln:
        for fakt in r.leitet_ab:
            nach_fakt[(r.art, fakt)].append(r)
    for (art, fakt), regeln in nach_fakt.items():
        for i, a in enumerate(regeln):
            for b in regeln[i + 1:]:
                if a.zeitraum.schnitt(b.zeitraum) is None:
                    continue
                if a.fallgruppe and a.fallgruppe == b.fallgruppe:
                    continue
                fehler.append(RegelFehler(
                    f"Regeln `{a.id}` und `{b.id}` leiten beide `{fakt}` ab, für den Zeitraum {a.zeitraum.schnitt(b.zeitraum)}",
                    b.ort, "Zeiträume trennen oder beide Regeln derselben `fallgruppe` zuordnen"))
    return fehler


def pruefe_zyklen(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """A fact must not depend on itself through a chain of rules (per art, over all periods)."""
    fehler: list[RegelwerkFehler] = []
    nach_art: dict[str, list[Regel]] = defaultdict(list)
    for r in wb.regelbuch.regeln:
        nach_art[r.art].append(r)
    for art, regeln in nach_art.items():
        kanten: dict[str, set[str]] = defaultdict(set)
        herkunft: dict[tuple[str, str], Regel] = {}
        for r in regeln:
            for ziel in r.leitet_ab:
                for quelle in r.liest:
                    kanten[quelle].add(ziel)
                    herkunft[(quelle, ziel)] = r
        farbe: dict[str, int] = {}
        gemeldet: set[frozenset] = set()

        def besuche(knoten: str, weg: list[str]) -> None:
            farbe[knoten] = 1
            for nach in sorted(kanten.get(knoten, ())):
                if farbe.get(nach) == 1:
                    kreis = weg[weg.index(nach):] + [nach] if nach in weg else [knoten, nach]
                    schluessel = frozenset(kreis)
                    if schluessel not in gemeldet:
                        gemeldet.add(schluessel)
                        regel = herkunft[(knoten, nach)]
                        fehler.append(RegelFehler(f"Zyklus zwischen Regeln: {' → '.join(kreis)}", regel.ort,
                                                  "ein Fakt darf nicht (über andere Regeln) von sich selbst abhängen"))
                elif nach not in farbe:
                    besuche(nach, weg + [nach])
            farbe[knoten] = 2

        for start in sorted(kanten):
            if start not in farbe:
                besuche(start, [start])
    return fehler


def pruefe_feststellungen(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Finding ids are unique per art; every id a formula reads is declared for the rule's art and period."""
    fehler: list[RegelwerkFehler] = []
    deklariert: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for f in wb.regelbuch.feststellungen:
        vorhanden = deklariert[f.entscheidungsart][f.id]
        if any(g.zeitraum.schnitt(f.zeitraum) is not None for g in vorhanden):
            fehler.append(RegelFehler(f"Feststellung `{f.id}` ist doppelt definiert", f.ort, f"auch in {vorhanden[0].ort}"))
        vorhanden.append(f)
    for r in wb.regelbuch.regeln:
        bekannt = deklariert.get(r.art, {})
        for fid in sorted(r.feststellungen):
            if fid not in bekannt:
                fehler.append(RegelFehler(
                    f"Regel `{r.id}` liest die unbekannte Feststellung `{fid}`", r.ort,
                    vorschlag(fid, bekannt) or "unter `feststellungen:` einer Regeldatei dieser Art anlegen"))
            elif any(r.zeitraum.enthaelt(tag) and not any(f.zeitraum.enthaelt(tag) for f in bekannt[fid])
                     for tag in [r.zeitraum.ab] + [f.zeitraum.bis + timedelta(days=1) for f in bekannt[fid] if f.zeitraum.bis]):
                fehler.append(RegelFehler(f"Feststellung `{fid}` gilt nicht für die ganze Geltung der Regel `{r.id}` ({r.zeitraum})",
                                          r.ort, "Zeitraum (ab/bis) der Feststellung prüfen"))
    return fehler


def pruefe_begriffe(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Every name a rule reads or derives has a German label (rules/begriffe.yaml): what people read shows
    words, not names. One error per name, at the first rule that uses it."""
    fehler: list[RegelwerkFehler] = []
    gemeldet: set[str] = set()
    for r in wb.regelbuch.regeln:
        for name in [*r.liest, *r.leitet_ab]:
            if name in wb.regelbuch.begriffe or name in gemeldet or name == "eintrag":
                continue
            gemeldet.add(name)
            fehler.append(RegelFehler(
                f"der Name `{name}` hat keine deutsche Bezeichnung (Regel `{r.id}` liest oder leitet ihn ab)", r.ort,
                f"in rules/begriffe.yaml unter `begriffe:` die Zeile `{name}: …` mit dem Wort ergänzen, das ein "
                "Bescheid dafür verwendet"))
    return fehler


def _aufzaehlungen(schema: object) -> set[str]:
    """Every text value of an `enum` in a JSON schema."""
    if isinstance(schema, list):
        return set().union(*map(_aufzaehlungen, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    werte = {w for w in schema.get("enum", []) if isinstance(w, str)}
    for k, v in schema.items():
        if k not in ("enum", "const", "default", "examples"):
            werte |= _aufzaehlungen(v)
    return werte


def pruefe_wertbezeichnungen(wb: Wissensbasis) -> list[RegelwerkFehler]:
    """Every fixed value of a case field (the enums of the case schemas) has a German label, so that forms,
    Bescheide and the rulebook show words instead of codes."""
    from .schema import SCHEMA_ORDNER, validator

    fehlend: dict[str, list] = {}  # value -> the Verfahren whose case schema has it
    for v in wb.regelbuch.verfahren.values():
        if not (SCHEMA_ORDNER / f"{v.fall_schema}.schema.json").is_file():
            continue  # the Verfahren check names a missing schema
        # the schema as the case validation loaded it (cached), not read a second time
        for wert in sorted(_aufzaehlungen(validator(v.fall_schema).schema) - set(wb.regelbuch.werte)):
            fehlend.setdefault(wert, []).append(v)
    return [RegelFehler(f"der Wert `{wert}` der Fall-Schemas {', '.join(v.fall_schema for v in vs)} hat keine deutsche "
                        "Bezeichnung", vs[0].ort, f"in rules/begriffe.yaml unter `werte:` die Zeile `{wert}: …` ergänzen")
            for wert, vs in sorted(fehlend.items())]


def pruefe_nachweise(recht: Rechtsbestand) -> list[RegelwerkFehler]:
    """The evidence of a Fassung fits it: the amendment came into force on the Fassung's first day, and every
    `vorbehalt` period lies within the Fassung's validity."""
    fehler: list[RegelwerkFehler] = []
    for v in recht.vorschriften.values():
        for f in v.fassungen:
            if f.nachweis is not None and f.nachweis.aenderung.in_kraft_ab != f.gueltig_ab:
                a = f.nachweis.aenderung
                fehler.append(LadeFehler(
                    f"die belegte Änderung trat am {datum(a.in_kraft_ab)} in Kraft, die Fassung gilt aber ab "
                    f"{datum(f.gueltig_ab)}: der Nachweis belegt den Beginn einer anderen Fassung",
                    Ort(v.datei, a.zeile),
                    f"`gueltig_ab` auf {a.in_kraft_ab.isoformat()} setzen (und die Fassung davor dort enden lassen) "
                    "oder die Änderung nennen, die diese Fassung geschaffen hat"))
            for vb in f.vorbehalte:
                if f.zeitraum.schnitt(vb.zeitraum) != vb.zeitraum:
                    fehler.append(LadeFehler(
                        f"Vorbehalt für {vb.zeitraum} liegt außerhalb der Geltung dieser Fassung ({f.zeitraum}): "
                        "an diesen Tagen wird sie nie zitiert",
                        Ort(v.datei, vb.zeile),
                        "`ab` und `bis` des Vorbehalts in die Geltung der Fassung legen, oder den Vorbehalt zu der "
                        "Fassung schreiben, die an diesen Tagen gilt"))
    return fehler


def pruefe(wb: Wissensbasis) -> list[RegelwerkFehler]:
    return (pruefe_nachweise(wb.recht) + pruefe_konflikte(wb) + pruefe_zitate(wb) + pruefe_namen(wb) + pruefe_rechtsstaende(wb) + pruefe_auszuege(wb)
            + pruefe_zyklen(wb)
            + pruefe_feststellungen(wb) + pruefe_begriffe(wb) + pruefe_wertbezeichnungen(wb))
