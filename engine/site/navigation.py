"""The theme's navigation rendered once per folder for the pages that are not in it (an MkDocs plugin object
that ``baue`` adds to the loaded configuration, like engine.site.parallel).

mkdocs-material renders the whole navigation (every provision of the rulebook) into every page. For a page
that the navigation does not list – the test cases, most of the pages – nothing in it depends on the page
but the relative addresses, and those are the same for every page in the same folder (``faelle/a/`` and
``faelle/b/`` both link ``../../recht/sgb9/160/`` and ``../``) unless a listed page lies below the page itself.
So the navigation of such a page is rendered once per folder and reused; pages in the navigation (with their
active entry and their table of contents inside it) are rendered as usual. The HTML is the same byte for
byte as without this plugin (tests/test_site.py compares a page).
"""
from __future__ import annotations

import posixpath
from typing import Any

from mkdocs.plugins import BasePlugin

_VORLAGE = "partials/nav.html"


class NavigationGemerkt(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self._in_navigation: set[str] = set()  # src_uri of the listed pages
        self._adressen: list[str] = []  # their addresses
        self._gemerkt: dict[str, str] = {}
        self.gemerkt_genutzt = 0  # pages whose navigation was taken from the remembered one

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self._in_navigation = {p.file.src_uri for p in nav.pages}
        self._adressen = [p.url for p in nav.pages]
        self._gemerkt.clear()
        return nav

    def _schluessel(self, kontext: Any) -> str | None:
        """The folder of a page that the navigation does not list (None: render as usual)."""
        page = kontext.get("page")
        if page is None or getattr(page, "file", None) is None or page.file.src_uri in self._in_navigation or not page.url:
            return None
        if any(a.startswith(page.url) for a in self._adressen):
            return None
        return posixpath.dirname(page.url.rstrip("/"))

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        try:
            vorlage = env.get_template(_VORLAGE)
        except Exception:  # noqa: BLE001 - another theme: nothing to remember
            return env
        original = vorlage.root_render_func

        def render(kontext: Any):
            schluessel = self._schluessel(kontext)
            if schluessel is None:
                yield from original(kontext)
                return
            if schluessel in self._gemerkt:
                self.gemerkt_genutzt += 1
            else:
                self._gemerkt[schluessel] = "".join(original(kontext))
            yield self._gemerkt[schluessel]
        vorlage.root_render_func = render
        return env
