"""A tiny bolt-python app for LocalSlack's own tests: every listener records what it got."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond, Say
from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ChannelSelectElement,
    CheckboxesElement,
    ConversationSelectElement,
    DatePickerElement,
    DateTimePickerElement,
    EmailInputElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UrlInputElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement  # not re-exported
from slack_sdk.models.views import View

from .conftest import Inbox, make_app

KINDS = [Option(text="Annual", value="annual"), Option(text="Sick", value="sick")]


def leave_modal(note: str | None = None) -> dict[str, Any]:
    """Every input type the bot uses, built with slack_sdk.models (which must pass)."""
    blocks: list[Any] = [
        InputBlock(
            block_id="reason",
            label="Reason",
            element=PlainTextInputElement(action_id="text", multiline=True, min_length=3),
        ),
        InputBlock(
            block_id="days",
            label="Days",
            element=NumberInputElement(action_id="n", is_decimal_allowed=False),
        ),
        InputBlock(
            block_id="kind",
            label="Type",
            dispatch_action=True,
            element=StaticSelectElement(action_id="type_changed", options=KINDS),
        ),
        InputBlock(
            block_id="delegate", label="Delegate", element=UserSelectElement(action_id="who")
        ),
        InputBlock(
            block_id="cc",
            label="CC",
            optional=True,
            element=UserMultiSelectElement(action_id="people"),
        ),
        InputBlock(
            block_id="where",
            label="Channel",
            optional=True,
            element=ConversationSelectElement(action_id="conv"),
        ),
        InputBlock(
            block_id="chan",
            label="Announce in",
            optional=True,
            element=ChannelSelectElement(action_id="ch"),
        ),
        InputBlock(
            block_id="start",
            label="Start",
            element=DatePickerElement(action_id="date", initial_date="2026-11-03"),
        ),
        InputBlock(
            block_id="at", label="At", optional=True, element=TimePickerElement(action_id="time")
        ),
        InputBlock(
            block_id="until",
            label="Until",
            optional=True,
            element=DateTimePickerElement(action_id="dt"),
        ),
        InputBlock(
            block_id="mail",
            label="Email",
            optional=True,
            element=EmailInputElement(action_id="email"),
        ),
        InputBlock(
            block_id="link", label="Link", optional=True, element=UrlInputElement(action_id="url")
        ),
        InputBlock(
            block_id="half",
            label="Half day",
            optional=True,
            element=RadioButtonsElement(action_id="radio", options=KINDS),
        ),
        InputBlock(
            block_id="flags",
            label="Flags",
            optional=True,
            element=CheckboxesElement(action_id="checks", options=KINDS),
        ),
        InputBlock(
            block_id="proof",
            label="Proof",
            optional=True,
            element=FileInputElement(action_id="files", max_files=2),
        ),
    ]
    if note:
        blocks.append(SectionBlock(text=note))
    view = View(
        type="modal",
        callback_id="leave",
        title="Leave",
        submit="Send",
        close="Cancel",
        notify_on_close=True,
        private_metadata="req-1",
        blocks=blocks,
    )
    return view.to_dict()


def twins_modal() -> dict[str, Any]:
    """Two inputs with one action_id, as generated forms have (told apart by block_id)."""
    inputs = [
        InputBlock(
            block_id=block_id,
            label=label,
            element=PlainTextInputElement(action_id="value"),
        )
        for block_id, label in (("first", "First"), ("second", "Second"))
    ]
    return View(
        type="modal", callback_id="twins", title="Twins", submit="Send", blocks=inputs
    ).to_dict()


def step(n: int) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id="wizard",
        title=f"Step {n}",
        submit="Next",
        blocks=[SectionBlock(text=f"Step {n}")],
    ).to_dict()


def approval_blocks() -> list[Any]:
    return [
        SectionBlock(text="*Leave request* from <@U0BOB>"),
        ActionsBlock(
            elements=[
                ButtonElement(text="Approve", action_id="approve", value="42", style="primary"),
                ButtonElement(text="Reject", action_id="reject", value="42", style="danger"),
                StaticSelectElement(placeholder="Type", action_id="kind", options=KINDS),
            ]
        ),
    ]


def build(inbox: Inbox, **app_kwargs: Any) -> App:
    from localslack import LocalSlack

    ls: LocalSlack = app_kwargs.pop("ls")
    app = make_app(ls)

    @app.command("/procedo")
    def procedo(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        inbox.put("command", body)
        text = body["text"]
        if text == "help":
            ack("Procedo help: try /procedo leave")
            return
        ack()
        if text == "leave":
            client.views_open(trigger_id=body["trigger_id"], view=leave_modal())
        elif text == "wizard":
            client.views_open(trigger_id=body["trigger_id"], view=step(1))
        elif text == "post":
            client.chat_postMessage(
                channel=body["channel_id"], text="Approve?", blocks=approval_blocks()
            )
        elif text == "eph":
            dismiss = ActionsBlock(elements=[ButtonElement(text="Dismiss", action_id="dismiss")])
            client.chat_postEphemeral(
                channel=body["channel_id"],
                user=body["user_id"],
                text="Note",
                blocks=[SectionBlock(text="Note"), dismiss],
            )
        elif text == "later":
            respond("working on it")
        elif text == "announce":
            respond(text="Announcement", response_type="in_channel")
        elif text == "twins":
            client.views_open(trigger_id=body["trigger_id"], view=twins_modal())
        elif text == "threaded":
            parent = client.chat_postMessage(channel=body["channel_id"], text="Request 7")
            client.chat_postMessage(
                channel=body["channel_id"],
                thread_ts=parent["ts"],
                text="Approve?",
                blocks=approval_blocks(),
            )

    @app.action("approve")
    def approve(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        inbox.put("approve", body)
        respond(replace_original=True, text=f"Approved by <@{body['user']['id']}>")

    @app.action("dismiss")
    def dismiss(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        inbox.put("dismiss", body)
        respond(delete_original=True)

    @app.action("kind")
    def kind(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        inbox.put("kind", body)

    @app.action("type_changed")
    def type_changed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        inbox.put("type_changed", body)
        view = body["view"]
        chosen = view["state"]["values"]["kind"]["type_changed"]["selected_option"]["value"]
        if chosen == "sick":
            client.views_update(
                view_id=view["id"], hash=view["hash"], view=leave_modal(note="Attach a sick note")
            )

    @app.view("leave")
    def leave(ack: Ack, body: dict[str, Any]) -> None:
        inbox.put("leave", body)
        values = body["view"]["state"]["values"]
        if values["days"]["n"]["value"] == "0":
            ack(response_action="errors", errors={"days": "Must be at least 1"})
        else:
            ack()

    @app.view("twins")
    def twins(ack: Ack, body: dict[str, Any]) -> None:
        inbox.put("twins", body)
        ack()

    @app.view("wizard")
    def wizard(ack: Ack, body: dict[str, Any]) -> None:
        title = body["view"]["title"]["text"]
        inbox.put("wizard", title)
        if title == "Step 1":
            ack(response_action="push", view=step(2))
        elif title == "Step 2":
            ack(response_action="update", view=step(3))
        else:
            ack(response_action="clear")

    @app.view_closed("leave")
    def closed(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        inbox.put("closed", body)

    @app.event("message")
    def message(event: dict[str, Any], say: Say) -> None:
        inbox.put("message", event)
        if "ping" in event.get("text", ""):
            say(text="pong", thread_ts=event["ts"])

    @app.event("app_mention")
    def mention(event: dict[str, Any]) -> None:
        inbox.put("mention", event)

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        inbox.put("home", event)
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome home"}}],
            },
        )

    return app
