"""The whole knowledge base: statute texts, parameters, rules and procedures, with a fingerprint."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .fehler import FehlerSammlung, RegelwerkFehler, Ort
from .parameter import Parameter, lade_parameterdatei
from .pruefung import pruefe
from .rechtstext import Rechtsbestand, lade_rechtsbestand
from .regeln import Regelbuch, lade_regelbuch
from .yamlquelle import oeffne_datei


@dataclass
class Wissensbasis:
    wurzel: Path
    recht: Rechtsbestand
    parameter: dict[str, Parameter]
    regelbuch: Regelbuch
    fingerabdruck: str


def projektwurzel() -> Path:
    """The folder holding legal/ and rules/: the working directory or the installed checkout."""
    for kandidat in [Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parent.parent]:
        if (kandidat / "legal").is_dir() and (kandidat / "rules").is_dir():
            return kandidat
    raise RegelwerkFehler("Ordner mit legal/ und rules/ nicht gefunden", Ort(str(Path.cwd())),
                          "im Projektordner aufrufen oder --wurzel angeben")


def _eintraege(wurzel: Path) -> list[Path]:
    """Every entry below legal/ and rules/ other than folders, sorted; hidden files (editors' backups) left out."""
    ergebnis = []
    for ordner in ("legal", "rules"):
        try:
            for datei in (wurzel / ordner).rglob("*"):
                if any(t.startswith(".") for t in datei.relative_to(wurzel).parts):
                    continue
                try:
                    if datei.is_dir():
                        continue
                except OSError:
                    pass
                ergebnis.append(datei)
        except OSError:
            continue  # the folder's own loader reports it
    return sorted(ergebnis)


def fremde_dateien(wurzel: Path) -> list[RegelwerkFehler]:
    """Files in legal/ and rules/ that the rulebook does not read: only YAML files (`.yaml`) belong there, as regular
    files. A `.yml` or `.json` file, junk, a FIFO or a symlink to nowhere would otherwise be passed over by `check`."""
    fehler: list[RegelwerkFehler] = []
    for datei in _eintraege(wurzel):
        name = datei.relative_to(wurzel).as_posix()
        if datei.suffix != ".yaml":
            fehler.append(RegelwerkFehler("Datei gehört nicht zum Regelwerk: in legal/ und rules/ werden nur YAML-Dateien "
                                          "(Endung .yaml) gelesen", Ort(name),
                                          "die Datei entfernen oder als YAML-Datei mit der Endung .yaml anlegen"))
    return fehler


def fingerabdruck(wurzel: Path) -> str:
    """SHA-256 over every YAML file of legal/ and rules/ (path and content), order-independent. Read in blocks and
    only regular files: a large or endless file (which `check` rejects) is never held in memory."""
    h = hashlib.sha256()
    for datei in _eintraege(wurzel):
        if datei.suffix != ".yaml":
            continue
        try:
            with oeffne_datei(datei, datei.name) as f:
                h.update(datei.relative_to(wurzel).as_posix().encode())
                h.update(b"\0")
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
                h.update(b"\0")
        except (RegelwerkFehler, OSError):
            continue  # not readable: its loader reports it, and the rulebook does not load
    return h.hexdigest()


def lade_wissensbasis(wurzel: Path | None = None, fehler: list[RegelwerkFehler] | None = None) -> Wissensbasis:
    """Load everything. Without `fehler`, any problem raises `FehlerSammlung`."""
    wurzel = (wurzel or projektwurzel()).resolve()
    sammeln = fehler is not None
    fehler = fehler if fehler is not None else []
    try:
        recht = lade_rechtsbestand(wurzel / "legal", wurzel, fehler)
    except RegelwerkFehler as exc:  # the register itself is broken: nothing else can be checked
        fehler.append(exc)
        raise FehlerSammlung(fehler) from None
    parameter: dict[str, Parameter] = {}
    for datei in sorted((wurzel / "rules" / "parameter").rglob("*.yaml")):
        try:
            for p in lade_parameterdatei(datei, wurzel, fehler):
                if p.id in parameter:
                    fehler.append(RegelwerkFehler(f"Parameter `{p.id}` ist doppelt definiert", p.ort,
                                                  f"auch in {parameter[p.id].ort}"))
                parameter[p.id] = p
        except RegelwerkFehler as exc:
            fehler.append(exc)
    regelbuch = lade_regelbuch(wurzel / "rules", wurzel, fehler)
    fehler.extend(fremde_dateien(wurzel))
    wb = Wissensbasis(wurzel, recht, parameter, regelbuch, fingerabdruck(wurzel))
    if not sammeln:
        fehler.extend(pruefe(wb))
        if fehler:
            raise FehlerSammlung(fehler)
    return wb
