"""The local workspace in a browser: a page, its assets, a JSON API and a live event stream.

Runs in the same process as LocalSlack, so the workspace's state is the one source of truth:
the page reads it (`GET /api/state`), acts through the Driver (`POST /api/<action>`, signed
requests to the bot, as in tests) and hears of every change over server-sent events
(`GET /api/events`, one `data: <version>` line per change, woken by the workspace's Condition).

Only 127.0.0.1 is served: anyone who can reach it can act as anyone in the workspace. So that
other web pages in the same browser cannot (a form posted across sites, DNS rebinding), every
request must name this host, and every POST carry a header a cross-site form cannot set.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from localslack.records import JSONDict
from localslack.web.actions import Actions, BadRequest
from localslack.web.state import for_viewer

if TYPE_CHECKING:
    from localslack.core import LocalSlack

STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# An idle stream still says something now and then, so a dead tab's thread notices and ends.
HEARTBEAT_SECONDS = 15.0
MAX_BODY = 20 * 1024 * 1024  # uploads from the file input
ACTION_HEADER = "X-Requested-By"  # app.js sends "procedo"; setting it needs a CORS preflight
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def _asset(name: str) -> bytes | None:
    if "/" in name or name.startswith("."):
        return None
    entry = resources.files("localslack.web").joinpath("static", name)
    return entry.read_bytes() if entry.is_file() else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, ui: WebUI) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.ui = ui


class WebUI:
    def __init__(self, ls: LocalSlack, *, profiles: dict[str, str] | None = None) -> None:
        self.ls = ls
        self.profiles = profiles or {}
        self.actions = Actions(ls)
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, port: int = 0) -> WebUI:
        try:
            server = _Server(port, self)
        except OSError:
            if port == 0:
                raise
            server = _Server(0, self)  # the usual port is taken: any free one will do
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="localslack:web",
            daemon=True,
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the web UI is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.stopping.set()
        with self.ls.ws.cond:
            self.ls.ws.cond.notify_all()  # event streams wake and end
        server.shutdown()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> WebUI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal prints the URL and nothing else."""

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _refused(self, post: bool) -> bool:
        """True (and answered) if the request may come from another site."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in LOCAL_HOSTS:
            self._send(403, b"this workspace answers on 127.0.0.1 only", "text/plain")
            return True
        if post and self.headers.get(ACTION_HEADER) != "procedo":
            self._send(403, f"missing {ACTION_HEADER}".encode(), "text/plain")
            return True
        return False

    def do_GET(self) -> None:
        if self._refused(post=False):
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = [unquote(p) for p in url.path.split("/") if p]
        ui = self.server.ui
        if not parts:
            self._static("index.html")
        elif parts[0] == "static" and len(parts) == 2:
            self._static(parts[1])
        elif parts == ["api", "state"]:
            try:
                self._json(200, for_viewer(ui.ls.ws, query.get("user", ""), ui.profiles))
            except KeyError:
                self._json(404, {"ok": False, "error": "no such person"})
        elif parts == ["api", "events"]:
            self._events()
        elif parts[0] == "files" and len(parts) >= 2:
            self._download(parts[1], query.get("download") == "1")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        if self._refused(post=True):
            self.close_connection = True  # the body was not read
            return
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.split("/") if p]
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"ok": False, "error": "too large"})
            return
        raw = self.rfile.read(length) if length else b""
        actions = self.server.ui.actions
        try:
            if parts == ["api", "upload"]:
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                name = query.get("name") or "upload"
                self._json(200, actions.upload(query.get("user", ""), name, raw))
                return
            body = json.loads(raw.decode("utf-8") or "{}")
            if len(parts) != 2 or parts[0] != "api" or not isinstance(body, dict):
                raise BadRequest("unknown request")
            self._json(200, self._act(actions, parts[1], body))
        except (BadRequest, ValueError, UnicodeDecodeError) as exc:
            self._json(400, {"ok": False, "error": str(exc)})
        except (AssertionError, KeyError) as exc:
            # What the Driver refuses (a button no longer there, a value no picker gives).
            self._json(409, {"ok": False, "error": str(exc).strip("'\"")})
        except ConnectionError as exc:
            self._json(502, {"ok": False, "error": f"the app did not answer: {exc}"})

    @staticmethod
    def _act(actions: Actions, name: str, body: JSONDict) -> JSONDict:
        handlers = {
            "command": actions.command,
            "post": actions.post,
            "click": actions.click,
            "choose": actions.choose,
            "submit": actions.submit,
            "close": actions.close,
            "home": actions.home,
        }
        if name not in handlers:
            raise BadRequest(f"unknown action {name!r}")
        return handlers[name](body)

    def _static(self, name: str) -> None:
        content = _asset(name)
        suffix = name[name.rfind(".") :] if "." in name else ""
        if content is None or suffix not in STATIC_TYPES:
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, content, STATIC_TYPES[suffix])

    def _download(self, file_id: str, attachment: bool) -> None:
        record = self.server.ui.ls.ws.files.get(file_id)
        if record is None or not record.uploaded:
            self._send(404, b"not found", "text/plain")
            return
        disposition = "attachment" if attachment else "inline"
        # The name is ours (the bot chose it), but quote it safely anyway.
        safe = record.name.replace('"', "").replace("\\", "")
        headers = {"Content-Disposition": f'{disposition}; filename="{safe}"'}
        if not safe.isascii():
            headers["Content-Disposition"] += f"; filename*=UTF-8''{quote(record.name)}"
        self._send(200, record.content, record.mimetype, **headers)

    def _events(self) -> None:
        ui = self.server.ui
        ws = ui.ls.ws
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not ui.stopping.is_set():
                with ws.cond:
                    if ws.version == seen:
                        ws.cond.wait(HEARTBEAT_SECONDS)
                    version = ws.version
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab went away
