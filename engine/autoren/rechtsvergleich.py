"""Compare legal/ with an official XML file of gesetze-im-internet.de (`regelwerk recht vergleiche`) and turn a norm
of such a file into a new Fassung block for legal/ (`regelwerk recht importiere`).

Both sides are structured by the same parser (`rechtstext.gliedere`): the XML norm is first written as legal/
writes its wording (see `gii`), so a difference is a difference of wording, not of format. Whitespace and the
separator row of a Markdown table (`|:---|`) do not count.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..fehler import AufrufFehler, LadeFehler, Ort
from ..format import datum
from ..rechtstext import Einheit, Fassung, Gesetz, Rechtsbestand, Vorschrift, gliedere, lade_vorschrift
from ..saetze import normalisiere
from ..yamlquelle import lade_yaml
from .gii import GiiDatei, Norm

_TRENNZEILE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+(?=\s|$)")  # a Markdown table's separator row


def gesetz_der_datei(datei: GiiDatei, recht: Rechtsbestand, gesetz: str | None = None) -> Gesetz:
    """The law of legal/ the file belongs to: `--gesetz`, or the one whose citation forms name its abbreviation."""
    if gesetz is not None:
        if gesetz not in recht.gesetze:
            raise AufrufFehler(f"unbekanntes Gesetz `{gesetz}`",
                               hilfe="bekannt: " + ", ".join(sorted(recht.gesetze)))
        return recht.gesetze[gesetz]
    namen = [n for n in [datei.amtabk, *datei.jurabk] if n]
    for name in namen:
        for g in recht.gesetze.values():
            if not g.ohne_paragraphen and (name == g.kurz or name in g.zitierformen):
                return g
    raise AufrufFehler(f"die Datei ({', '.join(namen) or 'ohne Abkürzung'}) gehört zu keinem Gesetz in legal/gesetze.yaml",
                       Ort(datei.datei), "das Gesetz mit --gesetz angeben, z. B. --gesetz sgb9")


def _einheiten(wurzel: Einheit) -> dict[str, str]:
    """Top-level units of a Fassung (Absätze, or sentences of a section without Absätze) -> normalised text."""
    ergebnis: dict[str, str] = {}
    for k in wurzel.kinder:
        schluessel = f"Abs. {k.nr}" if k.art == "absatz" else f"Nr. {k.nr}" if k.art == "nummer" else f"Satz {k.nr}"
        ergebnis[schluessel] = normalisiere(_TRENNZEILE.sub(" ", k.text))
    return ergebnis


def wortdiff(alt: str, neu: str, kontext: int = 4) -> str:
    """A short word diff: "… bis weniger als [-2-] {+3+} Prozent …" (removed in [- -], added in {+ +})."""
    a, b = alt.split(), neu.split()
    teile: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            stueck = a[i1:i2]
            if len(stueck) > 2 * kontext:
                vorn = stueck[:kontext] if teile else []
                hinten = stueck[-kontext:] if i2 < len(a) or j2 < len(b) else []
                stueck = vorn + ["…"] + hinten
            teile += stueck
            continue
        if i2 > i1:
            teile.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            teile.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(t for t in teile if t)


@dataclass
class Abweichung:
    stelle: str  # "Abs. 2", or "Fassung" when legal/ has none on the day
    text: str


@dataclass
class NormVergleich:
    norm: Norm
    vorschrift: Vorschrift
    fassung: Fassung | None
    abweichungen: list[Abweichung] = field(default_factory=list)


def vergleiche_norm(norm: Norm, v: Vorschrift, stichtag: date, gesetz: Gesetz) -> NormVergleich:
    fassung = v.fassung_am(stichtag)
    ergebnis = NormVergleich(norm, v, fassung)
    if fassung is None:
        ergebnis.abweichungen.append(Abweichung("Fassung", f"legal/ hat keine Fassung, die am {datum(stichtag)} gilt"))
        return ergebnis
    amtlich = _einheiten(gliedere(v.anker, norm.wortlaut, gesetz.ohne_paragraphen))
    eigen = _einheiten(fassung.wurzel)
    for stelle in list(dict.fromkeys([*eigen, *amtlich])):
        if stelle not in amtlich:
            ergebnis.abweichungen.append(Abweichung(stelle, "steht in legal/, fehlt im amtlichen Text"))
        elif stelle not in eigen:
            ergebnis.abweichungen.append(Abweichung(stelle, "fehlt in legal/: „" + amtlich[stelle][:160]
                                                    + ("…" if len(amtlich[stelle]) > 160 else "") + "“"))
        elif amtlich[stelle] != eigen[stelle]:
            ergebnis.abweichungen.append(Abweichung(stelle, wortdiff(eigen[stelle], amtlich[stelle])))
    return ergebnis


def vergleiche(datei: GiiDatei, recht: Rechtsbestand, stichtag: date, gesetz: Gesetz) -> list[NormVergleich]:
    """Every norm of the file that legal/ holds, compared with the Fassung in force on `stichtag`."""
    ergebnisse = []
    for norm in datei.normen:
        if gesetz.ohne_paragraphen:  # a Bekanntmachung: its body is the one norm without § ("(XXXX)")
            if norm.paragraph is not None or norm.enbez in ("Inhaltsübersicht", "Schlussformel") or not norm.absaetze:
                continue
            v = recht.vorschrift(gesetz.id, None)
        elif norm.paragraph is None:
            continue
        else:
            v = recht.vorschrift(gesetz.id, norm.paragraph)
        if v is not None:
            ergebnisse.append(vergleiche_norm(norm, v, stichtag, gesetz))
    return ergebnisse


def bericht(datei: GiiDatei, ergebnisse: list[NormVergleich], stichtag: date, gesetz: Gesetz) -> str:
    """The German report of `vergleiche`."""
    zeilen = [f"Vergleich mit {Path(datei.datei).name} ({gesetz.kurz}; builddate {datei.builddate}; {datei.stand_text})",
              f"Stichtag {datum(stichtag)}: {len(ergebnisse)} Vorschrift(en) in legal/ und in der Datei."]
    abweichend = [e for e in ergebnisse if e.abweichungen]
    for e in abweichend:
        f = e.fassung
        woher = f"{e.vorschrift.datei}:{f.zeile}, Fassung ab {datum(f.gueltig_ab)}" if f else e.vorschrift.datei
        zeilen.append("")
        name = f"§ {e.norm.paragraph} {gesetz.kurz}" if e.norm.paragraph else gesetz.kurz
        zeilen.append(f"{name} weicht ab ({woher}):")
        for a in e.abweichungen:
            zeilen.append(f"  {a.stelle}: {a.text}")
    zeilen.append("")
    if abweichend:
        zeilen.append(f"{len(abweichend)} von {len(ergebnisse)} Vorschrift(en) weichen vom amtlichen Text ab "
                      "([-…-] nur in legal/, {+…+} nur im amtlichen Text).")
    else:
        zeilen.append(f"Alle {len(ergebnisse)} Vorschrift(en) stimmen mit dem amtlichen Text überein.")
    return "\n".join(zeilen)


# --- import -----------------------------------------------------------------------------------------------


def _yaml_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fassungsblock(datei: GiiDatei, norm: Norm, ab: date, bis: date | None = None) -> str:
    """A new Fassung in the YAML format of legal/ (one item of `fassungen`), for a legal expert to date and review."""
    name = Path(datei.datei).name
    zeilen = [
        f"  - gueltig_ab: {ab.isoformat()}  # zu prüfen: Tag des Inkrafttretens der Änderung",
        f"    gueltig_bis: {bis.isoformat() if bis else 'null'}",
        "    gueltigkeit_gesichert: false",
        "    gueltigkeit_hinweis: " + _yaml_text(
            f"Wortlaut aus der amtlichen XML-Fassung (builddate {datei.builddate}) übernommen; Beginn vorläufig der "
            "Tag dieser Datei. Ändernde Vorschrift und Inkrafttreten sind noch zu belegen (nachweis)."),
        "    vorbehalt:",
        f"      - ab: {ab.isoformat()}",
        f"        bis: {ab.isoformat()}",
        "        text: " + _yaml_text(f"Ab wann dieser Wortlaut gilt, ist noch nicht belegt; amtlich belegt ist er "
                                      f"für den {datum(ab)}."),
        "    quelle: " + _yaml_text(f"amtliche XML-Fassung von gesetze-im-internet.de, {name} (doknr {norm.doknr or datei.doknr}), "
                                    f"builddate {datei.builddate}; mit `regelwerk recht importiere` übernommen"),
        "    stand: " + _yaml_text(datei.stand_text),
    ]
    if norm.fussnoten:
        zeilen.append("    hinweise: " + _yaml_text("Fußnoten der amtlichen Fassung (kein Normtext): " + " ".join(norm.fussnoten)))
    zeilen.append("    wortlaut: |")
    for i, absatz in enumerate(norm.absaetze):
        if i:
            zeilen.append("")
        zeilen += ["      " + z for z in absatz.split("\n")]
    return "\n".join(zeilen) + "\n"


def neue_datei(gesetz: Gesetz, norm: Norm, block: str) -> str:
    kopf = [
        "# yaml-language-server: $schema=../../engine/schemas/gesetz.schema.json",
        f"gesetz: {gesetz.id}",
        f'paragraph: "{norm.paragraph}"',
        "ueberschrift: " + _yaml_text(norm.titel or f"§ {norm.paragraph}"),
        "fassungen:",
    ]
    return "\n".join(kopf) + "\n" + block


@dataclass
class Import:
    block: str  # the new Fassung
    ziel: Path  # the statute file of legal/
    gleich_mit: Fassung | None  # the Fassung of legal/ on the day with the same wording (nothing to import)
    vorgaenger: Fassung | None  # the Fassung in force on the day, which the new one ends


def importiere(datei: GiiDatei, paragraph: str, recht: Rechtsbestand, gesetz: Gesetz, legal: Path,
               ab: date) -> Import:
    norm = datei.norm(paragraph)
    if norm is None:
        vorhanden = [n.paragraph for n in datei.normen if n.paragraph]
        raise AufrufFehler(f"§ {paragraph} steht nicht in {Path(datei.datei).name}", Ort(datei.datei),
                           f"die Datei enthält §§ {vorhanden[0]} bis {vorhanden[-1]}" if vorhanden else "die Datei enthält keine §§")
    v = recht.vorschrift(gesetz.id, paragraph)
    ziel = Path(v.datei) if v is not None else legal / gesetz.id / f"{paragraph}.yaml"
    gleich = vorgaenger = None
    bis = None
    if v is not None:
        f = v.fassung_am(ab)
        if f is not None and not vergleiche_norm(norm, v, ab, gesetz).abweichungen:
            gleich = f
        elif f is not None and f.gueltig_ab == ab:
            raise AufrufFehler(f"{v.datei} hat schon eine Fassung ab {datum(ab)}, die vom amtlichen Text abweicht",
                               Ort(v.datei, f.zeile), "diese Fassung von Hand berichtigen (`regelwerk recht vergleiche` "
                               "zeigt die Abweichung) oder einen anderen --stichtag wählen")
        elif f is not None:  # the Fassung in force on the day ends the day before; the new one ends where it ended
            vorgaenger, bis = f, f.gueltig_bis
        else:  # a gap in legal/: the new Fassung ends before the next known one
            spaeter = [x.gueltig_ab for x in v.fassungen if x.gueltig_ab > ab]
            bis = min(spaeter) - timedelta(days=1) if spaeter else None
    return Import(fassungsblock(datei, norm, ab, bis), ziel, gleich, vorgaenger)


def schreibe(imp: Import, gesetz: Gesetz, norm: Norm, ab: date, basis: Path) -> str:
    """Append the new Fassung to the statute file (or create it); the open predecessor ends the day before.
    Returns what was done, in German."""
    if not imp.ziel.exists():
        imp.ziel.parent.mkdir(parents=True, exist_ok=True)
        imp.ziel.write_text(neue_datei(gesetz, norm, imp.block), encoding="utf-8")
        return f"{imp.ziel} angelegt."
    text = imp.ziel.read_text(encoding="utf-8")
    meldung = ""
    if imp.vorgaenger is not None:
        dok = lade_yaml(imp.ziel, str(imp.ziel))
        index = next(i for i, f in enumerate(dok.daten["fassungen"]) if f["gueltig_ab"] == imp.vorgaenger.gueltig_ab)
        zeilen = text.split("\n")
        ende = (ab - timedelta(days=1)).isoformat()
        if ("fassungen", index, "gueltig_bis") in dok.positionen:
            nr = dok.positionen[("fassungen", index, "gueltig_bis")][0] - 1
            zeilen[nr] = re.sub(r"gueltig_bis:.*$", f"gueltig_bis: {ende}", zeilen[nr])
        else:
            nr = dok.positionen[("fassungen", index, "gueltig_ab")][0] - 1
            einrueckung = zeilen[nr][:len(zeilen[nr]) - len(zeilen[nr].lstrip(" -"))].replace("-", " ")
            zeilen.insert(nr + 1, f"{einrueckung}gueltig_bis: {ende}")
        text = "\n".join(zeilen)
        meldung = f" Die Fassung ab {datum(imp.vorgaenger.gueltig_ab)} endet nun am {datum(ab - timedelta(days=1))}."
    if not text.endswith("\n"):
        text += "\n"
    vorher = imp.ziel.read_text(encoding="utf-8")
    imp.ziel.write_text(text + imp.block, encoding="utf-8")
    try:  # the result must load; otherwise the file stays as it was
        lade_vorschrift(imp.ziel, {gesetz.id: gesetz}, basis)
    except LadeFehler:
        imp.ziel.write_text(vorher, encoding="utf-8")
        raise
    return f"Neue Fassung an {imp.ziel} angehängt.{meldung}"
