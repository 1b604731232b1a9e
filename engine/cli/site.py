"""`regelwerk site build | serve`: the published rulebook (MkDocs, mkdocs-material)."""
from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path

from ..format import sekunden
from .gemeinsam import braucht, deutsche_hilfe, gemeldet, wurzel


@gemeldet
def befehl_build(args) -> int:
    braucht("site")  # MkDocs is loaded only for the site commands
    from mkdocs.exceptions import MkDocsException

    from ..site import baue

    basis = wurzel(args)
    try:
        ergebnis = baue(basis, generiert=Path(args.generiert).resolve() if args.generiert else None,
                        build=Path(args.ziel).resolve() if args.ziel else None, leise=not args.ausfuehrlich)
    except MkDocsException as exc:
        print(f"fehler: MkDocs-Bau abgebrochen: {exc}\n  = hilfe: die Warnungen oben beheben "
              "(strict: jede Warnung, z. B. ein Link auf einen fehlenden Anker, bricht den Bau ab)", file=sys.stderr)
        return 1
    for hinweis in ergebnis.hinweise:
        print(f"hinweis: {hinweis}", file=sys.stderr)
    print(f"Regelwerk-Seiten gebaut: {ergebnis.seiten} Seiten in {ergebnis.build} "
          f"(Seiten erzeugen {sekunden(ergebnis.sekunden_generieren)}, MkDocs {sekunden(ergebnis.sekunden_mkdocs)}).")
    return 0


class _Leise(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the console quiet
        pass


def server(ordner: Path, port: int = 0, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """An HTTP server for a built site (port 0: a free port); call serve_forever() to run it."""
    handler = functools.partial(_Leise, directory=str(ordner))
    return http.server.ThreadingHTTPServer((host, port), handler)


@gemeldet
def befehl_serve(args) -> int:
    basis = wurzel(args)
    ziel = Path(args.ziel).resolve() if args.ziel else basis / "site" / "build"
    if args.bauen or not (ziel / "index.html").exists():
        braucht("site")
        from ..site import baue

        ergebnis = baue(basis, build=ziel)
        print(f"gebaut: {ergebnis.seiten} Seiten ({sekunden(ergebnis.sekunden_generieren + ergebnis.sekunden_mkdocs)})")
    httpd = server(ziel, args.port)
    host, port = httpd.server_address[:2]
    print(f"Regelwerk unter http://{host}:{port}/ (Strg+C beendet)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


def registriere(sub) -> None:
    s = sub.add_parser("site", help="das veröffentlichte Regelwerk (Webseiten) bauen oder lokal zeigen")
    site_sub = s.add_subparsers(dest="site_befehl", metavar="BEFEHL", parser_class=type(s))
    site_sub.required = True
    b = site_sub.add_parser("build", help="Seiten aus legal/, rules/ und tests/cases/ erzeugen und mit MkDocs (strict) bauen")
    b.add_argument("--ziel", metavar="ORDNER", help="Zielordner der HTML-Seiten (Standard: site/build)")
    b.add_argument("--generiert", metavar="ORDNER", help="Ordner für die erzeugten Markdown-Seiten (Standard: site/generiert)")
    b.add_argument("--ausfuehrlich", action="store_true", help="Meldungen von MkDocs zeigen")
    b.set_defaults(funktion=befehl_build)
    v = site_sub.add_parser("serve", help="die gebauten Seiten lokal unter 127.0.0.1 zeigen")
    v.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000; 0 = freier Port)")
    v.add_argument("--ziel", metavar="ORDNER", help="Ordner der gebauten Seiten (Standard: site/build)")
    v.add_argument("--bauen", action="store_true", help="vorher neu bauen")
    v.set_defaults(funktion=befehl_serve)
    for p in (s, b, v):
        deutsche_hilfe(p)
