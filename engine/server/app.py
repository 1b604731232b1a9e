"""`regelwerk serve`: JSON API, German decision forms and the published rulebook in one server.

- decisions run in a pool of worker processes (each with its own rulebook and durable-rules
  engine); the event loop awaits them and never calls the rule engine itself;
- everything served is local: Swagger UI and ReDoc assets come from the fastapi-offline
  package, the rulebook from the built MkDocs site under /regelwerk/;
- bad input gives HTTP 422 with German messages (field path, what is allowed), bodies
  over the size limit 413.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..stapel import adapter
from . import arbeit, bescheide, formular

MAX_BYTES = 2 * 1024 * 1024  # request body
MAX_FAELLE = 1000  # cases per request
FORMATE = ("json", "text", "md", "html")
_DOKU_STATISCH = "/api/statisch"


def _fehler(meldung: str, status: int, hilfe: str | None = None, feldpfad: str | None = None) -> JSONResponse:
    return JSONResponse({"fehler": [{"index": None, "meldung": meldung, "ort": None, "feldpfad": feldpfad,
                                     "hilfe": hilfe}]}, status_code=status)


def _datum(text: str | None, feld: str = "stichtag") -> date:
    if not text:
        return date.today()
    hilfe = "Datum als JJJJ-MM-TT angeben, z. B. 2024-12-31, zwischen 1900-01-01 und 2199-12-31"
    try:
        if not _ISO_DATUM.fullmatch(text):  # date.fromisoformat also reads 20240101 and 2024-W01-1
            raise ValueError
        tag = date.fromisoformat(text)
    except ValueError:
        raise _Ungueltig(f"„{_kurz(text)}“ ist kein Datum", feld, hilfe) from None
    if not 1900 <= tag.year <= 2199:  # the years statute texts and parameters are read for
        raise _Ungueltig(f"Datum {adapter.datum_text(tag)} liegt außerhalb des Bereichs des Regelwerks", feld, hilfe)
    return tag


_ISO_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _kurz(text: str) -> str:
    """A value from the request cut for a message (engine.format.kurz)."""
    return adapter.kurz(text, 60)


_STATUS_TEXTE = {401: "nicht angemeldet", 403: "nicht erlaubt", 406: "Antwortformat nicht verfügbar",
                 413: "Anfrage zu groß", 415: "Medientyp nicht unterstützt", 422: "ungültige Anfrage"}


class _Ungueltig(Exception):
    def __init__(self, meldung: str, feldpfad: str, hilfe: str, status: int = 422):
        super().__init__(meldung)
        self.meldung, self.feldpfad, self.hilfe, self.status = meldung, feldpfad, hilfe, status


_ERFOLG_ENTSCHEIDUNG = {
    "200": {"description": "Entscheidung(en) mit Begründung (JSON-Vertrag wie `regelwerk decide --format json`)",
            "content": {"application/json": {"schema": {"type": ["object", "array"]}},
                        "text/plain": {"schema": {"type": "string"}}, "text/markdown": {"schema": {"type": "string"}},
                        "text/html": {"schema": {"type": "string"}}}},
    "413": {"description": "Anfrage zu groß (Bytes oder mehr als 1.000 Fälle)"},
    "422": {"description": "ungültiger Fall: deutsche Meldungen mit Feldpfad und dem, was erlaubt ist"},
}
_FEHLER_SCHEMA = {"application/json": {"schema": {"type": "object", "properties": {"fehler": {"type": "array"}}}}}
_NICHT_GEFUNDEN = {"404": {"description": "nicht gefunden: deutsche Meldung mit dem, was es gibt", "content": _FEHLER_SCHEMA},
                   "422": {"description": "ungültige Angabe (z. B. Stichtag)", "content": _FEHLER_SCHEMA}}
_KOERPER = {"required": True, "content": {
    "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}},
    "application/yaml": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}}}}


def erzeuge_app(wurzel: str | Path | None = None, site: str | Path | None = None, arbeiter: int = 1,
                max_bytes: int = MAX_BYTES) -> FastAPI:
    """The application; `site` is the built rulebook (default site/build), `arbeiter` the worker processes."""
    rw = adapter.lade_regelwerk(wurzel)  # read-only here: this process never decides
    wurzel_text = str(rw.wurzel)
    site_ordner = Path(site).resolve() if site else rw.wurzel / "site" / "build"
    arten = sorted(rw.arten())
    schemas = {a: json.loads((adapter.SCHEMA_ORDNER / f"{v.fall_schema}.schema.json").read_text(encoding="utf-8"))
               for a, v in rw.arten().items()}

    @asynccontextmanager
    async def lebenszeit(app: FastAPI):
        # spawn: fresh interpreters, no state or threads of this process are inherited
        pool = ProcessPoolExecutor(max_workers=max(1, arbeiter), mp_context=multiprocessing.get_context("spawn"),
                                   initializer=arbeit.starte, initargs=(wurzel_text,))
        app.state.pool = pool
        try:
            await asyncio.gather(*(asyncio.get_running_loop().run_in_executor(pool, arbeit.bereit)
                                   for _ in range(max(1, arbeiter))))
            yield
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    app = FastAPI(title="Regelwerk", version=adapter.__version__, lifespan=lebenszeit,
                  description="Schwerbehindertenrecht (SGB IX) als Regeln mit erklärten Entscheidungen. "
                              "Jede Entscheidung zitiert den Wortlaut des Gesetzes in der Fassung ihres Stichtags.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    import fastapi_offline
    app.mount(_DOKU_STATISCH, StaticFiles(directory=str(Path(fastapi_offline.__file__).parent / "static")),
              name="doku-statisch")

    @app.exception_handler(RequestValidationError)
    async def _ungueltige_anfrage(request: Request, exc: RequestValidationError) -> JSONResponse:
        fehler = []
        for f in exc.errors():
            pfad = ".".join(str(t) for t in f.get("loc", ()))
            was = {"missing": "Angabe fehlt", "literal_error": "ungültiger Wert"}.get(f.get("type"), "ungültige Angabe")
            fehler.append({"index": None, "meldung": f"{was}: `{pfad}`", "ort": None, "feldpfad": pfad,
                           "hilfe": "siehe /api/docs"})
        return JSONResponse({"fehler": fehler}, status_code=422)

    @app.exception_handler(_Ungueltig)
    async def _ungueltig(request: Request, exc: _Ungueltig) -> JSONResponse:
        return _fehler(exc.meldung, exc.status, exc.hilfe, exc.feldpfad)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _fehler("nicht gefunden", 404, "Adresse prüfen; die API steht unter /api/docs")
        if exc.status_code == 405:
            antwort = _fehler("Methode nicht erlaubt", 405, "siehe /api/docs")
            if exc.headers and "Allow" in exc.headers:
                antwort.headers["Allow"] = exc.headers["Allow"]
            return antwort
        if exc.status_code == 400:  # the multipart parser's limits and syntax errors (English details)
            return _fehler("Formulardaten sind ungültig oder überschreiten die Grenzen (Anzahl der Felder oder Dateien, "
                           "Größe eines Teils)", 400, "das Formular der Startseite verwenden; eine Datei je Hochladen")
        return _fehler(_STATUS_TEXTE.get(exc.status_code, f"Anfrage nicht möglich (HTTP {exc.status_code})"),
                       exc.status_code)

    @app.exception_handler(Exception)
    async def _intern(request: Request, exc: Exception) -> Response:  # German, and never the exception's text
        if not request.url.path.startswith("/api/"):  # the forms: a page, not JSON
            return HTMLResponse("<!DOCTYPE html><html lang=de><meta charset=utf-8><title>Interner Fehler</title>"
                                "<h1>Interner Fehler des Servers</h1><p>Die Anfrage konnte nicht bearbeitet werden. "
                                "Bitte später erneut senden; bleibt der Fehler, ihn melden.</p>"
                                '<p><a href="/">Zur Startseite</a></p></html>', 500)
        return _fehler("interner Fehler des Servers", 500, "die Anfrage später erneut senden; bleibt der Fehler, ihn melden")

    async def _entscheide(text: str, typ: str, format_: str, site_url: str, quelle: str) -> arbeit.Antwort:
        schleife = asyncio.get_running_loop()
        return await schleife.run_in_executor(app.state.pool, arbeit.entscheide, text, typ, format_, site_url, quelle,
                                              MAX_FAELLE)

    async def _koerpertext(request: Request) -> str:
        """The request body as text: within the size limit (413) and UTF-8 (422)."""
        laenge = request.headers.get("content-length")
        if laenge and laenge.isdigit() and int(laenge) > max_bytes:
            raise _Ungueltig(f"Anfrage ist zu groß ({adapter.zahl(int(laenge))} Bytes)", "body",
                             f"höchstens {adapter.zahl(max_bytes)} Bytes; größere Bestände mit `regelwerk decide` entscheiden",
                             413)
        teile, summe = [], 0
        async for stueck in request.stream():
            summe += len(stueck)
            if summe > max_bytes:
                raise _Ungueltig("Anfrage ist zu groß", "body", f"höchstens {adapter.zahl(max_bytes)} Bytes", 413)
            teile.append(stueck)
        try:
            return b"".join(teile).decode("utf-8")
        except UnicodeDecodeError:
            raise _Ungueltig("Anfrage ist nicht UTF-8-kodiert", "body", "als UTF-8 senden") from None

    def _typ(medium: str, name: str = "") -> str:
        medium = medium.split(";")[0].strip().lower()
        if medium.endswith("csv") or name.endswith(".csv"):
            return "csv"
        if "yaml" in medium or name.endswith((".yaml", ".yml")):
            return "yaml"
        return "json"

    # --- API -----------------------------------------------------------------------------

    @app.post("/api/v1/entscheidungen", summary="Fall oder Liste von Fällen entscheiden", tags=["Entscheidungen"],
              responses=_ERFOLG_ENTSCHEIDUNG, openapi_extra={"requestBody": _KOERPER})
    async def entscheidungen(request: Request, format: str = Query("json", description="json, text, md oder html",
                                                                       json_schema_extra={"enum": list(FORMATE)})) -> Response:
        """Ein Fall (JSON-Objekt oder YAML) oder eine Liste von Fällen; auch die CSV-Anzeige der Ausgleichsabgabe."""
        if format not in FORMATE:
            raise _Ungueltig(f"ungültiges Format `{format}`", "query.format", "erlaubt: " + ", ".join(FORMATE))
        text = await _koerpertext(request)
        if not text.strip():
            raise _Ungueltig("leere Anfrage", "body", "einen Fall als JSON-Objekt oder eine Liste von Fällen senden")
        typ = _typ(request.headers.get("content-type", "application/json"))
        if typ == "json" and text.lstrip().startswith("[") and text.count('"art"') > MAX_FAELLE:
            raise _Ungueltig("zu viele Fälle in einer Anfrage", "body",
                             f"höchstens {MAX_FAELLE} Fälle; größere Bestände mit `regelwerk decide` entscheiden", 413)
        antwort = await _entscheide(text, typ, format, "/regelwerk", "anfrage")
        return Response(antwort.text, status_code=antwort.status, media_type=antwort.medium)

    bescheide.registriere(app, _koerpertext, _typ, _Ungueltig)  # POST /api/v1/bescheide, /formular/bescheid

    @app.get("/api/v1/normen/{gesetz}/{paragraph}", summary="Wortlaut einer Vorschrift an einem Stichtag",
             tags=["Recht"], responses=_NICHT_GEFUNDEN)
    async def norm(gesetz: str, paragraph: str, stichtag: str | None = Query(None, description="JJJJ-MM-TT; Standard: heute")):
        """Die Fassung, die am Stichtag gilt, mit allen Einheiten (Absatz, Satz, Nummer) und ihren Ankern.
        Für Bekanntmachungen ohne Paragraph `-` als Paragraph angeben."""
        tag = _datum(stichtag)
        v = rw.vorschrift(gesetz, None if paragraph == "-" else paragraph)
        if v is None:
            bekannt = sorted(rw.gesetze())
            raise _Ungueltig(f"Vorschrift `{gesetz}/{paragraph}` ist nicht im Regelwerk", "path", (
                f"bekannte Gesetze: {', '.join(bekannt)}" if gesetz not in bekannt else "Paragraph prüfen"), 404)
        f = v.fassung_am(tag)
        fassungen = [{"gueltig_ab": x.gueltig_ab.isoformat(), "gueltig_bis": x.gueltig_bis.isoformat() if x.gueltig_bis else None}
                     for x in v.fassungen]
        if f is None:
            raise _Ungueltig(f"{gesetz}/{paragraph} gilt am {adapter.datum_text(tag)} nicht", "query.stichtag",
                             "Fassungen: " + ", ".join(x["gueltig_ab"] for x in fassungen), 404)
        pfad = adapter.seitenpfad(v.gesetz, v.paragraph)
        return {
            "gesetz": v.gesetz, "kurz": rw.gesetze()[v.gesetz].kurz, "paragraph": v.paragraph,
            "ueberschrift": v.ueberschrift, "stichtag": tag.isoformat(),
            "fassung": {"gueltig_ab": f.gueltig_ab.isoformat(), "gueltig_bis": f.gueltig_bis.isoformat() if f.gueltig_bis else None,
                        "gesichert": f.gesichert, "hinweis": f.hinweis, "quelle": f.quelle, "stand": f.stand},
            "einheiten": [{"anker": e.anker, "art": e.art, "nr": e.nr, "text": e.text,
                           "link": f"/regelwerk/{pfad}#{adapter.html_anker(f.gueltig_ab, e.anker)}"} for e in f.wurzel.alle()],
            "fassungen": fassungen,
        }

    @app.get("/api/v1/parameter", summary="Alle Parameter (Kennung, Titel, Einheit)", tags=["Recht"])
    async def parameter_liste():
        return [{"id": p.id, "titel": p.titel, "einheit": p.einheit, "link": f"/api/v1/parameter/{p.id}"}
                for p in sorted(rw.parameter().values(), key=lambda p: p.id)]

    @app.get("/api/v1/parameter/{name}", summary="Wert eines Parameters", tags=["Recht"], responses=_NICHT_GEFUNDEN)
    async def parameter(name: str, stichtag: str | None = Query(None, description="JJJJ-MM-TT; ohne: alle Werte")):
        p = rw.parameter().get(name)
        if p is None:
            import difflib
            treffer = difflib.get_close_matches(name, sorted(rw.parameter()), n=1, cutoff=0.6)
            raise _Ungueltig(f"unbekannter Parameter `{name}`", "path.name",
                             f"meinten Sie `{treffer[0]}`?" if treffer else "GET /api/v1/parameter nennt alle Parameter", 404)

        def wert(w) -> dict[str, Any]:
            return {"wert": str(w.wert), "gueltig_ab": w.gueltig_ab.isoformat(),
                    "gueltig_bis": w.gueltig_bis.isoformat() if w.gueltig_bis else None,
                    "fundstelle": w.fundstelle, "beleg": w.beleg, "hinweis": w.hinweis}
        antwort: dict[str, Any] = {"id": p.id, "titel": p.titel, "einheit": p.einheit, "beschreibung": p.beschreibung}
        if stichtag is None:
            antwort["werte"] = [wert(w) for w in p.werte]
            return antwort
        tag = _datum(stichtag)
        treffer = [w for w in p.werte if w.gilt_am(tag)]
        if not treffer:
            raise _Ungueltig(f"Parameter `{name}` hat am {adapter.datum_text(tag)} keinen Wert", "query.stichtag",
                             "gespeichert ab " + ", ".join(adapter.datum_text(w.gueltig_ab) for w in p.werte), 404)
        antwort["stichtag"] = tag.isoformat()
        antwort |= wert(treffer[0])
        return antwort

    @app.get("/api/v1/regeln", summary="Alle Regeln", tags=["Recht"])
    async def regeln(art: str | None = Query(None, description="nur Regeln dieser Entscheidungsart")):
        art = art or None  # `?art=` without a value: all rules
        if art is not None and art not in arten:
            raise _Ungueltig(f"unbekannte Art `{_kurz(art)}`", "query.art", "erlaubt: " + ", ".join(arten))
        return [{"id": r.id, "art": r.art, "titel": r.titel, "gueltig_ab": r.zeitraum.ab.isoformat(),
                 "gueltig_bis": r.zeitraum.bis.isoformat() if r.zeitraum.bis else None,
                 "zitate": [z.zitat for z in r.fundstellen], "leitet_ab": r.leitet_ab, "datei": str(r.ort)}
                for r in rw.regeln() if art is None or r.art == art]

    @app.get("/api/v1/schemas/{art}", summary="JSON-Schema der Falldatei einer Entscheidungsart", tags=["Recht"],
             responses=_NICHT_GEFUNDEN)
    async def schema(art: str):
        if art not in schemas:
            raise _Ungueltig(f"unbekannte Art `{art}`", "path.art", "erlaubt: " + ", ".join(arten), 404)
        return schemas[art]

    @app.get("/api/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="Regelwerk – API",
                                   swagger_js_url=f"{_DOKU_STATISCH}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{_DOKU_STATISCH}/swagger-ui.css",
                                   swagger_favicon_url=f"{_DOKU_STATISCH}/favicon.png")

    @app.get("/api/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url, title="Regelwerk – API",
                              redoc_js_url=f"{_DOKU_STATISCH}/redoc.standalone.js",
                              redoc_favicon_url=f"{_DOKU_STATISCH}/favicon.png", with_google_fonts=False)

    # --- forms -----------------------------------------------------------------------------

    buch = rw.wb.regelbuch  # German labels of fields and values, the findings' questions
    formular.registriere(app)  # /favicon.ico

    @app.get("/", include_in_schema=False)
    async def startseite(art: str = "ausgleichsabgabe") -> HTMLResponse:
        if art not in schemas:
            art = "ausgleichsabgabe" if "ausgleichsabgabe" in schemas else arten[0]
        return HTMLResponse(formular.formular_html(art, schemas[art], arten, buch=buch))

    @app.post("/formular/datei", include_in_schema=False)
    async def hochladen(request: Request) -> Response:
        async with request.form(max_files=1, max_fields=10) as daten:
            datei = daten.get("datei")
            if datei is None or isinstance(datei, str) or not datei.filename:
                return HTMLResponse(formular.formular_html("ausgleichsabgabe", schemas["ausgleichsabgabe"], arten, [
                    {"meldung": "keine Datei ausgewählt", "hilfe": "eine YAML-, JSON- oder CSV-Datei wählen"}], buch=buch), 422)
            roh = await datei.read(max_bytes + 1)
            name = datei.filename
        if len(roh) > max_bytes:
            return _fehler("Datei ist zu groß", 413, f"höchstens {adapter.zahl(max_bytes)} Bytes")
        try:
            text = roh.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _fehler("Datei ist nicht UTF-8-kodiert", 422, "Datei als UTF-8 speichern")
        if _typ("", name.lower()) != "csv":  # one case: its Bescheid, as for the form
            status, ergebnis = await asyncio.get_running_loop().run_in_executor(
                app.state.pool, formular.entscheide_datei, text, _typ("", name.lower()), Path(name).name)
            if status == 200 and ergebnis.get("art") in schemas:
                return HTMLResponse(formular.entscheidung_html(ergebnis["art"], ergebnis, text, _typ("", name.lower())))
        antwort = await _entscheide(text, _typ("", name.lower()), "html", "/regelwerk", Path(name).name)
        if antwort.status != 200:
            fehler = json.loads(antwort.text)["fehler"]
            return HTMLResponse(formular.formular_html("ausgleichsabgabe", schemas["ausgleichsabgabe"], arten, fehler,
                                                       buch=buch), 422)
        return HTMLResponse(formular.mit_bescheid_knoepfen(antwort.text, text, _typ("", name.lower())))

    @app.post("/formular/{art}", include_in_schema=False)
    async def formular_senden(art: str, request: Request) -> Response:
        if art not in schemas:
            return RedirectResponse("/", status_code=303)
        async with request.form(max_files=0, max_fields=2000) as daten:
            paare = [(k, v) for k, v in daten.multi_items() if isinstance(v, str)]
        felder = dict(paare)
        try:
            if len(felder) != len(paare):  # the same field twice: which one was meant is unknown
                doppelt = next(k for i, (k, _) in enumerate(paare) if k in dict(paare[:i]))
                raise formular.Formularfehler(f"Feld `{_kurz(doppelt)}` ist mehrfach angegeben",
                                              _kurz(doppelt))
            fall = json.dumps(formular.fall_aus_formular(art, schemas[art], felder), ensure_ascii=False)
        except formular.Formularfehler as exc:
            return HTMLResponse(formular.formular_html(art, schemas[art], arten, [
                {"meldung": exc.meldung, "feldpfad": exc.feldpfad, "hilfe": exc.hilfe}], buch=buch), 422)
        # in a worker: every error of the case at once, or the decision with its Bescheid
        status, ergebnis = await asyncio.get_running_loop().run_in_executor(
            app.state.pool, formular.entscheide_formular, fall)
        if status != 200:
            return HTMLResponse(formular.formular_html(art, schemas[art], arten, ergebnis, felder, buch=buch), 422)
        return HTMLResponse(formular.entscheidung_html(art, ergebnis, fall))

    # --- the rulebook ----------------------------------------------------------------------

    if (site_ordner / "index.html").is_file():
        app.mount("/regelwerk", StaticFiles(directory=str(site_ordner), html=True), name="regelwerk")
    else:
        @app.get("/regelwerk/{rest:path}", include_in_schema=False)
        async def kein_regelwerk(rest: str = "") -> HTMLResponse:
            return HTMLResponse("<!DOCTYPE html><html lang=de><meta charset=utf-8><title>Regelwerk nicht gebaut</title>"
                                f"<p>Das Regelwerk ist noch nicht gebaut ({site_ordner} fehlt). "
                                "<code>regelwerk site build</code> ausführen und den Server neu starten.</p></html>", 404)

    return app


def serve(host: str = "127.0.0.1", port: int = 8000, wurzel: str | None = None, site: str | None = None,
          arbeiter: int | None = None) -> None:
    import uvicorn

    arbeiter = arbeiter or max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    app = erzeuge_app(wurzel, site, arbeiter)
    print(f"Regelwerk läuft auf http://{host}:{port}/ (API: /api/docs, Regelwerk: /regelwerk/); Ende mit Strg+C",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
