"""The full-text search index of the statute and test case pages, written from the data.

mkdocs-material's search plugin parses every built page with Python's HTMLParser to split it into
sections – on this site that was the largest single cost of the build. The pages the generator
writes most of (statutes and test cases) therefore carry ``search: exclude: true`` in their front
matter, and the generator describes them here itself: one entry per page and per section (an
Absatz of a Fassung, a step of a decision), in the plugin's own format, so that the theme's search
box, ranking (``boost``), excerpts and ``?h=`` highlighting work unchanged. After MkDocs has written
``search/search_index.json`` (hand-written and other pages, indexed by the plugin), these entries
are appended to it.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any


def seiten_url(md_pfad: str) -> str:
    """The address of a source page as MkDocs writes it (use_directory_urls): ``recht/sgb9/160/``."""
    ohne = md_pfad[:-3] if md_pfad.endswith(".md") else md_pfad
    if ohne == "index":
        return ""
    return (ohne[: -len("/index")] if ohne.endswith("/index") else ohne) + "/"


class Suchindex:
    """Entries in the format of material's search index: location, title, text (escaped HTML), boost."""

    def __init__(self) -> None:
        self.eintraege: list[dict[str, Any]] = []
        self._url = ""
        self._boost: float | None = None
        self._texte: dict[str, list[str]] = {}  # location -> parts of its text
        self._aktuell: list[str] = []

    def seite(self, md_pfad: str, titel: str, boost: float | None = None) -> None:
        """Start a page: its own entry comes first (the theme groups the sections under it)."""
        self._url = seiten_url(md_pfad)
        self._boost = boost
        self._abschnitt(self._url, titel)

    def abschnitt(self, anker: str, titel: str) -> None:
        """Start a section of the current page, or go back to one started before (the text added next
        belongs to it): the tabs of a statute page all sit in its section "Wortlaut"."""
        self._abschnitt(f"{self._url}#{anker}", titel)

    def absatz(self, text: str, vor_html: str = "") -> None:
        """A paragraph of the current section (text escaped here; ``vor_html`` is markup such as <sup>)."""
        text = " ".join(text.split())
        if text or vor_html:
            self._aktuell.append(f"<p>{vor_html}{html.escape(text, quote=False)}</p>")

    def worte(self, text: str) -> None:
        """Loose words of the current section (the title of a rule box)."""
        text = " ".join(text.split())
        if text:
            self._aktuell.append(html.escape(text, quote=False))

    def _abschnitt(self, location: str, titel: str) -> None:
        if location not in self._texte:
            eintrag: dict[str, Any] = {"location": location, "title": html.escape(" ".join(titel.split()), quote=False)}
            if self._boost is not None:
                eintrag["boost"] = self._boost
            self.eintraege.append(eintrag)
            self._texte[location] = []
        self._aktuell = self._texte[location]

    def fertig(self) -> list[dict[str, Any]]:
        """The entries with their texts."""
        for eintrag in self.eintraege:
            eintrag["text"] = " ".join(self._texte[eintrag["location"]])
        return self.eintraege

    def ergaenze(self, build: Path) -> None:
        """Append the entries to the index MkDocs wrote (``search/search_index.json`` in ``build``)."""
        datei = build / "search" / "search_index.json"
        daten = json.loads(datei.read_text(encoding="utf-8"))
        daten["docs"] += self.fertig()
        datei.write_text(json.dumps(daten, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
