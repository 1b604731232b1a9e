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


def fingerabdruck(wurzel: Path) -> str:
    """SHA-256 over every file of legal/ and rules/ (path and content), order-independent."""
    h = hashlib.sha256()
    for ordner in ("legal", "rules"):
        for datei in sorted((wurzel / ordner).rglob("*")):
            if datei.is_file() and datei.suffix in (".yaml", ".yml", ".json"):
                h.update(datei.relative_to(wurzel).as_posix().encode())
                h.update(b"\0")
                h.update(datei.read_bytes())
                h.update(b"\0")
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
    wb = Wissensbasis(wurzel, recht, parameter, regelbuch, fingerabdruck(wurzel))
    if not sammeln:
        fehler.extend(pruefe(wb))
        if fehler:
            raise FehlerSammlung(fehler)
    return wb
