"""The only module that knows durable_rules: the pattern format of a plan, and `Backend`.

`durable_regeln` turns a `Kompilat` into durable patterns whose actions fire rules through
`engine.ausfuehrung.feuere`; `fall_fakt`/`durable_fakt` build the facts it asserts.

durable_rules (unmaintained since 2020) has process-killing defects; this layer fences
them in (see the project's notes on the engine):
- one `_StillerHost` without the stock background threads (they segfault);
- all calls from the thread that created the backend (the C core is not thread-safe);
- one decision at a time on a fixed session id, deleted after every decision, also
  when an action fails, so the 1,024-session limit is never approached;
- a sentinel rule fires first in every decision, because deleting a session in which
  no action ran frees uninitialised memory;
- the agenda is driven here, on the C core (start/complete/abandon action): durable's
  Python glue would swallow exceptions raised by actions and re-assert its state object
  after every action; here an exception abandons the action and propagates;
- facts that no rule consumes are not asserted (durable rejects them);
- field names and fact ids are checked for 32-bit hash collisions at registration;
- rulesets are deleted from the C core when no longer needed (no leak on reload).
"""
from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable

from durable import engine as _durable
import durable_rules_engine as _core

from .ausfuehrung import Lauf, feuere, konstanten_am, nicht_auswertbar
from .fehler import RegelwerkFehler
from .formel import Laufzeitfehler
from .kompilat import Kompilat

SITZUNG = "1"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ANFANG = "__anfang__"


class BackendFehler(RegelwerkFehler):
    """Misuse of the rule engine (wrong thread, nested decisions) or a rulebook it cannot take (hash collision).

    A `RegelwerkFehler`, so callers that catch `RegelwerkFehler` (CLI: exit 2, server, batch) report it in German
    instead of ending in an internal error (exit 3).
    """


class ThreadFehler(BackendFehler):
    """A `Regelwerk` used from a thread other than the one whose rule engine it created: a misuse by the caller."""


def fnv1a_32(text: str) -> int:
    """The 32-bit FNV-1a hash durable_rules uses for field names and fact ids."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        # the C core hashes signed chars: bytes ≥ 0x80 are sign-extended
        b = byte - 256 if byte >= 0x80 else byte
        h = ((h ^ (b & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h


def als_json(fakt: dict[str, str | bool]) -> str:
    """A fact as JSON text for the C core, in the session `SITZUNG`.

    Facts here hold only identifiers (checked against `_NAME` when registering) and
    booleans, so plain formatting is exact and much cheaper than `json.dumps`.
    """
    teile = [f'"sid":"{SITZUNG}"']
    for k, v in fakt.items():
        teile.append(f'"{k}":' + ("true" if v is True else "false" if v is False else f'"{v}"'))
    return "{" + ",".join(teile) + "}"


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
        self._aktiv = False
        self._aktionen: dict[str, dict[str, Callable]] = {}
        self._json_texte: dict[str, str] = {}  # JSON of facts without predicate fields, by id

    def _pruefe_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise ThreadFehler(
                "Fehlbedienung: der Regelmotor darf nur aus dem Thread benutzt werden, der ihn erzeugt hat "
                "(durable-rules ist nicht threadsicher); die Entscheidung wurde nicht getroffen",
                hilfe="je Thread ein eigenes Regelwerk laden (`with lade_regelwerk() as rw:`) oder alle Entscheidungen "
                      "aus einem Thread treffen")

    def registriere(self, regeln: list[DurableRegel], feldnamen: set[str], fakt_ids: set[str]) -> str:
        """Create a ruleset; returns its name."""
        self._pruefe_thread()
        for art, namen in (("Feldnamen", feldnamen | {"t", "id", "sid"}), ("Fakt-IDs", fakt_ids | {_ANFANG})):
            gesehen: dict[int, str] = {}
            for n in sorted(namen):
                if not _NAME.fullmatch(n):
                    raise BackendFehler(f"{art}: `{n}` ist kein gültiger Name für den Regelmotor")
                h = fnv1a_32(n)
                if h in gesehen:
                    raise BackendFehler(f"{art} `{gesehen[h]}` und `{n}` kollidieren im Hash des Regelmotors; einen umbenennen")
                gesehen[h] = n
        self._zaehler += 1
        name = f"regelwerk_{self._zaehler}"
        definition: dict[str, Any] = {_ANFANG: {"all": [{"m": {"t": _ANFANG}}], "pri": 0, "run": self._wachposten}}
        aktionen: dict[str, Callable] = {_ANFANG: lambda behaupte: None}
        for r in regeln:
            definition[r.name] = {"all": copy.deepcopy(r.muster), "pri": min(max(r.pri, 1), 65535), "run": self._wachposten}
            aktionen[r.name] = r.aktion
        self._host.register_rulesets({name: definition})
        self._aktionen[name] = aktionen
        return name

    def entferne(self, name: str) -> None:
        """Delete a ruleset from the C core and the host (durable has no public API for it)."""
        self._pruefe_thread()
        ruleset = self._host._ruleset_directory.pop(name, None)
        if ruleset is None:
            return
        self._host._ruleset_list.remove(ruleset)
        self._aktionen.pop(name, None)
        _core.delete_ruleset(ruleset._handle)

    @staticmethod
    def _wachposten(c) -> None:
        """Placeholder action: actions run in `fuehre_aus`, not through durable's Python glue."""

    @staticmethod
    def _behaupte(handle: int, fakt: str) -> int | None:
        """Assert one fact (JSON text) into the C core; returns the session handle, or None if no rule accepts it."""
        ergebnis = _core.assert_fact(handle, fakt)
        if ergebnis[0] == 1:  # no rule's condition accepts this fact
            return None
        if ergebnis[0] == 2:
            raise BackendFehler(f"Fakt {fakt} wurde doppelt behauptet")
        return ergebnis[1]

    def fuehre_aus(self, name: str, fakten: list[dict]) -> None:
        """Assert the input facts of one decision, fire the agenda, then delete the session.

        The agenda loop talks to the C core directly (start/complete action) instead of
        durable's Python glue, which would swallow exceptions and re-assert its state
        object after every action.
        """
        self._pruefe_thread()
        if self._aktiv:
            raise BackendFehler("eine Entscheidung läuft bereits (keine Verschachtelung)")
        self._aktiv = True
        ruleset = self._host.get_ruleset(name)
        handle = ruleset._handle
        aktionen = self._aktionen[name]

        texte = self._json_texte

        def behaupte(fakt: dict[str, str | bool]) -> None:
            if len(fakt) == 2:  # {"id", "t"} only: the same text every time
                text = texte.get(fakt["id"])
                if text is None:
                    text = texte[fakt["id"]] = als_json(fakt)
            else:
                text = als_json(fakt)
            self._behaupte(handle, text)

        try:
            sitzung = self._behaupte(handle, als_json({"id": _ANFANG, "t": _ANFANG}))
            for fakt in fakten:
                behaupte(fakt)
            ergebnis = _core.start_action_for_state(handle, sitzung)
            nachricht = ergebnis[1] if ergebnis else None
            while nachricht:
                regel = nachricht[2:nachricht.index('"', 2)]  # the message is {"<rule name>": {...}}
                try:
                    aktionen[regel](behaupte)
                except BaseException:
                    _core.abandon_action(handle, sitzung)
                    raise
                nachricht = _core.complete_and_start_action(handle, sitzung)
        finally:
            try:
                _core.delete_state(handle, SITZUNG)
            finally:
                self._aktiv = False


