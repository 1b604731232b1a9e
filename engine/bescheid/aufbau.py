"""Build the Bescheid model from a finished decision (its public JSON form), the case data and the
authority's settings. The words come from the templates under vorlagen/ (YAML text blocks with
Jinja2 expressions, one file per decision type plus allgemein.yaml), which a legal expert edits;
this module only selects the blocks, fills them and drops what is empty.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..format import datum_aus, euro, geld, zahl, zahl_aus
from ..format import datum as datum_text
from .lesbarkeit import lesbar
from .modell import Anschrift, Bescheid, Tabelle

VORLAGEN = Path(__file__).parent / "vorlagen"
ARTEN = ("ausgleichsabgabe", "kuendigung", "leistung", "entziehung", "status", "verwendung")
_SICHERER_LADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _datum(wert: Any, leer: str = "[Datum]") -> str:
    d = datum_aus(wert)
    return datum_text(d) if d is not None else leer


def _euro(wert: Any) -> str:
    return euro(wert) if zahl_aus(wert) is not None else "[Betrag]"


def _zahl(wert: Any, stellen: int | None = None) -> str:
    return zahl(wert, stellen) if zahl_aus(wert) is not None else "[Zahl]"


def _dec(wert: Any) -> Decimal:
    d = zahl_aus(wert)
    return d if d is not None else Decimal(0)


_umgebung = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True)
_umgebung.filters.update(euro=_euro, datum=_datum, zahl=_zahl, dec=_dec, geld=geld, satz=lambda t: _satz(t))
_umgebung.globals.update(dec=_dec)


@lru_cache(maxsize=None)
def vorlage(name: str) -> dict[str, Any]:
    with open(VORLAGEN / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_SICHERER_LADER)


@lru_cache(maxsize=4096)
def _kompiliert(text: str) -> jinja2.Template:
    return _umgebung.from_string(text)


def _fuelle(text: Any, kontext: dict[str, Any]) -> str:
    if text is None:
        return ""
    return re.sub(r"[ \t]+", " ", _kompiliert(str(text)).render(**kontext)).strip()


def _absaetze(texte: Any, kontext: dict[str, Any]) -> list[str]:
    """Each template text filled; empty results (a block whose condition is false) dropped."""
    if texte is None:
        return []
    if isinstance(texte, str):
        texte = [texte]
    return [t for t in (_fuelle(x, kontext) for x in texte) if t]


class _Zitate:
    """Citations with the Fassung the decision applied: `zitat("§ 174 Abs. 4 SGB IX")`."""

    def __init__(self, d: dict[str, Any]):
        self.fassung: dict[str, str] = {}
        for s in d.get("begruendung", ()):
            for f in s.get("fundstellen", ()):
                self.fassung.setdefault(f["zitat"], f.get("fassung_ab"))
        for x in d.get("ermessen", ()):
            for v in x.get("vorbehalt", ()):
                self.fassung.setdefault(v["zitat"], v.get("fassung_ab"))

    def __call__(self, zitat: str) -> str:
        ab = self.fassung.get(zitat)
        if ab is None:  # the trail may cite more precisely: "§ 174 Abs. 2 SGB IX" → "§ 174 Abs. 2 Satz 1 SGB IX"
            kopf, gesetz = _teile_zitat(zitat)
            ab = next((self.fassung[z] for z in sorted(self.fassung)
                       if _teile_zitat(z)[1] == gesetz and _teile_zitat(z)[0].startswith(kopf + " ")), None)
        d = datum_aus(ab)
        if d is None or d <= date(1990, 1, 1):
            return zitat
        return f"{zitat} in der ab {datum_text(d)} geltenden Fassung"


def _teile_zitat(zitat: str) -> tuple[str, str]:
    """"§ 174 Abs. 2 SGB IX" → ("§ 174 Abs. 2", "SGB IX"): the law's name starts at the first word that is
    neither a unit (Abs., Satz, Nr., Buchst.) nor a number."""
    woerter = zitat.split()
    for i, w in enumerate(woerter[2:], 2):
        if w not in ("Abs.", "Satz", "Nr.", "Buchst.", "S.") and not w[:1].isdigit() and not (len(w) == 1 and w.islower()):
            return " ".join(woerter[:i]), " ".join(woerter[i:])
    return zitat, ""


def _zeilen(text: Any) -> list[str]:
    return [z.strip() for z in str(text or "").splitlines() if z.strip()]


def _ohne_feldnamen(text: str) -> str:
    """A text of the decision without a leading field name ("kenntnis_am: Tag der Kenntnis …")."""
    return re.sub(r"^[a-z][a-z0-9_.\[\]]*:\s*", "", text)


def _trail_wert(d: dict[str, Any], feld: str) -> Any:
    """The last value the trail computed for `feld` (a name of the decision's data), or None."""
    wert = None
    for s in d.get("begruendung", ()):
        if feld in (s.get("ergebnisse") or {}):
            wert = s["ergebnisse"][feld]
    return wert


def _alle_trailwerte(d: dict[str, Any]) -> dict[str, Any]:
    werte: dict[str, Any] = {}
    for s in d.get("begruendung", ()):
        werte.update(s.get("ergebnisse") or {})
    return werte


def _satz(text: Any) -> str:
    """A sentence of the decision for readers: without references to sections of the old text output
    ("siehe „Ermessen“"), without field names; empty if it still shows something a reader must not see."""
    text = _ohne_feldnamen(str(text or ""))
    text = re.sub(r"\s*\(siehe „[^“]*“\)", "", text)
    # field names inside the text ("(gdb_verringerung.unanfechtbar_am; § 199 Abs. 1)") are left out
    text = re.sub(r"`?\b[a-z][a-z0-9]*(?:[_.][a-z0-9]+)*_[a-z0-9]+(?:\.[a-z0-9_]+)*`?[;:,]?\s*", "", text)
    text = re.sub(r"\(\s*\)", "", text).replace("( ", "(").replace(" )", ")")
    text = " ".join(t for t in re.split(r"(?<=[.!?])\s+", text) if "steht unter „" not in t)
    text = re.sub(r"\b(\d{1,3}(?:\.\d{3})*) Euro\b", r"\1,00 Euro", text)  # money as "150,00 Euro"
    return text if lesbar(text) else ""


class _Quellen:
    """`quelle("zahlbetrag")`: the citations of the step that computed a value, each with the Fassung
    the decision applied ("§ 160 Abs. 4 Satz 1 SGB IX in der ab 01.01.2024 geltenden Fassung")."""

    def __init__(self, d: dict[str, Any]):
        self.je_feld: dict[str, list[tuple[str, Any]]] = {}
        for s in d.get("begruendung", ()):
            for feld in s.get("ergebnisse") or {}:
                self.je_feld[feld] = [(f["zitat"], f.get("fassung_ab")) for f in s.get("fundstellen", ())]

    def __call__(self, feld: str) -> str:
        gruppen: dict[Any, list[str]] = {}
        for zitat, ab in self.je_feld.get(feld, ()):
            if zitat not in gruppen.setdefault(ab, []):
                gruppen[ab].append(zitat)
        teile = []
        for ab, zitate in gruppen.items():
            d = datum_aus(ab)
            fassung = f" in der ab {datum_text(d)} geltenden Fassung" if d and d > date(1990, 1, 1) else ""
            teile.append(", ".join(zitate) + fassung)
        return "; ".join(teile)


def _trail_werte(d: dict[str, Any], feld: str) -> list[Any]:
    return [s["ergebnisse"][feld] for s in d.get("begruendung", ()) if feld in (s.get("ergebnisse") or {})]


def _abgabe(d: dict[str, Any], fall: dict[str, Any]) -> dict[str, Any]:
    """Payments of the levy: the procedure's own results where the decision has them (gezahlt,
    erstattungsbetrag, rueckstand, …), else the sums of the case's payments against the Zahlbetrag."""
    e = d.get("ergebnis") or {}
    zahlungen = fall.get("zahlungen") or []
    gezahlt = e.get("gezahlt")
    if gezahlt is None and e.get("zahlbetrag") is not None:
        gezahlt = str(sum((_dec(z.get("betrag")) for z in zahlungen), Decimal("0.00")))
    zb = zahl_aus(e.get("zahlbetrag"))
    erstattung = e.get("erstattungsbetrag")
    rueckstand = e.get("rueckstand")
    if zb is not None and gezahlt is not None:
        if erstattung is None:
            erstattung = str(max(Decimal("0.00"), _dec(gezahlt) - zb))
        if rueckstand is None:
            rueckstand = str(max(Decimal("0.00"), zb - _dec(gezahlt)))
    return {"gezahlt": gezahlt, "erstattungsbetrag": erstattung, "rueckstand": rueckstand,
            "rueckstand_seit": e.get("rueckstand_seit"), "feststellungsbescheid": e.get("feststellungsbescheid"),
            "saeumniszuschlag": e.get("saeumniszuschlag"),
            "saeumniszuschlag_nicht_erhoben": e.get("saeumniszuschlag_nicht_erhoben"),
            "zahlungen": zahlungen,
            "saeumnismonate": [m for liste in _trail_werte(d, "rueckstand_je_saeumnismonat")[-1:] for m in liste or ()],
            "zuschlaege_je_monat": _trail_werte(d, "saeumniszuschlag_je_monat")}


def _monatstabelle(fall: dict[str, Any], a: dict[str, Any]) -> Tabelle | None:
    monate = sorted(fall.get("monate") or [], key=lambda m: m.get("monat", 0))
    if not monate:
        return None
    t = a["tabelle"]
    zeilen, summen = [], [Decimal(0)] * 5
    for m in monate:
        werte = [m.get("arbeitsplaetze"), m.get("ausbildungsstellen"), m.get("nicht_zu_beruecksichtigen")]
        werte = [_dec(w) for w in werte]
        beruecks = werte[0] - werte[1] - werte[2]
        besetzt = m.get("besetzte_pflichtarbeitsplaetze")
        reihe = werte + [beruecks, _dec(besetzt) if besetzt is not None else None]
        for i, w in enumerate(reihe):
            if w is not None:
                summen[i] += w
        zeilen.append([t["monate"][int(m.get("monat", 1)) - 1]] + [zahl(w) if w is not None else "—" for w in reihe])
    ohne_sp5 = all(m.get("besetzte_pflichtarbeitsplaetze") is None for m in monate)
    fuss = [t["summe"]] + [zahl(s) for s in summen[:4]] + ["—" if ohne_sp5 else zahl(summen[4])]
    return Tabelle(titel=t["titel"], kopf=list(t["kopf"]), zeilen=zeilen, fuss=fuss)


def _ermessen_noetig(d: dict[str, Any], art_vorlage: dict[str, Any], fall_vorlage: dict[str, Any],
                     kontext: dict[str, Any]) -> bool:
    """Did the decision open Ermessen that matters for this case? Its `ermessen` list, or what the
    type's template names as mattering (e.g. the waiver of § 160 Abs. 4 Satz 4 when asked for)."""
    if fall_vorlage.get("ermessen") is not None:
        return bool(fall_vorlage["ermessen"])
    if d.get("ermessen"):
        return True
    bedingung = art_vorlage.get("ermessen_massgeblich")
    return bool(bedingung) and _fuelle(bedingung, kontext) == "ja"


def baue_bescheid(d: dict[str, Any], fall: dict[str, Any], behoerde: dict[str, Any] | None,
                  pruefprotokoll: str) -> Bescheid:
    """The Bescheid for the decision `d` (JSON form of `regelwerk decide`), the case data `fall`
    (JSON form) and the authority's settings (None: placeholders and a draft)."""
    allg = vorlage("allgemein")
    art = d.get("art")
    if art not in ARTEN:
        raise ValueError(f"keine Vorlage für die Art {art!r}")
    av = vorlage(art)
    b = fall.get("bescheid") or {}
    erw = fall.get("ermessenserwaegungen")
    e = d.get("ergebnis") or {}
    feststellungen = {f["id"]: f for f in d.get("feststellungen") or []}
    kontext: dict[str, Any] = {
        "e": e, "f": fall, "d": d, "fs": feststellungen, "erw": erw, "b": b,
        "zitat": _Zitate(d), "quelle": _Quellen(d), "trail": lambda feld: _trail_wert(d, feld),
        "jahr": str(d.get("jahr") or fall.get("jahr") or ""),
        "behoerde": behoerde or {}, "ohne_feldnamen": _ohne_feldnamen, "lesbar": lesbar,
        "offene": [x.get("frage") for x in d.get("offene_feststellungen") or [] if x.get("frage")],
        "fehlend": [_ohne_feldnamen(str(x)) for x in (e.get("fehlende_angaben") or [])],
        "t": _alle_trailwerte(d), "namen": av.get("namen") or {},
    }
    kontext["teil"] = lambda name: _fuelle((av.get("teile") or {}).get(name), kontext)
    if art == "ausgleichsabgabe":
        kontext["aa"] = _abgabe(d, fall)
    schluessel = _fuelle(av["fall"], kontext)
    fv = (av.get("faelle") or {}).get(schluessel) or av["faelle"]["sonst"]
    kontext["schluessel"] = schluessel

    entwurf: list[str] = []
    if not behoerde:
        entwurf.append(allg["entwurf"]["behoerde"])
    fehlt = [allg["entwurf"]["felder"][k] for k in ("aktenzeichen", "datum", "adressaten") if not b.get(k)]
    if fehlt:
        entwurf.append(allg["entwurf"]["angaben"].format(felder=", ".join(fehlt)))
    if fv.get("entscheidung_moeglich") is False:
        entwurf.append(_fuelle(allg["entwurf"]["offen"], kontext))

    # Ermessen: state the caseworker's considerations, never invent them
    ermessen_noetig = _ermessen_noetig(d, av, fv, kontext)
    ermessen: list[str] = []
    dokumentation: list[str] = []
    richtung = "regel"
    if ermessen_noetig and not erw:
        entwurf.append(allg["entwurf"]["ermessen"])
        ermessen = [allg["ermessen"]["fehlt"]] + _absaetze(av.get("ermessen_rahmen"), kontext)
        richtung = "offen"
    elif erw:
        richtung = erw.get("ergebnis") or "offen"
        ermessen = _absaetze(av.get("ermessen_rahmen"), kontext) + _absaetze(allg["ermessen"]["einleitung"], kontext)
        for x in erw.get("erwaegungen") or []:
            ermessen.append(_fuelle(allg["ermessen"]["erwaegung"], {**kontext, "x": x}))
        ermessen += _absaetze(allg["ermessen"]["ergebnis"], kontext)
        dokumentation = [_fuelle(allg["ermessen"]["dokumentation"], kontext)]
    kontext["richtung"] = richtung

    if richtung == "ablehnen" and fv.get("tenor_ablehnen"):
        tenor = _absaetze(fv["tenor_ablehnen"], kontext)
    elif richtung == "offen" and fv.get("tenor_offen"):
        tenor = _absaetze(fv["tenor_offen"], kontext)
    else:
        tenor = _absaetze(fv.get("tenor"), kontext)
    if not tenor:
        tenor = [allg["tenor_fehlt"]]
        if fv.get("entscheidung_moeglich") is not False:
            entwurf.append(allg["entwurf"]["tenor"])
    nebenbestimmungen = [_fuelle(allg["nebenbestimmung"], {**kontext, "n": n, "arten": allg["nebenbestimmungsarten"]})
                         for n in b.get("nebenbestimmungen") or []]
    gewaehrt = richtung != "ablehnen"

    # the court and the Belehrung
    gericht_art = _fuelle(av.get("gericht", "verwaltungsgericht"), kontext)
    gericht = ((behoerde or {}).get("gerichte") or {}).get(gericht_art)
    if behoerde and not gericht:
        entwurf.append(allg["entwurf"]["gericht"].format(gericht=allg["gerichtsnamen"][gericht_art]))
    belehrung_kontext = {**kontext, "gericht": gericht or {}, "gericht_art": gericht_art,
                         "gericht_platzhalter": allg["gerichtsnamen"][gericht_art],
                         "stelle": (behoerde or {}).get("widerspruchsstelle") or {},
                         "keine_aufschiebende_wirkung": _absaetze(fv.get("keine_aufschiebende_wirkung"), kontext) if gewaehrt else []}
    belehrung = _absaetze(allg["rechtsbehelfsbelehrung"][gericht_art], belehrung_kontext)
    hinweise = _absaetze(fv.get("hinweise"), kontext) + _absaetze(av.get("hinweise"), kontext)

    vorbehalte = []
    je_vorschrift: dict[tuple[str, str], dict[str, Any]] = {}
    for v in d.get("vorbehalte") or []:
        kopf, gesetz = _teile_zitat((v.get("zitate") or [v.get("vorschrift") or ""])[0])
        vorschrift = " ".join(kopf.split()[:2] + [gesetz])  # "§ 173 SGB IX"
        eintrag = je_vorschrift.setdefault((vorschrift, v.get("fassung_ab") or ""), {"v": v, "tage": [], "saetze": []})
        eintrag["tage"] += [t for t in v.get("angewandt_fuer") or [] if t not in eintrag["tage"]]
        satz = (v.get("hinweis") or "").strip()
        if satz and lesbar(satz) and len(satz) <= 400 and satz not in eintrag["saetze"]:
            eintrag["saetze"].append(satz)  # the decision's own caveat sentence, where it is one a reader may see
    for (vorschrift, _), eintrag in je_vorschrift.items():
        vorbehalte += eintrag["saetze"] or [_fuelle(allg["vorbehalt"], {
            **kontext, "v": eintrag["v"], "vorschrift": vorschrift, "tage": [_datum(t) for t in sorted(eintrag["tage"])]})]
    if vorbehalte:
        vorbehalte.insert(0, allg["vorbehalt_einleitung"])

    adressaten = [Anschrift(a["name"], _zeilen(a.get("anschrift")), a.get("rolle") or "") for a in b.get("adressaten") or []]
    if not adressaten:
        adressaten = [Anschrift(allg["platzhalter"]["adressat"], [allg["platzhalter"]["anschrift"]])]
    behoerde_anschrift = Anschrift(behoerde["name"], _zeilen(behoerde.get("anschrift"))) if behoerde else \
        Anschrift(allg["platzhalter"]["behoerde"], [allg["platzhalter"]["anschrift"]])
    ort = (behoerde or {}).get("ort")
    datumszeile = (f"{ort}, " if ort else "") + _datum(b.get("datum"))
    bekanntgabe = b.get("bekanntgabe") or _fuelle(av.get("bekanntgabe"), kontext) or "post"

    return Bescheid(
        art=art,
        titel=allg["titel"]["entwurf" if entwurf else "bescheid"],
        entwurf=entwurf,
        behoerde=behoerde_anschrift,
        behoerde_kontakt=_zeilen((behoerde or {}).get("kontakt")),
        adressaten=adressaten,
        aktenzeichen=b.get("aktenzeichen") or allg["platzhalter"]["aktenzeichen"],
        datumszeile=datumszeile,
        bekanntgabe=allg["bekanntgabe"][bekanntgabe],
        betreff=b.get("betreff") or _fuelle(av["betreff"], kontext),
        tenor=tenor,
        nebenbestimmungen=nebenbestimmungen,
        sachverhalt=_absaetze(av.get("sachverhalt"), kontext) + _absaetze(allg["feststellungen_sachverhalt"], kontext),
        gruende=_absaetze(fv.get("gruende"), kontext) + _absaetze(av.get("gruende_allgemein"), kontext),
        tabelle=_monatstabelle(fall, allg) if art == "ausgleichsabgabe" and fv.get("monatstabelle", True) else None,
        ermessen=ermessen,
        rechtsbehelfsbelehrung=belehrung,
        hinweise=hinweise,
        vorbehalte=vorbehalte,
        unterzeichnung=[(behoerde or {}).get("unterzeichnung") or allg["platzhalter"]["unterzeichnung"],
                        allg["platzhalter"]["unterschrift"]],
        pruefprotokoll=pruefprotokoll,
        ermessensdokumentation=dokumentation,
    )
