"""The HTTP side: Web API, response_urls, file upload URLs and file downloads.

Routes:
  POST|GET /api/<method>        Web API (form, JSON or query arguments)
  POST     /response/<token>    response_url
  POST     /upload/<file_id>    upload URL handed out by files.getUploadURLExternal
  GET      /files/<id>/<name>   url_private of a file (needs the bot token)
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from localslack import hooks
from localslack.api import METHODS, ApiError, Args
from localslack.api.files import receive_upload
from localslack.api.registry import decode_json_fields
from localslack.faults import FaultRule
from localslack.records import ApiCall, JSONDict
from localslack.store import Workspace

# What each kind of fault looks like in the call log: (HTTP status, error); 0 means no answer.
FAULT_OUTCOMES: dict[str, tuple[int, str]] = {
    "429": (429, "ratelimited"),
    "500": (500, "internal_error"),
    "timeout": (0, "timeout"),
    "reset": (0, "reset"),
}


def parse_body(content_type: str, body: bytes, query: str) -> JSONDict:
    """Arguments from the query string and a form or JSON body (the body wins)."""
    data: JSONDict = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    kind = content_type.split(";")[0].strip().lower()
    if body and kind == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        if isinstance(decoded, dict):
            data.update(decoded)
    elif body:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        data.update({k: v[-1] for k, v in form.items()})
    return decode_json_fields(data)


class LocalSlackServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a stalled "timeout" fault must not hold up stop()

    def __init__(self, ws: Workspace) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ws = ws
        self.stopping = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: LocalSlackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the recorded calls instead."""

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    # -- plumbing ----------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, data: JSONDict, headers: dict[str, str]) -> None:
        body = json.dumps(data).encode()
        self._send(status, body, "application/json; charset=utf-8", **headers)

    def _route(self) -> None:
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.split("/") if p]
        body = self._body()
        if len(parts) == 2 and parts[0] == "api":
            self._api(parts[1], body, url.query)
        elif len(parts) >= 2 and parts[0] == "response" and self.command == "POST":
            self._hook("/".join(parts[1:]), body)
        elif len(parts) == 2 and parts[0] == "upload" and self.command == "POST":
            ok = receive_upload(self.server.ws, parts[1], body)
            self._send(200 if ok else 404, f"OK - {len(body)}".encode(), "text/plain")
        elif len(parts) >= 2 and parts[0] == "files" and self.command == "GET":
            self._download(parts[1])
        else:
            self._send(404, b"not found", "text/plain")

    def _fault(self, method: str, args: JSONDict) -> bool:
        """Answer with an injected fault if one applies; True if it did."""
        ws = self.server.ws
        with ws.lock:
            rule = ws.faults.check(method)
            if rule is not None:
                ws.touch()  # a fired fault is a change tests may wait for
        if rule is None:
            return False
        status, error = (200, rule.error) if rule.kind == "error" else FAULT_OUTCOMES[rule.kind]
        # Recorded before answering, like every other call: a client that has its answer may
        # call again at once, and the calls must stay in the order they were made.
        ws.record(ApiCall(method, args, False, error, status, ws.now()))
        self._apply_fault(rule)
        return True

    def _apply_fault(self, rule: FaultRule) -> None:
        if rule.kind == "429":
            body = {"ok": False, "error": "ratelimited"}
            self._send_json(429, body, {"Retry-After": str(rule.retry_after)})
        elif rule.kind == "500":
            self._send_json(500, {"ok": False, "error": "internal_error"}, {})
        elif rule.kind == "error":
            self._send_json(200, {"ok": False, "error": rule.error}, {})
        elif rule.kind == "timeout":
            # Stall (interruptible by stop()), then hang up without an answer.
            self.server.stopping.wait(rule.delay)
            self.close_connection = True
        else:
            # "reset": an abortive close sends RST instead of a response.
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.close_connection = True

    # -- endpoints ---------------------------------------------------------------------

    def _api(self, method: str, body: bytes, query: str) -> None:
        ws = self.server.ws
        try:
            args = parse_body(self.headers.get("Content-Type", ""), body, query)
        except (ValueError, UnicodeDecodeError):
            args = {}
            result: JSONDict = {"ok": False, "error": "invalid_json"}
            ws.record(ApiCall(method, {}, False, "invalid_json", 200, ws.now(), result))
            self._send_json(200, result, {})
            return
        # May wait for the bot's pending acks (see localslack.acks).
        trigger = args.get("trigger_id")
        ws.acks.gate(method, f"trigger:{trigger}" if isinstance(trigger, str) else None)
        token = args.pop("token", None)
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ").strip()
        if self._fault(method, args):
            return
        status, headers = 200, {}
        handler = METHODS.get(method)
        with ws.lock:
            try:
                if handler is None:
                    raise ApiError("unknown_method")
                if not token:
                    raise ApiError("not_authed")
                if token != ws.config.bot_token:
                    raise ApiError("invalid_auth")
                result = handler(ws, Args(args))
            except ApiError as exc:
                result, status, headers = exc.body(), exc.status, exc.headers
            ok = bool(result.get("ok"))
            error = None if ok else str(result.get("error"))
            ws.record(ApiCall(method, args, ok, error, status, ws.now(), result))
        self._send_json(status, result, headers)

    def _hook(self, token: str, body: bytes) -> None:
        ws = self.server.ws
        ws.acks.gate("response_url", f"hook:{token}")
        try:
            preview = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            preview = {}
        if self._fault("response_url", preview if isinstance(preview, dict) else {}):
            return
        answer = hooks.handle(ws, token, body)
        error = None if answer.ok else answer.body
        ws.record(ApiCall("response_url", answer.args, answer.ok, error, answer.status, ws.now()))
        self._send(answer.status, answer.body.encode(), "text/html")

    def _download(self, file_id: str) -> None:
        ws = self.server.ws
        auth = self.headers.get("Authorization", "")
        if auth != f"Bearer {ws.config.bot_token}":
            self._send(403, b"forbidden", "text/plain")
            return
        record = ws.files.get(file_id)
        if record is None or not record.uploaded:
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, record.content, record.mimetype)
