"""Overtime in Slack: the generic request form, card and approval buttons serve it; approval
credits compensatory leave (procedures/overtime/hooks.py)."""

from handlers.modules import ProcedureModule
from procedures.overtime import DOMAIN

MODULE = ProcedureModule(domain=DOMAIN)
