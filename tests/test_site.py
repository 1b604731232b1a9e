"""The published rulebook: `regelwerk site build` generates pages and builds them with MkDocs
(strict) – checked on the built HTML, not on the templates."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gebaut(site_gebaut):
    return site_gebaut  # built once for the session (tests/conftest.py), shared with the browser tests


@pytest.fixture(scope="module")
def build(gebaut) -> Path:
    return gebaut.build


def _seite(build: Path, pfad: str) -> str:
    """A built page; no-break spaces (inside citations) read as spaces."""
    return (build / pfad / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")


class _Elemente(HTMLParser):
    """Text of the element with a given id (including its children)."""

    def __init__(self, ziel_id: str):
        super().__init__()
        self.ziel_id, self.tiefe, self.text, self.gefunden = ziel_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.tiefe:
            self.tiefe += 1
        elif dict(attrs).get("id") == self.ziel_id:
            self.tiefe, self.gefunden = 1, True

    def handle_endtag(self, tag):
        if self.tiefe:
            self.tiefe -= 1

    def handle_data(self, data):
        if self.tiefe:
            self.text.append(data)


def element_text(html: str, ziel_id: str) -> str:
    p = _Elemente(ziel_id)
    p.feed(html)
    assert p.gefunden, f"kein Element mit id={ziel_id}"
    return " ".join("".join(p.text).split())


def ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_seiten_vorhanden(build):
    for pfad in ["", "beispiel", "matrix", "aenderungen", "glossar", "regeln-bearbeiten", "formelsprache",
                 "parameter", "faelle", "faelle/staffel-2-2024", "recht", "recht/sgb9/160", "recht/sgb9-af/77",
                 "recht/bek-aa-2024", "recht/sgb4/24"]:
        assert (build / pfad / "index.html").exists(), pfad
    assert (build / "search" / "search_index.json").exists()


def test_paragraph_160_fassungen_als_reiter_und_af_link(build):
    html = _seite(build, "recht/sgb9/160")
    labels = re.findall(r"<label[^>]*for=\"__tabbed_[^\"]*\"[^>]*>(.*?)</label>", html)
    assert labels[0] == "ab 01.01.2024", labels
    assert labels[1] == "01.01.2018 bis 31.12.2023", labels
    assert "§ 77 SGB IX a.F." in labels[2]  # the predecessor's wording as the oldest tab
    assert 'href="../../sgb9-af/77/"' in html
    assert "720 Euro" in html and "320 Euro" in html and "105 Euro" in html
    # both Fassungen of § 160 are verified (issue 19): the tab names the amending law and the official text compared
    assert "Geschaffen durch:" in html and "Gesetz zur Förderung eines inklusiven Arbeitsmarkts" in html
    assert "Verglichen mit dem amtlichen Text:" in html
    # a Fassung that is not verified says so in its tab (§ 173: the start of Abs. 1 in its corrected wording;
    # § 170, the example before, was verified in issue 19)
    assert "Geltungsdaten nicht gesichert" in _seite(build, "recht/sgb9/173")
    assert "Zuletzt geändert durch Art. 6 G v. 22.12.2023 I Nr. 412" in html  # Stand
    assert "kmein/gesetze" in html  # Quelle
    # and back: § 77 a.F. links to § 160
    assert 'href="../../sgb9/160/"' in _seite(build, "recht/sgb9-af/77")


def test_anker_jeder_einheit(build, gebaut):
    from engine.rechtstext import html_anker
    from engine.wissensbasis import lade_wissensbasis

    html = _seite(build, "recht/sgb9/160")
    vorhanden = ids(html)
    assert "f2024-01-01-abs-2-satz-1-nr-4" in vorhanden
    assert "720 Euro" in element_text(html, "f2024-01-01-abs-2-satz-1-nr-4")
    assert "f2018-01-01-abs-2-satz-1-nr-3" in vorhanden
    wb = lade_wissensbasis(REPO)
    for v in wb.recht.vorschriften.values():
        pfad = f"recht/{v.gesetz}/{v.paragraph}" if v.paragraph else f"recht/{v.gesetz}"
        seite = ids(_seite(build, pfad))
        for f in v.fassungen:
            for e in f.wurzel.alle():
                assert html_anker(f.gueltig_ab, e.anker) in seite, (pfad, e.anker)


def test_wortlaut_2012_auf_seite_77(build):
    html = _seite(build, "recht/sgb9-af/77")
    assert "105 Euro" in element_text(html, "f2001-07-01-abs-2-satz-1-nr-1")
    assert "Stand 2.7.2012" in html


def test_regeln_unter_dem_satz_mit_yaml(build):
    html = _seite(build, "recht/sgb9/160")
    assert "aa.staffel_4" in html
    # issue 15, finding 5: the rule in words, with the values of the day and links to the parameters
    # (issue 23: in the fold for experts, facts by their German labels from rules/begriffe.yaml)
    assert re.search(r'<strong>Wenn</strong> <em>Jahresdurchschnitt der Arbeitsplätze</em> ≥ '
                     r'<a href="[./]*parameter/kleinbetrieb_grenze_60/">60</a> und <em>Beschäftigungsquote</em> ≥ '
                     r'<a href="[./]*parameter/pflichtsatz/">5 Prozent</a>', html)
    assert re.search(r'erreicht den Pflichtsatz von <a href="[./]*parameter/pflichtsatz/">5</a> Prozent', html)
    assert "<summary>Formel und YAML der Regel (für Fachleute)</summary>" in html
    assert re.search(r"Kennung <code>aa\.staffel_4</code>, Datei <code>rules/ausgleichsabgabe/", html)
    assert re.search(r'<span class="nt">id</span>.*?aa\.staffel_4</span>', html)  # the rule's own YAML lines
    # the rule's box follows its Nummer
    nr4 = html.index('id="f2024-01-01-abs-2-satz-1-nr-4"')
    assert html.index("aa.staffel_4", nr4) < html.index('id="f2024-01-01-abs-2-satz-2"')


def _saetze_mit_status(art: str):
    """(page path, html id, Status) of Stellen with this status – the rulebook grows, so look them up."""
    from engine.rechtstext import html_anker
    from engine.site import Analyse
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(REPO)
    analyse = Analyse(wb, REPO / "tests" / "cases" / "-")  # no cases needed here
    for schluessel in [("sgb9", "160")] + sorted(k for k in wb.recht.vorschriften if k != ("sgb9", "160")):
        v = wb.recht.vorschriften[schluessel]
        for f in v.fassungen:
            for e in f.wurzel.alle():  # the counting units (Stellen) carry a badge
                st = analyse.status(v, f, e)
                if st is not None and st.art == art:
                    pfad = f"recht/{v.gesetz}/{v.paragraph}" if v.paragraph else f"recht/{v.gesetz}"
                    yield pfad, html_anker(f.gueltig_ab, e.anker), st


def test_nicht_automatisiert_mit_grund(build):
    pfad, anker, st = next(_saetze_mit_status("nicht_automatisiert"))
    html = _seite(build, pfad)
    from engine.site import GRUENDE

    grund = GRUENDE[st.markiert[0].grund]  # in German words, not the YAML key (issue 15, finding 9)
    assert f"nicht automatisiert: {grund}" in element_text(html, anker)
    assert f"Nicht automatisiert: {grund}" in html
    assert " ".join(st.markiert[0].erlaeuterung.split()) in " ".join(html.split())
    satz = _seite(build, "recht/sgb9/160")
    if "nicht automatisiert: ermessen" in element_text(satz, "f2024-01-01-abs-4-satz-4"):  # the example
        danach = satz[satz.index('id="f2024-01-01-abs-4-satz-4"'):satz.index('id="f2024-01-01-abs-4-satz-5"')]
        assert "Nicht automatisiert: Ermessen" in danach and "nach Ermessen" in danach


def test_nicht_umgesetzter_satz_markiert(build):
    offen = list(_saetze_mit_status("offen"))
    assert offen, "kein offener Satz mehr – dann diesen Test anpassen"
    for pfad, anker, _ in offen[:20]:
        assert "noch nicht umgesetzt" in element_text(_seite(build, pfad), anker), (pfad, anker)
    html = _seite(build, "recht/sgb9/160")
    assert "noch nicht umgesetzt" not in element_text(html, "f2024-01-01-abs-2-satz-1")  # implemented by the Staffel rules


def test_parameter_verlauf_svg(build):
    svg = (build / "parameter" / "aa_staffel_1.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<script" not in svg
    assert ">155,00<" in svg and "2025" in svg  # the value from 1.1.2025 (money: two decimals) and its year
    assert "ab 01.01.2025: 155,00 Euro" in svg
    # issue 15, finding 6: one page per parameter, with chart, history and linked Fundstellen
    seite = _seite(build, "parameter/aa_staffel_1")
    assert "aa_staffel_1.svg" in seite and "Einheit: Euro" in seite
    assert re.search(r'<a href="[./]*recht/bek-aa-2024/#f[\d-]+-nr-1">Nr. 1 Bek. v. 2.12.2024</a>', seite)
    assert re.search(r'<a href="[./]*recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-1">§ 160 Abs. 2 Satz 1 Nr. 1</a> i.V.m. ', seite)
    assert "155,00 Euro" in seite and "Verwendet von" in seite  # (no-break space read as a space)
    assert 'href="../../../parameter/aa_staffel_1/"' in _seite(build, "recht/sgb9/160")


def test_testfaelle_auf_der_vorschriftsseite(build):
    html = _seite(build, "recht/sgb9/160")
    assert 'href="../../../faelle/staffel-2-2024/"' in html
    fall = _seite(build, "faelle/staffel-2-2024")
    assert "14.700,00" in fall
    assert 'href="../../recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-2"' in fall


def test_beispiel_matrix_aenderungen_glossar(build):
    beispiel = _seite(build, "beispiel")
    assert "staffel-2-2024" in beispiel and "14.700,00" in beispiel
    assert 'href="../recht/sgb9/160/#f2024-01-01-abs-2-satz-1-nr-2"' in beispiel
    matrix = _seite(build, "matrix")
    assert re.search(r"§ 160 SGB IX</a></td>\s*<td>ab 01.01.2024</td>\s*<td>\d+</td>", matrix)
    assert "aa.staffel_2" in matrix and "noch nicht umgesetzt" in matrix
    aenderungen = _seite(build, "aenderungen")
    # money with two decimals and its unit, before and after
    assert "01.01.2024" in aenderungen and "720,00 Euro" in aenderungen and "140,00 Euro → <strong>155,00 Euro" in aenderungen
    glossar = _seite(build, "glossar")
    for begriff in ("Pflichtarbeitsplatz", "Beschäftigungsquote", "Ausgleichsabgabe", "Gleichstellung", "Säumniszuschlag",
                    "Integrationsamt", "WfbM", "Mehrfachanrechnung", "Ermessen", "Unbestimmter Rechtsbegriff"):
        assert begriff in glossar, begriff
    assert "<code>runden(…)</code>" in _seite(build, "formelsprache")  # generated from engine/formel.py


def test_decide_html_verweist_auf_vorhandene_anker(build):
    """`regelwerk decide --format html --site-url` links exactly to ids of the built pages."""
    from engine.darstellung import rendere
    from engine.entscheidung import Entscheider
    from engine.faelle import lade_fall
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(REPO)
    site_url = "http://127.0.0.1:8000/regelwerk"
    geprueft = 0
    seiten: dict[str, set[str]] = {}  # the ids of each page, read once (the test read a page again for every link)
    with Entscheider(wb, motor="direkt") as entscheider:
        for datei in sorted((REPO / "tests" / "cases").rglob("*.yaml"))[:80]:
            html = rendere(entscheider.entscheide(lade_fall(datei, wb)), "html", site_url=site_url)
            for link in re.findall(r'href="([^"]+)"', html):
                if link.startswith("#"):  # within the Bescheid (e.g. to its Vorbehalt)
                    assert f'id="{link[1:]}"' in html, link
                    continue
                assert link.startswith(site_url + "/recht/"), link
                pfad, _, anker = link[len(site_url) + 1:].partition("#")
                if pfad not in seiten:
                    seiten[pfad] = ids((build / pfad / "index.html").read_text(encoding="utf-8"))
                assert anker in seiten[pfad], link
                geprueft += 1
    assert geprueft > 100


def test_keine_fremden_adressen(build):
    """Offline: no page loads anything from another host (fonts, scripts, images)."""
    erlaubt_text = ("http://www.w3.org/2000/svg",)  # XML namespace, not a request
    for datei in build.rglob("*"):
        if datei.suffix not in (".html", ".css", ".js", ".svg", ".json", ".xml"):
            continue
        text = datei.read_text(encoding="utf-8", errors="replace")
        if datei.suffix in (".html", ".svg"):
            for url in re.findall(r'(?:src|href|srcset|action)="((?:https?:)?//[^"]+)"', text):
                assert urlparse(url if "://" in url else "http:" + url).hostname in ("127.0.0.1", "localhost"), (datei, url)
            for url in re.findall(r"https?://[^\s\"'<>)]+", text):
                assert url.startswith(erlaubt_text) or urlparse(url).hostname in ("127.0.0.1", "localhost"), (datei, url)
        elif datei.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", text):
                assert "//" not in url, (datei, url)
            assert "@import" not in text or "//" not in text.split("@import", 1)[1].split(";", 1)[0], datei
        elif datei.name == "sitemap.xml":
            assert "http" not in text.replace("http://www.sitemaps.org", ""), datei


def test_cli_site_build(tmp_path, gebaut, monkeypatch, capsys):
    """`regelwerk site build --ziel --generiert` builds with `engine.site.baue` into the folders given and reports the
    pages. What `baue` builds is checked on the session's build (fixture `gebaut`, the same function), and
    tests/test_readme.py runs `regelwerk site build` for real; here the command line hands `baue` the folders and says
    what was built, without an eleven-second build of its own."""
    import engine.site
    from engine.cli import main

    aufrufe = []

    def baue(basis, generiert=None, build=None, leise=False):
        aufrufe.append((basis, generiert, build))
        return gebaut
    monkeypatch.setattr(engine.site, "baue", baue)
    assert main(["--wurzel", str(REPO), "site", "build", "--ziel", str(tmp_path / "b"),
                 "--generiert", str(tmp_path / "g")]) == 0
    assert aufrufe == [(REPO, (tmp_path / "g").resolve(), (tmp_path / "b").resolve())]
    assert f"Regelwerk-Seiten gebaut: {gebaut.seiten} Seiten in {gebaut.build}" in capsys.readouterr().out
    assert (gebaut.build / "recht" / "sgb9" / "160" / "index.html").exists()
    assert (gebaut.generiert / "recht" / "sgb9" / "160.md").exists()


def test_strict_bricht_bei_fehlendem_anker_ab(tmp_path):
    """A link to an anchor that does not exist aborts the build (mkdocs strict + anchor validation)."""
    import shutil

    from mkdocs.exceptions import Abort

    from engine.site import baue

    kopie = tmp_path / "repo"
    for teil in ("legal", "rules", "site/docs", "mkdocs.yml"):
        quelle = REPO / teil
        (shutil.copytree if quelle.is_dir() else shutil.copy)(quelle, kopie / teil)
    (kopie / "tests" / "cases").mkdir(parents=True)
    (kopie / "site" / "docs" / "kaputt.md").write_text("# Kaputt\n\n[x](recht/sgb9/160.md#f1999-01-01-abs-9)\n", encoding="utf-8")
    with pytest.raises(Abort):
        baue(kopie)


class _Sichtbar(HTMLParser):
    """Visible text of a page's article: without code, scripts, styles and the search index."""

    AUSSER = {"code", "pre", "script", "style", "svg"}

    def __init__(self):
        super().__init__()
        self.tiefe_artikel, self.tiefe_aus, self.teile = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.tiefe_artikel:
            self.tiefe_artikel += 1
        if self.tiefe_artikel and (tag in self.AUSSER or self.tiefe_aus):
            self.tiefe_aus += 1

    def handle_endtag(self, tag):
        if self.tiefe_aus:
            self.tiefe_aus -= 1
        if self.tiefe_artikel:
            self.tiefe_artikel -= 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_data(self, data):
        if self.tiefe_artikel and not self.tiefe_aus:
            self.teile.append(data)


