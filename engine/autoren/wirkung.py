"""Impact of a change (`regelwerk diff`): decide the same cases twice and compare.

Two comparisons are supported:
- two law dates for the same facts: each case is decided with its `jahr` replaced
  (`--jahr 2023 --gegen 2024`); "vorher" is --jahr (or the case's own year),
  "nachher" the --gegen year;
- the working tree against a git revision (`--gegen HEAD`): legal/ and rules/ of the
  revision are exported with `git archive` into a temporary folder and loaded as a
  second knowledge base; "vorher" is the revision, "nachher" the working tree.

For every case whose outcome changes the report lists the changed ergebnis values and
the trail steps that differ (rule, citations, parameters, inputs and results); cases
with an unchanged outcome are only counted.
"""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..fehler import FallFehler, FehlerSammlung, Ort, RegelwerkFehler, relativ
from ..format import als_json, datum, kurz
from ..faelle import fall_teil, pruefe_fall
from .testfaelle import gleich
from ..yamlquelle import YamlDokument, lade_yaml
from ..wissensbasis import lade_wissensbasis
from ..entscheidung import Entscheider


# --- loading a revision ------------------------------------------------------------------


def _git(wurzel: Path, *argumente: str, binaer: bool = False):
    try:
        return subprocess.run(["git", "-C", str(wurzel), *argumente], capture_output=True, check=False,
                              text=not binaer)
    except FileNotFoundError:
        raise RegelwerkFehler("das Programm `git` ist nicht installiert", hilfe="git installieren") from None


