"""Render the Markdown of part of the pages in a forked child process while MkDocs renders the rest.

Converting Markdown to HTML is most of the MkDocs build of the rulebook, and it is the same work for
every page whatever the other pages contain. `ZweiterKern` is an MkDocs plugin object that ``baue``
adds to the loaded configuration. Once the files are known (``on_nav``, before MkDocs reads and
renders the pages) it forks a child that runs, for the last pages of the build order (about half
of the Markdown by size), exactly what MkDocs' populate step runs for a page: ``read_source``, the
``page_markdown`` events and ``Page.render``. The child sends back per page the attributes
``render`` sets (content, table of contents, title found while rendering, present anchors, links to
anchors with the linked files by ``src_uri``) and every log record emitted meanwhile.

In the parent MkDocs populates the pages as usual; for the child's pages ``on_pre_page`` puts a
``render`` on the page object that installs the child's result instead of converting again and
re-emits the child's log records, so strict mode counts a warning of the child like its own. The
HTML is byte for byte what the serial build writes (tests/test_site.py builds both ways).

Where fork is not available, with one core, when another plugin hooks into reading pages, or when
the child fails in any way, the pages are rendered in the parent as in the serial build (with a log
message of logger ``engine.site.parallel``), never with a partial result.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

log = logging.getLogger(__name__)

# events with which another plugin could make the rendering of a page depend on state of the parent
_SEITEN_EREIGNISSE = ("pre_page", "page_read_source", "page_markdown")
# share of the Markdown (by source size) the child renders: a little under half, as the parent reads
# every page's source itself and the child also pickles its results (measured: parent and child finish
# about together)
_ANTEIL_KIND = 0.46
_WARTEZEIT = 300.0


def kerne() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def fork_verfuegbar() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Sammler(logging.Handler):
    """Collects the records of the child, ready to be pickled."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
        self.records.append(record)


def _nur_sammeln() -> _Sammler:
    """In the child: every record a logger lets through goes to one collector (at the root), none
    to the parent's handlers; the parent hands it to the same logger again (``Logger.handle``)."""
    sammler = _Sammler()
    wurzel = logging.getLogger()
    for lg in [wurzel] + [x for x in logging.Logger.manager.loggerDict.values() if isinstance(x, logging.Logger)]:
        for h in list(lg.handlers):
            lg.removeHandler(h)
        lg.propagate = True
    wurzel.addHandler(sammler)
    return sammler


def _kind(verbindung: Any, config: Any, files: Any, pfade: list[str]) -> None:
    """The child: render the pages `pfade` as MkDocs' populate step would and send the results."""
    try:
        sammler = _nur_sammeln()
        nach_pfad = {f.src_uri: f for f in files.documentation_pages()}
        ergebnisse: dict[str, Any] = {}
        for pfad in pfade:
            datei = nach_pfad[pfad]
            page = datei.page if datei.page is not None else Page(None, datei, config)
            sammler.records = []
            config._current_page = page
            try:
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
                page.render(config, files)
            except Exception:  # the parent renders this page itself and reports the error as MkDocs does
                ergebnisse[pfad] = None
                continue
            finally:
                config._current_page = None
            links = getattr(page, "links_to_anchors", None)
            ergebnisse[pfad] = {
                "content": page.content,
                "toc": page.toc,
                "_title_from_render": page._title_from_render,
                "present_anchor_ids": page.present_anchor_ids,
                "links_to_anchors": None if links is None else {f.src_uri: v for f, v in links.items()},
                "records": sammler.records,
            }
        verbindung.send(("ok", ergebnisse))
    except BaseException as exc:  # noqa: BLE001 - the parent falls back to rendering itself
        try:
            verbindung.send(("fehler", f"{type(exc).__name__}: {exc}"))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        verbindung.close()