ROHES_MARKDOWN = [
    (re.compile(r"```"), "Code-Zaun ```"),
    (re.compile(r"(\?\?\?\+?|!!!) [a-z-]+\b"), "Admonition-Syntax (??? / !!!)"),
    (re.compile(r"\*Erklärung im Bescheid:\*"), "rohes *Erklärung im Bescheid:*"),
    (re.compile(r"\*\*"), "rohes ** (Fettdruck nicht umgesetzt)"),
    (re.compile(r"=== \""), "Reiter-Syntax === \""),
    (re.compile(r"\{ ?[#.][\w-]"), "attr_list-Rest { #id } / { .klasse }"),
    (re.compile(r"\{[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*\}"), "ungefüllter {platzhalter}"),
]


def rohes_markdown(html: str) -> list[str]:
    """Raw Markdown syntax in the visible text of a built page (code blocks excepted)."""
    p = _Sichtbar()
    p.feed(html)
    text = "".join(p.teile)
    funde = []
    for muster, was in ROHES_MARKDOWN:
        for m in muster.finditer(text):
            funde.append(f"{was}: …{' '.join(text[max(0, m.start() - 40):m.end() + 40].split())}…")
    return funde


def test_kein_rohes_markdown_in_gebauten_seiten(build):
    """Issue 15, finding 2: multi-line formulas broke out of their rule box and left `??? quote`,
    ``` fences and `*Erklärung im Bescheid:*` in the statute text. No built page may show raw syntax."""
    fehler = {}
    seiten = sorted(build.rglob("*.html"))
    assert len(seiten) > 100
    for datei in seiten:
        funde = rohes_markdown(datei.read_text(encoding="utf-8"))
        if funde:
            fehler[str(datei.relative_to(build))] = funde[:3]
    assert not fehler, f"{len(fehler)} Seiten mit rohem Markdown: " + "\n".join(f"{k}: {v}" for k, v in list(fehler.items())[:15])


