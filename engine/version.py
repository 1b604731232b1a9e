"""The engine version, recorded in every decision's receipt (quittung)."""

__version__ = "0.1.0"
