"""The shape of engine/: no import circles (module- and function-level imports alike), and the core never
imports the tool packages (cli, autoren, site, server, stapel)."""
from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"
WERKZEUGE = ("engine.cli", "engine.autoren", "engine.bestand", "engine.site", "engine.server", "engine.stapel")


def _module() -> dict[str, Path]:
    mods = {}
    for f in ENGINE.rglob("*.py"):
        teile = f.relative_to(ENGINE.parent).with_suffix("").parts
        mods[".".join(teile[:-1] if teile[-1] == "__init__" else teile)] = f
    return mods


def importgraph() -> dict[str, set[str]]:
    """module -> engine modules it imports anywhere in its body (ast.walk reaches imports inside functions)."""
    mods = _module()
    kanten: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        paket = m if f.name == "__init__.py" else m.rsplit(".", 1)[0]
        for knoten in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Import):
                ziele = [a.name for a in knoten.names]
            elif isinstance(knoten, ast.ImportFrom):
                basis = knoten.module or ""
                if knoten.level:
                    teile = paket.split(".")[: len(paket.split(".")) - knoten.level + 1]
                    basis = ".".join(teile + ([basis] if basis else []))
                # `from paket import modul` imports the module; `from paket import name` the package itself
                ziele = [f"{basis}.{a.name}" if f"{basis}.{a.name}" in mods else basis for a in knoten.names]
            else:
                continue
            for ziel in ziele:
                while ziel and ziel not in mods:
                    ziel = ziel.rsplit(".", 1)[0] if "." in ziel else ""
                if ziel and ziel != m:
                    kanten[m].add(ziel)
    return kanten


def _kreise(kanten: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    tief: dict[str, int] = {}
    stapel: list[str] = []
    auf: set[str] = set()
    kreise: list[list[str]] = []
    zaehler = [0]

    def besuche(v: str) -> None:
        index[v] = tief[v] = zaehler[0]
        zaehler[0] += 1
        stapel.append(v)
        auf.add(v)
        for w in kanten[v]:
            if w not in index:
                besuche(w)
                tief[v] = min(tief[v], tief[w])
            elif w in auf:
                tief[v] = min(tief[v], index[w])
        if tief[v] == index[v]:
            teil = []
            while True:
                w = stapel.pop()
                auf.discard(w)
                teil.append(w)
                if w == v:
                    break
            if len(teil) > 1:
                kreise.append(sorted(teil))

    for v in sorted(kanten):
        if v not in index:
            besuche(v)
    return kreise


def test_keine_importkreise():
    # parent packages count too: a command module importing engine.cli (which registers it) is a circle
    assert _kreise(importgraph()) == []


def test_kern_importiert_keine_werkzeuge():
    verboten = sorted(f"{m} -> {z}" for m, ziele in importgraph().items() for z in ziele
                      if not m.startswith(WERKZEUGE) and z.startswith(WERKZEUGE))
    assert verboten == []


def test_importgraph_sieht_importe_in_funktionen(tmp_path, monkeypatch):
    """The check itself: an import hidden in a function is an edge."""
    kanten = importgraph()
    assert "engine.wissensbasis" in kanten["engine.faelle"]
    assert "engine.pruefung" in kanten["engine.wissensbasis"]
    assert "engine.wissensbasis" not in kanten["engine.pruefung"]  # one-way since issue 9
    assert "engine.darstellung" not in kanten["engine.entscheidung"]


def test_durable_rules_nur_im_backend():
    for f in ENGINE.rglob("*.py"):
        if f.name == "durable_backend.py":
            continue
        for knoten in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Import) or (isinstance(knoten, ast.ImportFrom) and not knoten.level):
                namen = [a.name for a in knoten.names] + [getattr(knoten, "module", None) or ""]
                assert not any(n.startswith(("durable", "durable_rules_engine")) for n in namen), f


def test_keine_privaten_namen_ueber_modulgrenzen():
    for f in ENGINE.rglob("*.py"):
        for knoten in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.ImportFrom) and (knoten.level or (knoten.module or "").startswith("engine")):
                privat = [a.name for a in knoten.names if a.name.startswith("_") and a.name != "__version__"]
                assert privat == [], f"{f}: {privat}"


def test_oeffentliche_api():
    import engine

    assert engine.__all__ == ["lade_regelwerk", "lies_fall", "fall_aus_daten", "rendere", "RegelwerkFehler"]
    from engine.fehler import AufrufFehler, FallFehler, FehlerSammlung, RegelFehler

    assert issubclass(FehlerSammlung, engine.RegelwerkFehler)
    for k in (AufrufFehler, FallFehler, RegelFehler):
        assert issubclass(k, engine.RegelwerkFehler)


