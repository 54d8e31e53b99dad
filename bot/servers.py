"""Serving the WSGI app: gunicorn in production, a threaded loopback server for tests/local."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from gunicorn.app.base import BaseApplication

log = logging.getLogger("procedo.server")

WsgiApp = Callable[..., Any]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - " + format, self.address_string(), *args)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class BackgroundServer:
    """The app on 127.0.0.1 (an ephemeral port unless given), served from a daemon thread."""

    def __init__(self, app: WsgiApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_server(
            host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def bind_address(host: str, port: int) -> str:
    """gunicorn's `host:port`; an IPv6 address needs brackets to keep its colons apart."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn's threaded worker around our WSGI app; the app is built in each worker."""

    def __init__(
        self, factory: Callable[[], WsgiApp], *, host: str, port: int, threads: int
    ) -> None:
        self.factory = factory
        self.options = {
            "bind": bind_address(host, port),
            "worker_class": "gthread",
            "workers": int(os.environ.get("WEB_CONCURRENCY", "1")),
            "threads": threads,
            "timeout": 30,
            "accesslog": "-",
            "errorlog": "-",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WsgiApp:
        return self.factory()
