"""Regelwerk: German disability-employment law as declarative rules with explained decisions.

Data flow, one module per stage:
  rechtstext (legal/) → zitate → parameter, regeln (rules/) → pruefung (check)
  → kompilat (rules for one date) → durable_backend (execution) → entscheidung (trail)
  → darstellung (text, Markdown, HTML, JSON).
"""

__version__ = "0.1.0"