def _entpacke(tar: tarfile.TarFile, ziel: str) -> None:
    """Extract `git archive` output safely. Python 3.11.0–3.11.3 (e.g. Debian 12's 3.11.2) has no extraction
    filters: there only folders and regular files inside `ziel` are extracted, as the "data" filter would allow."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(ziel, filter="data")
        return
    wurzel = Path(ziel).resolve()
    mitglieder = []
    for m in tar.getmembers():
        pfad = (wurzel / m.name).resolve()
        if not (m.isdir() or m.isfile()) or not pfad.is_relative_to(wurzel):
            continue  # links, devices, absolute or `..` paths: nothing a revision's legal/ and rules/ hold
        mitglieder.append(m)
    tar.extractall(ziel, members=mitglieder)  # noqa: S202 (members checked above)


@contextlib.contextmanager
def lade_revision(wurzel: Path, revision: str) -> Iterator:
    """The knowledge base (legal/ and rules/) as of a git revision, in a temporary folder."""
    oben = _git(wurzel, "rev-parse", "--show-prefix")
    if oben.returncode != 0:
        raise RegelwerkFehler(f"{wurzel} ist kein Git-Arbeitsverzeichnis", Ort(str(wurzel)),
                              "im Projektordner aufrufen oder statt einer Revision ein Jahr vergleichen")
    praefix = oben.stdout.strip()
    pruefung = _git(wurzel, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if pruefung.returncode != 0 or revision.startswith("-"):
        raise RegelwerkFehler(f"die Git-Revision `{revision}` gibt es nicht", Ort(str(wurzel)),
                              "z. B. HEAD, HEAD~1, einen Branch oder einen Commit-Hash angeben (`git log` zeigt sie)")
    archiv = _git(wurzel, "archive", "--format=tar", revision, "--", f"{praefix}legal", f"{praefix}rules", binaer=True)
    if archiv.returncode != 0:
        meldung = archiv.stderr.decode("utf-8", "replace").strip()
        raise RegelwerkFehler(f"Revision `{revision}` enthält kein vollständiges Regelwerk (legal/ und rules/)",
                              Ort(str(wurzel)), meldung or None)
    with tempfile.TemporaryDirectory(prefix="regelwerk-rev-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archiv.stdout)) as tar:
            _entpacke(tar, tmp)
        ziel = Path(tmp) / praefix
        try:
            wb = lade_wissensbasis(ziel)
        except FehlerSammlung as exc:
            raise RegelwerkFehler(f"das Regelwerk der Revision `{revision}` hat {len(exc.fehler)} Fehler, "
                                  f"z. B. {exc.fehler[0]}") from None
        except RegelwerkFehler as exc:
            raise RegelwerkFehler(f"das Regelwerk der Revision `{revision}` lässt sich nicht laden: {exc}") from None
        yield wb


# --- running -----------------------------------------------------------------------------


@dataclass
class Seite:
    """The outcome of one case on one side of the comparison."""

    ergebnis: dict[str, Any] = field(default_factory=dict)
    fehler: str | None = None
    schritte: list = field(default_factory=list)
    parameter: dict[str, Any] = field(default_factory=dict)  # id → Wert used by the compiled rules


@dataclass
class Schrittunterschied:
    regel: str
    titel: str
    art: str  # "geaendert" | "nur_vorher" | "nur_nachher"
    fundstellen_vorher: list[str]
    fundstellen_nachher: list[str]
    eingaben_vorher: dict[str, Any]
    eingaben_nachher: dict[str, Any]
    ergebnisse_vorher: dict[str, Any]
    ergebnisse_nachher: dict[str, Any]
    parameter: dict[str, dict[str, Any]]  # id → {vorher, nachher, fundstelle_vorher, fundstelle_nachher}

    def als_dict(self) -> dict[str, Any]:
        return {"regel": self.regel, "titel": self.titel, "art": self.art,
                "fundstellen": {"vorher": self.fundstellen_vorher, "nachher": self.fundstellen_nachher},
                "eingaben": {"vorher": als_json(self.eingaben_vorher), "nachher": als_json(self.eingaben_nachher)},
                "ergebnisse": {"vorher": als_json(self.ergebnisse_vorher), "nachher": als_json(self.ergebnisse_nachher)},
                "parameter": als_json(self.parameter)}


@dataclass
class Fallwirkung:
    datei: str
    titel: str | None
    felder: dict[str, tuple[Any, Any]]  # changed ergebnis fields: (vorher, nachher)
    fehler: tuple[str | None, str | None]
    schritte: list[Schrittunterschied]

    def als_dict(self) -> dict[str, Any]:
        return {"datei": self.datei, "titel": self.titel,
                "ergebnis": {f: {"vorher": v, "nachher": n} for f, (v, n) in self.felder.items()},
                "fehler": {"vorher": self.fehler[0], "nachher": self.fehler[1]} if any(self.fehler) else None,
                "schritte": [s.als_dict() for s in self.schritte]}


@dataclass
class Wirkung:
    vorher: str
    nachher: str
    faelle: int
    unveraendert: int
    geaendert: list[Fallwirkung]
    ohne_jahr: list[str] = field(default_factory=list)  # cases a year comparison passes over: their art has no `jahr`

    def als_dict(self) -> dict[str, Any]:
        return {"vergleich": {"vorher": self.vorher, "nachher": self.nachher}, "faelle": self.faelle,
                "unveraendert": self.unveraendert, "geaendert_anzahl": len(self.geaendert),
                "geaendert": [g.als_dict() for g in self.geaendert], "ohne_jahr": self.ohne_jahr}


def _falldokument(datei: Path) -> tuple[YamlDokument, str | None]:
    """A case file or the `fall` part of a test-case file; the title if any."""
    name = relativ(datei)
    if datei.suffix == ".json":
        daten = json.loads(datei.read_text(encoding="utf-8"))
        dok = YamlDokument(daten, name, {})
    else:
        dok = lade_yaml(datei, name)
    teil = fall_teil(dok)
    return (teil, str(dok.daten.get("titel"))) if teil is not dok else (dok, None)


def _mit_jahr(dok: YamlDokument, jahr: int | None) -> YamlDokument:
    if jahr is None or not isinstance(dok.daten, dict):
        return dok
    return YamlDokument(dict(dok.daten, jahr=jahr), dok.datei, dok.positionen)


def _seite(dok: YamlDokument, wb, entscheider) -> Seite:
    fall = pruefe_fall(dok, wb)  # FallFehler (bad input, e.g. a year without law) propagates: exit 2
    try:
        e = entscheider.entscheide(fall)
    except FallFehler:
        raise
    except RegelwerkFehler as exc:
        return Seite(fehler=str(exc))
    # the parameter values the decision applied (each at the date of the step that read it)
    parameter = {pid: {"wert": als_json(w.wert), "fundstelle": w.fundstelle}
                 for s in e.schritte for pid, w in s.parameter.items()}
    return Seite(dict(e.ergebnis), None, list(e.schritte), parameter)


def _werte_gleich(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(gleich(a[k], b[k]) if not isinstance(a[k], (list, dict)) else a[k] == b[k]
                                        for k in a)


def _schrittunterschiede(vorher: Seite, nachher: Seite) -> list[Schrittunterschied]:
    alt = {s.regel.regel.id: s for s in vorher.schritte}
    neu = {s.regel.regel.id: s for s in nachher.schritte}
    reihenfolge = [s.regel.regel.id for s in nachher.schritte] + [r for r in alt if r not in neu]
    ergebnis = []
    for rid in reihenfolge:
        a, n = alt.get(rid), neu.get(rid)
        zit_a = [f"{f.zitat.text} (Fassung ab {datum(f.fassung.gueltig_ab)})" for f in a.fundstellen] if a else []
        zit_n = [f"{f.zitat.text} (Fassung ab {datum(f.fassung.gueltig_ab)})" for f in n.fundstellen] if n else []
        wortlaut_a = [(f.zitat.text, f.wortlaut) for f in a.fundstellen] if a else []
        wortlaut_n = [(f.zitat.text, f.wortlaut) for f in n.fundstellen] if n else []
        if a and n and _werte_gleich(a.eingaben, n.eingaben) and _werte_gleich(a.ergebnisse, n.ergebnisse) \
                and wortlaut_a == wortlaut_n and a.regel.regel.wenn_quelle == n.regel.regel.wenn_quelle \
                and [s.quelle for s in a.regel.regel.dann] == [s.quelle for s in n.regel.regel.dann]:
            continue  # same rule, same wording, same values (a new Fassung with unchanged text is no change)
        parameter = {}
        for name in sorted(set(a.eingaben if a else {}) | set(n.eingaben if n else {})):
            if not name.startswith("parameter."):
                continue
            pid = name.split(".", 1)[1]
            pa, pn = vorher.parameter.get(pid), nachher.parameter.get(pid)
            if pa is None or pn is None or not gleich(pa["wert"], pn["wert"]):
                parameter[pid] = {"vorher": pa["wert"] if pa else None, "nachher": pn["wert"] if pn else None,
                                  "fundstelle_vorher": pa["fundstelle"] if pa else None,
                                  "fundstelle_nachher": pn["fundstelle"] if pn else None}
        regel = (n or a).regel.regel
        ergebnis.append(Schrittunterschied(
            rid, regel.titel, "geaendert" if a and n else ("nur_vorher" if a else "nur_nachher"), zit_a, zit_n,
            {k: v for k, v in (a.eingaben if a else {}).items() if not k.startswith("parameter.")},
            {k: v for k, v in (n.eingaben if n else {}).items() if not k.startswith("parameter.")},
            dict(a.ergebnisse) if a else {}, dict(n.ergebnisse) if n else {}, parameter))
    return ergebnis


def berechne_wirkung(dateien: list[Path], wb_vorher, wb_nachher, jahr_alt: int | None = None,
                     jahr_neu: int | None = None, name_alt: str = "vorher", name_neu: str = "nachher",
                     ignorieren: tuple[str, ...] = ()) -> Wirkung:
    """Decide every case on both sides; list those whose outcome changes (fields in `ignorieren` do not count)."""
    geaendert = []
    unveraendert = 0
    ohne_jahr: list[str] = []
    with Entscheider(wb_vorher) as e_alt, (contextlib.nullcontext(e_alt) if wb_nachher is wb_vorher
                                           else Entscheider(wb_nachher)) as e_neu:
        for datei in dateien:
            dok, titel = _falldokument(datei)
            if (jahr_alt is not None or jahr_neu is not None) and not _hat_jahr(dok, wb_nachher):
                ohne_jahr.append(dok.datei)  # a Kündigung or Leistung has no Erhebungsjahr to set
                continue
            vorher = _seite(_mit_jahr(dok, jahr_alt), wb_vorher, e_alt)
            nachher = _seite(_mit_jahr(dok, jahr_neu), wb_nachher, e_neu)
            felder = {f: (vorher.ergebnis.get(f), nachher.ergebnis.get(f))
                      for f in list(vorher.ergebnis) + [f for f in nachher.ergebnis if f not in vorher.ergebnis]
                      if f not in ignorieren and not gleich(vorher.ergebnis.get(f), nachher.ergebnis.get(f))}
            if not felder and vorher.fehler == nachher.fehler:
                unveraendert += 1
                continue
            geaendert.append(Fallwirkung(dok.datei, titel, felder, (vorher.fehler, nachher.fehler),
                                         _schrittunterschiede(vorher, nachher)))
    return Wirkung(name_alt, name_neu, len(dateien) - len(ohne_jahr), unveraendert, geaendert, ohne_jahr)


def _hat_jahr(dok: YamlDokument, wb) -> bool:
    """Whether the case's art is decided for a year (its case schema has the field `jahr`)."""
    art = dok.daten.get("art") if isinstance(dok.daten, dict) else None
    verfahren = wb.regelbuch.verfahren.get(art) if isinstance(art, str) else None
    if verfahren is None:
        return True  # unknown art: the decision reports it as bad input
    return "jahr" in verfahren.eingaben


