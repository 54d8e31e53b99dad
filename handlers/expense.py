"""Expense reimbursement in Slack: nothing of its own — the generic request form, card and
approval buttons (handlers/requests.py, handlers/decisions.py) serve it from its policy."""

from handlers.modules import ProcedureModule
from procedures.expense import DOMAIN

MODULE = ProcedureModule(domain=DOMAIN)
