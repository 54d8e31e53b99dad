"""The workspace on disk: what a person saw in `procedo local` is there after a restart.

Saved as JSON (file contents base64): people, conversations, messages, ephemerals, App Homes and
files, plus the id counters so new ids never repeat old ones. Open modals, triggers and
response_urls are not kept: a restarted Slack client closes modals, and the others expire.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from localslack.records import Channel, Ephemeral, FileRecord, Message, User, View
from localslack.store import Workspace

FORMAT = 1
_Record = TypeVar("_Record", User, Channel, Message, Ephemeral, View, FileRecord)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _record(cls: type[_Record], data: dict[str, Any]) -> _Record:
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            continue  # written by a newer version: ignore rather than refuse the file
        if isinstance(value, dict) and "$datetime" in value:
            value = datetime.fromisoformat(value["$datetime"])
        elif isinstance(value, dict) and "$bytes" in value:
            value = base64.b64decode(value["$bytes"])
        elif key in ("members", "channels") and isinstance(value, list):
            value = tuple(value)
        values[key] = value
    return cls(**values)


def _flat(record: Any) -> dict[str, Any]:
    # asdict deep-copies; only the top level holds datetimes, bytes and tuples.
    return {key: _encode(value) for key, value in asdict(record).items()}


def snapshot(ws: Workspace) -> dict[str, Any]:
    with ws.lock:
        homes = {user: view_id for user, view_id in ws.homes.items() if view_id in ws.views}
        return {
            "format": FORMAT,
            "users": [_flat(u) for u in ws.users.values()],
            "channels": [_flat(c) for c in ws.channels.values()],
            "dm_ids": dict(ws.dm_ids),
            "messages": [_flat(m) for ms in ws.messages.values() for m in ms],
            "ephemerals": [_flat(e) for e in ws.ephemerals],
            "homes": [_flat(ws.views[view_id]) for view_id in homes.values()],
            "files": [_flat(f) for f in ws.files.values()],
            "ids": ws.ids.state(),
        }


def restore(ws: Workspace, data: dict[str, Any]) -> None:
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown workspace file format {data.get('format')!r}")
    with ws.lock:
        for u in data["users"]:
            ws.users[u["id"]] = _record(User, u)
        for c in data["channels"]:
            ws.channels[c["id"]] = _record(Channel, c)
            ws.messages.setdefault(c["id"], [])
        ws.dm_ids.update(data["dm_ids"])
        for m in data["messages"]:
            ws.messages.setdefault(m["channel"], []).append(_record(Message, m))
        ws.ephemerals.extend(_record(Ephemeral, e) for e in data["ephemerals"])
        for v in data["homes"]:
            home = _record(View, v)
            ws.views[home.id] = home
            ws.homes[home.user] = home.id
        for f in data["files"]:
            ws.files[f["id"]] = _record(FileRecord, f)
        ws.ids.restore(data["ids"])
        ws.touch()


def save(ws: Workspace, path: Path) -> None:
    """Write atomically: a crash mid-save leaves the previous file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(snapshot(ws), ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def load(ws: Workspace, path: Path) -> bool:
    """Restore from `path` if it exists; False if there was nothing to load."""
    if not path.exists():
        return False
    restore(ws, json.loads(path.read_text(encoding="utf-8")))
    return True


class Autosave:
    """Saves the workspace at most once per `interval` seconds after it changes, and on stop."""

    def __init__(self, ws: Workspace, path: Path, interval: float = 1.0) -> None:
        self.ws, self.path, self.interval = ws, path, interval
        self._stop = threading.Event()
        self._saved = ws.version
        self._thread = threading.Thread(target=self._run, name="localslack:autosave", daemon=True)

    def start(self) -> Autosave:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._save_if_changed()

    def _save_if_changed(self) -> None:
        version = self.ws.version
        if version != self._saved:
            save(self.ws, self.path)
            self._saved = version

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._save_if_changed()
