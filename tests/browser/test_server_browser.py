"""`regelwerk serve` in a real browser: fill the levy form, submit, read the amount, follow a
citation into the rulebook served by the same server and land on the sentence in the right Fassung tab."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from uvicorn_hilfe import uvicorn_auf_freiem_port
from test_site_browser import _anfragen, _lade, _nur_lokal, _warte

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server_url(gebaute_site):
    from engine.server.app import erzeuge_app

    with uvicorn_auf_freiem_port(erzeuge_app(REPO, site=gebaute_site, arbeiter=1)) as url:
        yield url


def test_formular_ausgleichsabgabe_bis_zum_zitierten_satz(browser, server_url, screenshots):
    from selenium.webdriver.common.by import By

    fall = yaml.safe_load((REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml").read_text())["fall"]
    _anfragen(browser)
    _lade(browser, server_url + "/")
    browser.find_element(By.ID, "jahr").send_keys(str(fall["jahr"]))
    browser.find_element(By.ID, "arbeitgeber.name").send_keys("Browser GmbH")
    for i, monat in enumerate(fall["monate"]):
        assert browser.find_element(By.ID, f"monate.{i}.monat").get_attribute("value") == str(monat["monat"])
        for feld in ("arbeitsplaetze", "ausbildungsstellen", "nicht_zu_beruecksichtigen", "besetzte_pflichtarbeitsplaetze"):
            browser.find_element(By.ID, f"monate.{i}.{feld}").send_keys(str(monat[feld]))
    browser.save_screenshot(str(screenshots / "server-formular.png"))
    browser.find_element(By.ID, "entscheiden").click()
    _warte(lambda: browser.find_elements(By.CSS_SELECTOR, "h2") and "Ergebnis" in browser.page_source,
           text="Bescheid angezeigt")
    zeilen = {z.find_element(By.TAG_NAME, "th").text: z.find_element(By.TAG_NAME, "td").text
              for z in browser.find_elements(By.CSS_SELECTOR, "table tr")}
    betrag = next(v for k, v in zeilen.items() if k.startswith("Ausgleichsabgabe"))
    assert betrag == "14.700,00"  # hand-worked in tests/cases/ausgleichsabgabe/staffel-2-2024.yaml
    browser.save_screenshot(str(screenshots / "server-bescheid.png"))

    # the amount per place comes from § 160 Abs. 2 in the Fassung of 2024: follow that citation
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "blockquote a")
                if "/recht/sgb9/160/#f2024-01-01-abs-2" in a.get_attribute("href"))
    ziel = link.get_attribute("href").split("#", 1)[1]
    link.click()
    _warte(lambda: "/regelwerk/recht/sgb9/160/" in browser.current_url, text="Seite § 160 geladen")
    element = _warte(lambda: browser.find_element(By.ID, ziel), text=f"#{ziel} vorhanden")
    _warte(lambda: element.is_displayed(), text=f"#{ziel} im sichtbaren Fassungs-Reiter")
    assert element.text.strip()
    aktiv = [l.text for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label")
             if l.get_attribute("for") and browser.find_element(By.ID, l.get_attribute("for")).is_selected()]
    assert not aktiv or any("2024" in t for t in aktiv), aktiv
    browser.save_screenshot(str(screenshots / "server-zitat.png"))
    _nur_lokal(_anfragen(browser))
