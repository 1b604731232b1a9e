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
def gebaute_site(site_gebaut) -> Path:
    return site_gebaut.build  # the session's build (tests/conftest.py), shared with tests/test_site.py


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


# the two window sizes of issue 15: desktop and a phone
FENSTER = {"desktop": (1400, 1000), "mobil": (390, 844)}


@pytest.fixture(params=list(FENSTER), scope="session")
def fenster(request, browser):
    """Run a test at 1400×1000 and at 390×844; yields the name used in screenshot file names."""
    breite, hoehe = FENSTER[request.param]
    browser.set_window_size(breite, hoehe + 200)
    # the page sees exactly this viewport (a phone: mobile emulation, touch-sized viewport)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": breite, "height": hoehe, "deviceScaleFactor": 1, "mobile": request.param == "mobil"})
    yield request.param
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


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
