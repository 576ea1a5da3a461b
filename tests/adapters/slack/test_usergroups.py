"""Roles from Slack user groups: fetched, cached, refreshed, and safe when Slack fails."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.usergroups import UserGroupRoles
from bot.messages import Role
from tests.adapters.slack.fake_slack import FakeSlack

DOCTORS, MODS = "S0DOCTORS", "S0MODS"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def roles_for(fake: FakeSlack, clock: FakeTime, refresh: float = 300) -> UserGroupRoles:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    return UserGroupRoles(
        client,
        physician_groups=[DOCTORS],
        moderator_groups=[MODS],
        refresh_seconds=refresh,
        clock=clock,
    )


async def test_members_of_the_configured_groups_get_their_roles_and_everyone_is_a_patient(
    fake: FakeSlack,
) -> None:
    fake.usergroups = {DOCTORS: ["U1", "U3"], MODS: ["U2", "U3"]}
    roles = roles_for(fake, FakeTime())
    assert await roles.roles_of("U1") == {Role.PATIENT, Role.PHYSICIAN}
    assert await roles.roles_of("U2") == {Role.PATIENT, Role.MODERATOR}
    assert await roles.roles_of("U3") == {Role.PATIENT, Role.PHYSICIAN, Role.MODERATOR}
    assert await roles.roles_of("U9") == {Role.PATIENT}


async def test_membership_is_cached_until_the_refresh_period_passes(fake: FakeSlack) -> None:
    fake.usergroups = {DOCTORS: ["U1"], MODS: []}
    clock = FakeTime()
    roles = roles_for(fake, clock, refresh=300)
    assert Role.PHYSICIAN not in await roles.roles_of("U2")
    fake.usergroups[DOCTORS].append("U2")
    clock.now += 299
    assert Role.PHYSICIAN not in await roles.roles_of("U2")
    assert len(fake.calls_to("usergroups.users.list")) == 2  # one per group, once
    clock.now += 1
    assert Role.PHYSICIAN in await roles.roles_of("U2")
    assert len(fake.calls_to("usergroups.users.list")) == 4


async def test_a_removed_member_loses_the_role_on_refresh(fake: FakeSlack) -> None:
    fake.usergroups = {DOCTORS: ["U1"], MODS: []}
    roles = roles_for(fake, FakeTime())
    assert Role.PHYSICIAN in await roles.roles_of("U1")
    fake.usergroups[DOCTORS] = []
    roles.invalidate()
    assert await roles.roles_of("U1") == {Role.PATIENT}


async def test_a_failing_refresh_keeps_the_last_known_members_and_retries_soon(
    fake: FakeSlack,
) -> None:
    fake.usergroups = {DOCTORS: ["U1"], MODS: ["U2"]}
    clock = FakeTime()
    roles = roles_for(fake, clock, refresh=300)
    assert Role.PHYSICIAN in await roles.roles_of("U1")
    clock.now += 300
    fake.fail_next("usergroups.users.list", "internal_error", status=500)
    assert Role.PHYSICIAN in await roles.roles_of("U1")
    assert Role.MODERATOR in await roles.roles_of("U2")
    calls = len(fake.calls_to("usergroups.users.list"))
    clock.now += 31
    await roles.roles_of("U1")
    assert len(fake.calls_to("usergroups.users.list")) > calls


async def test_before_any_successful_load_nobody_is_privileged(fake: FakeSlack) -> None:
    fake.usergroups = {}  # both groups unknown: no_such_subteam
    roles = roles_for(fake, FakeTime())
    assert await roles.roles_of("U1") == {Role.PATIENT}


async def test_without_configured_groups_slack_is_not_asked(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    roles = UserGroupRoles(client, physician_groups=[], moderator_groups=[], refresh_seconds=60)
    assert await roles.roles_of("U1") == {Role.PATIENT}
    assert fake.calls == []
