"""Roles from Slack user groups: membership via `usergroups.users.list`, cached and refreshed."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Role

log = logging.getLogger(__name__)


class UserGroupRoles:
    """Maps a Slack user id to Careline roles through configured user groups.

    Membership is fetched for every configured group at first use and again once it is older
    than `refresh_seconds` (or after `invalidate()`, on a `subteam_*` event). When Slack cannot
    be reached the last known membership is kept; before any successful load a user holds no
    privileged role, so a Slack outage never grants a permission.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        physician_groups: Iterable[str],
        moderator_groups: Iterable[str],
        refresh_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._groups: dict[str, Role] = dict.fromkeys(physician_groups, Role.PHYSICIAN)
        self._groups.update(dict.fromkeys(moderator_groups, Role.MODERATOR))
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._members: dict[str, set[Role]] = {}
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Forget the load time so the next lookup refreshes (a user group changed)."""
        self._loaded_at = None

    async def roles_of(self, user_id: str) -> frozenset[Role]:
        """The user's roles; everyone is a patient."""
        await self._ensure_fresh()
        return frozenset({Role.PATIENT, *self._members.get(user_id, set())})

    async def _ensure_fresh(self) -> None:
        if not self._groups or not self._stale():
            return
        async with self._lock:
            if self._stale():
                await self.refresh()

    def _stale(self) -> bool:
        return self._loaded_at is None or (self._clock() - self._loaded_at >= self._refresh_seconds)

    async def refresh(self) -> None:
        """Reload every group's members; keep the previous map for groups that fail."""
        members: dict[str, set[Role]] = {}
        failed = False
        for group, role in self._groups.items():
            try:
                response = await self._client.usergroups_users_list(usergroup=group)
                users: list[Any] = response.get("users") or []
            except SlackApiError as exc:
                failed = True
                log.warning(
                    "could not list Slack user group %s (%s); keeping its last known members",
                    group,
                    exc.response.get("error") if exc.response is not None else exc,
                )
                users = [u for u, roles in self._members.items() if role in roles]
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                failed = True
                log.warning("could not reach Slack to list user group %s: %s", group, exc)
                users = [u for u, roles in self._members.items() if role in roles]
            for user in users:
                members.setdefault(str(user), set()).add(role)
        self._members = members
        # After a failure, try again soon rather than after a whole refresh period.
        now = self._clock()
        retry_soon = now - self._refresh_seconds + min(30.0, self._refresh_seconds)
        self._loaded_at = retry_soon if failed else now
        log.debug("Slack user groups loaded: %d privileged users", len(members))
