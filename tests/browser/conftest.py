"""Browser tests: Playwright driving the system's Chromium against a real `procedo local`.

One browser per session; each test gets its own `procedo local` (bot, demo org, localslack and
the page) on a fresh SQLite file. Screenshots go to tests/artifacts/browser/ (ignored by git,
kept by CI). Playwright's own browser downloads are never used: only Debian's chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.local import LocalRun, start_local

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

Shoot = Callable[["Page", str], Path]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def _chromium() -> str | None:
    configured = os.environ.get("PROCEDO_CHROMIUM")
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium()
    if executable is None:
        pytest.skip("browser tests need Chromium: apt-get install chromium (none on PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright package: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[LocalRun]:
    run = start_local(home=tmp_path, fresh=True, web_port=0, log_to_file=False)
    try:
        yield run
    finally:
        run.stop()


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Shoot:
    """`shoot(page, "name")` saves tests/artifacts/browser/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
