"""The local workspace in a browser, as a person trying Procedo would use it.

Every wait is on the page's DOM (Playwright's auto-waiting `expect`); nothing sleeps. The
server's own answers (card, prompt, DM) come from the real bot over signed HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.local import LocalRun
from tests.browser.conftest import Shoot

WAIT_MS = 15_000
# `expect` has its own default (5 s), shorter than a loaded CI machine may need for the bot's
# answer over signed HTTP; the waits end as soon as the page shows it.
expect.set_options(timeout=WAIT_MS)


def working_day(after_days: int) -> date:
    """A Tuesday at least `after_days` ahead: far enough to be 'in advance', never a weekend."""
    day = date.today() + timedelta(days=after_days)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


@pytest.fixture
def page(browser: Browser, workspace: LocalRun) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 860}, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def open_as(page: Page, run: LocalRun, user: str) -> None:
    page.goto(f"{run.web.url}?user={user}")
    expect(page.locator("#who")).to_have_value(user)


def type_in_composer(page: Page, text: str) -> None:
    page.locator("#composer-text").fill(text)
    page.locator("#composer-text").press("Enter")


def file_leave(page: Page, start: date, end: date) -> None:
    type_in_composer(page, "/leave")
    modal = page.get_by_role("dialog", name="Leave")
    expect(modal).to_be_visible()
    modal.get_by_label("Type of leave").select_option("annual")
    modal.get_by_label("Dates: first day").fill(start.isoformat())
    modal.get_by_label("Dates: last day").fill(end.isoformat())
    # The app counts the days as they are picked (views.update); a person reads the count
    # before typing on, and so does the test, so the update is not still on its way.
    expect(modal).to_contain_text(f"– {end.isoformat()}")
    modal.get_by_label("Reason").fill("Family matters 家里有事")


def test_file_leave_then_approve_in_the_thread_and_see_the_dm_live(
    browser: Browser, workspace: LocalRun, page: Page, shoot: Shoot
) -> None:
    start = working_day(10)
    open_as(page, workspace, "U0ALICE")
    file_leave(page, start, start + timedelta(days=1))
    shoot(page, "leave-form")
    page.get_by_role("dialog", name="Leave").get_by_role("button", name="Submit").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # Alice keeps her page open on her DM with the app while bob approves in another tab.
    page.get_by_role("button", name="procedo").click()
    page.get_by_role("tab", name="Messages").click()
    bob = page.context.new_page()
    open_as(bob, workspace, "U0BOB")
    bob.locator("#channels").get_by_role("button", name="approvals").click()
    card = bob.locator("#messages .message", has_text="LV-0001")
    expect(card).to_be_visible()
    shoot(bob, "bob-approvals")
    card.locator(".replies").click()
    thread = bob.locator("#thread")
    expect(thread).to_be_visible()
    shoot(bob, "bob-thread")  # bob reads Chinese: dates on the card are in his language
    thread.get_by_role("button", name="Approve").click()  # posted in the org's language

    # Without a reload: the request's first DM is edited in place, and the approval arrives.
    submitted = page.locator("#messages .message", has_text="LV-0001 (Leave) is submitted")
    expect(submitted).to_contain_text("Approved")
    expect(submitted.locator(".edited")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("LV-0001 (Leave) is approved")
    shoot(page, "alice-dm-approved")
    expect(bob.locator("#messages .message", has_text="LV-0001").first).to_be_visible()


def test_a_bad_field_shows_its_error_under_the_field(
    workspace: LocalRun, page: Page, shoot: Shoot
) -> None:
    start = working_day(10)
    open_as(page, workspace, "U0ALICE")
    file_leave(page, start, start - timedelta(days=3))  # the last day before the first
    modal = page.get_by_role("dialog", name="Leave")
    modal.get_by_role("button", name="Submit").click()
    error = modal.locator(".bk-input-block.has-error .bk-error")
    expect(error.first).to_be_visible()
    shoot(page, "field-error")
    # What was typed survives the error.
    expect(modal.get_by_label("Reason")).to_have_value("Family matters 家里有事")


def test_the_app_home_and_commands_with_a_mention_typed_as_at_name(
    workspace: LocalRun, page: Page, shoot: Shoot
) -> None:
    open_as(page, workspace, "U0BOB")  # bob reads Chinese
    page.get_by_role("button", name="procedo").click()
    expect(page.get_by_role("tab", name="Home")).to_be_visible()
    expect(page.locator("#home .blocks")).to_be_visible()
    shoot(page, "home")
    # A button on the Home opens its form (the first: file a request of the first kind).
    page.locator("#home .bk-actions .bk-button").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    shoot(page, "home-form")
    page.get_by_role("dialog").get_by_role("button", name="Close", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("tab", name="Messages").click()
    type_in_composer(page, "/procedo whoami")
    expect(page.locator("#messages .message.ephemeral").last).to_contain_text("运营部")
    until = (date.today() + timedelta(days=7)).isoformat()
    type_in_composer(page, f"/procedo delegate @erin until {until}")
    answer = page.locator("#messages .message.ephemeral").last
    expect(answer.locator(".mention", has_text="@erin")).to_be_visible()
    shoot(page, "delegate")


def test_mrkdwn_is_drawn_as_slack_draws_it_with_dates_in_the_viewers_zone(
    workspace: LocalRun, page: Page, shoot: Shoot
) -> None:
    # 20:00 UTC on 20 December: already the 21st in Shanghai (bob), still the 20th in London.
    epoch = int(datetime(2026, 12, 20, 20, 0, tzinfo=UTC).timestamp())
    text = (
        f"*bold* _italic_ ~gone~ `code` <@U0BOB> <#C0GENERAL> <https://example.org|a link> "
        f"due <!date^{epoch}^{{date_num}}|20 Dec>"
    )
    workspace.ls.ws.add_message("C0GENERAL", workspace.ls.bot_user_id, text)
    open_as(page, workspace, "U0BOB")
    shown = page.locator("#messages .message", has_text="bold").last
    for tag, inner in (("b", "bold"), ("i", "italic"), ("s", "gone"), ("code", "code")):
        expect(shown.locator(tag, has_text=inner)).to_be_visible()
    expect(shown.locator(".mention-me")).to_have_text("@bob")
    expect(shown.locator(".channel-link")).to_have_text("#general")
    expect(shown.locator("a", has_text="a link")).to_have_attribute("href", "https://example.org")
    expect(shown.locator(".date")).to_have_text("2026-12-21")
    shoot(page, "mrkdwn")
    open_as(page, workspace, "U0ERIN")
    expect(page.locator("#messages .message", has_text="bold").last.locator(".date")).to_have_text(
        "2026-12-20"
    )
