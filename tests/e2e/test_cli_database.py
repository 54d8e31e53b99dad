"""A database that cannot be reached or opened: every command that needs it says so in one
line naming DATABASE_URL (password masked), and exits non-zero, with no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import demo
from bot.cli import main
from tests.support.harness import BOT_TOKEN

REFUSED = "postgresql://procedo:hunter2@127.0.0.1:9/procedo"  # nothing listens on port 9
BAD_SQLITE = "sqlite:////no/such/directory/procedo.db"


def commands(tmp_path: Path) -> dict[str, list[str]]:
    org = tmp_path / "org.yml"
    org.write_text(demo.org_text(), encoding="utf-8")
    return {
        "migrate": ["migrate"],
        "org import": ["org", "import", str(org)],
        "serve": ["serve"],
        "clock": ["clock"],
        "socket": ["socket"],
        "policy check": ["policy", "check"],
    }


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "irrelevant-here")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-irrelevant")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # never reached
    monkeypatch.delenv("PROCEDO_POLICY", raising=False)


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    "command", ["migrate", "org import", "serve", "clock", "socket", "policy check"]
)
@pytest.mark.parametrize(
    ("url", "reason"),
    [(REFUSED, "Connection refused"), (BAD_SQLITE, "unable to open database file")],
)
def test_an_unreachable_database_is_one_line_naming_database_url(
    command: str,
    url: str,
    reason: str,
    slack_env: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(commands(tmp_path)[command]) != 0
    err = one_line_error(capsys)
    assert err.startswith("procedo: cannot connect to the database in DATABASE_URL")
    assert reason in err
    assert "hunter2" not in err
    if "hunter2" in url:
        assert "procedo:***@127.0.0.1:9/procedo" in err


@pytest.mark.postgres
def test_a_database_that_does_not_exist_is_named(
    db_url: str,
    slack_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = make_url(db_url).set(database="procedo_no_such_db", password="hunter2")
    monkeypatch.setenv("DATABASE_URL", missing.render_as_string(hide_password=False))
    assert main(["migrate"]) != 0
    err = one_line_error(capsys)
    assert 'database "procedo_no_such_db" does not exist' in err
    assert "hunter2" not in err


def test_local_with_a_database_path_it_cannot_open(
    slack_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["local", "--db", "/no/such/directory/local.db"]) != 0
    err = one_line_error(capsys)
    assert err.startswith("procedo: cannot connect to the database in --db")
    assert "unable to open database file" in err
