"""views.* methods: modals (open/push/update) and App Home (publish)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from localslack import viewstore
from localslack.api.registry import ApiError, Args, method
from localslack.blockcheck import BlockError, check_view
from localslack.records import JSONDict
from localslack.shapes import view_json
from localslack.store import Trigger, Workspace

TRIGGER_LIFETIME = timedelta(seconds=3)


def _view_arg(a: Args, expect: str | None = None) -> JSONDict:
    if not a.has("view"):
        raise ApiError("invalid_arguments", messages=["missing required field: view"])
    try:
        return check_view(a.json("view"), expect=expect)
    except BlockError as exc:
        raise ApiError(exc.error, messages=exc.messages) from exc


def _exchange_trigger(ws: Workspace, a: Args) -> Trigger:
    """A trigger works once, within 3 seconds of the interaction (on the injected clock)."""
    trigger_id = a.required("trigger_id")
    trigger = ws.triggers.get(trigger_id)
    if trigger is None:
        raise ApiError("invalid_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    if ws.now() - trigger.issued > TRIGGER_LIFETIME:
        raise ApiError("expired_trigger_id")
    return trigger


def _spend(ws: Workspace, trigger: Trigger) -> None:
    ws.triggers[trigger.id] = replace(trigger, used=True)


def _answer(ws: Workspace, view_id: str) -> JSONDict:
    return {"ok": True, "view": view_json(ws, ws.views[view_id])}


@method("views.open")
def views_open(ws: Workspace, a: Args) -> JSONDict:
    trigger = _exchange_trigger(ws, a)
    source = _view_arg(a, expect="modal")
    try:
        view = viewstore.open_modal(ws, trigger.user, source)
    except viewstore.ViewError as exc:
        raise ApiError(exc.error) from exc
    _spend(ws, trigger)
    return _answer(ws, view.id)


@method("views.push")
def views_push(ws: Workspace, a: Args) -> JSONDict:
    trigger = _exchange_trigger(ws, a)
    source = _view_arg(a, expect="modal")
    try:
        view = viewstore.push_modal(ws, trigger.user, source)
    except viewstore.ViewError as exc:
        raise ApiError(exc.error) from exc
    _spend(ws, trigger)
    return _answer(ws, view.id)


@method("views.update")
def views_update(ws: Workspace, a: Args) -> JSONDict:
    view_id, external_id = a.get("view_id"), a.get("external_id")
    if not view_id and not external_id:
        raise ApiError("invalid_arguments", messages=["view_id or external_id is required"])
    source = _view_arg(a)
    try:
        old = viewstore.find(ws, view_id, external_id)
        view = viewstore.update(ws, old, source, a.get("hash"))
    except viewstore.ViewError as exc:
        raise ApiError(exc.error) from exc
    return _answer(ws, view.id)


@method("views.publish")
def views_publish(ws: Workspace, a: Args) -> JSONDict:
    user = ws.find_user(a.required("user_id"))
    if user is None or user.is_bot:
        raise ApiError("invalid_arguments", messages=["user_id: no such user"])
    source = _view_arg(a, expect="home")
    try:
        view = viewstore.publish_home(ws, user.id, source, a.get("hash"))
    except viewstore.ViewError as exc:
        raise ApiError(exc.error) from exc
    return _answer(ws, view.id)
