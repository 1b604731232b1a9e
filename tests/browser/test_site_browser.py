"""The built rulebook in a real browser (headless Debian chromium via selenium), at 1400×1000 and
390×844 (fixture `fenster`), as a Sachbearbeiter uses it (issue 15).

Per finding of issue 15:
 1. a link to a Fassung that is not the first tab opens that tab, scrolls the sentence into view and
    highlights it – on a fresh load, on a hash change, from a test case page and from the search;
 2. no raw Markdown on the statute pages that had broken rule boxes (all pages: tests/test_site.py);
 3. a citation typed into the search lands on its sentence; statute pages rank above test cases;
    excerpts show the wording, not the page's boilerplate;
 4. the statute is compact: "(1)" inline, hanging indents, rule boxes folded beside the sentence,
    provenance folded at the end, Absätze in the table of contents, previous/next § links.
Screenshots go to artefakte/screenshots/ (not committed). Nothing is requested outside 127.0.0.1.
"""
from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


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
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 2;", element)


def _ziel_gezeigt(browser, html_id: str) -> None:
    """The unit is visible (its tab open), scrolled into view and highlighted."""
    from selenium.webdriver.common.by import By

    element = _warte(lambda: browser.find_element(By.ID, html_id), text=f"#{html_id} vorhanden")
    _warte(lambda: element.is_displayed(), text=f"#{html_id} sichtbar (Reiter der Fassung offen)")
    _warte(lambda: _im_blick(browser, element), text=f"#{html_id} im sichtbaren Bereich")
    _warte(lambda: "rw-ziel" in element.get_attribute("class"), text=f"#{html_id} hervorgehoben")
    # the tab of its Fassung is the checked one
    assert browser.execute_script(
        "const b = arguments[0].closest('.tabbed-block'); if (!b) return true;"
        "const i = [...b.parentElement.children].indexOf(b);"
        "return b.closest('.tabbed-set').querySelectorAll(':scope > input')[i].checked;", element)


def _bild(browser, screenshots: Path, name: str, fenster: str) -> None:
    browser.save_screenshot(str(screenshots / f"{name}-{fenster}.png"))


# --- start page and offline ------------------------------------------------------------------


def test_startseite(browser, site_url, screenshots, fenster):
    _anfragen(browser)
    _lade(browser, site_url + "/")
    assert "Regelwerk" in browser.title
    assert browser.execute_script("return [window.innerWidth, window.innerHeight]") == \
        {"desktop": [1400, 1000], "mobil": [390, 844]}[fenster]
    inhalt = browser.find_element("css selector", "article.md-content__inner").text
    assert "Ausgleichsabgabe" in inhalt
    _bild(browser, screenshots, "startseite", fenster)
    urls = _anfragen(browser)
    assert any(u.endswith("/") for u in urls)
    _nur_lokal(urls)


# --- finding 1: the right Fassung opens ---------------------------------------------------------


def test_link_auf_aeltere_fassung_oeffnet_reiter_beim_laden(browser, site_url, screenshots, fenster):
    _anfragen(browser)
    _lade(browser, site_url + "/recht/sgb9/160/#f2018-01-01-abs-4-satz-1")
    _ziel_gezeigt(browser, "f2018-01-01-abs-4-satz-1")
    _bild(browser, screenshots, "paragraph-160-fassung-2018-abs-4", fenster)
    _nur_lokal(_anfragen(browser))


