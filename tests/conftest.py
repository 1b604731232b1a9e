"""Every test-case file tests/cases/**/*.yaml is one pytest item.

The item id is the file stem and the case's titel, e.g.
``tests/cases/ausgleichsabgabe/staffel-1-2024.yaml::staffel-1-2024[Staffel 1 …]``;
a failing case shows the German report of `regelwerk test` (field, expected vs.
actual, the trail step where they part). New case types (tests/cases/<art>/) are
picked up without changes here.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FAELLE = REPO / "tests" / "cases"
AUTOREN_FIXTURE = REPO / "tests" / "fixtures" / "autoren" / "regelwerk"

_zustand: dict = {}


def _entscheider():
    """One knowledge base and one rule-engine backend for all case items of the session."""
    if "entscheider" not in _zustand:
        from engine.entscheidung import Entscheider
        from engine.wissensbasis import lade_wissensbasis

        wb = lade_wissensbasis(REPO)
        _zustand["wb"] = wb
        _zustand["entscheider"] = Entscheider(wb)
    return _zustand["wb"], _zustand["entscheider"]


@pytest.fixture
def kopie(tmp_path) -> Path:
    """A writable copy of the small fixture rulebook under tests/fixtures/autoren/regelwerk."""
    ziel = tmp_path / "regelwerk"
    shutil.copytree(AUTOREN_FIXTURE, ziel)
    return ziel


def pytest_sessionfinish(session, exitstatus):
    entscheider = _zustand.pop("entscheider", None)
    if entscheider is not None:
        entscheider.schliessen()


def pytest_collect_file(parent, file_path: Path):
    from engine.autoren.testfaelle import ist_testfalldatei

    try:
        file_path.relative_to(FAELLE)
    except ValueError:
        return None
    if ist_testfalldatei(file_path):
        return FallDatei.from_parent(parent, path=file_path)
    return None


class FallFehlschlag(Exception):
    """A test case did not give the expected result (German report as message)."""


class FallDatei(pytest.File):
    def collect(self):
        from engine.fehler import RegelwerkFehler
        from engine.autoren.testfaelle import lade_testfall

        anzeigename = self.path.relative_to(REPO).as_posix()
        try:
            tf = lade_testfall(self.path, anzeigename)
            name = f"{tf.id}[{tf.titel.replace('::', ':')}]"
        except RegelwerkFehler as exc:
            tf, name = exc, f"{self.path.stem}[ungültige Testfalldatei]"
        yield FallItem.from_parent(self, name=name, testfall=tf)


class FallItem(pytest.Item):
    def __init__(self, *, testfall, **kwargs):
        super().__init__(**kwargs)
        self.testfall = testfall
        if not isinstance(testfall, Exception):
            self.extra_keyword_matches.add(testfall.titel)

    def runtest(self):
        from engine.fehler import RegelwerkFehler
        from engine.autoren.testfaelle import fuehre_aus

        if isinstance(self.testfall, Exception):
            raise FallFehlschlag(f"ungültige Testfalldatei: {self.testfall}")
        wb, entscheider = _entscheider()
        try:
            ergebnis = fuehre_aus(self.testfall, wb, entscheider)
        except RegelwerkFehler as exc:
            raise FallFehlschlag(f"{self.testfall.anzeigename}: {exc}") from None
        if not ergebnis.bestanden:
            raise FallFehlschlag(ergebnis.bericht())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, FallFehlschlag):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"Testfall {self.name}"


def pytest_terminal_summary(terminalreporter):
    """Say at the end of the run how many tests were skipped because ../shared/legal-sources is missing.

    Those tests compare legal/ with the source files next to the project (CI has them); in a fresh
    clone without them they skip, and the summary line alone would not say why."""
    ohne_quellen = [r for r in terminalreporter.stats.get("skipped", [])
                    if "legal-sources" in str(getattr(r, "longrepr", ""))]
    if ohne_quellen:
        terminalreporter.write_line(
            f"Hinweis: {len(ohne_quellen)} Tests übersprungen, weil der Ordner ../shared/legal-sources "
            "(Quelldateien des Wortlauts) fehlt; die CI führt sie aus.", yellow=True)


@pytest.fixture(scope="session")
def rw():
    """The project's rulebook through the public API (`engine.lade_regelwerk`), loaded and checked once for the
    test session; all tests run in one thread, as the rule engine requires."""
    from engine import lade_regelwerk
    with lade_regelwerk(REPO) as regelwerk:
        yield regelwerk


@pytest.fixture(scope="session")
def stapel_rw(rw):
    """The same rulebook as the batch and server tools see it (`engine.stapel.adapter.Regelwerk`)."""
    from engine.stapel.adapter import Regelwerk
    return Regelwerk(rw)


@pytest.fixture(scope="session")
def site_gebaut(tmp_path_factory):
    """The project's rulebook site, built once for the session (strict: warnings abort), in a temporary folder;
    tests/test_site.py reads its pages and the browser tests serve it. Read-only for the tests: a test that changes
    pages builds its own."""
    from engine.site import baue

    basis = tmp_path_factory.mktemp("site")
    return baue(REPO, generiert=basis / "generiert", build=basis / "build")
