"""Settings: one clear line per missing or malformed value; secrets never shown."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.servers import bind_address
from bot.settings import SettingsError, load_database_settings, load_settings
from store.db import make_engine

GOOD = {"SLACK_BOT_TOKEN": "xoxb-secret-token", "SLACK_SIGNING_SECRET": "shh-very-secret"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "PROCEDO_ORG",
        "PROCEDO_POLICY",
        "PROCEDO_TIMEZONE",
        "PROCEDO_LANGUAGE",
        "HOST",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "SLACK_BOT_TOKEN is missing: expected a bot token starting with xoxb-"),
        ({**GOOD, "SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN is not valid"),
        (
            {**GOOD, "DATABASE_URL": "mysql://x@y/z"},
            "DATABASE_URL is not valid: expected a SQLAlchemy URL",
        ),
        ({**GOOD, "DATABASE_URL": "not a url"}, "DATABASE_URL is not valid"),
        (
            {**GOOD, "PROCEDO_TIMEZONE": "Mars/Olympus"},
            "PROCEDO_TIMEZONE is not valid: expected an IANA",
        ),
        ({**GOOD, "PROCEDO_LANGUAGE": "fr"}, "PROCEDO_LANGUAGE is not valid: expected en or zh"),
        ({**GOOD, "PROCEDO_ORG": "/nope.yml"}, "PROCEDO_ORG is not valid"),
        ({**GOOD, "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN is not valid"),
    ],
)
def test_bad_settings_stop_with_one_line_naming_the_variable(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "shh-very-secret" not in message
    assert "xoxb-secret-token" not in message


def test_secrets_are_not_in_repr_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(**GOOD, DATABASE_URL="postgresql://procedo:hunter2@db/procedo")
    shown = repr(settings)
    for secret in ("xoxb-secret-token", "shh-very-secret", "hunter2"):
        assert secret not in shown
    assert "postgresql://procedo:***@db/procedo" in shown
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings: %s", settings)
    assert "hunter2" not in caplog.text and "xoxb-secret-token" not in caplog.text


def test_defaults_follow_the_contract() -> None:
    settings = load_settings(**GOOD)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.timezone == "Asia/Shanghai"
    assert settings.language == "en"
    assert load_database_settings().database_url == settings.database_url


def test_dotenv_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=s\n")
    assert load_settings().slack_bot_token.get_secret_value() == "xoxb-from-file"


@pytest.mark.parametrize(
    "url",
    ["postgres://procedo:hunter2@db:5432/procedo", "postgres+psycopg://procedo@db/procedo"],
)
def test_postgres_urls_from_hosting_platforms_are_accepted(url: str) -> None:
    # Heroku-style platforms set postgres://, a name SQLAlchemy itself no longer knows.
    settings = load_database_settings(DATABASE_URL=url)
    assert "hunter2" not in settings.database_url_masked
    engine = make_engine(settings.database_url)
    assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")
    engine.dispose()


def test_serve_listens_on_every_interface_unless_host_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings(**GOOD).host == "0.0.0.0"  # noqa: S104 - the default under test
    monkeypatch.setenv("HOST", "127.0.0.1")
    assert load_settings(**GOOD).host == "127.0.0.1"
    monkeypatch.setenv("HOST", "[::1]")
    settings = load_settings(**GOOD)
    assert bind_address(settings.host, settings.port) == "[::1]:3000"
    monkeypatch.setenv("HOST", "not a host")
    with pytest.raises(SettingsError, match="HOST is not valid: expected an address"):
        load_settings(**GOOD)