class ZweiterKern(BasePlugin):
    """MkDocs plugin object (not configured in mkdocs.yml; ``baue`` adds it): see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self._prozess: Any = None
        self._verbindung: Any = None
        self._pfade: set[str] = set()
        self._ergebnisse: dict[str, Any] | None = None
        self._dateien: dict[str, Any] = {}
        self.gescheitert: str | None = None  # why the child's results were not used (None: used or not started)
        # seconds the parent waits for the child once it needs its first result (the whole build of the
        # rulebook takes well under a minute; a child that takes longer is stopped and its pages rendered here)
        self.wartezeit = _WARTEZEIT
        self.uebernommen = 0  # pages whose rendering was taken from the child

    # --- events -------------------------------------------------------------------------------

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self._starte(config, files)
        return nav

    def on_pre_page(self, page: Page, *, config: Any, files: Any) -> Page:
        if page.file.src_uri in self._pfade:
            page.render = self._render_aus_kind(page)  # type: ignore[method-assign]
        return page

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        self.beende()
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self.beende()

    # --- child ----------------------------------------------------------------------------------

    def _starte(self, config: Any, files: Any) -> None:
        if not fork_verfuegbar():
            log.info("Seiten werden seriell gerendert: Prozesse lassen sich hier nicht per fork starten.")
            return
        if kerne() < 2:
            return
        andere = [e for e in _SEITEN_EREIGNISSE
                  if any(getattr(m, "__self__", None) is not self for m in config.plugins.events.get(e, []))]
        if andere:
            log.info("Seiten werden seriell gerendert: ein Plugin nutzt %s.", ", ".join(andere))
            return
        seiten = list(files.documentation_pages())
        self._dateien = {f.src_uri: f for f in files}
        groessen = []
        for f in seiten:
            try:
                groessen.append(os.path.getsize(f.abs_src_path) if f.abs_src_path else 0)
            except OSError:
                groessen.append(0)
        # the child takes the last pages of the build order, so the parent renders its part first and
        # finds the child's results ready when it reaches them
        rest, grenze = sum(groessen) * _ANTEIL_KIND, len(seiten)
        while grenze > 0 and rest - groessen[grenze - 1] >= 0:
            grenze -= 1
            rest -= groessen[grenze]
        pfade = [f.src_uri for f in seiten[grenze:]]
        if not pfade:
            return
        try:
            kontext = multiprocessing.get_context("fork")
            empfang, senden = kontext.Pipe(duplex=False)
            self._prozess = kontext.Process(target=_kind, args=(senden, config, files, pfade), daemon=True,
                                            name="regelwerk-seiten")
            self._prozess.start()
            senden.close()
        except Exception as exc:  # noqa: BLE001
            log.warning("Seiten werden seriell gerendert: der Kindprozess ließ sich nicht starten (%s).", exc)
            self._prozess = None
            return
        self._verbindung = empfang
        self._pfade = set(pfade)

    def _hole(self) -> dict[str, Any] | None:
        """The child's results (waiting for them the first time); None once the child failed."""
        if self._ergebnisse is None and self.gescheitert is None:
            try:
                if self._verbindung.poll(self.wartezeit):
                    art, inhalt = self._verbindung.recv()
                else:  # a child that hangs without dying must not block the build
                    art, inhalt = "fehler", f"keine Antwort nach {self.wartezeit:.0f} s"
            except Exception as exc:  # noqa: BLE001 - EOFError when the child died, unpickling errors
                art, inhalt = "fehler", f"{type(exc).__name__}: {exc}"
            if art == "ok":
                self._ergebnisse = inhalt
            else:
                self.gescheitert = str(inhalt)
                log.warning("Der Kindprozess für das Rendern der Seiten ist gescheitert (%s); "
                            "die übrigen Seiten werden seriell gerendert.", inhalt)
            self.beende()
        return self._ergebnisse

    def _render_aus_kind(self, page: Page):
        def render(config: Any, files: Any) -> None:
            del page.render  # back to Page.render for anything later
            ergebnisse = self._hole()
            ergebnis = ergebnisse.get(page.file.src_uri) if ergebnisse is not None else None
            if ergebnis is None:
                page.render(config, files)
                return
            for record in ergebnis["records"]:
                logging.getLogger(record.name).handle(record)
            self.uebernommen += 1
            page.content = ergebnis["content"]
            page.toc = ergebnis["toc"]
            page._title_from_render = ergebnis["_title_from_render"]
            page.present_anchor_ids = ergebnis["present_anchor_ids"]
            if ergebnis["links_to_anchors"] is not None:
                page.links_to_anchors = {self._dateien[uri]: v for uri, v in ergebnis["links_to_anchors"].items()}
        return render

    def beende(self) -> None:
        """Stop the child if it still runs (after its results arrived it has ended by itself)."""
        if self._prozess is not None:
            if self._ergebnisse is None and self.gescheitert is None and self._prozess.is_alive():
                self._prozess.terminate()
            self._prozess.join(timeout=5)
            if self._prozess.is_alive():
                self._prozess.kill()
                self._prozess.join()
            self._prozess = None
        if self._verbindung is not None and (self._ergebnisse is not None or self.gescheitert is not None):
            self._verbindung.close()
            self._verbindung = None
