"""The escalation state machine: the transition table, the role checks and the audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.errors import InvalidTransitionError, PermissionDeniedError
from bot.i18n import Catalog
from bot.messages import Actor, Role


class State(StrEnum):
    """Where an escalation is in its life cycle."""

    OPEN = "open"
    CLAIMED = "claimed"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    CLOSED = "closed"
    EXPIRED = "expired"


class Action(StrEnum):
    """Everything that can happen to an escalation."""

    CLAIM = "claim"
    RELEASE = "release"
    AUTO_RELEASE = "auto_release"
    ANSWER = "answer"
    APPROVE = "approve"
    REJECT = "reject"
    DELIVER = "deliver"
    CLOSE = "close"
    EXPIRE = "expire"
    PROMOTE = "promote"


class Who(StrEnum):
    """Who may take an action: a role, the claiming physician, or the system's timers."""

    PHYSICIAN = "physician"
    CLAIMER = "claimer"
    CLAIMER_OR_MODERATOR = "claimer_or_moderator"
    MODERATOR = "moderator"
    PHYSICIAN_OR_MODERATOR = "physician_or_moderator"
    SYSTEM = "system"


_S, _A = State, Action

# (state, action) -> (next state, who may do it). Anything missing is an illegal transition.
TRANSITIONS: dict[tuple[State, Action], tuple[State, Who]] = {
    (_S.OPEN, _A.CLAIM): (_S.CLAIMED, Who.PHYSICIAN),
    (_S.CLAIMED, _A.RELEASE): (_S.OPEN, Who.CLAIMER_OR_MODERATOR),
    (_S.REJECTED, _A.RELEASE): (_S.OPEN, Who.CLAIMER_OR_MODERATOR),
    (_S.CLAIMED, _A.AUTO_RELEASE): (_S.OPEN, Who.SYSTEM),
    (_S.REJECTED, _A.AUTO_RELEASE): (_S.OPEN, Who.SYSTEM),
    (_S.CLAIMED, _A.ANSWER): (_S.AWAITING_APPROVAL, Who.CLAIMER),
    (_S.REJECTED, _A.ANSWER): (_S.AWAITING_APPROVAL, Who.CLAIMER),
    (_S.AWAITING_APPROVAL, _A.APPROVE): (_S.APPROVED, Who.MODERATOR),
    (_S.AWAITING_APPROVAL, _A.REJECT): (_S.REJECTED, Who.MODERATOR),
    (_S.APPROVED, _A.DELIVER): (_S.DELIVERED, Who.SYSTEM),
    (_S.OPEN, _A.CLOSE): (_S.CLOSED, Who.PHYSICIAN_OR_MODERATOR),
    (_S.CLAIMED, _A.CLOSE): (_S.CLOSED, Who.PHYSICIAN_OR_MODERATOR),
    (_S.REJECTED, _A.CLOSE): (_S.CLOSED, Who.PHYSICIAN_OR_MODERATOR),
    (_S.AWAITING_APPROVAL, _A.CLOSE): (_S.CLOSED, Who.MODERATOR),
    (_S.OPEN, _A.EXPIRE): (_S.EXPIRED, Who.SYSTEM),
    (_S.CLAIMED, _A.EXPIRE): (_S.EXPIRED, Who.SYSTEM),
    (_S.REJECTED, _A.EXPIRE): (_S.EXPIRED, Who.SYSTEM),
    (_S.APPROVED, _A.PROMOTE): (_S.APPROVED, Who.MODERATOR),
    (_S.DELIVERED, _A.PROMOTE): (_S.DELIVERED, Who.MODERATOR),
}

# A trusted physician's answer skips approval: claimed/rejected -> approved in one step.
TRUSTED_ANSWER = _S.APPROVED

SYSTEM_ACTOR = Actor(platform="careline", user_id="system", display_name="Careline")


@dataclass(frozen=True, slots=True)
class Transition:
    """A checked, allowed state change, ready to be applied and audited."""

    escalation_id: int
    action: Action
    before: State
    after: State
    actor: Actor | None
    role: str
    at: datetime


def role_label(actor: Actor | None) -> str:
    """The highest role an actor holds, as written in the audit log."""
    if actor is None:
        return "system"
    for role in (Role.MODERATOR, Role.PHYSICIAN):
        if actor.has(role):
            return role.value
    return Role.PATIENT.value


def check(
    escalation_id: int,
    state: State,
    action: Action,
    actor: Actor | None,
    *,
    claimer_key: str | None,
    actor_key: str | None,
    at: datetime,
    catalog: Catalog,
    trusted: bool = False,
) -> Transition:
    """Check that `actor` may take `action` on an escalation in `state`.

    Args:
        escalation_id: the escalation's number (for messages).
        state: its current state.
        action: what is being done.
        actor: who does it; None for the system's timers.
        claimer_key: pseudonymous key of the physician holding the claim, if any.
        actor_key: pseudonymous key of `actor`.
        at: when.
        catalog: message catalog for the error texts.
        trusted: the actor is a trusted physician (an answer skips approval).

    Raises:
        InvalidTransitionError: the action is not possible from `state`; nothing changes.
        PermissionDeniedError: the actor may not take it.
    """
    rule = TRANSITIONS.get((state, action))
    if rule is None and not any(
        _allowed(who, actor, claimer_key=actor_key, actor_key=actor_key)
        for (_, other), (_, who) in TRANSITIONS.items()
        if other is action
    ):
        # Someone who could never take this action learns that, not the escalation's state.
        who = next(w for (_, other), (_, w) in TRANSITIONS.items() if other is action)
        raise PermissionDeniedError(
            catalog(
                f"workflow.errors.denied_{who.value}",
                id=escalation_id,
                action=catalog(f"workflow.actions.{action.value}"),
            )
        )
    if rule is None:
        raise InvalidTransitionError(
            catalog(
                "workflow.errors.invalid_transition",
                id=escalation_id,
                action=catalog(f"workflow.actions.{action.value}"),
                state=catalog(f"workflow.states.{state.value}"),
            )
        )
    after, who = rule
    if not _allowed(who, actor, claimer_key=claimer_key, actor_key=actor_key):
        raise PermissionDeniedError(
            catalog(
                f"workflow.errors.denied_{who.value}",
                id=escalation_id,
                action=catalog(f"workflow.actions.{action.value}"),
            )
        )
    if action is Action.ANSWER and trusted:
        after = TRUSTED_ANSWER
    return Transition(escalation_id, action, state, after, actor, role_label(actor), at)


def _allowed(
    who: Who, actor: Actor | None, *, claimer_key: str | None, actor_key: str | None
) -> bool:
    if who is Who.SYSTEM:
        return actor is None
    if actor is None:
        return False
    is_claimer = claimer_key is not None and claimer_key == actor_key
    moderator = actor.has(Role.MODERATOR)
    physician = actor.has(Role.PHYSICIAN)
    return {
        Who.PHYSICIAN: physician,
        Who.CLAIMER: physician and is_claimer,
        Who.CLAIMER_OR_MODERATOR: (physician and is_claimer) or moderator,
        Who.MODERATOR: moderator,
        Who.PHYSICIAN_OR_MODERATOR: physician or moderator,
    }[who]


def legal_actions(state: State) -> list[Action]:
    """The actions possible from `state` (for buttons and help)."""
    return [action for (s, action) in TRANSITIONS if s is state]