# value formatting lives in engine/format.py alone (periods: engine/zeitraum.py); these are the shapes the
# seven copies had before issue 9 — a date format string, the thousands-separator swap, "{wert|deutsch} Euro"
_HANDFORMATIERT = {
    "strftime": "strftime(",
    "Datumsformat": "%d.%m",
    "Tausenderpunkt per f-String": ":,}",
    "Tausenderpunkt mit Stellen": ":,.",
    "Dezimalkomma per replace": 'replace(".", ",")',
    "Tausenderpunkt per replace": 'replace(",", ".")',
    "Euro ohne Geldformat": "|deutsch }} Euro",
    "Prozent mit Dezimalpunkt": "f} %",
}
_FORMATIERER = {"deutsch", "formatiere", "zeitraum_text", "zeige", "kurz", "geld", "euro", "mit_einheit", "zahl"}


def _kopien(f: Path) -> list[str]:
    """Hand-made value formatting in one .py or .j2 file: lines and function names."""
    text = f.read_text(encoding="utf-8")
    funde = []
    for nr, zeile in enumerate(text.splitlines(), 1):
        code = zeile.split("#", 1)[0] if f.suffix == ".py" else zeile
        funde += [f"{nr}: {was}" for was, muster in _HANDFORMATIERT.items() if muster in code and not _ist_eingabe(code)]
    if f.suffix == ".py" and f.name != "zeitraum.py":
        funde += [f"{k.lineno}: eigener Formatierer `{k.name}`" for k in ast.walk(ast.parse(text))
                  if isinstance(k, ast.FunctionDef) and k.name in _FORMATIERER]
    return funde


def _ist_eingabe(code: str) -> bool:
    """Reading German input ("12,5 %" on the command line) is parsing, not formatting."""
    return "float(text.replace" in code


def test_werte_formatiert_nur_engine_format():
    funde = [f"{f.relative_to(ENGINE.parent)}:{fund}" for f in sorted(ENGINE.rglob("*"))
             if f.suffix in (".py", ".j2") and f != ENGINE / "format.py" for fund in _kopien(f)]
    assert funde == [], "Werte bitte mit engine/format.py formatieren:\n" + "\n".join(funde)


def test_formatierpruefung_findet_kopien(tmp_path):
    """The check itself: each shape of a copy before issue 9 is found, in Python and in templates."""
    py = tmp_path / "kopie.py"
    py.write_text('def deutsch(w):\n    return f"{w:,}".replace(",", ".")\n'
                  'def d(t):\n    return t.strftime("%d.%m.%Y") + f"{t:%d.%m.%Y}"\n', encoding="utf-8")
    assert _kopien(py) == ["2: Tausenderpunkt per f-String", "2: Tausenderpunkt per replace", "4: strftime",
                           "4: Datumsformat", "1: eigener Formatierer `deutsch`"]
    j2 = tmp_path / "kopie.md.j2"
    j2.write_text("{{ betrag|deutsch }} Euro\n{{ betrag|euro }}\n", encoding="utf-8")
    assert _kopien(j2) == ["1: Euro ohne Geldformat"]
    cli = tmp_path / "eingabe.py"
    cli.write_text('wert = float(text.replace(",", ".").rstrip("%"))\n', encoding="utf-8")
    assert _kopien(cli) == []


def test_yaml_nur_mit_sicheren_ladern():
    """YAML is read only by PyYAML's safe loaders (SafeLoader, or CSafeLoader, the same in libyaml's C parser):
    no `yaml.load` with another loader, no `yaml.Loader`/`FullLoader`/`UnsafeLoader` anywhere in engine/."""
    erlaubt = {"SafeLoader", "CSafeLoader", "_SICHERER_LADER"}
    verstoesse = []
    for datei in sorted(ENGINE.rglob("*.py")):
        baum = ast.parse(datei.read_text(encoding="utf-8"))
        for knoten in ast.walk(baum):
            if isinstance(knoten, ast.Attribute) and isinstance(knoten.value, ast.Name) and knoten.value.id == "yaml" \
                    and knoten.attr in ("Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader",
                                        "unsafe_load", "full_load", "load_all"):
                verstoesse.append(f"{datei.relative_to(ENGINE)}:{knoten.lineno}: yaml.{knoten.attr}")
            if isinstance(knoten, ast.Call) and isinstance(knoten.func, ast.Attribute) and knoten.func.attr == "load" \
                    and isinstance(knoten.func.value, ast.Name) and knoten.func.value.id == "yaml":
                lader = next((k.value for k in knoten.keywords if k.arg == "Loader"), None)
                name = lader.attr if isinstance(lader, ast.Attribute) else lader.id if isinstance(lader, ast.Name) else None
                if name not in erlaubt:
                    verstoesse.append(f"{datei.relative_to(ENGINE)}:{knoten.lineno}: yaml.load ohne sicheren Lader")
    assert not verstoesse, verstoesse
