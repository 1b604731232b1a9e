"""Load test of `regelwerk serve` on 127.0.0.1 only: a fixed number of requests from 8 clients.

Starts the server in a subprocess on a free local port, waits until GET /api/openapi.json
answers, sends the requests (one synthetic levy case each, JSON with full trail), and
prints decisions/s and the p50/p95 latency. Any error response fails the run.
Usage: python benchmarks/lasttest.py [--anfragen 2000] [--clients 8]
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WURZEL / "benchmarks"))

from entscheidungen import synthetischer_fall  # noqa: E402

HOST = "127.0.0.1"  # never anything else


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def lasttest(texte: list[str], anfragen: int, clients: int = 8) -> tuple[float, float, float]:
    """(decisions/s, p50 s, p95 s) against a fresh local server."""
    import httpx

    port = _freier_port()
    server = subprocess.Popen([sys.executable, "-m", "engine.cli", "serve", "--host", HOST, "--port", str(port)],
                              cwd=WURZEL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    basis = f"http://{HOST}:{port}"
    try:
        ende = time.time() + 120
        while True:
            try:
                if httpx.get(f"{basis}/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.time() > ende:
                raise SystemExit(f"Server startet nicht: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.2)
        zeiten: list[float] = []
        fehler: list[str] = []
        sperre = threading.Lock()

        def client(nr: int) -> None:
            with httpx.Client(base_url=basis, timeout=60) as c:
                for i in range(nr, anfragen, clients):
                    start = time.perf_counter()
                    r = c.post("/api/v1/entscheidungen", content=texte[i % len(texte)].encode(),
                               headers={"content-type": "application/json"})
                    dauer = time.perf_counter() - start
                    with sperre:
                        zeiten.append(dauer)
                        if r.status_code != 200:
                            fehler.append(f"{r.status_code}: {r.text[:200]}")

        for t in texte[:20]:  # warm up: every worker compiles the years it sees
            httpx.post(f"{basis}/api/v1/entscheidungen", content=t.encode(), timeout=60)
        start = time.perf_counter()
        faeden = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for f in faeden:
            f.start()
        for f in faeden:
            f.join()
        gesamt = time.perf_counter() - start
        if fehler:
            raise SystemExit(f"{len(fehler)} Fehlerantworten, z. B. {fehler[0]}")
        zeiten.sort()
        return anfragen / gesamt, statistics.median(zeiten), zeiten[int(0.95 * (len(zeiten) - 1))]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--anfragen", type=int, default=2000)
    p.add_argument("--clients", type=int, default=8)
    args = p.parse_args()
    rng = random.Random(4711)
    texte = [json.dumps(synthetischer_fall(rng)) for _ in range(500)]
    rate, p50, p95 = lasttest(texte, args.anfragen, args.clients)
    print(f"{args.anfragen} Anfragen, {args.clients} Clients, 127.0.0.1: {rate:,.0f} Entscheidungen/s, "
          f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, keine Fehler")


if __name__ == "__main__":
    main()
