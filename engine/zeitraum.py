"""Periods of validity (`Zeitraum`) and their German text; used by rules, parameters, statute versions and the site."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ANFANG = date(1900, 1, 1)


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
        return f"{self.ab:%d.%m.%Y}–{self.bis:%d.%m.%Y}" if self.bis else f"ab {self.ab:%d.%m.%Y}"
