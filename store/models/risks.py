"""The risk register: risks, their append-only score history, the cases that carry their
measures, acceptances and reviews; key risk indicators, their reported values and alerts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base
from store.types import JSONType, UTCDateTime

BIGID = BigInteger().with_variant(Integer, "sqlite")
USER = String(32)
VALUE = Numeric(18, 4)


class Risk(Base):
    __tablename__ = "risks"
    __table_args__ = (Index("ix_risks_owner", "owner"), Index("ix_risks_status", "status"))

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # RK-0001
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(48))
    description: Mapped[str] = mapped_column(Text)
    cause: Mapped[str] = mapped_column(Text, default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(48))
    owner: Mapped[str] = mapped_column(USER)
    department: Mapped[str] = mapped_column(String(48))
    strategy: Mapped[str] = mapped_column(String(16))
    measures: Mapped[str] = mapped_column(Text, default="")
    # open, acceptance_pending, accepted, closed
    status: Mapped[str] = mapped_column(String(24))
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_review_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RiskScore(Base):
    """Every scoring of a risk, the first included: the history `/risk show` draws."""

    __tablename__ = "risk_scores"
    __table_args__ = (Index("ix_risk_scores_risk", "risk_id", "at"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"))
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(48))
    source: Mapped[str] = mapped_column(String(16))  # registered, review
    by: Mapped[str] = mapped_column(USER)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    effect: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class RiskCase(Base):
    """A case of the engine that belongs to a risk: a measure, an acceptance, a review."""

    __tablename__ = "risk_cases"
    __table_args__ = (Index("ix_risk_cases_risk", "risk_id", "kind"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # measure, acceptance, review


class Indicator(Base):
    """A key risk indicator: declared in the policy (`policy_id`) or added by the risk role."""

    __tablename__ = "risk_indicators"

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(JSONType)  # {en, zh}
    unit: Mapped[str] = mapped_column(String(16), default="")
    direction: Mapped[str] = mapped_column(String(8))
    warning: Mapped[Decimal] = mapped_column(VALUE)
    critical: Mapped[Decimal] = mapped_column(VALUE)
    approaching: Mapped[Decimal] = mapped_column(VALUE, default=Decimal(0))
    every_days: Mapped[int] = mapped_column(Integer)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id", ondelete="SET NULL"))
    reporter_role: Mapped[str] = mapped_column(String(24), default="risk")
    from_policy: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str | None] = mapped_column(String(128))  # sha256 of the HTTP token
    last_value: Mapped[Decimal | None] = mapped_column(VALUE)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IndicatorValue(Base):
    __tablename__ = "risk_indicator_values"
    __table_args__ = (Index("ix_risk_indicator_values", "indicator_id", "at"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("risk_indicators.id", ondelete="CASCADE"))
    value: Mapped[Decimal] = mapped_column(VALUE)
    band: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(64))  # a user, or "http"
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Alert(Base):
    """One alert per indicator and level while it is open (`open_key` is unique then, NULL
    once resolved), so repeated values update it instead of raising another. Its Slack message
    in the risk channel (and the owner's DM) is edited in place as it moves."""

    __tablename__ = "risk_alerts"
    __table_args__ = (Index("ix_risk_alerts_state", "state"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("risk_indicators.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(16))  # warning, critical, stale
    open_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(16))  # firing, acknowledged, resolved
    inhibited: Mapped[bool] = mapped_column(default=False)  # a critical one covers it
    value: Mapped[Decimal | None] = mapped_column(VALUE)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acked_by: Mapped[str | None] = mapped_column(USER)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated: Mapped[int] = mapped_column(Integer, default=0)  # 1 head, 2 director
    notices: Mapped[int] = mapped_column(Integer, default=0)  # repeats sent
    silenced_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    silenced_by: Mapped[str | None] = mapped_column(USER)
    silence_reason: Mapped[str | None] = mapped_column(Text)
    plan_started_by: Mapped[str | None] = mapped_column(USER)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    dm_ts: Mapped[str | None] = mapped_column(String(32))
    shown: Mapped[int] = mapped_column(Integer, default=0)  # the version the message shows
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
