"""Parts of the generated pages written as HTML directly, and the Markdown extension that passes them through.

The rule boxes beside the statute and the steps of a test case make up most of the generated Markdown,
and they are structured data, not prose: as Markdown they went through pymdownx Blocks (a YAML header per
block), admonitions, lists, tables and SuperFences, page by page, box by box – most of the MkDocs build.
The generator now writes them as the HTML those extensions produced and wraps each in marker lines::

    <!--rw:roh-->
    <aside class="rw-neben">…</aside>
    <!--rw:/roh-->

The extension ``engine.site.roh`` (in mkdocs.yml) stores each wrapped part in Markdown's HTML stash before
any other step sees the page, so it reaches the page unchanged – also inside the indented content of a tab,
where a block of raw HTML would otherwise be read as code. Links in these parts are written as the built
addresses (``text.html_link``), as MkDocs does not rewrite raw HTML; tests/test_site.py checks them.
"""
from __future__ import annotations

import html
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .text import zitat_nbsp

ANFANG = "<!--rw:roh-->"
ENDE = "<!--rw:/roh-->"


def roh(inhalt: str) -> str:
    """`inhalt` (HTML) as a part of a Markdown page that Markdown passes through unchanged."""
    return f"\n{ANFANG}\n{inhalt}\n{ENDE}\n\n"


class _RohVorverarbeitung(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        ergebnis: list[str] = []
        teil: list[str] | None = None
        einzug = ""
        for zeile in lines:
            if teil is None:
                if zeile.endswith(ANFANG) and not zeile[: -len(ANFANG)].strip():
                    teil, einzug = [], zeile[: -len(ANFANG)]
                else:
                    ergebnis.append(zeile)
            elif zeile.endswith(ENDE) and not zeile[: -len(ENDE)].strip():
                platzhalter = self.md.htmlStash.store("\n".join(teil))
                ergebnis += ["", einzug + platzhalter, ""]
                teil = None
            else:
                teil.append(zeile[len(einzug):] if zeile.startswith(einzug) else zeile.lstrip(" "))
        if teil is not None:  # no end marker: leave the lines as they were
            ergebnis += [einzug + ANFANG] + [einzug + z for z in teil]
        return ergebnis


class RohExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # right after the whitespace normalisation (30, 29.9: it would remove the placeholders' marks), before
        # SuperFences' scan for fences (25), MkDocs' scan of raw HTML for anchors (21; the parts carry no anchors
        # that other pages link to) and the HTML block parser (20)
        md.preprocessors.register(_RohVorverarbeitung(md), "regelwerk_roh", 29)


def makeExtension(**kwargs) -> RohExtension:  # noqa: N802 - Markdown's API
    return RohExtension(**kwargs)


# --- HTML pieces ---------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def t(text: str) -> str:
    """Text for HTML: citations kept together (no-break spaces), escaped as Markdown would."""
    return html.escape(zitat_nbsp(text), quote=False)


def a(href: str, inhalt_html: str) -> str:
    return f'<a href="{html.escape(href)}">{inhalt_html}</a>'


def code(text: str) -> str:
    return f"<code>{html.escape(text, quote=False)}</code>"


def tabelle(kopf: list[str], zeilen: list[list[str]]) -> str:
    """A table as Markdown's tables extension writes it (cells are HTML)."""
    teile = ["<table>", "<thead>", "<tr>"] + [f"<th>{k}</th>" for k in kopf] + ["</tr>", "</thead>", "<tbody>"]
    for z in zeilen:
        teile += ["<tr>"] + [f"<td>{zelle}</td>" for zelle in z] + ["</tr>"]
    return "\n".join(teile + ["</tbody>", "</table>"])


def liste(punkte: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{p}</li>" for p in punkte) + "\n</ul>" if punkte else ""


def details(art: str, titel_html: str, inhalt_html: str) -> str:
    """A fold as pymdownx.blocks.details writes it."""
    return f'<details class="{art}">\n<summary>{titel_html}</summary>\n{inhalt_html}\n</details>'


_YAML: dict[str, str] = {}
_MD: list[markdown.Markdown] = []


def yaml_html(src: str) -> str:
    """A YAML block highlighted as SuperFences writes it (Pygments), once per distinct text."""
    if src not in _YAML:
        if not _MD:
            _MD.append(markdown.Markdown(extensions=["pymdownx.superfences"]))
        md = _MD[0]
        md.reset()
        _YAML[src] = md.convert(f"``` yaml\n{src}\n```")
    return _YAML[src]


