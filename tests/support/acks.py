"""Ack checks for tests: fail a test whose bot called Slack before acking, or acked late."""

from __future__ import annotations

import pytest

from localslack import LocalSlack


def fail_on_ack_problems(request: pytest.FixtureRequest, ls: LocalSlack) -> None:
    """Called at teardown. Skipped for tests marked late_acks or that called
    ls.expect_late_acks()."""
    if request.node.get_closest_marker("late_acks"):
        return
    report = ls.ack_report()
    if report:
        pytest.fail(report, pytrace=False)
