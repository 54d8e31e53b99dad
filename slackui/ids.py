"""Action and callback ids: one place, so a handler and the view that renders its button can
never drift apart."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    PROMPT_DONE = "prompt.done"
    PROMPT_SNOOZE = "prompt.snooze"
    PROMPT_OPEN = "prompt.open"
    JOB_RETRY = "jobs.retry"
    REQUEST_APPROVE = "request.approve"
    REQUEST_REJECT = "request.reject"
    REQUEST_RETURN = "request.return"
    REQUEST_DELEGATE = "request.delegate"
    REQUEST_WITHDRAW = "request.withdraw"
    REQUEST_RESUBMIT = "request.resubmit"
    REQUEST_CANCEL = "request.cancel"
    TASK_FORM = "task.form"
    REQUEST_PERSON = "request.person"  # transfer, add an approver before / after
    REQUEST_RETURN_TO = "request.return_to"
    REQUEST_NEW = "request.new"
    REQUEST_SHOW = "request.show"
    LEAVE_SUBMIT = "leave.submit"
    LEAVE_EDIT = "leave.edit"
    REPORT_SEND = "report.send"
    TASK_OPEN = "task.open"
    REQUEST_MORE = "request.more"  # the overflow: transfer, add before / after, return to
    REQUEST_NUDGE = "request.nudge"


class Callback(StrEnum):
    """Modal callback ids."""

    REQUEST_FORM = "request.form"
    REQUEST_REASON = "request.reason"
    REQUEST_DELEGATE = "request.delegate"
    REQUEST_CANCEL = "request.cancel"
    TASK_FORM = "task.form"
    REQUEST_PERSON = "request.person"  # transfer, add an approver before / after
    REQUEST_RETURN_TO = "request.return_to"
