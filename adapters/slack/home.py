"""The App Home tab: a physician's claimed and open escalations, from a query the core supplies.

The core owns the data and the rule of who sees what. The composition root passes a
`HomeQuery`: given the actor (with roles), it returns ``(claimed, open)`` as escalation cards
(`Content`, with their buttons), exactly as the core renders them for the reviewer channel, or
None for someone who sees no escalations. Without a query the tab shows the intro only.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from adapters.slack.render import home_view
from bot.i18n import Catalog
from bot.messages import Actor, Content

log = logging.getLogger(__name__)

HomeCards = tuple[Sequence[Content], Sequence[Content]]
HomeQuery = Callable[[Actor], Awaitable[HomeCards | None]]


async def build_home(actor: Actor, query: HomeQuery | None, catalog: Catalog) -> dict[str, Any]:
    """The Home view for `actor`: intro, then their claimed and the open escalations."""
    if query is None:
        return home_view([], catalog)
    try:
        cards = await query(actor)
    except Exception:
        # A loop edge: the tab still opens, with a pointer to /careline queue.
        log.exception("App Home query failed for Slack user %s", actor.user_id)
        view = home_view([], catalog)
        view["blocks"].append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": catalog("slack.home.unavailable")},
            }
        )
        return view
    if cards is None:
        return home_view([], catalog)
    claimed, open_cards = cards
    return home_view(
        [(catalog("slack.home.claimed"), claimed), (catalog("slack.home.open"), open_cards)],
        catalog,
    )
