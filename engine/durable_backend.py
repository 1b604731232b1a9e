"""The only module that knows durable_rules: the pattern format of a plan, and `Backend`.

`durable_regeln` turns a `Kompilat` into durable patterns whose actions fire rules through
`engine.ausfuehrung.feuere`. A decision asserts one fact per stage (`stufenfakten`): a stage is a
run of consecutive rules in execution order none of which reads a fact derived within the stage,
so each rule has a single pattern on its stage's fact: the C core matches no joins and tests
each fact only against the rules of its stage. Rules still fire in execution order.

durable_rules (unmaintained since 2020) has process-killing defects; this layer fences
them in (see the project's notes on the engine):
- one `_StillerHost` without the stock background threads (they segfault);
- all calls from the thread that created the backend (the C core is not thread-safe);
- one decision at a time on a fixed session id, deleted after every decision, also
  when an action fails, so the 1,024-session limit is never approached;
- a sentinel rule fires first in every decision (on the first stage fact), because
  deleting a session in which no action ran frees uninitialised memory;
- the agenda is driven here, on the C core (start/complete/abandon action): durable's
  Python glue would swallow exceptions raised by actions and re-assert its state object
  after every action; here an exception abandons the action and propagates;
- a fact no rule accepts is not an error (durable would reject it);
- field names and fact ids are checked for 32-bit hash collisions at registration;
- rulesets are deleted from the C core when no longer needed (no leak on reload).
"""
from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

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
    aktion: Callable[[], None]


class Backend:
    def __init__(self) -> None:
        self._host = _StillerHost()
        self._thread = threading.get_ident()
        self._zaehler = 0
        self._aktiv = False
        self._aktionen: dict[str, dict[str, Callable]] = {}
        self._anfang: dict[str, str] = {}  # ruleset -> type of the fact its sentinel rule matches

    def _pruefe_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise ThreadFehler(
                "Fehlbedienung: der Regelmotor darf nur aus dem Thread benutzt werden, der ihn erzeugt hat "
                "(durable-rules ist nicht threadsicher); die Entscheidung wurde nicht getroffen",
                hilfe="je Thread ein eigenes Regelwerk laden (`with lade_regelwerk() as rw:`) oder alle Entscheidungen "
                      "aus einem Thread treffen")

    def registriere(self, regeln: list[DurableRegel], feldnamen: set[str], fakt_ids: set[str],
                    anfang: str = _ANFANG) -> str:
        """Create a ruleset; returns its name. `anfang`: the type of the fact every decision asserts first
        (the sentinel rule matches it; by default a sentinel fact of its own is asserted first)."""
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
        definition: dict[str, Any] = {_ANFANG: {"all": [{"m": {"t": anfang}}], "pri": 0, "run": self._wachposten}}
        aktionen: dict[str, Callable] = {_ANFANG: lambda: None}
        for r in regeln:
            definition[r.name] = {"all": copy.deepcopy(r.muster), "pri": min(max(r.pri, 1), 65535), "run": self._wachposten}
            aktionen[r.name] = r.aktion
        self._host.register_rulesets({name: definition})
        self._aktionen[name] = aktionen
        self._anfang[name] = anfang
        return name

    def entferne(self, name: str) -> None:
        """Delete a ruleset from the C core and the host (durable has no public API for it)."""
        self._pruefe_thread()
        ruleset = self._host._ruleset_directory.pop(name, None)
        if ruleset is None:
            return
        self._host._ruleset_list.remove(ruleset)
        self._aktionen.pop(name, None)
        self._anfang.pop(name, None)
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

    def fuehre_aus(self, name: str, fakten: Iterable[dict | str]) -> None:
        """Assert the facts of one decision one after another, each when the agenda of those before it is done,
        then delete the session. Actions take no arguments: they read and write the decision's state themselves.
        A fact is a dict or its JSON text in the form `als_json` writes.

        The agenda loop talks to the C core directly (start/complete action) instead of
        durable's Python glue, which would swallow exceptions and re-assert its state
        object after every action.
        """
        self._pruefe_thread()
        if self._aktiv:
            raise BackendFehler("eine Entscheidung läuft bereits (keine Verschachtelung)")
        handle = self._host.get_ruleset(name)._handle
        aktionen = self._aktionen[name]
        anfang = self._anfang[name]
        self._aktiv = True
        sitzung = None
        try:
            for fakt in fakten:
                text = fakt if isinstance(fakt, str) else als_json(fakt)
                if sitzung is None and f'"t":"{anfang}"' not in text:  # the sentinel rule must fire first
                    sitzung = self._behaupte(handle, als_json({"id": _ANFANG, "t": _ANFANG}))
                angenommen = self._behaupte(handle, text)
                if sitzung is None:
                    sitzung = angenommen
                if angenommen is None:
                    continue  # no rule accepts the fact: nothing new on the agenda, which was empty
                ergebnis = _core.start_action_for_state(handle, sitzung)
                nachricht = ergebnis[1] if ergebnis else None
                while nachricht:
                    regel = nachricht[2:nachricht.index('"', 2)]  # the message is {"<rule name>": {...}}
                    try:
                        aktionen[regel]()
                    except BaseException:
                        _core.abandon_action(handle, sitzung)
                        raise
                    nachricht = _core.complete_and_start_action(handle, sitzung)
        finally:
            try:
                if sitzung is not None:
                    _core.delete_state(handle, SITZUNG)
            finally:
                self._aktiv = False


