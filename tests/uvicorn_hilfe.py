"""A uvicorn server for the tests (API and browser): the app on a free port of 127.0.0.1 only."""
from __future__ import annotations

import contextlib
import socket
import threading
import time


@contextlib.contextmanager
def uvicorn_auf_freiem_port(app):
    """Run the ASGI app with uvicorn on a free port of 127.0.0.1 (only this machine) and yield its URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    faden = threading.Thread(target=server.run, daemon=True)
    faden.start()
    ende = time.time() + 60
    while not server.started:
        assert time.time() < ende, "Server startet nicht"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        faden.join(timeout=30)
