"""The Bescheid over HTTP: `POST /api/v1/bescheide?format=md|html|docx|pdf` (one case as JSON or YAML)
returns the file with its content type; `POST /formular/bescheid` does the same for the download
buttons of the form's decision page. The authority's settings come from the file named by the
environment variable REGELWERK_BEHOERDE (without it: a draft with placeholders).

Deciding and writing run in the server's worker processes (`arbeit`), never in the event loop.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from ..bescheid import FORMATE, MEDIENTYPEN, datei_fuer, lade_behoerde
from ..stapel.adapter import RegelwerkFehler
from . import arbeit

UMGEBUNG = "REGELWERK_BEHOERDE"
_behoerde: dict[str, Any] | None = None
_behoerde_geladen = False


def _behoerde_der_umgebung() -> dict[str, Any] | None:
    """The authority's settings of this deployment (read once per worker process)."""
    global _behoerde, _behoerde_geladen
    if not _behoerde_geladen:
        pfad = os.environ.get(UMGEBUNG)
        _behoerde = lade_behoerde(pfad) if pfad else None
        _behoerde_geladen = True
    return _behoerde


def erstelle(text: str, typ: str, format_: str, quelle: str) -> tuple[int, str, bytes, str]:
    """In a worker process: decide the one case of a request body and write its Bescheid.
    (status, media type, body, file name); errors as the JSON error list of the API."""
    faelle, fehler, mehrere = arbeit._faelle(text, typ, quelle)  # the worker's rulebook checks the case
    if not fehler and (mehrere or len(faelle) != 1):
        fehler = [{"index": None, "meldung": "ein Bescheid wird für genau einen Fall erstellt", "ort": quelle,
                   "feldpfad": None, "hilfe": "einen einzelnen Fall als JSON-Objekt oder YAML senden"}]
    if not fehler:
        try:
            e = arbeit._rw.entscheide(faelle[0])
            daten = datei_fuer(e, format_, _behoerde_der_umgebung())
        except RegelwerkFehler as exc:
            fehler = [{"index": None, "meldung": exc.was, "ort": str(exc.ort) if exc.ort else None,
                       "feldpfad": exc.ort.pfad if exc.ort else None, "hilfe": exc.hilfe}]
        else:
            az = ((faelle[0].daten.get("bescheid") or {}).get("aktenzeichen") or "") if isinstance(faelle[0].daten, dict) else ""
            name = "bescheid" + ("-" + re.sub(r"[^A-Za-z0-9_-]+", "-", az).strip("-") if az else "") + "." + format_
            return 200, MEDIENTYPEN[format_], daten, name
    return 422, "application/json", json.dumps({"fehler": fehler}, ensure_ascii=False).encode("utf-8"), ""


def registriere(app: FastAPI, koerpertext, typ_von, ungueltig) -> None:
    """Add the routes; `koerpertext` reads a request body as text (413 over the size limit, 422 if not UTF-8),
    `typ_von` tells json/yaml/csv from a media type, `ungueltig` is the API's 4xx exception (as in app.py)."""

    async def _erstelle(text: str, typ: str, format_: str, quelle: str) -> Response:
        status, medium, daten, name = await asyncio.get_running_loop().run_in_executor(
            app.state.pool, erstelle, text, typ, format_, quelle)
        kopf = {"Content-Disposition": f'attachment; filename="{name}"'} if status == 200 else {}
        return Response(daten, status_code=status, media_type=medium, headers=kopf)

    @app.post("/api/v1/bescheide", summary="Einen Fall entscheiden und als Bescheid ausgeben", tags=["Entscheidungen"],
              responses={"200": {"description": "der Bescheid als Datei (Markdown, HTML, Word oder PDF)",
                                 "content": {m.split(";")[0]: {} for m in MEDIENTYPEN.values()}},
                         "422": {"description": "ungültiger Fall: deutsche Meldungen mit Feldpfad"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"type": "object"}}, "application/yaml": {"schema": {"type": "string"}}}}})
    async def bescheide(request: Request, format: str = Query("pdf", description="md, html, docx oder pdf",
                                                              json_schema_extra={"enum": list(FORMATE)})) -> Response:
        """Ein Fall (JSON-Objekt oder YAML) mit den Angaben für den Bescheid (`bescheid`, `ermessenserwaegungen`)."""
        if format not in FORMATE:
            raise ungueltig(f"ungültiges Format `{format}`", "query.format", "erlaubt: " + ", ".join(FORMATE))
        text = await koerpertext(request)
        typ = typ_von(request.headers.get("content-type", "application/json"))
        if not text.strip() or typ == "csv":
            raise ungueltig("kein Fall in der Anfrage", "body", "einen Fall als JSON-Objekt oder YAML senden")
        return await _erstelle(text, typ, format, "anfrage")

    @app.post("/formular/bescheid", include_in_schema=False)
    async def formular_bescheid(request: Request) -> Response:
        async with request.form(max_files=0, max_fields=4) as daten:
            text, typ, format_ = (str(daten.get(k) or "") for k in ("fall", "typ", "format"))
        if format_ not in FORMATE or typ not in ("json", "yaml") or not text.strip():
            raise ungueltig("ungültige Anfrage für einen Bescheid", "body", "über die Schaltflächen der Entscheidung aufrufen")
        return await _erstelle(text, typ, format_, "formular")