# --- the plan as durable patterns ---------------------------------------------------------

_STUFE = "stufe_{}"
# fields of one stage fact at most: the C core takes 252 properties per fact besides sid and id (and `t` here);
# a stage with more is cut (a cut between consecutive rules keeps the order in which they fire)
MAX_FELDER = 240


@dataclass
class Stufe:
    """One stage of a decision: consecutive rules (in execution order) none of which reads a fact derived by
    another rule of the stage. Everything they read is known when the stage begins, so one fact announces it:
    the stage fact carries a flag for every derived fact its rules read and the values of their single-fact tests.
    """

    name: str  # the type (`t`) and id of its fact
    felder: tuple[str, ...]  # the fields its rules test (flags of derived facts, predicates)
    anfang: str = ""  # the JSON text of its fact up to its fields (all names are checked identifiers, see `als_json`)
    teile: tuple[tuple[str, str], ...] = ()  # each field with its JSON text when it holds

    def __post_init__(self) -> None:
        self.anfang = als_json({"id": self.name, "t": self.name})[:-1]
        self.teile = tuple((feld, f',"{feld}":true') for feld in self.felder)


@dataclass
class DurablePlan:
    """The compiled rules of an art for the rule engine, and the stages in which a decision asserts its facts."""

    regeln: list[DurableRegel]
    feldnamen: set[str]  # every field a pattern tests (checked for hash collisions)
    fakt_ids: set[str]  # every fact id (the stages)
    stufen: list[Stufe]
    kennzeichen: dict[str, str]  # derived fact -> name of its flag field

    @property
    def anfang(self) -> str:
        """The type of the first fact of every decision."""
        return self.stufen[0].name


def _praedikate(k: Kompilat, name: str, lauf: Lauf, felder: dict[str, bool]) -> None:
    """The exact values of the single-fact tests of `name` into `felder`, computed when `name` becomes known."""
    werte = lauf.werte
    for p in k.praedikate_je_fakt[name]:
        if p.rechtsstand is not None:  # a test with parameters reads them at the date of its rules
            konstanten = konstanten_am(k, lauf, p.rechtsstand)
            if not all(s in konstanten for s in p.schluessel):
                felder[p.feld] = False  # no value on that date: no rule using the test is in force then
                continue
            werte.update(konstanten)
        try:
            felder[p.feld] = bool(p.formel.ausfuehren(werte))
        except Laufzeitfehler as exc:  # same outcome as the direct evaluation of the condition: names the case field
            raise nicht_auswertbar(k, lauf, p.formel.quelle, exc, _regel_des_praedikats(k, p)) from None


def _regel_des_praedikats(k: Kompilat, p):
    """The first rule (in execution order) whose condition contains the single-fact test `p`."""
    return next((kr for kr in k.regeln if p in kr.praedikate), None)