def test_hashwechsel_oeffnet_anderen_reiter(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-4")
    _ziel_gezeigt(browser, "f2024-01-01-abs-2-satz-1-nr-4")
    # only the # changes while the 2024 tab is open
    browser.execute_script("location.hash = '#f2018-01-01-abs-2-satz-1-nr-3'")
    _ziel_gezeigt(browser, "f2018-01-01-abs-2-satz-1-nr-3")
    assert "320 Euro" in browser.find_element(By.ID, "f2018-01-01-abs-2-satz-1-nr-3").text
    # and back, while the 2018 tab is open
    browser.execute_script("location.hash = '#f2024-01-01-abs-1-satz-3'")
    _ziel_gezeigt(browser, "f2024-01-01-abs-1-satz-3")
    # the old mark is gone: one highlight at a time
    assert len(browser.find_elements(By.CSS_SELECTOR, ".rw-ziel")) == 1


def test_link_aus_testfall_oeffnet_fassung_2018(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/faelle/jahreswechsel-2020-kleinbetrieb/")
    link = browser.find_element(By.CSS_SELECTOR, "a[href$='sgb9/160/#f2018-01-01-abs-2-satz-2']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    _warte(lambda: "/recht/sgb9/160/" in browser.current_url, text="§ 160 geöffnet")
    _ziel_gezeigt(browser, "f2018-01-01-abs-2-satz-2")


def test_zitatanker_ohne_fassung_fuehrt_zur_geltenden(browser, site_url, fenster):
    """`…/160/#abs-2-satz-1-nr-3` (what the search links to) opens the Fassung in force today."""
    _lade(browser, site_url + "/recht/sgb9/160/#abs-2-satz-1-nr-3")
    geltend = browser.execute_script(
        "const t = new Date().toISOString().slice(0, 10);"
        "return [...document.querySelectorAll('.rw-fassung-kopf[id][data-ab]')]"
        ".find(k => k.dataset.ab <= t && (!k.dataset.bis || t <= k.dataset.bis)).id;")
    ziel = f"{geltend}-abs-2-satz-1-nr-3"
    _ziel_gezeigt(browser, ziel)
    assert browser.current_url.endswith("#" + ziel)  # the address becomes the citable one


def test_absatz_im_inhaltsverzeichnis(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/recht/sgb9/160/")
    eintraege = browser.execute_script(
        "return [...document.querySelectorAll('.md-nav--secondary a.md-nav__link')].map(a => a.textContent.trim())")
    for nr in range(1, 9):
        assert f"Abs. {nr}" in eintraege, eintraege
    if fenster == "desktop":  # the table of contents is a sidebar only on wide screens
        link = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".md-nav--secondary a.md-nav__link")
                    if a.text.strip() == "Abs. 4")
        link.click()
        _warte(lambda: browser.current_url.endswith("#f2024-01-01-abs-4"), text="Abs. 4 angesprungen")
        erste = browser.find_element(By.ID, "f2024-01-01-abs-4-satz-1")
        _warte(lambda: "rw-ziel" in erste.get_attribute("class"), text="Abs. 4 hervorgehoben")
        _warte(lambda: _im_blick(browser, erste), text="Abs. 4 im Blick")


# --- finding 2: no raw Markdown on the pages that had broken boxes -------------------------------


def _rohes_markdown():
    spec = importlib.util.spec_from_file_location("site_tests", REPO / "tests" / "test_site.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul.ROHES_MARKDOWN


@pytest.mark.parametrize("pfad", ["recht/sgb9/158/", "recht/sgb9/159/", "recht/sgb9/160/", "recht/sgb4/24/",
                                  "recht/sgb9-af/75/", "recht/sgb9-af/76/", "recht/sgb9-af/77/"])
def test_kein_rohes_markdown_sichtbar(browser, site_url, fenster, pfad):
    _lade(browser, f"{site_url}/{pfad}")
    # unfold every box and show every tab's text (innerText of hidden tabs is empty)
    text = browser.execute_script(
        "document.querySelectorAll('article details').forEach(d => d.open = true);"
        "document.querySelectorAll('article code, article pre').forEach(c => c.remove());"
        "const teile = [document.querySelector('article').innerText];"
        "document.querySelectorAll('.tabbed-set > input').forEach(i => { i.checked = true;"
        "  teile.push(document.querySelector('article').innerText); });"
        "return teile.join('\\n');")
    funde = [f"{was}: …{text[max(0, m.start() - 40):m.end() + 40]}…"
             for muster, was in _rohes_markdown() for m in muster.finditer(text)]
    assert not funde, funde[:5]


# --- finding 3: search ------------------------------------------------------------------------------


def _suche(browser, site_url: str, anfrage: str):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/")
    eingabe = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not eingabe.is_displayed():  # phone: the search opens from the header icon
        browser.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
        _warte(lambda: eingabe.is_displayed(), text="Suchfeld sichtbar")
    eingabe.click()
    eingabe.send_keys(anfrage)
    return eingabe


@pytest.mark.parametrize("zitat", ["160 Abs. 2 Satz 1 Nr. 3", "§ 160 Abs. 2 S. 1 Nr. 3 SGB IX"])
def test_zitat_in_der_suche_landet_auf_dem_satz(browser, site_url, screenshots, fenster, zitat):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _anfragen(browser)
    eingabe = _suche(browser, site_url, zitat)
    treffer = _warte(lambda: [t for t in browser.find_elements(By.CSS_SELECTOR, ".rw-zitat-treffer a") if t.is_displayed()],
                     text="Treffer für das Zitat")[0]
    assert "§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX" in treffer.text.replace("\u00a0", " ")
    _warte(lambda: "360 Euro" in treffer.text, text="Wortlaut im Auszug")  # the wording, not boilerplate
    # the citation hit comes before the full-text hits
    erster = browser.execute_script("return document.querySelector('.md-search-result').firstElementChild.className")
    assert "rw-zitat-treffer" in erster
    if zitat.startswith("§"):
        _bild(browser, screenshots, "suche-zitat", fenster)
    eingabe.send_keys(Keys.ENTER)
    _warte(lambda: "/recht/sgb9/160/" in browser.current_url, text="§ 160 geöffnet")
    _warte(lambda: re.search(r"#f\d{4}-\d\d-\d\d-abs-2-satz-1-nr-3$", browser.current_url), text="Anker des Satzes")
    _ziel_gezeigt(browser, browser.current_url.split("#", 1)[1])
    _nur_lokal(_anfragen(browser))


def test_zitat_anderer_gesetze(browser, site_url, fenster):
    """The law spellings come from legal/gesetze.yaml (javascripts/zitierformen.js): SGB IV, BGB, a.F."""
    _lade(browser, site_url + "/")
    for zitat, pfad in [("§ 24 Abs. 1 Satz 1 SGB IV", "/recht/sgb4/24/#abs-1-satz-1"),
                        ("§ 187 Abs. 1 BGB", "/recht/bgb/187/#abs-1"),
                        ("§ 77 Abs. 2 SGB IX a.F.", "/recht/sgb9-af/77/#abs-2")]:
        ziel = browser.execute_script("const z = Regelwerk.ziel(Regelwerk.parseZitat(arguments[0])); return z && z.url", zitat)
        assert ziel and ziel.endswith(pfad), (zitat, ziel)
    assert browser.execute_script("return Regelwerk.parseZitat('Ausgleichsabgabe')") is None


def test_suche_wortlaut_vor_testfaellen(browser, site_url, screenshots, fenster):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _suche(browser, site_url, "Säumniszuschlag")
    treffer = _warte(lambda: browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), 20, "Suchtreffer")
    _warte(lambda: len(browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item")) >= 3, text="mehrere Treffer")
    treffer = browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item > a")
    adressen = [urlparse(t.get_attribute("href")).path for t in treffer]
    # the statute pages come first: § 24 SGB IV and § 160 SGB IX before any test case
    erster_fall = next((i for i, a in enumerate(adressen) if a.startswith("/faelle/")), len(adressen))
    vor_faellen = adressen[:erster_fall]
    assert "/recht/sgb4/24/" in vor_faellen and "/recht/sgb9/160/" in vor_faellen, adressen
    # no excerpt shows the page boilerplate
    assert not any("So lesen Sie" in t.text for t in treffer)
    abs4 = next(t for t in treffer if t.get_attribute("href").endswith("/recht/sgb9/160/?h=s%C3%A4umniszuschlag#f2024-01-01-abs-4")
                or re.search(r"/recht/sgb9/160/\?h=[^#]+#f2024-01-01-abs-4$", t.get_attribute("href")))
    assert "Die Ausgleichsabgabe zahlt der Arbeitgeber" in abs4.text or "Säumniszuschläge" in abs4.text
    _bild(browser, screenshots, "suche", fenster)
    # the hit lands on the sentence that has the word, in the right tab
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", abs4)
    abs4.click()
    _warte(lambda: "/recht/sgb9/160/" in browser.current_url, text="§ 160 geöffnet")
    _ziel_gezeigt(browser, "f2024-01-01-abs-4-satz-3")
    _nur_lokal(_anfragen(browser))


def test_suche_findet_ausgleichsabgabe(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _suche(browser, site_url, "Ausgleichsabgabe")
    treffer = _warte(lambda: browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), 20, "Suchtreffer")
    assert "Ausgleichsabgabe" in " ".join(t.text for t in treffer)


# --- finding 4: the statute, compact --------------------------------------------------------------


def test_paragraph_160_kompakt(browser, site_url, screenshots, fenster):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/recht/sgb9/160/")
    h1 = browser.find_element(By.CSS_SELECTOR, "article h1")
    assert "§ 160 SGB IX" in h1.text and "Ausgleichsabgabe" in h1.text
    labels = [l.text for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label")]
    assert any("2024" in l for l in labels) and any("2018" in l for l in labels), labels
    _bild(browser, screenshots, "paragraph-160", fenster)

    # the wording comes first: before the first Absatz only the header lines, no provenance, no warnings
    vorher = browser.execute_script(
        "const a = document.getElementById('f2024-01-01-abs-1-satz-1');"
        "const r = document.createRange(); r.setStartBefore(document.querySelector('article h1'));"
        "r.setEndBefore(a); return r.toString();")
    for stoert in ("Commit", "unverifiziert", "Markierung", "So lesen Sie", "Quelle:"):
        assert stoert not in vorher, stoert
    # "(1)" inline with the first sentence, Nummern with hanging indent
    satz = browser.find_element(By.ID, "f2024-01-01-abs-1-satz-1")
    assert satz.text.startswith("(1)")
    nr = browser.find_element(By.ID, "f2024-01-01-abs-2-satz-1-nr-1")
    assert float(nr.value_of_css_property("text-indent").rstrip("px")) < 0
    # rule boxes and marks folded; on a wide screen beside their sentence
    kaesten = browser.find_elements(By.CSS_SELECTOR, ".tabbed-block aside.rw-neben > details")
    assert kaesten and not any(k.get_attribute("open") for k in kaesten)
    satz2 = browser.find_element(By.ID, "f2024-01-01-abs-1-satz-2")
    kasten = browser.execute_script("return arguments[0].nextElementSibling", satz2)
    assert kasten.tag_name == "aside" and "Nicht automatisiert" in kasten.text
    r_satz, r_kasten = satz2.rect, kasten.rect
    if fenster == "desktop":
        assert r_kasten["x"] >= r_satz["x"] + r_satz["width"] - 1  # beside, not below
        assert abs(r_kasten["y"] - r_satz["y"]) < 40
    else:
        assert r_kasten["y"] >= r_satz["y"] + r_satz["height"] - 2
    # provenance folded at the end of the tab
    herkunft = browser.find_element(By.XPATH, "//details[summary[contains(., 'Herkunft, Stand')]]")
    assert not herkunft.get_attribute("open")
    assert browser.execute_script(
        "return !!(arguments[0].compareDocumentPosition(document.getElementById('f2024-01-01-abs-8'))"
        " & Node.DOCUMENT_POSITION_PRECEDING)", herkunft)
    # previous / next provision at the top
    blaettern = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".rw-blaettern a")]
    assert any("§ 159 SGB IX" in t for t in blaettern) and any("§ 163 SGB IX" in t for t in blaettern), blaettern
    # compact: the current Fassung's wording takes a few screens, not 26
    bildschirme = browser.execute_script(
        "const b = document.querySelector('.tabbed-block'); return b.getBoundingClientRect().height / window.innerHeight")
    assert bildschirme < {"desktop": 6, "mobil": 16}[fenster], bildschirme
    _nur_lokal(_anfragen(browser))


def test_kasten_klappt_auf_und_zeigt_yaml(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-4")
    nr4 = browser.find_element(By.ID, "f2024-01-01-abs-2-satz-1-nr-4")
    kasten = browser.execute_script("return arguments[0].nextElementSibling.querySelector('details')", nr4)
    kasten.find_element(By.TAG_NAME, "summary").click()
    _warte(lambda: kasten.get_attribute("open"), text="Kasten offen")
    # the box reads as law (issue 23): the rule's title and sentence; its id only in the fold for experts
    assert "Staffel 4" in kasten.text and "aa.staffel_4" not in kasten.text
    # unfolded, it takes the full width below the Nummer
    assert kasten.rect["y"] > nr4.rect["y"] + nr4.rect["height"] - 2
    yaml = kasten.find_element(By.XPATH, ".//details[summary[contains(., 'YAML')]]")
    yaml.find_element(By.TAG_NAME, "summary").click()
    _warte(lambda: "id: aa.staffel_4" in yaml.text and "Kennung aa.staffel_4" in yaml.text, text="YAML sichtbar")


def test_versionswechsel_zeigt_wortlaut_2012(browser, site_url, screenshots, fenster):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/recht/sgb9/160/")
    aktiv = browser.find_element(By.CSS_SELECTOR, ".tabbed-content .tabbed-block")
    assert "720 Euro" in aktiv.text  # newest Fassung first
    label = next(l for l in browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label") if "§ 77" in l.get_attribute("textContent").replace("\u00a0", " "))
    browser.execute_script("arguments[0].click()", label)  # on a phone the label may be scrolled out of the tab bar
    sichtbar = _warte(lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, ".tabbed-block") if b.is_displayed()
                               and "105 Euro" in b.text], text="Wortlaut mit 105 Euro sichtbar")
    assert "Stand 2.7.2012" in sichtbar[0].text
    _bild(browser, screenshots, "paragraph-160-fassung-77", fenster)
    _lade(browser, site_url + "/recht/sgb9-af/77/#f2001-07-01-abs-2-satz-1-nr-1")
    _ziel_gezeigt(browser, "f2001-07-01-abs-2-satz-1-nr-1")
    assert "105 Euro" in browser.find_element(By.ID, "f2001-07-01-abs-2-satz-1-nr-1").text
    _nur_lokal(_anfragen(browser))


# --- findings 5, 6, 8, 9: rules in words, parameter pages, decisions, typography -----------------


def test_regel_in_worten_mit_werten_und_parameterlinks(browser, site_url, fenster):
    from selenium.webdriver.common.by import By

    _lade(browser, site_url + "/recht/sgb9/160/#f2024-01-01-abs-1-satz-1")
    kasten = browser.execute_script(
        "return document.getElementById('f2024-01-01-abs-1-satz-1').nextElementSibling.querySelector('details')")
    kasten.find_element(By.TAG_NAME, "summary").click()
    _warte(lambda: kasten.get_attribute("open"), text="Kasten offen")
    assert "erreicht den Pflichtsatz von 5 Prozent" in kasten.text
    assert "{" not in kasten.text.split("YAML der Regel")[0]  # no raw {platzhalter}
    # the value of the tab's Fassung in the sentence, linked to its parameter page ("… von 5 Prozent")
    link = next(a for a in kasten.find_elements(By.CSS_SELECTOR, "a[href$='/parameter/pflichtsatz/']")
                if a.text.replace("\u00a0", " ") in ("5", "5 Prozent"))
    link.click()
    _warte(lambda: browser.current_url.endswith("/parameter/pflichtsatz/"), text="Parameterseite geöffnet")
    assert "Einheit: Prozent" in browser.find_element(By.CSS_SELECTOR, "article").text


def test_parameterseite_mit_lesbarem_diagramm(browser, site_url, screenshots, fenster):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, site_url + "/parameter/aa_staffel_1/")
    artikel = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "Einheit: Euro" in artikel and "Verlauf" in artikel and "Verwendet von" in artikel
    bild = browser.find_element(By.CSS_SELECTOR, "img.rw-verlauf")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", bild)
    _warte(lambda: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", bild),
           text="Diagramm geladen")
    # labels are 13 units in a 480-unit wide chart: at least 9 px on the screen, also on a phone
    assert bild.rect["width"] * 13 / 480 >= 9, bild.rect
    svg = browser.execute_script("return fetch(arguments[0].src).then(r => r.text())", bild)
    assert ">Euro</text>" in svg  # the unit on the value axis
    _bild(browser, screenshots, "parameter-aa_staffel_1", fenster)
    _nur_lokal(_anfragen(browser))


def test_bescheid_als_datei_verweist_auf_die_fassung_2018(browser, site_url, screenshots, fenster):
    """A decision for 2020 saved as HTML: its citations open the 2018 Fassung's tab on the site."""
    from selenium.webdriver.common.by import By

    from engine import lade_regelwerk, lies_fall, rendere

    with lade_regelwerk(REPO) as rw:
        e = rw.entscheide(lies_fall(REPO / "tests" / "cases" / "ausgleichsabgabe" / "jahreswechsel-2020-kleinbetrieb.yaml"))
        html = rendere(e, "html", site_url=site_url + "/")
    datei = screenshots.parent / "bescheid-jahreswechsel-2020.html"
    datei.write_text(html, encoding="utf-8")
    _lade(browser, datei.as_uri())
    assert "regelwerk site serve" in browser.find_element(By.TAG_NAME, "body").text
    _bild(browser, screenshots, "bescheid", fenster)
    link = browser.find_element(By.CSS_SELECTOR, "a[href*='/recht/sgb9/160/#f2018-01-01-']")
    ziel = link.get_attribute("href").split("#", 1)[1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    _warte(lambda: "/recht/sgb9/160/" in browser.current_url, text="§ 160 geöffnet")
    _ziel_gezeigt(browser, ziel)
    _bild(browser, screenshots, "bescheid-link-fassung-2018", fenster)


# --- other pages: offline, screenshots ------------------------------------------------------------


@pytest.mark.parametrize("pfad", ["beispiel/", "matrix/", "aenderungen/", "glossar/", "regeln-bearbeiten/",
                                  "formelsprache/", "parameter/", "faelle/", "faelle/staffel-2-2024/", "recht/"])
def test_weitere_seiten_nur_lokal(browser, site_url, screenshots, fenster, pfad):
    from selenium.webdriver.common.by import By

    _anfragen(browser)
    _lade(browser, f"{site_url}/{pfad}")
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text
    if pfad in ("beispiel/", "parameter/", "faelle/staffel-2-2024/"):
        _bild(browser, screenshots, pfad.strip("/").replace("/", "-"), fenster)
    _nur_lokal(_anfragen(browser))


def _aktiv_im_inhaltsverzeichnis(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('.md-nav--secondary a.md-nav__link--active'))"
        ".map(a => a.getAttribute('href'))")


def test_inhaltsverzeichnis_markiert_den_absatz_im_blick(browser, site_url, fenster):
    """Issue 23 (Chromium review): on § 185 SGB IX opened at Abs. 9 the table of contents highlighted Abs. 7 – the
    Absatz headings are 0 px high (the "(9)" stands inline) and material's scroll spy counts a heading only once it
    is under the header bar. Now the Absatz in view is marked: after a jump, after scrolling by hand, and in an
    older Fassung's tab (its entry in the TOC of the newest Fassung)."""
    _lade(browser, site_url + "/recht/sgb9/185/#f2024-01-01-abs-9")
    _warte(lambda: _aktiv_im_inhaltsverzeichnis(browser) == ["#f2024-01-01-abs-9"],
           text=f"Abs. 9 markiert (markiert: {_aktiv_im_inhaltsverzeichnis(browser)})")
    # scrolled by hand: the heading of Abs. 5 just below the header, no address to follow
    browser.execute_script(
        "history.replaceState(null, '', location.pathname);"
        "const h = document.getElementById('f2024-01-01-abs-5');"
        "window.scrollTo({top: h.getBoundingClientRect().top + window.scrollY - 100, behavior: 'instant'});")
    _warte(lambda: _aktiv_im_inhaltsverzeichnis(browser) == ["#f2024-01-01-abs-5"],
           text=f"Abs. 5 markiert (markiert: {_aktiv_im_inhaltsverzeichnis(browser)})")
    # an older Fassung: the TOC entry of the same Absatz
    _lade(browser, site_url + "/recht/sgb9/185/#f2018-01-01-abs-3")
    _warte(lambda: _aktiv_im_inhaltsverzeichnis(browser) == ["#f2024-01-01-abs-3"],
           text=f"Abs. 3 der Fassung 2018 markiert (markiert: {_aktiv_im_inhaltsverzeichnis(browser)})")
