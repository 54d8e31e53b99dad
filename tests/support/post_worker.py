"""A posting process for the pacing test: posts N messages to one channel through the app's
own delivery path (`bot.app.make_deliverer`), starting at an agreed instant.

Usage: python -m tests.support.post_worker DATABASE_URL API_URL CHANNEL N START_EPOCH NAME
"""

from __future__ import annotations

import sys
import time

from bot.app import make_deliverer
from bot.slack_client import make_client
from procedures.clock import SystemClock
from store.db import make_sessions
from tests.support.harness import BOT_TOKEN


def main(url: str, api_url: str, channel: str, count: int, start: float, name: str) -> int:
    sessions = make_sessions(url)
    clock = SystemClock()
    # As create_app builds the delivery client: 5xx and connection errors retried by slack_sdk.
    client = make_client(BOT_TOKEN, api_url, clock, timeout=5, rate_limit_retries=False)
    deliver = make_deliverer(sessions, client, clock, 1.0)
    time.sleep(max(0.0, start - time.time()))
    for n in range(count):
        deliver.post(channel, text=f"{name} {n}")
    sessions.dispose()
    return 0


if __name__ == "__main__":
    url, api_url, channel, count, start, name = sys.argv[1:7]
    sys.exit(main(url, api_url, channel, int(count), float(start), name))
