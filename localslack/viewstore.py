"""Modal stacks and App Home views.

Each user has a stack of at most three modals and at most one Home view. A view keeps its id
through updates; its hash changes on every change, and input a user typed survives an update
when the block_id and action_id stay the same (as in Slack).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from localslack.records import JSONDict, View
from localslack.shapes import text_of
from localslack.store import Workspace
from localslack.viewstate import build_state, carried_fills

MAX_STACK = 3


class ViewError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _make(
    ws: Workspace,
    view_id: str,
    user: str,
    source: JSONDict,
    *,
    root: str | None = None,
    previous: str | None = None,
) -> View:
    blocks = copy.deepcopy(source.get("blocks") or [])
    fills = carried_fills(blocks, ws.fills.get(view_id, {}))
    ws.fills[view_id] = fills
    return View(
        id=view_id,
        user=user,
        type=str(source.get("type")),
        callback_id=source.get("callback_id") or None,
        private_metadata=str(source.get("private_metadata") or ""),
        blocks=blocks,
        title=text_of(source.get("title")) or "",
        submit=text_of(source.get("submit")),
        close=text_of(source.get("close")),
        state_values=build_state(blocks, fills),
        hash=ws.ids.view_hash(ws.now()),
        external_id=source.get("external_id") or None,
        errors={},
        notify_on_close=bool(source.get("notify_on_close")),
        clear_on_close=bool(source.get("clear_on_close")),
        root_view_id=root or view_id,
        previous_view_id=previous,
    )


def _check_external_id(ws: Workspace, source: JSONDict, keep: str | None = None) -> None:
    external = source.get("external_id")
    if external and any(v.external_id == external and v.id != keep for v in ws.views.values()):
        raise ViewError("duplicate_external_id")


def _store(ws: Workspace, view: View) -> View:
    ws.views[view.id] = view
    ws.touch()
    return view


def open_modal(ws: Workspace, user: str, source: JSONDict) -> View:
    with ws.lock:
        _check_external_id(ws, source)
        for old in ws.stacks.get(user, []):
            _forget(ws, old)
        view = _make(ws, ws.ids.view_id(), user, source)
        ws.stacks[user] = [view.id]
        return _store(ws, view)


def push_modal(ws: Workspace, user: str, source: JSONDict) -> View:
    with ws.lock:
        stack = ws.stacks.get(user, [])
        if not stack:
            return open_modal(ws, user, source)  # nothing to push onto: Slack opens it
        if len(stack) >= MAX_STACK:
            raise ViewError("push_limit_reached")
        _check_external_id(ws, source)
        view = _make(ws, ws.ids.view_id(), user, source, root=stack[0], previous=stack[-1])
        stack.append(view.id)
        return _store(ws, view)


def find(ws: Workspace, view_id: str | None = None, external_id: str | None = None) -> View:
    with ws.lock:
        if view_id:
            view = ws.views.get(view_id)
        else:
            view = next((v for v in ws.views.values() if v.external_id == external_id), None)
        if view is None:
            raise ViewError("not_found")
        return view


def update(ws: Workspace, old: View, source: JSONDict, expected_hash: str | None = None) -> View:
    with ws.lock:
        if expected_hash and expected_hash != old.hash:
            raise ViewError("hash_conflict")
        if source.get("type") != old.type:
            raise ViewError("invalid_arguments")
        _check_external_id(ws, source, keep=old.id)
        view = _make(
            ws, old.id, old.user, source, root=old.root_view_id, previous=old.previous_view_id
        )
        return _store(ws, view)


def publish_home(ws: Workspace, user: str, source: JSONDict, expected_hash: str | None) -> View:
    with ws.lock:
        current = ws.views.get(ws.homes.get(user, ""))
        if current is not None:
            return update(ws, current, source, expected_hash)
        view = _make(ws, ws.ids.view_id(), user, source)
        ws.homes[user] = view.id
        return _store(ws, view)


def set_errors(ws: Workspace, view_id: str, errors: dict[str, str]) -> None:
    with ws.lock:
        ws.views[view_id] = replace(ws.views[view_id], errors=dict(errors))
        ws.touch()


def set_banner(ws: Workspace, view_id: str, banner: str | None) -> None:
    with ws.lock:
        if view_id in ws.views:
            ws.views[view_id] = replace(ws.views[view_id], banner=banner)
            ws.touch()


def set_fill(ws: Workspace, view_id: str, block_id: str, action_id: str, state: JSONDict) -> View:
    """Record what the user typed or picked; the view's state_values follow."""
    with ws.lock:
        view = ws.views[view_id]
        ws.fills.setdefault(view_id, {}).setdefault(block_id, {})[action_id] = copy.deepcopy(state)
        view = replace(view, state_values=build_state(view.blocks, ws.fills[view_id]))
        ws.views[view_id] = view
        ws.touch()
        return view


def top(ws: Workspace, user: str) -> View | None:
    with ws.lock:
        stack = ws.stacks.get(user) or []
        return ws.views[stack[-1]] if stack else None


def close_top(ws: Workspace, user: str, view_id: str | None = None) -> None:
    """Pop `view_id` (default: the top) off the user's stack, with the views above it."""
    with ws.lock:
        stack = ws.stacks.get(user) or []
        target = view_id or (stack[-1] if stack else None)
        if target in stack:
            for gone in stack[stack.index(target) :]:
                _forget(ws, gone)
            del stack[stack.index(target) :]
        ws.touch()


def clear(ws: Workspace, user: str) -> None:
    with ws.lock:
        for gone in ws.stacks.pop(user, []):
            _forget(ws, gone)
        ws.touch()


def replace_top(ws: Workspace, user: str, view_id: str, source: JSONDict) -> View:
    """response_action "update": same position, same id, new content."""
    with ws.lock:
        return update(ws, ws.views[view_id], source)


def _forget(ws: Workspace, view_id: str) -> None:
    ws.views.pop(view_id, None)
    ws.fills.pop(view_id, None)


def stack_of(ws: Workspace, user: str) -> list[View]:
    with ws.lock:
        return [ws.views[v] for v in ws.stacks.get(user, [])]


def home_of(ws: Workspace, user: str) -> View | None:
    with ws.lock:
        return ws.views.get(ws.homes.get(user, ""))
