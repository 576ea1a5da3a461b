"""The state machine: every legal transition, every illegal one, and who may take each."""

from __future__ import annotations

import itertools

import pytest

from bot.errors import InvalidTransitionError, PermissionDeniedError
from bot.i18n import load_catalog
from bot.messages import Actor, Role
from bot.workflow import TRANSITIONS, Action, State, Who, check, legal_actions
from tests.fakes import START

CAT = load_catalog("en")
PATIENT = Actor("t", "pat", "Pat")
PHYSICIAN = Actor("t", "lee", "Dr Lee", frozenset({Role.PATIENT, Role.PHYSICIAN}))
OTHER_PHYSICIAN = Actor("t", "kim", "Dr Kim", frozenset({Role.PATIENT, Role.PHYSICIAN}))
MODERATOR = Actor("t", "mo", "Mo", frozenset({Role.PATIENT, Role.MODERATOR}))
KEYS = {PATIENT: "k-pat", PHYSICIAN: "k-lee", OTHER_PHYSICIAN: "k-kim", MODERATOR: "k-mo"}
CLAIMER_KEY = KEYS[PHYSICIAN]


def attempt(state: State, action: Action, actor: Actor | None, *, trusted: bool = False):  # type: ignore[no-untyped-def]
    return check(
        7,
        state,
        action,
        actor,
        claimer_key=CLAIMER_KEY,
        actor_key=KEYS[actor] if actor else None,
        at=START,
        catalog=CAT,
        trusted=trusted,
    )


def allowed_actor(who: Who) -> Actor | None:
    return {
        Who.PHYSICIAN: OTHER_PHYSICIAN,
        Who.CLAIMER: PHYSICIAN,
        Who.CLAIMER_OR_MODERATOR: PHYSICIAN,
        Who.MODERATOR: MODERATOR,
        Who.PHYSICIAN_OR_MODERATOR: PHYSICIAN,
        Who.SYSTEM: None,
    }[who]


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITIONS))
def test_every_legal_transition_moves_to_its_target_state(state: State, action: Action) -> None:
    after, who = TRANSITIONS[(state, action)]
    move = attempt(state, action, allowed_actor(who))
    assert (move.before, move.after, move.action) == (state, after, action)


ILLEGAL = [
    (state, action)
    for state, action in itertools.product(State, Action)
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_clear_message(
    state: State, action: Action
) -> None:
    who = next(w for (_, other), (_, w) in TRANSITIONS.items() if other is action)
    with pytest.raises(InvalidTransitionError) as caught:
        attempt(state, action, allowed_actor(who))
    message = str(caught.value)
    assert "#7" in message
    assert CAT(f"workflow.states.{state.value}") in message


def test_the_life_cycle_has_the_documented_shape() -> None:
    assert legal_actions(State.OPEN) == [Action.CLAIM, Action.CLOSE, Action.EXPIRE]
    assert legal_actions(State.CLOSED) == []
    assert legal_actions(State.EXPIRED) == []
    assert set(legal_actions(State.AWAITING_APPROVAL)) == {
        Action.APPROVE,
        Action.REJECT,
        Action.CLOSE,
    }


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (State.OPEN, Action.CLAIM, PATIENT),
        (State.OPEN, Action.CLAIM, MODERATOR),
        (State.CLAIMED, Action.ANSWER, OTHER_PHYSICIAN),
        (State.CLAIMED, Action.ANSWER, MODERATOR),
        (State.CLAIMED, Action.ANSWER, PATIENT),
        (State.REJECTED, Action.ANSWER, OTHER_PHYSICIAN),
        (State.CLAIMED, Action.RELEASE, OTHER_PHYSICIAN),
        (State.CLAIMED, Action.RELEASE, PATIENT),
        (State.AWAITING_APPROVAL, Action.APPROVE, PHYSICIAN),
        (State.AWAITING_APPROVAL, Action.APPROVE, PATIENT),
        (State.AWAITING_APPROVAL, Action.REJECT, PHYSICIAN),
        (State.AWAITING_APPROVAL, Action.CLOSE, PHYSICIAN),
        (State.OPEN, Action.CLOSE, PATIENT),
        (State.DELIVERED, Action.PROMOTE, PHYSICIAN),
        (State.OPEN, Action.EXPIRE, MODERATOR),
        (State.CLAIMED, Action.AUTO_RELEASE, PHYSICIAN),
        (State.APPROVED, Action.DELIVER, MODERATOR),
    ],
)
def test_the_wrong_person_is_denied(state: State, action: Action, actor: Actor) -> None:
    with pytest.raises(PermissionDeniedError):
        attempt(state, action, actor)


def test_someone_who_could_never_take_an_action_is_told_so_whatever_the_state() -> None:
    with pytest.raises(PermissionDeniedError, match="Only a moderator"):
        attempt(State.DELIVERED, Action.APPROVE, PATIENT)


def test_the_system_cannot_take_a_person_s_action() -> None:
    with pytest.raises(PermissionDeniedError):
        attempt(State.OPEN, Action.CLAIM, None)


def test_a_moderator_may_release_someone_else_s_claim() -> None:
    assert attempt(State.CLAIMED, Action.RELEASE, MODERATOR).after is State.OPEN


def test_a_trusted_physician_s_answer_skips_approval() -> None:
    assert attempt(State.CLAIMED, Action.ANSWER, PHYSICIAN, trusted=True).after is State.APPROVED
    assert attempt(State.CLAIMED, Action.ANSWER, PHYSICIAN).after is State.AWAITING_APPROVAL


def test_a_transition_names_its_actor_and_role_for_the_audit() -> None:
    move = attempt(State.AWAITING_APPROVAL, Action.APPROVE, MODERATOR)
    assert move.actor == MODERATOR
    assert move.role == "moderator"
    assert attempt(State.OPEN, Action.EXPIRE, None).role == "system"
