"""The external-upload file flow used by slack_sdk's files_upload_v2, and files.info.

1. files.getUploadURLExternal reserves a file id and answers an upload URL on this server;
2. the client POSTs the bytes there (see server.py);
3. files.completeUploadExternal shares the files, posting a message that carries them.
"""

from __future__ import annotations

import mimetypes
from dataclasses import replace

from localslack.api.registry import (
    ApiError,
    Args,
    conversation,
    method,
    require_bot_member,
    thread_parent,
)
from localslack.records import FileRecord, JSONDict
from localslack.shapes import file_json
from localslack.store import Workspace


@method("files.getUploadURLExternal")
def get_upload_url(ws: Workspace, a: Args) -> JSONDict:
    name = a.required("filename")
    length = a.integer("length", -1)
    if length < 0:
        raise ApiError("invalid_arguments", messages=["length must be a positive integer"])
    record = FileRecord(
        id=ws.ids.file_id(),
        name=name,
        title=name,
        user=ws.config.bot_user_id,
        mimetype=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=length,
        content=b"",
        created=ws.now(),
        alt_txt=a.get("alt_txt"),
    )
    ws.put_file(record)
    return {"ok": True, "upload_url": f"{ws.base_url}upload/{record.id}", "file_id": record.id}


def receive_upload(ws: Workspace, file_id: str, content: bytes) -> bool:
    """Step 2: the bytes arrive at the upload URL."""
    with ws.lock:
        record = ws.files.get(file_id)
        if record is None or record.uploaded:
            return False
        ws.put_file(replace(record, content=content, size=len(content), uploaded=True))
        return True


@method("files.completeUploadExternal")
def complete_upload(ws: Workspace, a: Args) -> JSONDict:
    items = a.json("files")
    if not isinstance(items, list) or not items:
        raise ApiError("invalid_arguments", messages=["files must be a non-empty array"])
    records = []
    for item in items:
        record = ws.files.get(str(item.get("id"))) if isinstance(item, dict) else None
        if record is None or not record.uploaded:
            raise ApiError("file_not_found")
        title = item.get("title") or record.title
        records.append(replace(record, title=str(title)))
    channel_ref = a.get("channel_id") or (a.get("channels") or "").split(",")[0] or None
    if channel_ref is not None:
        channel = conversation(ws, channel_ref)
        require_bot_member(ws, channel)
        thread_ts = thread_parent(ws, channel, a.get("thread_ts"))
        records = [replace(r, channels=(*r.channels, channel.id)) for r in records]
        for record in records:
            ws.put_file(record)
        ws.add_message(
            channel.id,
            ws.config.bot_user_id,
            a.get("initial_comment") or "",
            thread_ts=thread_ts,
            files=[file_json(ws, r) for r in records],
        )
    else:
        for record in records:
            ws.put_file(record)
    return {"ok": True, "files": [{"id": r.id, "title": r.title} for r in records]}


@method("files.info")
def files_info(ws: Workspace, a: Args) -> JSONDict:
    record = ws.files.get(a.required("file", "file_not_found"))
    if record is None or not record.uploaded:
        raise ApiError("file_not_found")
    return {"ok": True, "file": file_json(ws, record), "comments": [], "response_metadata": {}}
