"""Syntax highlighting of the YAML blocks once per distinct text instead of once per block.

Every rule box of a statute page shows the rule's YAML, and a rule stands beside its sentence in every
Fassung it cites: about 1,100 blocks of a few hundred distinct texts, each highlighted anew by Pygments
(a quarter of the Markdown time of the statute pages). ``baue`` registers a SuperFences custom fence for
``yaml`` whose formatter remembers the highlighted HTML of each text. It calls SuperFences' own
highlighter, so the HTML is exactly what the default fence writes (no line numbers or line anchors are
configured, so the output does not depend on the block's position on the page).
"""
from __future__ import annotations

from typing import Any

from pymdownx.superfences import highlight_validator

_GEMERKT: dict[tuple[str, str, str], str] = {}


def _formatiere(src: str, language: str, class_name: str, options: dict, md: Any, **kwargs: Any) -> str:
    schluessel = (src, language, repr(sorted(options.items())))
    if kwargs.get("classes") or kwargs.get("id_value") or kwargs.get("attrs"):
        return md.preprocessors["fenced_code_block"].highlight(src=src, language=language, options=options, md=md, **kwargs)
    if schluessel not in _GEMERKT:
        _GEMERKT[schluessel] = md.preprocessors["fenced_code_block"].highlight(
            src=src, language=language, options=dict(options), md=md, **kwargs)
    return _GEMERKT[schluessel]


def gemerkte_yaml_bloecke(mdx_configs: dict[str, Any]) -> None:
    """Add the remembering ``yaml`` fence to the SuperFences configuration of a loaded MkDocs config."""
    _GEMERKT.clear()
    konfig = mdx_configs.setdefault("pymdownx.superfences", {})
    konfig["custom_fences"] = [f for f in konfig.get("custom_fences", []) if f.get("name") != "yaml"] + [
        {"name": "yaml", "class": "highlight", "format": _formatiere, "validator": highlight_validator}]
