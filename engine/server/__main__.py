"""`python -m engine.server [--host 127.0.0.1] [--port 8000]`: the server on its own (as `regelwerk serve`)."""
import argparse
import sys

from .app import serve


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="regelwerk serve", description="JSON-API, Entscheidungsformular und Regelwerk.")
    p.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1, nur dieser Rechner)")
    p.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000)")
    p.add_argument("--site", metavar="ORDNER", help="gebautes Regelwerk (Standard: site/build)")
    p.add_argument("--arbeiter", type=int, metavar="N", help="Prozesse für Entscheidungen (Standard: alle Kerne)")
    p.add_argument("--wurzel", help="Projektordner mit legal/ und rules/")
    args = p.parse_args(argv)
    serve(args.host, args.port, args.wurzel, args.site, args.arbeiter)
    return 0


if __name__ == "__main__":
    sys.exit(main())
