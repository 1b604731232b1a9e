"""The only module that knows durable_rules. Everything else sees `Backend`.

durable_rules (unmaintained since 2020) has process-killing defects; this layer fences
them in (see the project's notes on the engine):
- one `_StillerHost` without the stock background threads (they segfault);
- all calls from the thread that created the backend (the C core is not thread-safe);
- one decision at a time on a fixed session id, deleted after every decision, also
  when an action fails, so the 1,024-session limit is never approached;
- a sentinel rule fires first in every decision, because deleting a session in which
  no action ran frees uninitialised memory;
- exceptions inside actions (which durable would swallow) are kept and re-raised;
- facts that no rule consumes are not asserted (durable rejects them);
- field names and fact ids are checked for 32-bit hash collisions at registration;
- rulesets are deleted from the C core when no longer needed (no leak on reload).
"""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any, Callable

from durable import engine as _durable
import durable_rules_engine as _core

SITZUNG = "1"
_ANFANG = "__anfang__"


class BackendFehler(Exception):
    """Misuse of the backend (wrong thread, hash collision, nested decisions)."""


def fnv1a_32(text: str) -> int:
    """The 32-bit FNV-1a hash durable_rules uses for field names and fact ids."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        # the C core hashes signed chars: bytes ≥ 0x80 are sign-extended
        b = byte - 256 if byte >= 0x80 else byte
        h = ((h ^ (b & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h


class _StillerHost(_durable.Host):
    """A Host without the dispatcher threads of the stock Host."""

    def _run(self):  # noqa: D401 - overriding durable's thread starter
        pass


@dataclass
class DurableRegel:
    """One compiled rule: patterns over facts, a priority, and the Python action."""

    name: str
    muster: list[dict[str, Any]]
    pri: int
    aktion: Callable[[Callable[[dict], None]], None]  # receives a function that asserts a derived fact


class Backend:
    def __init__(self) -> None:
        self._host = _StillerHost()
        self._thread = threading.get_ident()
        self._zaehler = 0
        self._fehler: BaseException | None = None
        self._aktiv = False

    def _pruefe_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise BackendFehler("der Regelmotor darf nur aus dem Thread benutzt werden, der ihn erzeugt hat")

    def registriere(self, regeln: list[DurableRegel], feldnamen: set[str], fakt_ids: set[str]) -> str:
        """Create a ruleset; returns its name."""
        self._pruefe_thread()
        for art, namen in (("Feldnamen", feldnamen | {"t", "id", "sid"}), ("Fakt-IDs", fakt_ids | {_ANFANG})):
            gesehen: dict[int, str] = {}
            for n in sorted(namen):
                h = fnv1a_32(n)
                if h in gesehen:
                    raise BackendFehler(f"{art} `{gesehen[h]}` und `{n}` kollidieren im Hash des Regelmotors; einen umbenennen")
                gesehen[h] = n
        self._zaehler += 1
        name = f"regelwerk_{self._zaehler}"
        definition: dict[str, Any] = {
            _ANFANG: {"all": [{"m": {"t": _ANFANG}}], "pri": 0, "run": self._wachposten},
        }
        for r in regeln:
            definition[r.name] = {"all": copy.deepcopy(r.muster), "pri": min(max(r.pri, 1), 65535),
                                  "run": self._umhuelle(r.aktion)}
        self._host.register_rulesets({name: definition})
        return name

    def entferne(self, name: str) -> None:
        """Delete a ruleset from the C core and the host (durable has no public API for it)."""
        self._pruefe_thread()
        ruleset = self._host._ruleset_directory.pop(name, None)
        if ruleset is None:
            return
        self._host._ruleset_list.remove(ruleset)
        _core.delete_ruleset(ruleset._handle)

    @staticmethod
    def _wachposten(c) -> None:
        """Sentinel: guarantees that an action ran before the session is deleted."""

    def _umhuelle(self, aktion: Callable) -> Callable:
        def ausfuehren(c):  # durable requires exactly one parameter
            if self._fehler is not None:
                return

            def behaupte(fakt: dict) -> None:
                try:
                    c.assert_fact(fakt)
                except _durable.MessageNotHandledException:
                    pass  # no rule's condition accepts this value: nothing follows from it

            try:
                aktion(behaupte)
            except BaseException as exc:  # durable would swallow it into c.s.exception
                self._fehler = exc
        return ausfuehren

    def fuehre_aus(self, name: str, fakten: list[dict]) -> None:
        """Assert the input facts of one decision, let the rules fire, then delete the session."""
        self._pruefe_thread()
        if self._aktiv:
            raise BackendFehler("eine Entscheidung läuft bereits (keine Verschachtelung)")
        self._aktiv = True
        self._fehler = None
        ruleset = self._host.get_ruleset(name)
        try:
            ruleset.assert_fact({"id": _ANFANG, "t": _ANFANG, "sid": SITZUNG})
            for fakt in fakten:
                fakt = dict(fakt, sid=SITZUNG)
                try:
                    self._host.assert_fact(name, fakt)
                except _durable.MessageNotHandledException:
                    pass
        finally:
            try:
                self._host.delete_state(name, SITZUNG)
            finally:
                self._aktiv = False
        if self._fehler is not None:
            fehler, self._fehler = self._fehler, None
            raise fehler