def test_prueft_rohes_markdown_wirklich():
    """The check itself finds what the issue found (a box that broke out of its admonition)."""
    kaputt = ("<article><p>Text</p><p>*Erklärung im Bescheid:* \\{x\\}</p><p>??? quote \"YAML\"</p>"
              "<p>```yaml</p><p>**40 **</p><p>{beschaeftigungsquote} Prozent</p></article>")
    funde = " ".join(rohes_markdown(kaputt))
    for was in ("Erklärung im Bescheid", "Admonition", "Code-Zaun", "rohes **", "platzhalter"):
        assert was in funde, was
    assert not rohes_markdown("<article><p>Formel <code>{x} ** 2</code></p><pre>```</pre></article>")


def test_parameter_index_nach_rechtsgebiet_mit_deutschen_einheiten(build):
    """Issue 15, finding 6: the index is ordered by legal topic (Pflichtquote first), units in German."""
    html = _seite(build, "parameter")
    gruppen = re.findall(r"<h2[^>]*>(.*?)<a", html)
    assert gruppen[0].startswith("§ 154 SGB IX"), gruppen
    assert html.index("Pflichtquote") < html.index("Ausgleichsabgabe je unbesetztem")
    from engine.wissensbasis import lade_wissensbasis

    for pid in lade_wissensbasis(REPO).parameter:
        assert (build / "parameter" / pid / "index.html").exists(), pid
    for datei in build.rglob("*.html"):
        text = datei.read_text(encoding="utf-8")
        assert not re.search(r"Einheit: (euro|prozent|anzahl|text)\b", text), datei