# --- rendering ---------------------------------------------------------------------------


def _werte(d: dict) -> str:
    return ", ".join(f"{k} = {kurz(v)}" for k, v in d.items()) or "—"


def _schritt_zeilen(s: Schrittunterschied, md: bool) -> list[str]:
    c = "`" if md else "`"
    kopf = {"geaendert": "geändert", "nur_vorher": "nur vorher angewandt", "nur_nachher": "nur nachher angewandt"}[s.art]
    z = [f"Regel {c}{s.regel}{c} – {s.titel} ({kopf})"]
    if s.fundstellen_vorher != s.fundstellen_nachher:
        z.append(f"  Fundstelle vorher: {'; '.join(s.fundstellen_vorher) or '—'}")
        z.append(f"  Fundstelle nachher: {'; '.join(s.fundstellen_nachher) or '—'}")
    else:
        z.append(f"  Fundstelle: {'; '.join(s.fundstellen_nachher)}")
    for pid, p in s.parameter.items():
        quelle = p["fundstelle_nachher"] or p["fundstelle_vorher"]
        z.append(f"  Parameter {c}{pid}{c}: vorher {kurz(p['vorher'])}, nachher {kurz(p['nachher'])} ({quelle})")
    if s.eingaben_vorher != s.eingaben_nachher or s.art != "geaendert":
        z.append(f"  Eingaben vorher: {_werte(s.eingaben_vorher)}")
        z.append(f"  Eingaben nachher: {_werte(s.eingaben_nachher)}")
    z.append(f"  Ergebnis vorher: {_werte(s.ergebnisse_vorher)}")
    z.append(f"  Ergebnis nachher: {_werte(s.ergebnisse_nachher)}")
    return z


