"""`/risk map` (a heatmap PNG) and `/risk export` (the register as CSV), uploaded to the user."""

from __future__ import annotations

from handlers.interaction import Interaction


def post_map(i: Interaction, _rest: str) -> None:
    i.reply(i.t("risks.error.unknown_word", word="map"))


def post_csv(i: Interaction, _rest: str) -> None:
    i.reply(i.t("risks.error.unknown_word", word="export"))
