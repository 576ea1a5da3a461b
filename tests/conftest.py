"""Shared fixtures: settings on a temporary SQLite file, a fake clock, a console harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.fakes import ConsoleHarness, FakeClock, make_core, make_settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def console(settings: Settings, clock: FakeClock) -> AsyncIterator[ConsoleHarness]:
    harness = ConsoleHarness(make_core(settings, clock=clock))
    yield harness
    harness.close()
