"""A procedure is one module: adding one (here a visitor log, defined by the test alone) plugs
its policy part and section, hooks, slash command, job kind and App Home section in through the
registry, with no edit to a shared file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot.modules import DOMAINS, MODULES, load_policy
from handlers import placeholders
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from procedures.hooks import HookContext, Hooks
from procedures.modules import Domain
from procedures.policy import parse_policy, policy_document
from procedures.policy.common import Strict
from procedures.yaml_source import SourceError
from slackui import blocks as b
from slackui.commands import HelpEntry
from store import jobs
from store.db import Sessions
from tests.support.harness import start_harness

ROOT = Path(__file__).resolve().parents[2]

VISITOR_POLICY = """\
procedures:
  - id: visitor
    prefix: VS
    hooks: visitor
    name: {en: Visitor, zh: 访客登记}
    cite: "000 §3.2"
    fields:
      - id: guest
        type: text
        label: {en: Guest, zh: 访客}
    chain:
      - approver: requester
        when: "badge != 'VIP-none'"

visitor:
  badge_prefix: VIP
"""


class VisitorPolicy(Strict):
    badge_prefix: str = "V"


class VisitorHooks(Hooks):
    computed = ("badge",)

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        prefix = ctx.policy.section(VisitorPolicy).badge_prefix
        return {"badge": f"{prefix}-{str(payload.get('guest', 'none')).split()[0]}"}

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        return [f"*Badge*\n{computed.get('badge')}"]


def visitor_module(tmp_path: Path) -> ProcedureModule:
    part = tmp_path / "visitor.yml"
    part.write_text(VISITOR_POLICY, encoding="utf-8")
    domain = Domain(
        name="visitor", policy_file=part, hooks={"visitor": VisitorHooks()}, section=VisitorPolicy
    )

    def listeners(app: App, deps: Deps) -> None:
        @app.command("/visit")
        @listener(deps)
        def visit(i: Interaction) -> None:
            i.ack()
            with deps.sessions.begin() as session:
                now = deps.clock.now()
                job = jobs.schedule(
                    session, kind="visitor.ping", due_at=now, now=now, payload={"user": i.user}
                )
            deps.after_commit([job])
            i.reply(f"Badge prefix {deps.policy.section(VisitorPolicy).badge_prefix}")

    def ping(deps: Deps) -> dict[str, Any]:
        return {"visitor.ping": lambda job: deps.deliver.dm(job.payload["user"], text="pinged")}

    return ProcedureModule(
        domain=domain,
        commands=("/visit",),
        help=(HelpEntry("/visit", "help.procedo.help", "/visit"),),
        listeners=listeners,
        jobs=ping,
        home=lambda deps, user: b.to_dicts([b.section("Visitors expected today: none")]),
    )


def test_a_new_module_plugs_in_through_the_registry_alone(
    db_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    module = visitor_module(tmp_path)
    h = start_harness(db_url, sessions, modules=(*MODULES, module))
    try:
        policy = h.deps.policy
        assert policy.section(VisitorPolicy).badge_prefix == "VIP"
        assert policy.procedure("visitor") is not None and policy.procedure("leave") is not None
        erin = h.as_("erin")
        erin.command("/procedo", "help", channel="general")
        assert h.ls.wait_ephemeral("erin", contains="/visit")
        erin.command("/visit", channel="general")
        assert h.ls.wait_ephemeral("erin", contains="Badge prefix VIP")
        assert h.ls.wait_dm("erin", contains="pinged")
        erin.command("/procedo", "new visitor", channel="general")
        h.ls.wait_view("erin", callback_id="request.form")
        erin.submit({"f:guest": "Ada Lovelace"})
        card = h.ls.wait_message("C0APPROVALS", contains="VS-0001")
        assert "VIP-Ada" in h.ls.text_of(card)  # the hook computed it; the condition used it
        erin.open_home()
        assert h.ls.wait_home("erin", contains="Visitors expected today")
    finally:
        h.close()


def test_without_the_module_its_policy_key_is_refused_at_its_line(tmp_path: Path) -> None:
    override = tmp_path / "policy.yml"
    override.write_text("visitor:\n  badge_prefix: X\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        parse_policy(policy_document(override, DOMAINS), DOMAINS)
    assert f"{override}:1" in str(raised.value)


def test_hooks_no_module_offers_are_refused_with_the_ones_that_exist(tmp_path: Path) -> None:
    override = tmp_path / "policy.yml"
    override.write_text("procedures:\n  - id: expense\n    hooks: visitor\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_policy(override)
    assert (
        "hooks 'visitor' do not exist "
        "(registered: budget, documents, leave, overtime, rectification)" in str(raised.value)
    )


def test_a_module_the_policy_switches_off_answers_not_available(
    db_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    override = tmp_path / "policy.yml"
    override.write_text("procedures:\n  - id: leave\n    enabled: false\n", encoding="utf-8")
    h = start_harness(db_url, sessions, policy=load_policy(override))
    try:
        h.as_("erin").command("/leave", "balance", channel="general")
        assert h.ls.wait_ephemeral("erin", contains="not available in this version")
    finally:
        h.close()


def test_the_manifest_declares_the_commands_procedo_answers() -> None:
    import yaml

    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    declared = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert declared == list(placeholders.MANIFEST_COMMANDS)
    claimed = {command for module in MODULES for command in module.commands}
    assert claimed <= set(declared), "a module answers a command the manifest does not declare"