def fall_fakt(k: Kompilat, lauf: Lauf) -> dict[str, Any]:
    """The values of the tests on the case's inputs (into `lauf.praedikate`), computed before any rule fires."""
    for name in k.verfahren.eingaben:
        if name in k.praedikate_je_fakt:
            _praedikate(k, name, lauf, lauf.praedikate)
    return lauf.praedikate


def stufenfakten(plan: DurablePlan, lauf: Lauf) -> Iterator[str]:
    """The facts of one decision (as JSON text), stage by stage; each is built when the rules of the stages before it
    have fired (the backend asserts the next fact only when the agenda is empty). A field that does not hold is left
    out: to a pattern that tests it, a missing field and `false` are the same."""
    werte = lauf.praedikate
    for stufe in plan.stufen:
        yield stufe.anfang + "".join([text for feld, text in stufe.teile if werte.get(feld)]) + "}"


def durable_regeln(k: Kompilat, lauf_von: Callable[[], Lauf]) -> DurablePlan:
    """The compiled rules as durable patterns over stage facts; actions fire into the current `Lauf`.

    A stage holds consecutive rules in execution order; a new stage begins with the first rule that reads a fact
    derived within the current one (or whose tests would give the stage fact more than `MAX_FELDER` fields).
    Within a stage the priority (`rang`) orders the firings, so rules fire in execution order, as in `direkt`.
    """
    eingaben = set(k.verfahren.eingaben)
    abgeleitet = sorted({f for kr in k.regeln for f in kr.liest if f not in eingaben})
    kennzeichen = {f: f"d{i}" for i, f in enumerate(abgeleitet, 1)}
    tests_der_regel = {kr.regel.id: [kennzeichen[f] for f in dict.fromkeys(kr.liest) if f not in eingaben]
                       + [p.feld for p in kr.praedikate] for kr in k.regeln}
    for kr in k.regeln:
        if len(tests_der_regel[kr.regel.id]) > MAX_FELDER:
            raise BackendFehler(f"Regel `{kr.regel.id}` prüft mehr als {MAX_FELDER} Bedingungen über Fakten; der "
                                "Regelmotor nimmt so viele nicht", hilfe="die Bedingung auf mehrere Regeln verteilen")
    stufen_regeln: list[list] = [[]]
    neu: set[str] = set()  # facts derived within the current stage
    felder: set[str] = set()  # fields of the current stage's fact
    for kr in k.regeln:
        tests = tests_der_regel[kr.regel.id]
        if any(f in neu for f in kr.liest) or len(felder | set(tests)) > MAX_FELDER:
            stufen_regeln.append([])
            neu, felder = set(), set()
        stufen_regeln[-1].append(kr)
        neu |= set(kr.regel.leitet_ab)
        felder |= set(tests)
    ergebnis = []
    feldnamen: set[str] = set()
    stufen = []
    for nr, regeln in enumerate(stufen_regeln):
        name = _STUFE.format(nr)
        felder_der_stufe: dict[str, None] = {}
        for kr in regeln:
            tests = tests_der_regel[kr.regel.id]
            felder_der_stufe.update(dict.fromkeys(tests))
            feldnamen.update(tests)
            bedingung = {"t": name} if not tests else {"$and": [{"t": name}] + [{t: True} for t in tests]}
            # only facts some rule reads are announced (flag and tests)
            weiter = tuple((f, kennzeichen[f]) for f in kr.regel.leitet_ab if f in kennzeichen)

            def aktion(kr=kr, weiter=weiter):
                lauf = lauf_von()
                if feuere(k, kr, lauf, praedikate_geprueft=True) is not None:
                    for fakt, flag in weiter:
                        lauf.praedikate[flag] = True
                        if fakt in k.praedikate_je_fakt:
                            _praedikate(k, fakt, lauf, lauf.praedikate)
            ergebnis.append(DurableRegel(kr.regel.id.replace(".", "__"), [{"m": bedingung}], kr.rang, aktion))
        stufen.append(Stufe(name, tuple(felder_der_stufe)))
    return DurablePlan(ergebnis, feldnamen, {s.name for s in stufen}, stufen, kennzeichen)
