"""Action and callback ids of the shared parts: one place, so a handler and the view that renders
its button can never drift apart. A procedure module keeps its own ids in its views module,
prefixed with its name (`leave.submit`)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    PROMPT_DONE = "prompt.done"
    PROMPT_SNOOZE = "prompt.snooze"
    PROMPT_OPEN = "prompt.open"
    PROMPT_ANSWER = "prompt.answer"
    PROMPT_REVIEW = "prompt.review"
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
    PROMPT_ANSWERS = "prompt.answers"
    PROMPT_REVIEW = "prompt.review"
    REQUEST_PERSON = "request.person"  # transfer, add an approver before / after
    REQUEST_RETURN_TO = "request.return_to"
