"""MkDocs hook (mkdocs.yml ``hooks:``): the theme's navigation rendered once per folder for the pages
that are not in it.

mkdocs-material renders the whole navigation (every provision of the rulebook) into every page. For a page
that the navigation does not list – the test cases, most of the pages – nothing in it depends on the page
but the relative addresses, and those are the same for every page in the same folder (``faelle/a/`` and
``faelle/b/`` both link ``../../recht/sgb9/160/`` and ``../``) unless a listed page lies below the page itself.
So the navigation of such a page is rendered once per folder and reused; pages in the navigation
(with their active entry and their table of contents inside it) are rendered as usual. The HTML is the
same byte for byte (tests/test_site.py compares it).
"""
from __future__ import annotations

import posixpath
from typing import Any

_VORLAGE = "partials/nav.html"
_in_navigation: set[str] = set()  # src_uri of the listed pages
_adressen: list[str] = []  # their addresses
_gemerkt: dict[str, str] = {}


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    _in_navigation.clear()
    _in_navigation.update(p.file.src_uri for p in nav.pages)
    _adressen[:] = [p.url for p in nav.pages]
    _gemerkt.clear()
    return nav


def _schluessel(kontext: Any) -> str | None:
    """The folder of a page that the navigation does not list (None: render as usual)."""
    page = kontext.get("page")
    if page is None or getattr(page, "file", None) is None or page.file.src_uri in _in_navigation or not page.url:
        return None
    if any(a.startswith(page.url) for a in _adressen):
        return None
    return posixpath.dirname(page.url.rstrip("/"))


def on_env(env: Any, config: Any, files: Any) -> Any:
    try:
        vorlage = env.get_template(_VORLAGE)
    except Exception:  # noqa: BLE001 - another theme: nothing to remember
        return env
    original = vorlage.root_render_func
    if getattr(original, "regelwerk", False):
        return env

    def render(kontext: Any):
        schluessel = _schluessel(kontext)
        if schluessel is None:
            yield from original(kontext)
            return
        if schluessel not in _gemerkt:
            _gemerkt[schluessel] = "".join(original(kontext))
        yield _gemerkt[schluessel]
    render.regelwerk = True  # type: ignore[attr-defined]
    vorlage.root_render_func = render
    return env