def rendere_wirkung(w: Wirkung, format_: str = "text") -> str:
    if format_ == "json":
        return json.dumps(w.als_dict(), ensure_ascii=False, indent=2) + "\n"
    md = format_ == "md"
    z = [("# " if md else "") + f"Wirkung der Änderung: vorher {w.vorher}, nachher {w.nachher}", ""]
    for g in w.geaendert:
        name = f"{g.datei}" + (f" – {g.titel}" if g.titel else "")
        z.append(("## " if md else "") + ("Fall " if not md else "") + name)
        if md:
            z += ["", "| Feld | vorher | nachher |", "|---|---|---|"]
            z += [f"| `{f}` | {kurz(v)} | {kurz(n)} |" for f, (v, n) in g.felder.items()]
        else:
            z += [f"  {f}: vorher {kurz(v)}, nachher {kurz(n)}" for f, (v, n) in g.felder.items()]
        if any(g.fehler):
            z.append(f"{'' if md else '  '}Entscheidung nicht möglich – vorher: {g.fehler[0] or 'nein'}; nachher: {g.fehler[1] or 'nein'}")
        if g.schritte:
            z.append("")
            z.append(("### " if md else "  ") + "Abweichende Schritte der Begründung")
            for s in g.schritte:
                zeilen = _schritt_zeilen(s, md)
                if md:
                    z.append(f"- {zeilen[0]}")
                    z += [f"  - {x.strip()}" for x in zeilen[1:]]
                else:
                    z += [f"    {x}" for x in zeilen]
        z.append("")
    z.append(f"{w.faelle} Fälle: {len(w.geaendert)} mit geändertem Ergebnis, {w.unveraendert} unverändert")
    if w.ohne_jahr:
        z.append(f"{len(w.ohne_jahr)} Fälle ohne Erhebungsjahr (Kündigung, Leistung, Status …) nicht verglichen: "
                 "der Jahresvergleich gilt für Fälle mit `jahr`, also die Ausgleichsabgabe")
    return "\n".join(z) + "\n"