# --- the plan as durable patterns ---------------------------------------------------------

FALL = "fall"  # the durable fact that carries all inputs of a case


def _praedikate(k: Kompilat, name: str, lauf: Lauf, fakt: dict[str, Any]) -> None:
    werte = lauf.werte
    for p in k.praedikate_je_fakt[name]:
        if p.rechtsstand is not None:  # a test with parameters reads them at the date of its rules
            konstanten = konstanten_am(k, lauf, p.rechtsstand)
            if not all(f"parameter.{pid}" in konstanten for pid in p.parameter):
                fakt[p.feld] = False  # no value on that date: no rule using the test is in force then
                continue
            werte.update(konstanten)
        try:
            fakt[p.feld] = bool(p.formel.ausfuehren(werte))
        except Laufzeitfehler as exc:  # same outcome as the direct evaluation of the condition: names the case field
            raise nicht_auswertbar(k, lauf, p.formel.quelle, exc, _regel_des_praedikats(k, p)) from None


def _regel_des_praedikats(k: Kompilat, p):
    """The first rule (in execution order) whose condition contains the single-fact test `p`."""
    return next((kr for kr in k.regeln if p in kr.praedikate), None)


def durable_fakt(k: Kompilat, name: str, lauf: Lauf) -> dict[str, Any]:
    """The durable fact announcing that `name` is known, with its exact predicate values."""
    fakt: dict[str, Any] = {"id": name, "t": name}
    if name in k.praedikate_je_fakt:
        _praedikate(k, name, lauf, fakt)
    return fakt


def fall_fakt(k: Kompilat, lauf: Lauf) -> dict[str, Any]:
    """The durable fact carrying all inputs of a case (only their predicate values)."""
    fakt: dict[str, Any] = {"id": FALL, "t": FALL}
    for name in k.verfahren.eingaben:
        if name in k.praedikate_je_fakt:
            _praedikate(k, name, lauf, fakt)
    return fakt


def durable_regeln(k: Kompilat, lauf_von: Callable[[], Lauf]) -> tuple[list[DurableRegel], set[str], set[str]]:
    """The compiled rules as durable patterns; actions fire into the current `Lauf`.

    Returns the rules, the predicate field names and the fact ids (for `Backend.registriere`).
    """
    eingaben = set(k.verfahren.eingaben)
    ergebnis = []
    feldnamen: set[str] = set()
    for kr in k.regeln:
        muster: list[dict] = []
        durable_fakten: dict[str, list[dict]] = {}
        for fakt in kr.liest or [FALL]:
            ziel = FALL if fakt in eingaben or fakt == FALL else fakt
            durable_fakten.setdefault(ziel, [])
        for p in kr.praedikate:
            ziel = FALL if p.fakt in eingaben else p.fakt
            durable_fakten[ziel].append({p.feld: True})
            feldnamen.add(p.feld)
        for i, (ziel, tests) in enumerate(durable_fakten.items()):
            bedingung = {"t": ziel} if not tests else {"$and": [{"t": ziel}] + tests}
            muster.append({f"a{i}": bedingung})

        weiter = [f for f in kr.regel.leitet_ab if f in k.konsumiert]  # only facts some rule reads are asserted

        def aktion(behaupte, kr=kr, weiter=weiter):
            lauf = lauf_von()
            if feuere(k, kr, lauf, praedikate_geprueft=True) is not None:
                for fakt in weiter:
                    behaupte(durable_fakt(k, fakt, lauf))
        ergebnis.append(DurableRegel(kr.regel.id.replace(".", "__"), muster, kr.rang, aktion))
    fakt_ids = {FALL} | {f for kr in k.regeln for f in kr.regel.leitet_ab}
    return ergebnis, feldnamen, fakt_ids
