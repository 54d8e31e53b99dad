"""Settings: the environment (and `.env`), validated once at start-up.

The contract is in design.md. A missing or malformed value stops start-up with one line naming
the variable and what is expected (`SettingsError`); secrets are `SecretStr`, so they never
show in `repr()` or in logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from store.db import normalize_url

SLACK_API_DEFAULT = "https://slack.com/api/"
DATABASE_DEFAULT = "sqlite:///procedo.db"

# What each variable should look like, used to turn a validation error into one clear line.
_EXPECTED: dict[str, str] = {
    "SLACK_BOT_TOKEN": "a bot token starting with xoxb- (Slack app → OAuth & Permissions)",
    "SLACK_SIGNING_SECRET": "the signing secret from Slack app → Basic Information",
    "SLACK_APP_TOKEN": "an app-level token starting with xapp- (needed for Socket Mode)",
    "SLACK_API_URL": "an http(s) URL ending in /api/, e.g. https://slack.com/api/",
    "DATABASE_URL": "a SQLAlchemy URL: sqlite:///path/to/file.db or postgresql://user@host:5432/db",
    "PROCEDO_ORG": "the path of an existing org YAML file",
    "PROCEDO_POLICY": "the path of an existing policy YAML file",
    "PROCEDO_TIMEZONE": "an IANA timezone name such as Asia/Shanghai",
    "PROCEDO_LANGUAGE": "en or zh",
    "HOST": "an address for procedo serve to listen on, e.g. 0.0.0.0 (every interface)",
    "PORT": "a TCP port number between 1 and 65535",
    "PROCEDO_TICK_SECONDS": "a number of seconds between clock ticks, e.g. 5",
    "PROCEDO_WEB_THREADS": "a positive number of worker threads",
    "PROCEDO_SLACK_TIMEOUT": "seconds to wait for one Slack API call, e.g. 10",
    "PROCEDO_DB_CONNECT_TIMEOUT": "seconds to wait for a database connection, e.g. 5",
    "PROCEDO_DB_STATEMENT_TIMEOUT": "seconds one database statement may run (0: no limit)",
}


class SettingsError(Exception):
    """A setting is missing or malformed; `str()` is one line fit for a terminal."""


class DatabaseSettings(BaseSettings):
    """Just the database: enough for `procedo migrate`, which needs no Slack credentials."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        hide_input_in_errors=True,
        populate_by_name=True,
    )

    # A URL may carry a password: kept out of repr() here and shown masked by `__repr_args__`.
    database_url: str = Field(default=DATABASE_DEFAULT, validation_alias="DATABASE_URL", repr=False)

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        try:
            url = normalize_url(value)  # so postgres:// is accepted as postgresql://
        except ArgumentError as exc:
            raise ValueError("not a database URL") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("only sqlite and postgresql are supported")
        return value

    @property
    def database_url_masked(self) -> str:
        return make_url(self.database_url).render_as_string(hide_password=True)

    def __repr_args__(self) -> Any:
        yield from super().__repr_args__()
        yield "database_url", self.database_url_masked


class Settings(DatabaseSettings):
    slack_bot_token: SecretStr = Field(validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr = Field(validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=SLACK_API_DEFAULT, validation_alias="SLACK_API_URL")
    org_file: Path | None = Field(default=None, validation_alias="PROCEDO_ORG")
    policy_file: Path | None = Field(default=None, validation_alias="PROCEDO_POLICY")
    timezone: str = Field(default="Asia/Shanghai", validation_alias="PROCEDO_TIMEZONE")
    language: Literal["en", "zh"] = Field(default="en", validation_alias="PROCEDO_LANGUAGE")
    # Every interface by default: platforms route to the container's address, not loopback.
    host: str = Field(default="0.0.0.0", min_length=1, validation_alias="HOST")  # noqa: S104
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")
    tick_seconds: float = Field(default=5.0, gt=0, validation_alias="PROCEDO_TICK_SECONDS")
    slack_timeout: float = Field(default=10.0, gt=0, validation_alias="PROCEDO_SLACK_TIMEOUT")
    db_connect_timeout: float = Field(
        default=5.0, gt=0, le=300, validation_alias="PROCEDO_DB_CONNECT_TIMEOUT"
    )
    db_statement_timeout: float = Field(
        default=30.0, ge=0, le=3600, validation_alias="PROCEDO_DB_STATEMENT_TIMEOUT"
    )
    web_threads: int = Field(
        default=8, ge=1, validation_alias=AliasChoices("PROCEDO_WEB_THREADS", "WEB_THREADS")
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("not a bot token")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _secret_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("empty")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("not an app-level token")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("host")
    @classmethod
    def _host_shape(cls, value: str) -> str:
        value = value.strip().removeprefix("[").removesuffix("]")
        if not value or any(c.isspace() or c in "/@" for c in value):
            raise ValueError("not a host")
        return value

    @field_validator("org_file", "policy_file")
    @classmethod
    def _file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("no such file")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown timezone") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(**overrides: Any) -> Settings:
    """Build `Settings` from the environment, raising `SettingsError` with one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def load_database_settings(**overrides: Any) -> DatabaseSettings:
    try:
        return DatabaseSettings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    problems: list[str] = []
    for error in exc.errors():
        loc = error.get("loc") or ("?",)
        name = str(loc[0]).upper()
        state = "is missing" if error.get("type") == "missing" else "is not valid"
        expected = _EXPECTED.get(name, "a valid value")
        problems.append(f"{name} {state}: expected {expected}")
    return "; ".join(problems)
