"""One app for `benchmarks.ack`, served as `procedo serve` serves: gunicorn, gthread, 1 worker
x 8 threads, here bound to 127.0.0.1. The environment carries the Slack and database settings.

    python -m benchmarks.ack_server procedo|bare --port PORT
"""

from __future__ import annotations

import argparse
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.servers import GunicornServer, WsgiApp

THREADS = 8


def procedo_app() -> WsgiApp:
    from bot.app import create_app
    from bot.settings import load_settings
    from bot.web import WebApp
    from procedures import dates

    # localslack is an instant Slack with no rate limit: pacing would only time our sleeps.
    app = create_app(load_settings(), post_interval=0.0)
    dates.warm_up()
    return WebApp(app)


def bare_app() -> WsgiApp:
    """The same paths, each only acked."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=client,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=THREADS),
    )

    @app.command("/procedo")
    def command(ack: Ack) -> None:
        ack("help")

    @app.command("/leave")
    def leave(ack: Ack) -> None:
        ack()

    @app.event("app_home_opened")
    def home(ack: Ack) -> None:
        ack()

    @app.view("request.form")
    def submitted(ack: Ack) -> None:
        ack()

    @app.action("request.approve")
    def clicked(ack: Ack, body: dict[str, Any]) -> None:
        ack()

    return SlackRequestHandler(app)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["procedo", "bare"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.environ["WEB_CONCURRENCY"] = "1"
    factory = procedo_app if args.app == "procedo" else bare_app
    server = GunicornServer(factory, host="127.0.0.1", port=args.port, threads=THREADS)
    server.cfg.set("accesslog", None)
    server.run()


if __name__ == "__main__":
    main()
