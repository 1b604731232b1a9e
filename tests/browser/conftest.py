"""Fixtures for the browser tests: the built rulebook served on 127.0.0.1 and a headless
Debian chromium driven by selenium (chromium-driver). Skipped when chromium is absent."""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = REPO / "artefakte" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                  "--window-size=1280,900"]


def _grund_zum_ueberspringen() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} fehlt (apt-get install chromium chromium-driver); CI installiert es"
    if not CHROMEDRIVER.exists():
        return f"{CHROMEDRIVER} fehlt (apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Python-Paket selenium fehlt (pip install -e .[test])"
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: Test im echten Browser (headless chromium)")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_collection_modifyitems(config, items):
    grund = _grund_zum_ueberspringen()
    if grund:
        for item in items:
            if "browser" in item.nodeid:
                item.add_marker(pytest.mark.skip(reason=grund))


@pytest.fixture(scope="session")
def gebaute_site(tmp_path_factory) -> Path:
    from engine.site import baue

    basis = tmp_path_factory.mktemp("site")
    ergebnis = baue(REPO, generiert=basis / "generiert", build=basis / "build")
    return ergebnis.build


@pytest.fixture(scope="session")
def site_url(gebaute_site):
    from engine.cli.site import server

    httpd = server(gebaute_site, 0)
    faden = threading.Thread(target=httpd.serve_forever, daemon=True)
    faden.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host}:{port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    optionen = webdriver.ChromeOptions()
    optionen.binary_location = str(CHROMIUM)
    profil = tempfile.mkdtemp(prefix="regelwerk-chromium-")
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profil}"]:
        optionen.add_argument(flag)
    optionen.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    treiber = webdriver.Chrome(options=optionen, service=Service(executable_path=str(CHROMEDRIVER)))
    treiber.set_page_load_timeout(30)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield treiber
    treiber.quit()
    shutil.rmtree(profil, ignore_errors=True)
