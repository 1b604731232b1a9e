"""The published rulebook: pages generated from legal/, rules/ and tests/cases/, built with MkDocs.

Every count, badge and percentage comes from `engine.autoren.abdeckung` (one coverage model).
"""
from .seiten import GRUENDE, Analyse, BauErgebnis, baue

__all__ = ["GRUENDE", "Analyse", "BauErgebnis", "baue"]
