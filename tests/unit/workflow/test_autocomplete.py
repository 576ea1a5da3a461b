"""`/faq` autocomplete: the core offers knowledge-base questions close to what is typed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import run
from tests.fakes import make_core, make_settings


def test_autocomplete_offers_questions_that_match_what_is_typed(tmp_path: Path) -> None:
    core = make_core(make_settings(tmp_path))
    try:
        choices = core.faq_choices("prescription refill")
        assert choices
        assert choices[0] == ("How do I get a prescription refill?",) * 2
        assert core.faq_choices("re") == []
    finally:
        core.close()


class AutocompletingAdapter:
    """An adapter with a `/faq` autocomplete hook and nothing to say."""

    name = "autocompleting"

    def __init__(self) -> None:
        self.faq_lookup: object = None

    async def start(self, submit: object) -> None:
        await asyncio.sleep(0)

    async def stop(self) -> None:
        await asyncio.sleep(0)

    async def deliver(self, message: object, ref: str | None = None) -> object:
        raise AssertionError("nothing should be delivered")


async def test_run_gives_adapters_the_autocomplete_source(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    core = make_core(settings)
    adapter = AutocompletingAdapter()
    await run(settings, adapter, core=core)  # type: ignore[arg-type]
    assert adapter.faq_lookup == core.faq_choices
