"""The built rulebook in a real browser (headless Debian chromium via selenium).

Checks: start page and § 160 page render; a sentence anchor scrolls into view; the
version switch (content tabs) shows the 2012 wording of § 77 a.F. – on the § 160 page
the oldest tab is the predecessor § 77 SGB IX a.F. (wording as of 2012, valid until
31.12.2017), and the § 77 page itself shows it too; the built-in search finds
"Ausgleichsabgabe"; and no page requests anything outside 127.0.0.1.
"""
from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def _warte(bedingung, sekunden: float = 10.0, text: str = "Bedingung"):
    ende = time.time() + sekunden
    letzter = None
    while time.time() < ende:
        try:
            wert = bedingung()
            if wert:
                return wert
        except Exception as exc:  # element not there yet
            letzter = exc
        time.sleep(0.1)
    raise AssertionError(f"{text} nach {sekunden} s nicht erfüllt ({letzter})")


def _anfragen(browser) -> list[str]:
    """URLs of all requests since the last call (Chrome DevTools performance log)."""
    urls = []
    for eintrag in browser.get_log("performance"):
        nachricht = json.loads(eintrag["message"])["message"]
        if nachricht.get("method") == "Network.requestWillBeSent":
            urls.append(nachricht["params"]["request"]["url"])
    return urls


def _nur_lokal(urls: list[str]) -> None:
    fremd = [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
             and urlparse(u).hostname != "127.0.0.1"]
    assert not fremd, f"Anfragen an fremde Rechner: {fremd}"


def _lade(browser, url: str) -> None:
    browser.get(url)
    _warte(lambda: browser.execute_script("return document.readyState") == "complete", text="Seite geladen")


def _im_blick(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.top < window.innerHeight;", element)


def test_startseite(browser, site_url, screenshots):
    _anfragen(browser)
    _lade(browser, site_url + "/")
    assert "Regelwerk" in browser.title
    inhalt = browser.find_element("css selector", "article.md-content__inner").text
    assert "Ausgleichsabgabe" in inhalt
    browser.save_screenshot(str(screenshots / "startseite.png"))
    urls = _anfragen(browser)
    assert any(u.endswith("/") for u in urls)
    _nur_lokal(urls)


def test_paragraph_160_und_anker_im_blick(browser, site_url, screenshots):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/recht/sgb9/160/")
    h1 = browser.find_element(By.CSS_SELECTOR, "article h1")
    assert "§ 160 SGB IX" in h1.text and "Ausgleichsabgabe" in h1.text
    labels = [l.text for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label")]
    assert any("2024" in l for l in labels) and any("2018" in l for l in labels), labels
    browser.save_screenshot(str(screenshots / "paragraph-160.png"))

    anker = "f2024-01-01-abs-2-satz-1-nr-4"
    _lade(browser, site_url + "/recht/sgb9/160/#" + anker)
    element = browser.find_element(By.ID, anker)
    assert "720 Euro" in element.text
    _warte(lambda: _im_blick(browser, element), text=f"#{anker} im sichtbaren Bereich")
    browser.save_screenshot(str(screenshots / "paragraph-160-anker.png"))
    _nur_lokal(_anfragen(browser))


def test_versionswechsel_zeigt_wortlaut_2012(browser, site_url, screenshots):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/recht/sgb9/160/")
    aktiv = browser.find_element(By.CSS_SELECTOR, ".tabbed-content .tabbed-block")
    assert "720 Euro" in aktiv.text  # newest Fassung first
    label = next(l for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label") if "§ 77" in l.text)
    label.click()
    sichtbar = _warte(lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, ".tabbed-block") if b.is_displayed()
                               and "105 Euro" in b.text], text="Wortlaut mit 105 Euro sichtbar")
    assert "Stand 2.7.2012" in sichtbar[0].text
    browser.save_screenshot(str(screenshots / "paragraph-160-fassung-77.png"))

    # the switch also reaches the 2018 Fassung, and § 77 a.F. has its own page with the wording
    label = next(l for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label") if "2018" in l.text)
    label.click()
    _warte(lambda: any(b.is_displayed() and "125 Euro" in b.text for b in browser.find_elements(By.CSS_SELECTOR, ".tabbed-block")),
           text="Fassung 2018 mit 125 Euro sichtbar")
    _lade(browser, site_url + "/recht/sgb9-af/77/#f2001-07-01-abs-2-satz-1-nr-1")
    nr1 = browser.find_element(By.ID, "f2001-07-01-abs-2-satz-1-nr-1")
    assert nr1.is_displayed() and "105 Euro" in nr1.text
    _nur_lokal(_anfragen(browser))


def test_suche_findet_ausgleichsabgabe(browser, site_url, screenshots):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/")
    eingabe = _warte(lambda: [e for e in browser.find_elements(By.CSS_SELECTOR, "input.md-search__input") if e.is_displayed()],
                     text="Suchfeld sichtbar")[0]
    eingabe.click()
    eingabe.send_keys("Ausgleichsabgabe")
    treffer = _warte(lambda: browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), 20, "Suchtreffer")
    texte = " ".join(t.text for t in treffer)
    assert "Ausgleichsabgabe" in texte
    browser.save_screenshot(str(screenshots / "suche.png"))
    _nur_lokal(_anfragen(browser))


@pytest.mark.parametrize("pfad", ["beispiel/", "matrix/", "aenderungen/", "glossar/", "regeln-bearbeiten/",
                                  "formelsprache/", "parameter/", "faelle/staffel-2-2024/", "recht/"])
def test_weitere_seiten_nur_lokal(browser, site_url, screenshots, pfad):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, f"{site_url}/{pfad}")
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text
    if pfad in ("beispiel/", "parameter/"):
        browser.save_screenshot(str(screenshots / (pfad.strip("/") + ".png")))
    _nur_lokal(_anfragen(browser))
