/* Regelwerk: open the Fassung a link points to, scroll its sentence into view and highlight it;
 * a citation typed into the search ("§ 160 Abs. 2 S. 1 Nr. 3 SGB IX", "160 Abs. 2 Satz 1 Nr. 3")
 * goes straight to the sentence. No external resources, no framework. */
(function () {
  "use strict";

  /* ---- citations (mirrors engine/zitate.py: spellings of the units and of the laws) ---- */

  // Law spellings from javascripts/zitierformen.js (generated from legal/gesetze.yaml); the list
  // below is only the fallback when that file is missing.
  var GESETZE = window.RW_ZITIERFORMEN || [
    { id: "sgb9-af", formen: ["SGB IX a.F.", "SGB IX a. F.", "SGB IX aF", "SGB 9 a.F."], ohne_paragraphen: false },
    { id: "sgb9", formen: ["SGB IX", "SGB 9", "SGB IX n.F.", "SGB IX n. F."], ohne_paragraphen: false },
    { id: "sgb4", formen: ["SGB IV", "SGB 4"], ohne_paragraphen: false }
  ];
  var STANDARD_GESETZ = "sgb9";
  var STUFEN = [
    ["abs", /^(?:Abs\.?|Absatz|Absätze)\s*(\d+[a-z]?)\b\s*/i],
    ["satz", /^(?:Satz|S\.)\s*(\d+[a-z]?)\b\s*/i],
    ["nr", /^(?:Nr\.?|Nummer|Nrn\.)\s*(\d+[a-z]?)\b\s*/i],
    ["bst", /^(?:Buchst\.?|Buchstabe|lit\.)\s*([a-z]{1,2})\b\s*/i]
  ];
  var NAMEN = { abs: "Abs.", satz: "Satz", nr: "Nr.", bst: "Buchst." };

  function normalisiere(text) {
    return text.replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim();
  }

  /** Parse a citation. Returns {gesetz, gesetzGenannt, paragraph, stufen: [[art, nr]...]} or null. */
  function parseZitat(eingabe) {
    var text = normalisiere(eingabe);
    if (!text) return null;
    var gesetz = null;
    var formen = [];
    GESETZE.forEach(function (g) { g.formen.forEach(function (f) { formen.push([f, g]); }); });
    formen.sort(function (a, b) { return b[0].length - a[0].length; });
    for (var i = 0; i < formen.length; i++) {
      var form = formen[i][0];
      var ende = text.slice(-form.length);
      if (ende.toLowerCase() === form.toLowerCase() &&
          (text.length === form.length || text.charAt(text.length - form.length - 1) === " ")) {
        gesetz = formen[i][1];
        text = text.slice(0, text.length - form.length).trim();
        break;
      }
    }
    var paragraph = null;
    var mitParagraphenzeichen = /^§/.test(text);
    if (gesetz && gesetz.ohne_paragraphen) {
      var bek = /^(?:Nr\.?|Nummer)\s*(\d+)\s*(.*)$/i.exec(text);
      if (!bek) return null;
      var stufenBek = [["nr", bek[1]]];
      var restBek = parseStufen(bek[2]);
      if (!restBek) return null;
      return { gesetz: gesetz.id, gesetzGenannt: true, paragraph: null, stufen: stufenBek.concat(restBek) };
    }
    var m = /^(?:§\s*)?(\d+[a-z]?)\b\s*(.*)$/i.exec(text);
    if (!m) return null;
    paragraph = m[1].toLowerCase();
    var stufen = parseStufen(m[2]);
    if (!stufen) return null;
    // a bare number ("160") is a search term, not a citation
    if (!gesetz && !mitParagraphenzeichen && stufen.length === 0) return null;
    return { gesetz: gesetz ? gesetz.id : null, gesetzGenannt: !!gesetz, paragraph: paragraph, stufen: stufen };
  }

  // the Absatz in Roman numerals and the Satz as a bare number, as lawyers abbreviate: "160 II 1 SGB IX"
  var ROEMISCH = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10, xi: 11, xii: 12 };

  function parseStufen(text) {
    var stufen = [];
    var rest = text.trim();
    var roemisch = /^([IVXivx]{1,4})(?=\s|$)\s*/.exec(rest);
    if (roemisch && ROEMISCH[roemisch[1].toLowerCase()]) {
      stufen.push(["abs", String(ROEMISCH[roemisch[1].toLowerCase()])]);
      rest = rest.slice(roemisch[0].length);
      var satzNr = /^(\d+)(?=\s|$)\s*/.exec(rest);
      if (satzNr) { stufen.push(["satz", satzNr[1]]); rest = rest.slice(satzNr[0].length); }
    }
    STUFEN.forEach(function (stufe) {
      if (stufen.some(function (s) { return s[0] === stufe[0]; })) return;
      var m = stufe[1].exec(rest);
      if (m) {
        stufen.push([stufe[0], m[1].toLowerCase()]);
        rest = rest.slice(m[0].length);
      }
    });
    return rest.trim() ? null : stufen;
  }

  function ankerOhneFassung(zitat) {
    return zitat.stufen.map(function (s) { return s[0] + "-" + s[1]; }).join("-");
  }

  function zitatText(zitat, titel) {
    var teile = zitat.paragraph ? ["§ " + zitat.paragraph] : [];
    zitat.stufen.forEach(function (s) { teile.push(NAMEN[s[0]] + " " + s[1]); });
    return teile.join(" ");
  }

  /* ---- site addresses ---- */

  function basis() {
    var konfig = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(konfig.textContent).base || "."; } catch (e) { /* keep "." */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  /** The provision pages the navigation knows: path -> link text. */
  function vorschriftsSeiten() {
    var seiten = {};
    document.querySelectorAll("a.md-nav__link[href]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), location.href);
      if (/\/recht\/[^/]+\/([^/]+\/)?$/.test(url.pathname)) seiten[url.pathname] = normalisiere(a.textContent);
    });
    return seiten;
  }

  /** Where a parsed citation leads: {url, titel} or null when the provision is not in the rulebook. */
  function ziel(zitat) {
    var seiten = vorschriftsSeiten();
    var b = basis();
    var kandidaten = zitat.gesetz ? [zitat.gesetz] : [STANDARD_GESETZ].concat(
      GESETZE.map(function (g) { return g.id; }).filter(function (id) { return id !== STANDARD_GESETZ; }));
    for (var i = 0; i < kandidaten.length; i++) {
      var pfad = "recht/" + kandidaten[i] + "/" + (zitat.paragraph ? zitat.paragraph + "/" : "");
      var url = new URL(pfad, b);
      if (seiten[url.pathname] !== undefined) {
        var anker = ankerOhneFassung(zitat);
        if (anker) url.hash = anker;
        return { url: url.href, titel: seiten[url.pathname] };
      }
    }
    return null;
  }

  /* ---- opening the right Fassung ---- */

  function heute() {
    var d = new Date();
    var zwei = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + zwei(d.getMonth() + 1) + "-" + zwei(d.getDate());
  }

  /** The Fassung head in force today (else the first tab's). */
  function geltendeFassung(wurzel) {
    var koepfe = Array.prototype.slice.call((wurzel || document).querySelectorAll(".rw-fassung-kopf[id][data-ab]"));
    var t = heute();
    for (var i = 0; i < koepfe.length; i++) {
      var ab = koepfe[i].dataset.ab, bis = koepfe[i].dataset.bis;
      if (ab <= t && (!bis || t <= bis)) return koepfe[i];
    }
    return koepfe[0] || null;
  }

  /** Element for a hash: an id as is, or a citation anchor without Fassung ("abs-2-satz-1-nr-3"). */
  function element(hash, wurzel) {
    wurzel = wurzel || document;
    var id = decodeURIComponent(hash.replace(/^#/, ""));
    if (!id) return null;
    var el = wurzel.getElementById(id);
    if (el) return el;
    if (!/^(abs|satz|nr|bst)-/.test(id)) return null;
    var kopf = geltendeFassung(wurzel);
    if (!kopf) return null;
    var praefix = kopf.id + "-";
    var teile = id.split("-");
    // "abs-3-nr-1" without Satz: the one sentence that has this Nummer
    for (var n = teile.length; n >= 2; n -= 2) {
      var teil = teile.slice(0, n).join("-");
      el = wurzel.getElementById(praefix + teil);
      if (el) return el;
      var muster = new RegExp("^" + praefix + teil.replace(/-nr-/, "-satz-\\d+-nr-") + "$");
      var treffer = Array.prototype.filter.call(wurzel.querySelectorAll("[id^='" + praefix + "']"),
        function (e) { return muster.test(e.id); });
      if (treffer.length === 1) return treffer[0];
    }
    return kopf;
  }

  /** Check the tab (and any enclosing tabs) that contain `el`; unfold enclosing <details>. */
  function zeige(el) {
    var block = el.closest(".tabbed-block");
    while (block) {
      var inhalt = block.parentElement;
      var satz = inhalt && inhalt.parentElement;
      if (satz && satz.classList.contains("tabbed-set")) {
        var index = Array.prototype.indexOf.call(inhalt.children, block);
        var eingaben = satz.querySelectorAll(":scope > input");
        if (eingaben[index] && !eingaben[index].checked) {
          eingaben[index].checked = true;
          eingaben[index].dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      block = satz ? satz.parentElement.closest(".tabbed-block") : null;
    }
    for (var d = el.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  }

  /** The lines to highlight: an Absatz heading stands for the lines up to the next Absatz. */
  function zuMarkieren(el) {
    if (!el.classList.contains("rw-absatz")) return [el];
    var liste = [];
    for (var s = el.nextElementSibling; s && !s.classList.contains("rw-absatz") && !/^H[1-4]$/.test(s.tagName); s = s.nextElementSibling) {
      if (s.matches("p.rw-satz, p.rw-nummer, p.rw-buchstabe, p.rw-schluss, p.rw-vorgaenger, table")) liste.push(s);
    }
    return liste.length ? liste : [el];
  }

  var markiert = [];
  function markiere(elemente) {
    markiert.forEach(function (e) { e.classList.remove("rw-ziel"); });
    markiert = elemente;
    markiert.forEach(function (e) { e.classList.add("rw-ziel"); });
  }

  function springe(el, ersetzeHash) {
    zeige(el);
    var elemente = zuMarkieren(el);
    markiere(elemente);
    if (ersetzeHash && el.id && location.hash !== "#" + el.id) {
      history.replaceState(history.state, "", "#" + el.id);
    }
    // after the tab switch has been laid out
    requestAnimationFrame(function () {
      (elemente[0] || el).scrollIntoView({ block: "center" });
    });
  }

  function folgeHash() {
    if (!location.hash) return false;
    var el = element(location.hash);
    if (!el) return false;
    springe(el, el.id !== decodeURIComponent(location.hash.slice(1)));
    return true;
  }

  /** Arriving from a search result (?h=…): the first sentence with a hit in the opened section. */
  function folgeSuchtreffer() {
    var parameter = new URLSearchParams(location.search);
    if (!parameter.get("h")) return false;
    var start = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var marken = Array.prototype.slice.call(document.querySelectorAll("article mark[data-md-highlight]"));
    var ZEILE = "p.rw-satz, p.rw-nummer, p.rw-buchstabe, p.rw-schluss, p.rw-vorgaenger";
    var zeilen = marken.map(function (m) {
      var zeile = m.closest(ZEILE);
      if (zeile) return zeile;
      // a hit in the title of a rule box stands for the sentence the box belongs to
      var neben = m.closest("aside.rw-neben");
      if (neben && !m.closest("summary")) return null;  // the folded body of a box (its prose, formula, YAML): no line
      var davor = neben && neben.previousElementSibling;
      return davor && davor.matches(ZEILE) ? davor : null;
    }).filter(function (z) { return z; });
    if (start && start.classList.contains("rw-absatz")) {
      var eigene = zuMarkieren(start);
      var imAbsatz = zeilen.filter(function (z) { return eigene.indexOf(z) >= 0; });
      if (imAbsatz.length) { springe(imAbsatz[0], true); return true; }
      return false;
    } else if (start) {
      // a section heading such as "Wortlaut": the first hit after it
      var danach = zeilen.filter(function (z) {
        return start.compareDocumentPosition(z) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      var kopf_ = geltendeFassung();
      var block_ = kopf_ && kopf_.closest(".tabbed-block");
      var geltend_ = danach.filter(function (z) { return block_ && block_.contains(z); });
      if (danach.length) { springe(geltend_[0] || danach[0], false); return true; }
      return false;
    }
    if (!start && zeilen.length) {
      var kopf = geltendeFassung();
      var block = kopf && kopf.closest(".tabbed-block");
      var geltend = zeilen.filter(function (z) { return block && block.contains(z); });
      springe(geltend[0] || zeilen[0], true);
      return true;
    }
    return false;
  }

  /* ---- previous / next provision at the top of a provision page ---- */

  function blaettern() {
    var kopf = document.querySelector("article .rw-unterzeile");
    if (!kopf || document.querySelector(".rw-blaettern")) return;
    var zurueck = document.querySelector(".md-footer__link--prev");
    var weiter = document.querySelector(".md-footer__link--next");
    var nav = document.createElement("nav");
    nav.className = "rw-blaettern";
    nav.setAttribute("aria-label", "Vorherige und nächste Vorschrift");
    [[zurueck, "← "], [weiter, ""]].forEach(function (paar) {
      var link = paar[0];
      if (!link || !/\/recht\/[^/]+\/[^/]+\/$/.test(new URL(link.href).pathname)) return;
      var a = document.createElement("a");
      a.href = link.href;
      var titel = link.querySelector(".md-ellipsis");
      var text = normalisiere(titel ? titel.textContent : link.textContent).split(" – ")[0];
      a.textContent = paar[1] ? paar[1] + text : text + " →";
      a.className = paar[1] ? "rw-zurueck" : "rw-weiter";
      nav.appendChild(a);
    });
    if (nav.children.length) kopf.parentNode.insertBefore(nav, kopf);
  }

  /* ---- citation hits in the search ---- */

  function suchTreffer() {
    var eingabe = document.querySelector("input[data-md-component='search-query']");
    var ergebnis = document.querySelector("[data-md-component='search-result']");
    if (!eingabe || !ergebnis || eingabe.dataset.rwZitate) return;
    eingabe.dataset.rwZitate = "1";
    var kasten = document.createElement("div");
    kasten.className = "rw-zitat-treffer";
    kasten.hidden = true;
    ergebnis.insertBefore(kasten, ergebnis.firstChild);
    var aktuell = null;

    function aktualisiere() {
      var zitat = parseZitat(eingabe.value);
      aktuell = zitat ? ziel(zitat) : null;
      kasten.textContent = "";
      kasten.hidden = !aktuell;
      if (!aktuell) return;
      var a = document.createElement("a");
      a.href = aktuell.url;
      a.className = "rw-zitat-link";
      var oben = document.createElement("span");
      oben.className = "rw-zitat-art";
      oben.textContent = "Fundstelle im Gesetz";
      var text = document.createElement("strong");
      var titel = aktuell.titel.split(" – ");
      var gesetz = titel[0].replace(/^§\s*\S+\s*/, "");
      text.textContent = zitatText(zitat) + (gesetz ? "\u00a0" + gesetz : "") + (titel[1] ? " – " + titel.slice(1).join(" – ") : "");
      var wortlaut = document.createElement("span");
      wortlaut.className = "rw-zitat-wortlaut";
      a.appendChild(oben);
      a.appendChild(text);
      a.appendChild(wortlaut);
      zeigeWortlaut(aktuell.url, wortlaut);
      a.addEventListener("click", function () { schliesseSuche(); });
      kasten.appendChild(a);
    }

    eingabe.addEventListener("input", aktualisiere);
    eingabe.addEventListener("keydown", function (ereignis) {
      if (ereignis.key === "Enter" && aktuell) {
        ereignis.preventDefault();
        ereignis.stopImmediatePropagation();
        var url = aktuell.url;
        schliesseSuche();
        geheZu(url);
      }
    }, true);
    aktualisiere();
  }

  /** The wording of the cited unit as the hit's excerpt (the page is fetched once and cached). */
  var seitenCache = {};
  function zeigeWortlaut(url, ziel_) {
    var adresse = new URL(url);
    var hash = adresse.hash;
    adresse.hash = "";
    if (!seitenCache[adresse.href]) {
      seitenCache[adresse.href] = fetch(adresse.href).then(function (antwort) { return antwort.text(); })
        .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
    }
    seitenCache[adresse.href].then(function (doc) {
      var el = hash ? element(hash, doc) : geltendeFassung(doc);
      if (!el) return;
      var teile = zuMarkieren(el).map(function (e) {
        var kopie = e.cloneNode(true);
        kopie.querySelectorAll(".rw-status, .rw-sr, .headerlink").forEach(function (x) { x.remove(); });
        return normalisiere(kopie.textContent);
      });
      var text = teile.join(" ");
      ziel_.textContent = text.length > 320 ? text.slice(0, 320).replace(/\s+\S*$/, "") + " …" : text;
    }).catch(function () { /* the link works without the excerpt */ });
  }

  function schliesseSuche() {
    var schalter = document.querySelector("input[data-md-toggle='search']");
    if (schalter && schalter.checked) {
      schalter.checked = false;
      schalter.dispatchEvent(new Event("change"));
    }
  }

  function geheZu(url) {
    var ziel_ = new URL(url, location.href);
    if (ziel_.pathname === location.pathname && ziel_.search === location.search) {
      if (location.hash === ziel_.hash) folgeHash();
      else location.hash = ziel_.hash;
    } else {
      location.href = ziel_.href;
    }
  }

  /* ---- table of contents: the Absatz in view ----
   * The Absatz headings (h3.rw-absatz) are 0 px high so that "(9)" stands inline in its sentence, and a jump
   * to one leaves it 6rem below the top (scroll-margin-top). Material's scroll spy counts a heading as passed
   * only once it is under the header bar, so on § 185 scrolled to Abs. 9 it highlighted Abs. 7. Here the TOC
   * entry of the last Absatz whose heading is at or above that line is marked, in the Fassung the reader has
   * open; while the unit the address points to is in view (a jump centres it), its Absatz; at the end of the
   * page the last Absatz in view. */
  function offeneFassung() {
    var offen = Array.prototype.filter.call(document.querySelectorAll(".rw-fassung-kopf[data-ab]"),
      function (k) { return k.offsetParent !== null; })[0];
    return offen && offen.getAttribute("data-ab");
  }

  function tocZiele() {
    var ab = offeneFassung();
    var paare = [];
    document.querySelectorAll(".md-nav--secondary a.md-nav__link[href*='#']").forEach(function (a) {
      var id = decodeURIComponent(new URL(a.href, location.href).hash.slice(1));
      var teile = /^f(\d{4}-\d\d-\d\d)-(.+)$/.exec(id);
      var el = (teile && ab && document.getElementById("f" + ab + "-" + teile[2])) || document.getElementById(id);
      if (el && el.offsetParent !== null) paare.push([a, el]);
    });
    return paare;
  }

  function aktiverAbsatz() {
    var paare = tocZiele();
    if (!paare.length) return null;
    // the Absatz the address points to (a jump centres it), as long as its unit is in view
    var ziel_ = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (ziel_ && ziel_.offsetParent !== null) {
      var r = ziel_.getBoundingClientRect();
      if (r.bottom > 0 && r.top < window.innerHeight) {
        var davor = paare.filter(function (p) {
          return p[1] === ziel_ || (p[1].compareDocumentPosition(ziel_) & Node.DOCUMENT_POSITION_FOLLOWING);
        });
        if (davor.length) return davor[davor.length - 1][0];
      }
    }
    // else the last Absatz whose heading is at or above the line a jump to a heading leaves it on
    var linie = (parseFloat(getComputedStyle(document.querySelector("h3.rw-absatz")).scrollMarginTop) || 0) + 8;
    var amEnde = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (amEnde) linie = window.innerHeight;  // at the end of the page the last Absatz in view
    var aktiv = null, oben = -Infinity;
    paare.forEach(function (p) {
      var top = p[1].getBoundingClientRect().top;
      if (top <= linie && top > oben) { aktiv = p; oben = top; }
    });
    return aktiv ? aktiv[0] : null;
  }

  function markiereToc() {
    if (!document.querySelector("h3.rw-absatz")) return;  // other pages: material's own scroll spy
    var aktiv = aktiverAbsatz();
    document.querySelectorAll(".md-nav--secondary a.md-nav__link").forEach(function (a) {
      a.classList.toggle("md-nav__link--active", a === aktiv);
    });
  }

  var tocGeplant = false;
  function planeToc() {
    if (tocGeplant) return;
    tocGeplant = true;
    // after material's own update of the same scroll (it runs in an animation frame)
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { tocGeplant = false; markiereToc(); });
    });
  }

  /* ---- wiring ---- */

  var tocBeobachter = null;
  function beobachteToc() {
    // material sets its classes later than a scroll event (throttled): each of its changes is corrected again;
    // setting a class a link already has changes nothing, so this does not loop
    var toc = document.querySelector(".md-nav--secondary");
    if (!toc || !document.querySelector("h3.rw-absatz") || !window.MutationObserver) return;
    if (tocBeobachter) tocBeobachter.disconnect();
    tocBeobachter = new MutationObserver(planeToc);
    tocBeobachter.observe(toc, { subtree: true, attributes: true, attributeFilter: ["class"] });
  }

  function start() {
    blaettern();
    suchTreffer();
    folgeHash();
    beobachteToc();
    planeToc();
    // from a search result (?h=…): then the sentence with the hit, once the theme has marked the hits
    if (new URLSearchParams(location.search).get("h")) {
      var versuche = 0;
      (function warte() {
        if (document.querySelector("article mark[data-md-highlight]")) folgeSuchtreffer();
        else if (versuche++ < 30) setTimeout(warte, 100);
      })();
    }
  }

  window.addEventListener("hashchange", folgeHash);
  window.addEventListener("scroll", planeToc, { passive: true });
  window.addEventListener("resize", planeToc);
  window.addEventListener("hashchange", planeToc);
  document.addEventListener("change", function (ereignis) {  // another Fassung's tab opened
    if (ereignis.target && ereignis.target.matches && ereignis.target.matches(".tabbed-set > input")) planeToc();
  });
  // links to the page itself (e.g. a TOC entry whose hash is already set) still highlight
  document.addEventListener("click", function (ereignis) {
    var a = ereignis.target.closest && ereignis.target.closest("a[href*='#']");
    if (!a || ereignis.defaultPrevented || ereignis.button !== 0) return;
    var url = new URL(a.href, location.href);
    // the table of contents keeps the Fassung the reader has open: "Abs. 2" of the 2018 tab, not of the newest
    var toc = a.closest(".md-nav--secondary");
    var teile = /^#f(\d{4}-\d\d-\d\d)-(.+)$/.exec(url.hash);
    if (toc && teile && url.pathname === location.pathname) {
      var offen = Array.prototype.filter.call(document.querySelectorAll(".rw-fassung-kopf[data-ab]"),
        function (k) { return k.offsetParent !== null; })[0];
      var ab = offen && offen.getAttribute("data-ab");
      if (ab && ab !== teile[1] && document.getElementById("f" + ab + "-" + teile[2])) {
        ereignis.preventDefault();
        location.hash = "f" + ab + "-" + teile[2];
        return;
      }
    }
    if (url.pathname === location.pathname && url.hash === location.hash && url.hash) {
      ereignis.preventDefault();
      folgeHash();
    }
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(start, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.Regelwerk = { parseZitat: parseZitat, ziel: ziel, element: element, aktiverAbsatz: aktiverAbsatz };
})();
