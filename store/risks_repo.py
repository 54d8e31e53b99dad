"""Queries over the risk register, its indicators and alerts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import Request
from store.models.risks import Alert, Indicator, IndicatorValue, Risk, RiskCase, RiskScore

OPEN_ALERTS = ("firing", "acknowledged")


def get(session: Session, risk_id: int, *, for_update: bool = False) -> Risk | None:
    query = select(Risk).where(Risk.id == risk_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def by_number(session: Session, number: int) -> Risk | None:
    return session.scalar(select(Risk).where(Risk.number == number))


def all_risks(session: Session, *, include_closed: bool = False) -> list[Risk]:
    query = select(Risk).order_by(Risk.number)
    if not include_closed:
        query = query.where(Risk.status != "closed")
    return list(session.scalars(query))


def scores(session: Session, risk_id: int) -> list[RiskScore]:
    query = (
        select(RiskScore).where(RiskScore.risk_id == risk_id).order_by(RiskScore.at, RiskScore.id)
    )
    return list(session.scalars(query))


def cases(session: Session, risk_id: int, kind: str | None = None) -> list[Request]:
    query = (
        select(Request)
        .join(RiskCase, RiskCase.request_id == Request.id)
        .where(RiskCase.risk_id == risk_id)
        .order_by(Request.id)
    )
    if kind is not None:
        query = query.where(RiskCase.kind == kind)
    return list(session.scalars(query))


def case_link(session: Session, request_id: int) -> RiskCase | None:
    return session.scalar(select(RiskCase).where(RiskCase.request_id == request_id))


def indicators(session: Session) -> list[Indicator]:
    return list(session.scalars(select(Indicator).order_by(Indicator.key)))


def indicator(session: Session, key: str) -> Indicator | None:
    return session.scalar(select(Indicator).where(Indicator.key == key))


def indicator_by_id(session: Session, indicator_id: int) -> Indicator | None:
    return session.get(Indicator, indicator_id)


def indicators_of(session: Session, risk_id: int) -> list[Indicator]:
    return list(session.scalars(select(Indicator).where(Indicator.risk_id == risk_id)))


def values(session: Session, indicator_id: int, limit: int = 10) -> list[IndicatorValue]:
    query = (
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id == indicator_id)
        .order_by(IndicatorValue.at.desc(), IndicatorValue.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def open_alert(session: Session, indicator_id: int, level: str) -> Alert | None:
    return session.scalar(select(Alert).where(Alert.open_key == open_key(indicator_id, level)))


def open_key(indicator_id: int, level: str) -> str:
    return f"{indicator_id}:{level}"


def open_alerts(session: Session, indicator_id: int | None = None) -> list[Alert]:
    query = select(Alert).where(Alert.state.in_(OPEN_ALERTS)).order_by(Alert.fired_at, Alert.id)
    if indicator_id is not None:
        query = query.where(Alert.indicator_id == indicator_id)
    return list(session.scalars(query))


def alert(session: Session, alert_id: int, *, for_update: bool = False) -> Alert | None:
    query = select(Alert).where(Alert.id == alert_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def save_message(session: Session, alert_id: int, **values: object) -> None:
    """Slack bookkeeping (message ts, what it shows): a plain UPDATE, not a new version."""
    session.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def owned_by(session: Session, user: str) -> list[Risk]:
    query = select(Risk).where(Risk.owner == user, Risk.status != "closed").order_by(Risk.number)
    return list(session.scalars(query))


def numbers(rows: Sequence[Risk]) -> list[int]:
    return [r.number for r in rows]
