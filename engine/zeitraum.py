"""Periods of validity (`Zeitraum`) and their German text; used by rules, parameters, statute versions and the site.

`Zeitraum.enthaelt` is the one test "is this day in the period" (Fassung.gilt_am and
parameter.Wert.gilt_am delegate to it); `zeitraum_text` the one period-to-text function.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from .format import datum

ANFANG = date(1900, 1, 1)


def zeitraum_text(ab: date, bis: date | None) -> str:
    """A period for readers: "01.01.2018 bis 31.12.2023", or "ab 01.01.2024" when it is open."""
    return f"{datum(ab)} bis {datum(bis)}" if bis else f"ab {datum(ab)}"


@dataclass(frozen=True)
class Zeitraum:
    ab: date
    bis: date | None

    def enthaelt(self, tag: date) -> bool:
        return self.ab <= tag and (self.bis is None or tag <= self.bis)

    def schnitt(self, other: "Zeitraum") -> "Zeitraum | None":
        ab = max(self.ab, other.ab)
        bis = self.bis if other.bis is None else other.bis if self.bis is None else min(self.bis, other.bis)
        return None if bis is not None and bis < ab else Zeitraum(ab, bis)

    def __str__(self) -> str:
        return zeitraum_text(self.ab, self.bis)


def zeitraeume_text(zeitraeume: Iterable[Zeitraum]) -> str:
    """Several periods, "; "-separated (stored Fassungen or parameter values in an error's help)."""
    return "; ".join(map(str, zeitraeume))
