"""`regelwerk serve`: the JSON API, the German decision forms and the built rulebook on one local server."""
from __future__ import annotations

from .gemeinsam import braucht, deutsche_hilfe, gemeldet, wurzel


@gemeldet
def befehl_serve(args) -> int:
    braucht("server")
    from ..server.app import serve  # FastAPI and uvicorn are loaded only for this command

    serve(args.host, args.port, str(wurzel(args)), args.site, args.arbeiter)
    return 0


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Port (1 bis 65535)")
    return int(text)


def registriere(sub) -> None:
    s = sub.add_parser("serve", help="Server: JSON-API, Entscheidungsformular und Regelwerk im Browser",
                       description="Startet den Server (bereit, sobald GET /api/openapi.json antwortet). "
                                   "Standard: nur auf diesem Rechner erreichbar (127.0.0.1).")
    s.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1, nur dieser Rechner)")
    s.add_argument("--port", type=_port, default=8000, help="Port (Standard: 8000)")
    s.add_argument("--site", metavar="ORDNER", help="gebautes Regelwerk (Standard: site/build; `regelwerk site build`)")
    s.add_argument("--arbeiter", type=int, metavar="N", help="Prozesse für Entscheidungen (Standard: alle Kerne)")
    s.set_defaults(funktion=befehl_serve)
    deutsche_hilfe(s)