def test_matrix_stellen_als_zitat_und_regeln_verlinkt(build):
    """Issue 15, finding 7: places read "Abs. 2 Satz 1 Nr. 3"; rule ids link to the rule."""
    html = _seite(build, "matrix")
    assert ">Abs. 2 Satz 1 Nr. 3</a>" in html
    assert not re.search(r">abs-\d+/satz", html)
    assert re.search(r'<a href="[./]*recht/sgb9/160/#regel-aa-staffel_4"><code>aa.staffel_4</code></a>', html)
    assert 'id="regel-aa-staffel_4"' in _seite(build, "recht/sgb9/160")
    assert "nicht automatisiert (außerhalb des Regelwerks)" in html


def test_testfaelle_ohne_none_und_mit_soll_ist_vergleich(build):
    """Issue 15, finding 7: no "None" in the Jahr column; a case page compares expected and computed."""
    index = _seite(build, "faelle")
    assert ">None<" not in index and "| None |" not in index
    fall = _seite(build, "faelle/staffel-2-2024")
    assert "<th>erwartet</th>" in fall and "<th>berechnet</th>" in fall
    assert "✓ stimmt" in fall and "weicht ab" not in fall


def test_navigation_titel_nicht_mitten_im_wort_gekuerzt(gebaut):
    """Issue 15, finding 7: titles were cut at 80 characters mid-word; now whole, or cut at a word with " …"."""
    from engine.site.seiten import vorschrift_name
    from engine.wissensbasis import lade_wissensbasis

    wb = lade_wissensbasis(REPO)
    kurz = {g.id: g.kurz for g in wb.recht.gesetze.values()}
    voll = [" ".join(f"{vorschrift_name(v, kurz[v.gesetz])} – {v.ueberschrift}".split()) for v in wb.recht.vorschriften.values()]
    html = (gebaut.build / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    titel = {" ".join(t.split()) for t in re.findall(r'<span class="md-ellipsis">\s*((?:§ |Bek\.)[^<]*?)\s*</span>', html)}
    assert len(titel) > 20
    for t in (t for t in titel if " – " in t):  # provisions (not the group labels)
        if t.endswith(" …"):
            ganz = next((v for v in voll if v.startswith(t[:-2])), None)
            assert ganz and ganz[len(t) - 2] in " ,;:–-", t  # the cut falls between two words
        else:
            assert t in voll, t


def test_zitate_ohne_zeilenumbruch_und_deutsche_gruende(build):
    """Issue 15, finding 9: a no-break space inside every citation ("§ 55 SGB IX" never broken) on the
    generated pages; reasons in German ("außerhalb des Regelwerks", never "ausserhalb des regelwerks")."""
    fehler = []
    for teil in ("recht", "parameter", "faelle", "matrix", "aenderungen", "beispiel"):
        for datei in (build / teil).rglob("index.html"):
            p = _Sichtbar()
            p.feed(datei.read_text(encoding="utf-8"))
            text = "".join(p.teile)
            for m in re.finditer(r"§ \d|\d SGB|SGB [IVX]", text):
                fehler.append(f"{datei.relative_to(build)}: …{text[max(0, m.start() - 30):m.end() + 20]}…")
            if re.search(r"ausserhalb des regelwerks", text, re.IGNORECASE):
                fehler.append(f"{datei.relative_to(build)}: ausserhalb des regelwerks")
    assert not fehler, fehler[:10]


def test_bescheid_als_datei_ohne_tote_links(capsys, tmp_path):
    """Issue 15, finding 8: `decide --format html` without --site-url linked relatively (dead links when
    the file is opened on its own). Default: the published address (site_url in mkdocs.yml), else the
    local `regelwerk site serve`; the Bescheid says which."""
    import yaml

    from engine.cli import main
    from engine.cli.entscheiden import LOKALE_SITE, standard_site_url

    fall = REPO / "tests" / "cases" / "ausgleichsabgabe" / "staffel-2-2024.yaml"
    assert main(["--wurzel", str(REPO), "decide", str(fall), "--format", "html"]) == 0
    html = capsys.readouterr().out
    links = [l for l in re.findall(r'href="([^"]+)"', html) if not l.startswith("#")]  # "#vorbehalt": within the page
    assert links and all(l.startswith(LOKALE_SITE + "recht/") for l in links), links[:3]
    if not (yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("site_url"):
        assert "lokale Ausgabe" in html and "regelwerk site serve" in html
    # a configured published address wins
    (tmp_path / "mkdocs.yml").write_text("site_url: https://regelwerk.example/\n", encoding="utf-8")
    assert standard_site_url(tmp_path) == "https://regelwerk.example/"


@pytest.mark.parametrize("text, erwartet", [
    ("§ 160 Abs. 2 Satz 1 Nr. 3 SGB IX", "§~160 Abs.~2 Satz~1 Nr.~3~SGB~IX"),
    ("§§ 1 bis 3 und Buchst. a", "§§~1 bis 3 und Buchst.~a"),
    ("§ 77 SGB IX a.F. und SGB  IX n. F.", "§~77~SGB~IX~a.F. und SGB~IX~n. F."),
    ("Nr. 1 Satz 2 Bek. v. 2.12.2024; Bek. vom 3.", "Nr.~1 Satz~2 Bek.~v.~2.12.2024; Bek.~vom 3."),
    ("360 Euro, 5 Prozent, 9 SGB, 2 BGB, SGB 9", "360~Euro, 5~Prozent, 9~SGB, 2~BGB, SGB~9"),
    ("Art. 6 G, S. 1, Nrn. 2, Absätze 2 und 3, Artikel 3", "Art.~6 G, S.~1, Nrn.~2, Absätze~2 und 3, Artikel~3"),
    ("xAbs. 2, Absatzes 3, die Satzung 4, a und b, 3 Euros", "xAbs. 2, Absatzes 3, die Satzung 4, a und b, 3 Euros"),
])
def test_geschuetzte_leerzeichen_in_zitaten(text, erwartet):
    """Issue 15, finding 9: exactly the spaces inside a citation or an amount become no-break spaces."""
    from engine.site.seiten import NBSP, zitat_nbsp

    assert zitat_nbsp(text) == erwartet.replace("~", NBSP)


def test_suchindex_aus_den_daten(build):
    """The statute and test case pages are indexed by the generator (engine/site/suche.py), not parsed by
    the search plugin: every entry of the index points to a built page and an id on it, each page's own
    entry comes before its sections, no location is there twice, and the wording of an Absatz is its text."""
    import json

    daten = json.loads((build / "search" / "search_index.json").read_text(encoding="utf-8"))
    orte = [e["location"] for e in daten["docs"]]
    assert len(orte) == len(set(orte)), [o for o in orte if orte.count(o) > 1][:5]
    gesehen: set[str] = set()
    seiten_ids: dict[str, set[str]] = {}
    for ort in orte:
        pfad, _, anker = ort.partition("#")
        if not anker:
            gesehen.add(pfad)
            continue
        assert pfad in gesehen, f"{ort}: Abschnitt vor seiner Seite"
        if pfad not in seiten_ids:
            seiten_ids[pfad] = ids((build / pfad / "index.html").read_text(encoding="utf-8"))
        assert anker in seiten_ids[pfad], ort
    eintrag = {e["location"]: e for e in daten["docs"]}
    abs2 = eintrag["recht/sgb9/160/#f2024-01-01-abs-2"]
    assert abs2["title"] == "Abs. 2" and abs2["boost"] == 10
    assert "720 Euro" in abs2["text"].replace("\u00a0", " ") and "Staffel 4" in abs2["text"]  # wording and box titles
    assert "umgesetzt" not in abs2["text"] and "YAML" not in abs2["text"]  # not the badge, not the box's body
    assert "f2018-01-01-abs-2" in " ".join(orte)  # older Fassungen too
    schritt = eintrag["faelle/staffel-2-2024/#schritt-13"]  # steps 5 and 9: Pflichtquote and offene Angaben (issue 21)
    assert schritt["title"] == "Schritt 13: Ausgleichsabgabe für das Jahr" and schritt["boost"] == 0.1
    assert "14.700,00" in schritt["text"]
    assert "glossar/" in eintrag  # hand-written pages: indexed by the search plugin as before


def test_alle_internen_links_fuehren_zu_vorhandenen_ankern(build):
    """MkDocs checks the Markdown links of the pages; the wording quoted in the steps of a decision is written
    as HTML (cheaper to build), so its links are checked here: every relative link of every built page leads to
    a built page and, with a fragment, to an id on it."""
    from urllib.parse import unquote, urljoin

    ids_je_seite: dict[Path, set[str]] = {}

    def ids_von(datei: Path) -> set[str]:
        if datei not in ids_je_seite:
            ids_je_seite[datei] = ids(datei.read_text(encoding="utf-8"))
        return ids_je_seite[datei]

    fehler, geprueft = [], 0
    for datei in sorted(build.rglob("*.html")):
        basis = "/" + datei.relative_to(build).as_posix()
        for link in re.findall(r'<a [^>]*href="([^"]+)"', datei.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:|//", link) or link.startswith("#__"):  # other hosts, theme's own controls
                continue
            ziel, _, anker = urljoin(basis, link.replace("&amp;", "&")).partition("#")
            ziel = ziel.split("?", 1)[0]
            ziel_datei = build / unquote(ziel).lstrip("/")
            if ziel_datei.is_dir() or ziel.endswith("/"):
                ziel_datei = ziel_datei / "index.html"
            if not ziel_datei.exists():
                fehler.append(f"{basis}: {link}")
            elif anker and ziel_datei.suffix == ".html" and unquote(anker) not in ids_von(ziel_datei):
                fehler.append(f"{basis}: {link} (Anker fehlt)")
            geprueft += 1
    assert geprueft > 10_000
    assert not fehler, f"{len(fehler)} tote Links: {fehler[:10]}"


def test_yaml_bloecke_einmal_hervorgehoben_und_unveraendert():
    """The remembering yaml fence (engine/site/hervorhebung.py) writes exactly the HTML of the default fence
    and highlights each distinct text once, however often it occurs."""
    import markdown

    from engine.site import hervorhebung

    text = "".join(f"``` yaml\n- id: aa.regel_{i % 2}\n  titel: \"Staffel {i % 2}\"\n```\n\n" for i in range(4)) + "```\nfrei\n```\n"
    erweiterungen = ["pymdownx.superfences", "attr_list", "md_in_html"]
    ohne = markdown.Markdown(extensions=erweiterungen).convert(text)
    konfig: dict = {}
    hervorhebung.gemerkte_yaml_bloecke(konfig)
    mit = markdown.Markdown(extensions=erweiterungen, extension_configs=konfig).convert(text)
    assert mit == ohne and 'class="highlight"' in mit
    assert len(hervorhebung._GEMERKT) == 2  # four yaml blocks, two distinct texts
    markdown.Markdown(extensions=erweiterungen, extension_configs=konfig).convert(text)
    assert len(hervorhebung._GEMERKT) == 2  # the next page uses what the first highlighted


# --- rendering on the second core (engine.site.parallel) ----------------------------------------------


def _dateien(ordner: Path) -> dict[str, bytes]:
    return {p.relative_to(ordner).as_posix(): p.read_bytes() for p in sorted(ordner.rglob("*")) if p.is_file()}


def test_paralleler_build_gleicht_dem_seriellen_byte_fuer_byte(gebaut, tmp_path):
    """The module's build renders part of the pages in a forked child; the serial build must write
    exactly the same files, the search index included."""
    from engine.site import baue
    from engine.site.parallel import fork_verfuegbar, kerne

    if fork_verfuegbar() and kerne() > 1:
        assert gebaut.seiten_im_kind > 50  # the child did render a good part of the pages
    seriell = baue(REPO, generiert=tmp_path / "generiert", build=tmp_path / "build", parallel=False)
    assert seriell.seiten_im_kind == 0
    parallel, ohne = _dateien(gebaut.build), _dateien(seriell.build)
    assert "search/search_index.json" in parallel
    assert sorted(parallel) == sorted(ohne)
    assert [p for p in parallel if parallel[p] != ohne[p]] == []


def _kleine_site(tmp_path: Path, seiten: dict[str, str]) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in seiten.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Probe\nstrict: true\ntheme:\n  name: material\n  language: de\n  font: false\n"
        "plugins:\n  - search\nmarkdown_extensions:\n  - toc:\n      permalink: true\n  - attr_list\n"
        "validation:\n  unrecognized_links: warn\n  anchors: warn\n", encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def _baue_klein(konfig: Path, ziel: Path, kern=None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(konfig), site_dir=str(ziel))
    if kern is not None:
        cfg.plugins["regelwerk/zweiter-kern"] = kern
    try:
        build(cfg)
    finally:
        if kern is not None:
            kern.beende()


_PROBESEITEN = {f"s{i:02}.md": f"# Seite {i}\n\n## Abschnitt {i} {{ #a{i} }}\n\n" + "Text mit *Betonung*. " * 40 * (i + 1)
                + f"\n\n[weiter](s{(i + 1) % 8:02}.md#a{(i + 1) % 8})\n" for i in range(8)}


@pytest.mark.skipif(not __import__("engine.site.parallel", fromlist=["x"]).fork_verfuegbar(), reason="kein fork")
def test_warnung_beim_rendern_im_kindprozess_bricht_strict_ab(tmp_path, caplog):
    """A broken link on a page the child renders: its warnings reach the parent's log, and strict
    mode aborts as in the serial build (both the link to a missing page, found while rendering, and
    the link to a missing anchor, checked by the parent from what the child sent)."""
    from mkdocs.exceptions import Abort

    from engine.site.parallel import ZweiterKern

    seiten = dict(_PROBESEITEN)
    seiten["s07.md"] += "\n[fehlt](gibt-es-nicht.md) und [kein Anker](s00.md#gibt-es-nicht)\n"
    konfig = _kleine_site(tmp_path, seiten)
    kern = ZweiterKern()
    with pytest.raises(Abort, match="2 warnings"):
        _baue_klein(konfig, tmp_path / "build", kern)
    assert "s07.md" in kern._pfade and kern.uebernommen > 0  # the page was rendered in the child
    meldungen = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("s07.md" in m and "gibt-es-nicht.md" in m for m in meldungen), meldungen
    assert any("s07.md" in m and "#gibt-es-nicht" in m for m in meldungen), meldungen


@pytest.mark.skipif(not __import__("engine.site.parallel", fromlist=["x"]).fork_verfuegbar(), reason="kein fork")
def test_scheitert_der_kindprozess_wird_seriell_gerendert(tmp_path, monkeypatch, caplog):
    """A child that dies without results: the parent says so and renders those pages itself; the site
    is the same as the serial build's."""
    import os

    from engine.site import parallel

    konfig = _kleine_site(tmp_path, _PROBESEITEN)
    _baue_klein(konfig, tmp_path / "seriell")
    monkeypatch.setattr(parallel, "_kind", lambda *args: os._exit(3))
    kern = parallel.ZweiterKern()
    _baue_klein(konfig, tmp_path / "parallel", kern)
    assert kern._pfade and kern.uebernommen == 0 and kern.gescheitert
    assert any("Kindprozess" in r.getMessage() and "seriell" in r.getMessage() for r in caplog.records)
    assert _dateien(tmp_path / "parallel") == _dateien(tmp_path / "seriell")


def test_haengt_der_kindprozess_wird_nach_der_wartezeit_seriell_gerendert(tmp_path, monkeypatch, caplog):
    """A child that hangs without dying would block the build: after `wartezeit` the parent stops it and
    renders its pages itself; the site is the same as the serial build's."""
    import time as zeit

    from engine.site import parallel

    konfig = _kleine_site(tmp_path, _PROBESEITEN)
    _baue_klein(konfig, tmp_path / "seriell")
    monkeypatch.setattr(parallel, "_kind", lambda *args: zeit.sleep(600))
    kern = parallel.ZweiterKern()
    kern.wartezeit = 1.0
    start = zeit.perf_counter()
    _baue_klein(konfig, tmp_path / "parallel", kern)
    assert zeit.perf_counter() - start < 60
    assert kern._pfade and kern.uebernommen == 0 and "keine Antwort" in (kern.gescheitert or "")
    assert kern._prozess is None  # stopped, not left behind
    assert _dateien(tmp_path / "parallel") == _dateien(tmp_path / "seriell")


def test_ohne_fork_wird_seriell_gerendert(tmp_path, monkeypatch):
    from engine.site import parallel

    konfig = _kleine_site(tmp_path, _PROBESEITEN)
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    kern = parallel.ZweiterKern()
    _baue_klein(konfig, tmp_path / "build", kern)
    assert kern._pfade == set() and kern.uebernommen == 0
    assert (tmp_path / "build" / "s07" / "index.html").exists()


# --- issue 23: rules that read as law, values that match their Fassung ----------------------------------

_CODE_MUSTER = re.compile(r'[a-z_]+\(|\{[^}]*\}|"[a-z_]+"|\b[a-z]+_[a-z_]+\b|`')


def test_regelkaesten_lesen_sich_als_recht(build):
    """The rule boxes beside the statute (outside the fold "Formel und YAML … (für Fachleute)") show legal prose:
    code patterns – function calls, quoted codes, braces, snake_case names, backticks – in under 2 % of them
    (946 of 1,093 "Wenn … dann …" paragraphs read as code before)."""
    import html as html_modul

    gesamt, mit_code, beispiele = 0, 0, []
    for seite in sorted((build / "recht").rglob("index.html")):
        text = seite.read_text(encoding="utf-8")
        for m in re.finditer(r'<aside class="rw-neben">(.*?)</aside>', text, re.S):
            kasten = re.sub(r'<details class="quote">.*?</details>', "", m.group(1), flags=re.S)
            lesbar = html_modul.unescape(re.sub(r"<[^>]+>", " ", kasten))
            gesamt += 1
            if (treffer := _CODE_MUSTER.search(lesbar)):
                mit_code += 1
                beispiele.append(f"{seite.parent.relative_to(build)}: {treffer.group(0)}")
    assert gesamt > 300
    assert mit_code / gesamt < 0.02, beispiele[:20]


def test_werte_der_fassung_160_2018_bis_2023(build):
    """Regression (issue 23): in the 2018–2023 tab of § 160 the rule box showed 140 Euro beside the statute's
    125 Euro. The box shows the values in force in the tab's period: 125 Euro, from 1.1.2021 140 Euro
    (Bekanntmachung vom 19.11.2020)."""
    text = _seite(build, "recht/sgb9/160")
    reiter = text[text.index('id="f2018-01-01"'):]
    reiter = reiter[:reiter.index("Vorgängervorschrift")] if "Vorgängervorschrift" in reiter else reiter
    assert "125 Euro (ab 01.01.2021: 140 Euro)" in reiter, "125 Euro fehlt im Reiter 2018–2023"
    neu = text[text.index('id="f2024-01-01"'):text.index('id="f2018-01-01"')]
    assert "125 Euro (ab" not in neu
    assert "Regel <code>aa." not in reiter.split('class="quote"')[0]  # boxes open with the rule's title, not its id


def test_html_teile_gehen_unveraendert_durch_markdown_auch_im_reiter():
    """Rule boxes and test-case steps are written as HTML (engine.site.roh): Markdown passes them through
    unchanged, also inside the indented content of a tab, where raw HTML would otherwise become code."""
    import markdown

    from engine.site import roh

    teil = '<aside class="rw-neben">\n<details class="regel">\n<summary>*kein* Markdown</summary>\n' \
           '<pre><code>    eingerückt\n</code></pre>\n</details>\n</aside>'
    quelle = '=== "ab 01.01.2024"\n\n    Satz.\n' + "".join(f"    {z}\n" if z else "\n" for z in roh.roh(teil).split("\n"))
    md = markdown.Markdown(extensions=["pymdownx.tabbed", "pymdownx.superfences", "md_in_html", "engine.site.roh"])
    ausgabe = md.convert(quelle)
    assert teil in ausgabe
    assert "<p><aside" not in ausgabe and "rw:roh" not in ausgabe and "<em>kein</em>" not in ausgabe


def test_html_teile_behalten_ihre_leerzeichen_bei_der_geschuetzten_zitatschreibung():
    """The no-break spaces of citations are set once per page outside code; the HTML parts got theirs when
    written (roh.t) and are left alone, like code."""
    from engine.site import roh
    from engine.site.text import NBSP, nbsp_ausser_code

    seite = "Siehe § 160 SGB IX." + roh.roh("<p>§ 5 bleibt</p>") + "Und § 7 SGB IX."
    ergebnis = nbsp_ausser_code(seite)
    assert f"§{NBSP}160{NBSP}SGB{NBSP}IX" in ergebnis and f"§{NBSP}7{NBSP}SGB{NBSP}IX" in ergebnis
    assert "<p>§ 5 bleibt</p>" in ergebnis
    assert roh.t("§ 5 SGB IX & <b>") == f"§{NBSP}5{NBSP}SGB{NBSP}IX &amp; &lt;b&gt;"


def test_gemerkte_navigation_gleicht_der_gerenderten_byte_fuer_byte(tmp_path):
    """engine.site.navigation renders the theme's navigation once per folder for pages it does not list; the
    pages must be the same as rendered one by one: siblings share it, a page as deep in another folder does not
    (its relative addresses differ), nor does a page with a listed page below it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from engine.site.navigation import NavigationGemerkt

    seiten = {"index.md": "# Start\n", "faelle/index.md": "# Fälle\n", "faelle/a.md": "# A\n\n## Teil\n",
              "faelle/b.md": "# B\n", "faelle/c/index.md": "# C\n", "faelle/c/d.md": "# D\n",
              "recht/x.md": "# X\n\n## Abs. 1\n", "recht/y.md": "# Y\n", "andere/z.md": "# Z\n"}
    docs = tmp_path / "docs"
    for name, text in seiten.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    konfig = tmp_path / "mkdocs.yml"
    konfig.write_text(
        "site_name: Probe\nstrict: true\ntheme:\n  name: material\n  language: de\n  font: false\n"
        "  features: [navigation.sections]\nplugins: []\n"
        "nav:\n  - Start: index.md\n  - Fälle: faelle/index.md\n  - Recht: [recht/x.md, recht/y.md]\n  - faelle/c/d.md\n",
        encoding="utf-8")
    ergebnisse = []
    for mit in (False, True):
        cfg = load_config(str(konfig), site_dir=str(tmp_path / f"site-{mit}"))
        plugin = NavigationGemerkt()
        if mit:
            cfg.plugins["regelwerk/navigation"] = plugin
        build(cfg)
        ergebnisse.append(_dateien(tmp_path / f"site-{mit}"))
    ohne, mit = ergebnisse
    assert plugin.gemerkt_genutzt >= 1  # faelle/b/ took the navigation of faelle/a/
    assert sorted(ohne) == sorted(mit)
    assert [p for p in ohne if ohne[p] != mit[p]] == []


def test_aenderungen_jeder_eintrag_ein_listenpunkt(build):
    """Regression (issue 23): an entry of a Fassung ended in a template tag that swallowed its line break, so the
    next entry ran on in the same list item behind a literal "- ". Every entry is a list item of its own."""
    html = _seite(build, "aenderungen")
    assert ")- <strong>" not in html and "- <strong><a" not in html
    eintraege = re.findall(r"<li>(.*?)</li>", html, re.DOTALL)
    assert len(eintraege) > 80
    assert all(e.count("<strong><a ") <= 1 for e in eintraege)


@pytest.fixture(scope="module")
def generator(tmp_path_factory):
    from engine.site.seiten import Generator
    from engine.wissensbasis import lade_wissensbasis

    return Generator(lade_wissensbasis(REPO), tmp_path_factory.mktemp("generator"))


def _satz_lesbar(generator, regel) -> str:
    import html as html_modul

    satz_html = generator.regel_worte(regel, regel.zeitraum, "recht/sgb9/185.md")["satz"]
    return " ".join(html_modul.unescape(re.sub(r"<[^>]+>", "", satz_html)).split())


def test_regelkasten_ohne_auslassungspunkte_statt_werten(generator):
    """Issue 23 (Chromium review): on § 185 Abs. 9 one rule box read only "…" (`lst.offen_fiktion`, whose
    erklaerung is "{entscheidung}") and another ended "… weil sie die Sache erledigt: …": a fact the rule itself
    writes as a text was left as one gap. Now such a text is said in its own words and every value of the case is
    a gap named by its German label ("[Tag der Entscheidung]"). No rule's sentence holds "…" outside a quotation
    of the statute („haben … Anspruch“), and every sentence has words of its own besides its gaps."""
    fehler = []
    for regel in generator.wb.regelbuch.regeln:
        text = _satz_lesbar(generator, regel)
        ohne_zitate = re.sub(r"„[^“]*“", "", text)
        ohne_luecken = re.sub(r"\[[^\]]*\]", "", ohne_zitate)
        if "…" in ohne_zitate or len(re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", ohne_luecken)) < 3:
            fehler.append(f"{regel.id}: {text[:120]}")
    assert fehler == []


def test_regelkasten_genehmigungsfiktion_in_worten(generator):
    """The two boxes of the review on § 185 Abs. 9 SGB IX, word by word from their rules' `entscheidung` texts."""
    regeln = {r.id: r for r in generator.wb.regelbuch.regeln}
    offen = _satz_lesbar(generator, regeln["lst.offen_fiktion"])
    assert offen == ("Offen: Der Antrag wäre abzulehnen, aber ob er nach § 185 Abs. 9 SGB IX schon als genehmigt gilt, "
                     "steht nicht fest. Genehmigungsfiktion: [Genehmigungsfiktion].")
    genehmigt = _satz_lesbar(generator, regeln["lst.genehmigt_fiktion"])
    assert genehmigt.startswith("Die Genehmigungsfiktion wird vor den übrigen Voraussetzungen entschieden, weil sie die "
                                "Sache erledigt: Der Antrag auf die Leistung nach [")
    assert "Eine Ablehnung ist deshalb nicht mehr zu erlassen" in genehmigt
    # a choice between texts is said as its alternatives, the sentence opening with a capital letter
    nicht_anwendbar = _satz_lesbar(generator, regeln["lst.fiktion_nicht_anwendbar"])
    assert nicht_anwendbar.startswith("Je nach Fall „nicht anwendbar: die Genehmigungsfiktion gilt nur für Leistungen")


def test_schritte_der_testfaelle_ohne_rohe_feldnamen(generator):
    """Issue 23 (Chromium review): a step of a test case printed a record with its raw field names, "(name Clara,
    gdb 50, gleichstellung nein, …, zulassung_unter_18_stunden —)". Now its fields carry their German labels
    (rules/begriffe.yaml), fields not given are left out, and no step of any case page shows "name "/"gdb " or a
    snake_case name outside the fold for experts."""
    import html as html_modul

    fehler = []
    for fl in generator.analyse.faelle:
        for s in generator.schritte(fl, fl.seite):
            sichtbar = generator.schritt_html(s, fl.seite).split("Formel und Regel (für Fachleute)")[0]
            text = " ".join(html_modul.unescape(re.sub(r"<[^>]+>", " ", sichtbar)).split())
            if (m := re.search(r"\b(?:name|gdb) \S|\b[a-z]+_[a-z0-9_]+\b", text)):
                fehler.append(f"{fl.name}, {s['regel']}: …{text[max(0, m.start() - 40):m.end() + 40]}…")
    assert fehler == [], fehler[:10]


def test_datensatz_mit_deutschen_feldnamen(generator):
    """The record of the review, worked by hand from the labels of rules/begriffe.yaml: empty fields left out."""
    clara = {"name": "Clara", "gdb": "50", "gleichstellung": False, "zulassung_unter_18_stunden": None}
    assert generator.leserwert([clara]) == "(Name: Clara, Grad der Behinderung: 50, Gleichstellung: nein)"
    # a list inside a record: its fields separated by semicolons, so the list's commas stay unambiguous
    assert generator.leserwert({"name": "Clara", "monate": ["1", "2"]}) == "Name: Clara; Monate der Anzeige: 1, 2"
    # a field path inside a rule's text ("(gleichstellung.widerruf.unanfechtbar_am; …)") in words
    assert generator.sprache("(gleichstellung.widerruf.unanfechtbar_am; § 199)") == \
        "(Gleichstellung › Widerruf › Unanfechtbar am; § 199)"


def test_regelkasten_genehmigungsfiktion_tag_nach_dem_fristende(generator):
    """The day the Fiktion begins (`plus_tage(fiktionsfrist_ende, 1)`) is named, not "[errechneter Wert]"."""
    regel = next(r for r in generator.wb.regelbuch.regeln if r.id == "lst.fiktion_eingetreten")
    assert "gilt seit dem [Tag nach: Ende der Frist der Genehmigungsfiktion] als genehmigt" in _satz_lesbar(generator, regel)


def test_regelkasten_nennt_errechnete_werte_nach_ihren_angaben(generator):
    """Issue 23 left 91 gaps in rule boxes reading only „[errechneter Wert]“ („Keine Leistung nach …, weil
    [errechneter Wert]“, „in [errechneter Wert] wegen eines Landesfeiertags später“). A list joined into words is now
    named by what it lists, and any other computed value by the facts it is computed from."""
    regeln = {r.id: r for r in generator.wb.regelbuch.regeln}
    assert ("weil [Gründe gegen die Berechtigung]." in _satz_lesbar(generator, regeln["lst.nicht_berechtigt"]))
    assert "in [Länder mit späterem Fristende] wegen eines Landesfeiertags später" in \
        _satz_lesbar(generator, regeln["kue.fiktion_land_offen"])
    assert all("[errechneter Wert]" not in _satz_lesbar(generator, r) for r in generator.wb.regelbuch.regeln)
