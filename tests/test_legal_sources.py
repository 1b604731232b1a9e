"""Checks for the transcribed statute texts under legal/.

1. Structure: every legal/<dir>/*.yaml loads, has the required keys, valid
   dates, and Fassungen that are newest first and do not overlap.
2. Fidelity: if the read-only source folder ../shared/legal-sources exists,
   every paragraph of every wortlaut must occur (whitespace-normalised) in the
   ```text blocks of the corresponding source file.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
LEGAL = REPO / "legal"
SOURCES = Path(__file__).resolve().parents[2] / "shared" / "legal-sources"

LAW_FILES = sorted(p for p in LEGAL.glob("*/*.yaml"))
REL = [p.relative_to(LEGAL).as_posix() for p in LAW_FILES]

# legal file -> source file in legal-sources/
SOURCE_MAP = {
    **{f"sgb9/{n}.yaml": f"sgb9-{n}.md"
       for n in ["2", "55", "151", "154", "155", "156", "157", "158", "159",
                 "160", "163", "200", "223"]},
    # issue 19: the Fassungen of 1.1.2018-31.12.2019 come from the official XML of 2019 (second file)
    "sgb9/185.yaml": ["sgb9-185.md", "sgb9-185-2018-2019.md"],
    **{f"sgb9-af/{n}.yaml": f"sgb9-{n}-2001.md"
       for n in ["2", "71", "72", "73", "74", "75", "76", "77", "80", "102",
                 "117", "140"]},
    **{f"sgb9/{n}.yaml": f"sgb9-{n}.md"
       for n in ["14", "15", "16", "17", "168", "169", "170", "171", "172", "173",
                 "174", "175", "199", "215", "241"]},
    # predecessors (a.F.) transcribed from the file of their successor
    "sgb9-af/14.yaml": "sgb9-14.md",
    "sgb9-af/132.yaml": "sgb9-215.md",
    "sgb9-af/159.yaml": "sgb9-241.md",
    "sgb9-af/68.yaml": "sgb9-68-2001.md",
    "sgb9-af/116.yaml": "sgb9-116-2001.md",
    **{f"sgb9-af/{n}.yaml": "sgb9-85-92-2001.md"
       for n in ["85", "86", "87", "88", "89", "90", "91", "92"]},
    **{f"sgb10/{n}.yaml": f"sgb10-{n}.md"
       for n in ["24", "26", "31", "32", "33", "35", "36", "37", "39", "41", "42"]},
    **{f"vwgo/{n}.yaml": f"vwgo-{n}.md" for n in ["40", "58", "68", "70", "74", "80"]},
    **{f"sgb9/{n}.yaml": f"sgb9-{n}.md" for n in ["152", "167", "201", "202", "203", "204", "228"]},
    **{f"bgb/{n}.yaml": f"bgb-{n}.md" for n in ["186", "187", "188", "193"]},
    **{f"schwbav/{n}.yaml": f"schwbav-{n}.md"
       for n in ["15", "17", "19", "20", "25", "26", "27"]},
    # issue 19: the Fassungen of 2018-2020 come from the official XML of 20.2.2019 (second file)
    "schwbav/14.yaml": ["schwbav-14.md", "schwbav-14-2019-2020.md"],
    "sgb4/18.yaml": "sgb4-18.md",
    "sgb4/24.yaml": "sgb4-24.md",
    **{f"bek/aa-{y}.yaml": "bek-ausgleichsabgabe.md"
       for y in ["2011", "2015", "2020", "2024"]},
}
# bek-ausgleichsabgabe.md holds all four Bekanntmachungen; compare each one
# only with its own section ("## <n>. Bekanntmachung vom ...").
SOURCE_SECTION = {"bek/aa-2011.yaml": "1.", "bek/aa-2015.yaml": "2.",
                  "bek/aa-2020.yaml": "3.", "bek/aa-2024.yaml": "4."}

# directory of a law's files, by law id
DIR_OF = {"sgb9": "sgb9", "sgb9-af": "sgb9-af", "sgb4": "sgb4", "sgb10": "sgb10",
          "bgb": "bgb", "schwbav": "schwbav", "vwgo": "vwgo"}

# Exact check, one ```text block per Fassung (newest first): the block's index among
# the ```text blocks of the source file. The whole wortlaut must equal that block
# (whitespace-normalised), so no paragraph is missing, added or taken from another
# Fassung. HINWEIS_BLOCK: the block holding the Fassung's juris notes, if any.
XML_ONLY = "amtliche XML"
SOURCE_BLOCKS = {
    "sgb9/14.yaml": [0], "sgb9-af/14.yaml": [1, None], "sgb9/15.yaml": [0],
    "sgb9/16.yaml": [0, 1, 2], "sgb9/17.yaml": [0],
    "sgb9/199.yaml": [0], "sgb9-af/116.yaml": [0], "sgb9-af/68.yaml": [0, 0, None],
    **{f"sgb9/{n}.yaml": [0] for n in range(168, 176)},
    **{f"sgb9-af/{n}.yaml": [n - 85] for n in range(85, 93)},
    "sgb9-af/88.yaml": [3, None],
    "sgb9/215.yaml": [0], "sgb9-af/132.yaml": [1],
    # "absaetze": a Fassung split off at a documented amendment whose every Absatz stands in the source (checked by
    # test_wortlaut_matches_source) but not as one block (§ 241 from 2018 = the 2019 block without Abs. 9)
    "sgb9/241.yaml": [0, 1, 3, 4, "absaetze"], "sgb9-af/159.yaml": [5],
    "sgb10/26.yaml": [0],
    # BGB: the Fassung since the Neubekanntmachung 2002 and the one before (same words, older spelling not given)
    **{f"bgb/{n}.yaml": [0, 0] for n in ["186", "187", "188", "193"]},
    **{f"sgb10/{n}.yaml": [0] for n in ["24", "31", "32", "35", "36", "39", "41", "42"]},
    "sgb10/33.yaml": [0, 1, 2],
    # sgb10/37.yaml: checked by paragraphs only (1.7.-9.12.2020 repeats the Fassung before it, whose
    # extra Abs. 2b is undocumented; 2012-2017 is the 2019 block without Abs. 2a)
    **{f"vwgo/{n}.yaml": [0] for n in ["40", "58", "68", "74"]},
    "vwgo/70.yaml": [0, 1], "vwgo/80.yaml": [0, 1],
    "sgb9/152.yaml": [0, 1], "sgb9/167.yaml": [0, 1, 2], "sgb9/228.yaml": [0, 1, 2],
    **{f"sgb9/{n}.yaml": [0] for n in ["201", "202", "203", "204"]},
    # None: a Fassung whose wording is derived from a neighbouring one (stand „… erschlossen“ or „rekonstruiert“),
    # checked by _abgeleitet_ok instead (issue 19: early wordings split off at documented amendments)
    "schwbav/14.yaml": [0, 1, 2, 5, 4, None, 3, None, None],
    **{f"schwbav/{n}.yaml": [0, 1] for n in ["15", "26", "27"]},
    "schwbav/17.yaml": [0, 1, None, None],
    **{f"schwbav/{n}.yaml": [0] for n in ["19", "20", "25"]},
    "sgb9-af/102.yaml": [None, 0, None, None, None],  # checked complete against sgb9-102-2001.md
}
HINWEIS_BLOCK = {
    ("sgb9/199.yaml", 0): 1, ("bgb/187.yaml", 0): 1, ("bgb/188.yaml", 0): 1,
    ("bgb/187.yaml", 1): 1, ("bgb/188.yaml", 1): 1,
    **{(f"sgb9/{n}.yaml", 0): 1 for n in range(168, 176)},
    ("sgb9/241.yaml", 1): 2,
}

# juris notes given inline in the newer source files (checked by test_wortlaut_matches_source)
INLINE_NOTES = {("sgb10/24.yaml", 0), ("sgb9/152.yaml", 0), ("sgb9/228.yaml", 0)}

REQUIRED_TOP = ["gesetz", "ueberschrift", "entspricht", "fassungen"]
REQUIRED_FASSUNG = ["gueltig_ab", "gueltig_bis", "gueltigkeit_gesichert",
                    "quelle", "wortlaut"]


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    assert isinstance(value, str), f"not a date: {value!r}"
    return dt.date.fromisoformat(value)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]


def _registry() -> dict:
    data = _load(LEGAL / "gesetze.yaml")
    return {g["id"]: g for g in data["gesetze"]}


def test_files_present():
    assert sorted(REL) == sorted(SOURCE_MAP), (
        "legal/ files and SOURCE_MAP differ: "
        f"{sorted(set(REL) ^ set(SOURCE_MAP))}")


@pytest.mark.parametrize("rel", REL)
def test_structure(rel):
    registry = _registry()
    doc = _load(LEGAL / rel)
    for key in REQUIRED_TOP:
        assert key in doc, f"{rel}: missing key {key}"
    law = doc["gesetz"]
    assert law in registry, f"{rel}: unknown gesetz {law}"
    if registry[law].get("ohne_paragraphen"):
        assert "paragraph" not in doc
        assert rel == f"bek/{law.removeprefix('bek-')}.yaml"
        _date(doc["ausgefertigt"])
        assert isinstance(doc["fundstelle"], str) and doc["fundstelle"]
    else:
        assert isinstance(doc["paragraph"], str)
        assert rel == f"{DIR_OF[law]}/{doc['paragraph']}.yaml"
    assert isinstance(doc["ueberschrift"], str) and doc["ueberschrift"]
    assert isinstance(doc["entspricht"], list)

    fassungen = doc["fassungen"]
    assert isinstance(fassungen, list) and fassungen
    previous_start = None
    for i, f in enumerate(fassungen):
        for key in REQUIRED_FASSUNG:
            assert key in f, f"{rel} Fassung {i}: missing key {key}"
        start = _date(f["gueltig_ab"])
        end = None if f["gueltig_bis"] is None else _date(f["gueltig_bis"])
        if end is not None:
            assert start <= end, f"{rel} Fassung {i}: ab > bis"
        if i == 0:
            pass
        else:
            # newest first and no overlap with the (newer) previous Fassung
            assert end is not None, f"{rel} Fassung {i}: only the newest may be open"
            assert start < previous_start, f"{rel}: Fassungen not newest first"
            assert end < previous_start, f"{rel}: Fassung {i} overlaps Fassung {i-1}"
        previous_start = start
        assert isinstance(f["gueltigkeit_gesichert"], bool)
        if not f["gueltigkeit_gesichert"]:
            assert isinstance(f.get("gueltigkeit_hinweis"), str) and f["gueltigkeit_hinweis"].strip(), (
                f"{rel} Fassung {i}: gueltigkeit_hinweis required")
        assert isinstance(f["quelle"], str) and f["quelle"].strip()
        wortlaut = f["wortlaut"]
        assert isinstance(wortlaut, str) and wortlaut.strip()
        assert "+++" not in wortlaut, f"{rel}: juris-Hinweis im Wortlaut"
        assert "```" not in wortlaut
        for p in _paragraphs(wortlaut):
            assert not p.startswith("#"), f"{rel}: heading in wortlaut: {p[:40]}"
            assert not p.startswith("Schlussformel"), f"{rel}: Schlussformel im Wortlaut"
            assert p == p.strip(), f"{rel}: paragraph with surrounding whitespace"


def test_entspricht_symmetric():
    docs = {rel: _load(LEGAL / rel) for rel in REL}
    by_key = {(d["gesetz"], d.get("paragraph")): rel for rel, d in docs.items()}
    for rel, d in docs.items():
        for e in d["entspricht"]:
            target = by_key.get((e["gesetz"], e["paragraph"]))
            assert target, f"{rel}: entspricht unknown {e}"
            back = docs[target]["entspricht"]
            assert {"gesetz": d["gesetz"], "paragraph": d["paragraph"]} in back, (
                f"{target} does not point back to {rel}")


def _source_blocks(name, section: str | None = None) -> str:
    if isinstance(name, list):
        return " ".join(_source_blocks(n, section) for n in name)
    text = (SOURCES / name).read_text(encoding="utf-8")
    if section is not None:
        parts = [s for s in re.split(r"^## ", text, flags=re.M)
                 if s.startswith(f"{section} Bekanntmachung")]
        assert len(parts) == 1, f"section {section} not found in {name}"
        text = parts[0]
    blocks = re.findall(r"^```text\n(.*?)^```", text, flags=re.S | re.M)
    assert blocks, f"no text blocks in {name}"
    notes = re.findall(r"`(\(\+\+\+.*?\+\+\+\))`", text)
    return _norm("\n\n".join(blocks + [" ".join(notes)]))


@pytest.mark.parametrize("rel", REL)
def test_wortlaut_matches_source(rel):
    if not SOURCES.is_dir():
        pytest.skip(f"source folder {SOURCES} not available")
    source = _source_blocks(SOURCE_MAP[rel], SOURCE_SECTION.get(rel))
    doc = _load(LEGAL / rel)
    quell_absaetze = [_norm(p) for b in _blocks(SOURCE_MAP[rel]) for p in _paragraphs(b)] if not SOURCE_SECTION.get(rel) else []
    for i, f in enumerate(doc["fassungen"]):
        for p in _paragraphs(f["wortlaut"]):
            if _abgeleitet(f) and _norm(p) not in source:
                assert _abgeleitet_ok(p, quell_absaetze), f"{rel} Fassung {i}: derived paragraph too far from {SOURCE_MAP[rel]}: {p[:80]!r}"
                continue
            assert _norm(p) in source, (
                f"{rel} Fassung {i}: paragraph not in {SOURCE_MAP[rel]}: {p[:80]!r}")
        if f.get("schlussformel"):
            assert _norm(f["schlussformel"]) in source
        if f.get("hinweise") and "+++" in f["hinweise"]:
            assert _norm(f["hinweise"]) in source


def _blocks(name) -> list[str]:
    if isinstance(name, list):
        return [b for n in name for b in _blocks(n)]
    text = (SOURCES / name).read_text(encoding="utf-8")
    return re.findall(r"^```text\n(.*?)^```", text, flags=re.S | re.M)


def _abgeleitet(f: dict) -> bool:
    """A Fassung whose wording is derived from a documented one (issue 19), saying so in its `stand`."""
    return any(w in f.get("stand", "") for w in ("erschlossen", "rekonstruiert"))


def _abgeleitet_ok(absatz: str, quelle: list[str]) -> bool:
    """A paragraph of a derived Fassung: in the source, or a small edit of one of its paragraphs (a name, a date)."""
    a = _norm(absatz)
    return any(a == q or difflib.SequenceMatcher(None, a, q).ratio() >= 0.85 for q in quelle)


def test_source_blocks_cover_new_files():
    missing = [rel for rel in REL if rel not in SOURCE_MAP]
    assert not missing
    for rel in SOURCE_BLOCKS:
        assert rel in SOURCE_MAP, rel


@pytest.mark.parametrize("rel", sorted(SOURCE_BLOCKS))
def test_wortlaut_equals_source_block(rel):
    """Each Fassung is word for word one ```text block of its source file, nothing more or less."""
    if not SOURCES.is_dir():
        pytest.skip(f"source folder {SOURCES} not available")
    blocks = _blocks(SOURCE_MAP[rel])
    fassungen = _load(LEGAL / rel)["fassungen"]
    assert len(fassungen) == len(SOURCE_BLOCKS[rel]), f"{rel}: one block per Fassung expected"
    for i, (f, b) in enumerate(zip(fassungen, SOURCE_BLOCKS[rel])):
        if b == XML_ONLY:
            continue
        if b is None:
            assert _abgeleitet(f), f"{rel} Fassung {i}: no source block but `stand` does not say the wording is derived"
            continue
        if b == "absaetze":
            quelle = _source_blocks(SOURCE_MAP[rel], None)
            assert all(_norm(p) in quelle for p in _paragraphs(f["wortlaut"])), f"{rel} Fassung {i}: Absatz not in source"
            continue
        assert _norm(f["wortlaut"]) == _norm(blocks[b]), f"{rel} Fassung {i} differs from block {b}"
        assert [_norm(p) for p in _paragraphs(f["wortlaut"])] == [_norm(p) for p in _paragraphs(blocks[b])], (
            f"{rel} Fassung {i}: paragraph breaks differ from block {b}")
        hinweis = HINWEIS_BLOCK.get((rel, i))
        if hinweis is None:
            if (rel, i) not in INLINE_NOTES:
                assert "+++" not in f.get("hinweise", ""), f"{rel} Fassung {i}: unexpected juris note"
        else:
            assert _norm(f["hinweise"]) == _norm(blocks[hinweis]), f"{rel} Fassung {i}: juris notes differ"
