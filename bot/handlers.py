"""One function per command: each reads and writes through the unit of work and queues replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlmodel import col, select

from bot import commands as c
from bot.errors import PermissionDeniedError, UserError
from bot.i18n import Catalog
from bot.knowledge.entry import Entry
from bot.matching.types import Candidate, Decision, MatchResult
from bot.messages import (
    Actor,
    Button,
    ButtonStyle,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    Field,
    Inbound,
    Link,
    Reply,
    Reviewers,
    Role,
    action_id,
)
from bot.safety.types import CrisisCategory, ScanResult
from bot.settings import Settings
from bot.store.models import Escalation, Feedback, PromotedEntry, Question
from bot.store.uow import Tx
from bot.workflow import Action, State, Transition, check

PENDING_CONSENT = "pending_consent"
_CATEGORIES = frozenset(c.value for c in CrisisCategory)
CRISIS = "crisis"


class MatcherPort(Protocol):
    """What the core needs from `bot.matching.matcher.Matcher`."""

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        """Rank entries and decide."""
        ...

    def entry(self, entry_id: str) -> Entry | None:
        """A matchable entry."""
        ...

    def upsert(self, entry: Entry) -> None:
        """Add or replace an entry live."""
        ...


@dataclass(frozen=True, slots=True)
class SafetyKit:
    """The safety layer's functions, as the core uses them (see `bot.app` for the wiring)."""

    scan: Callable[[str], ScanResult]
    neutralise: Callable[[str], str]
    crisis_reply: Callable[[CrisisCategory], Content]
    rate_check: Callable[[str, str, str], float | None]
    neutralise_mentions: Callable[[str], str] | None = None
    reviewer_alert: Callable[[CrisisCategory], Content] | None = None
    phi_notice: Callable[[list[str]], str] | None = None

    def trusted(self, text: str) -> str:
        """Reviewed content (FAQ entries, physicians' answers): keep its Markdown, stop pings."""
        return (self.neutralise_mentions or self.neutralise)(text)


@dataclass(slots=True)
class Context:
    """Everything a handler needs for one inbound event, inside one transaction."""

    settings: Settings
    catalog: Catalog
    matcher: MatcherPort
    safety: SafetyKit
    tx: Tx
    inbound: Inbound
    scan: ScanResult | None = None

    @property
    def actor(self) -> Actor:
        """Who sent the event."""
        return self.inbound.actor

    @property
    def actor_key(self) -> str:
        """The sender's pseudonymous key."""
        return self.tx.key_of(self.inbound.actor)

    def reply(
        self, content: Content, *, private: bool = False, question_id: int | None = None
    ) -> None:
        """Answer the sender where they wrote (privately if asked or needed)."""
        inbound = self.inbound
        target = Channel(inbound.channel, thread=inbound.thread, reply_to=inbound.message_id)
        self.tx.send(
            Reply(
                target,
                content,
                private_to=inbound.actor.user_id if private or inbound.private else None,
                mention=inbound.actor.user_id,
            ),
            question_id=question_id,
            user_key=self.actor_key,
        )

    def say(self, key: str, /, *, private: bool = False, **values: Any) -> None:
        """Reply with a catalog text."""
        self.reply(Content(text=self.catalog(key, **values)), private=private)


# ---------------------------------------------------------------- content builders


def answer_content(entry: Entry, question_id: int, catalog: Catalog, safety: SafetyKit) -> Content:
    """An FAQ answer: text, sources, review line, disclaimer, feedback buttons."""
    reviewed = ""
    if entry.reviewed_by:
        reviewed = (
            catalog("workflow.answer_reviewed", reviewer=entry.reviewed_by, date=entry.reviewed_on)
            if entry.reviewed_on
            else catalog("workflow.answer_reviewed_undated", reviewer=entry.reviewed_by)
        )
    text = safety.trusted(entry.answer) + (f"\n\n_{reviewed}_" if reviewed else "")
    return Content(
        title=safety.trusted(entry.question),
        text=text,
        links=tuple(Link(s.title, s.url) for s in entry.sources),
        footer=catalog("core.disclaimer"),
        buttons=_feedback_buttons(question_id, catalog),
    )


def _feedback_buttons(question_id: int, catalog: Catalog) -> tuple[Button, ...]:
    return (
        Button(action_id("helpful", question_id), catalog("workflow.helpful_button")),
        Button(action_id("unhelpful", question_id), catalog("workflow.unhelpful_button")),
        Button(action_id("professional", question_id), catalog("workflow.professional_button")),
    )


def card_content(
    esc: Escalation, question: Question | None, ctx_catalog: Catalog, safety: SafetyKit
) -> Content:
    """The reviewer card for an escalation in its current state."""
    cat = ctx_catalog
    number = esc.id
    state = State(esc.state)
    fields = [Field(cat("workflow.field_state"), cat(f"workflow.states.{state.value}"))]
    if esc.claimed_by_name and state in {State.CLAIMED, State.REJECTED, State.AWAITING_APPROVAL}:
        fields.append(Field(cat("workflow.field_claimed"), esc.claimed_by_name))
    if esc.answer and state is not State.CLOSED:
        fields.append(Field(cat("workflow.field_answer"), safety.trusted(esc.answer)))
    if esc.reject_reason and state is State.REJECTED:
        fields.append(Field(cat("workflow.field_reason"), safety.neutralise(esc.reject_reason)))
    if esc.close_reason and state is State.CLOSED:
        fields.append(Field(cat("workflow.field_close"), safety.neutralise(esc.close_reason)))
    if question is not None and question.nearest_entry_id:
        fields.append(Field(cat("workflow.field_nearest"), question.nearest_entry_id))
    if question is not None and question.phi_kinds:
        fields.append(Field(cat("workflow.field_phi"), question.phi_kinds))
    if esc.promoted_entry_id:
        fields.append(Field(cat("workflow.field_promoted"), esc.promoted_entry_id))
    text = (
        safety.neutralise(question.text)
        if question is not None
        else cat("workflow.erased_question")
    )
    title_key = "workflow.card_title_urgent" if esc.urgent else "workflow.card_title"
    title = cat(title_key, id=number)
    if esc.crisis in _CATEGORIES and safety.reviewer_alert is not None:
        # The safety layer's alert deliberately does not quote the person's words.
        alert = safety.reviewer_alert(CrisisCategory(esc.crisis or ""))
        title = f"#{number}: {alert.title}" if alert.title else title
        text = alert.text
    elif esc.crisis:
        text = cat("workflow.crisis_escalation", category=esc.crisis) + "\n" + text
    return Content(
        title=title,
        text=text,
        fields=tuple(fields),
        buttons=_card_buttons(esc, cat),
        urgent=esc.urgent,
    )


def _card_buttons(esc: Escalation, cat: Catalog) -> tuple[Button, ...]:
    n = esc.id
    state = State(esc.state)

    def button(
        verb: str, style: ButtonStyle = ButtonStyle.SECONDARY, prompt: str | None = None
    ) -> Button:
        return Button(action_id(verb, n), cat(f"workflow.buttons.{verb}"), style, prompt)

    if state is State.OPEN:
        return (button("claim", ButtonStyle.PRIMARY), button("close", ButtonStyle.DANGER))
    if state in {State.CLAIMED, State.REJECTED}:
        return (
            button("answer", ButtonStyle.PRIMARY, cat("workflow.buttons.answer_prompt")),
            button("release"),
            button("close", ButtonStyle.DANGER),
        )
    if state is State.AWAITING_APPROVAL:
        return (
            button("approve", ButtonStyle.SUCCESS),
            button("reject", ButtonStyle.DANGER, cat("workflow.buttons.reject_prompt")),
            button("close", ButtonStyle.DANGER),
        )
    if state in {State.APPROVED, State.DELIVERED} and not esc.promoted_entry_id:
        return (button("promote"),)
    return ()


def card_key(escalation_id: int | None) -> str:
    """The stable card key of an escalation."""
    return f"escalation:{escalation_id}"


def patient_target(question: Question) -> tuple[Channel, str | None]:
    """Where the patient who asked a question is answered, and whom to make it private to."""
    target = Channel(question.channel or "", thread=question.thread, reply_to=question.message_id)
    return target, question.user_id if question.private else None


# ---------------------------------------------------------------- escalation helpers


def escalate(
    ctx: Context, question: Question, *, urgent: bool = False, crisis: str | None = None
) -> Escalation:
    """Open an escalation for a question, post its card, tell the patient."""
    tx, cat = ctx.tx, ctx.catalog
    esc = Escalation(
        question_id=question.id or 0,
        state=State.OPEN.value,
        urgent=urgent,
        crisis=crisis,
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(esc)
    tx.session.flush()
    tx.audit(
        escalation_id=esc.id,
        action="escalate",
        actor=ctx.actor,
        after=State.OPEN.value,
        detail=f"question {question.id}" + (f", crisis {crisis}" if crisis else ""),
    )
    tx.send(
        Card(card_key(esc.id), Reviewers(), card_content(esc, question, cat, ctx.safety)),
        question_id=question.id,
    )
    if crisis is None:
        key = "workflow.escalated_private" if question.private else "workflow.escalated"
        hours = ctx.settings.workflow.expected_wait_hours
        ctx.reply(
            Content(text=cat(key, id=esc.id, hours=hours)),
            private=question.private,
            question_id=question.id,
        )
    return esc


def _load(ctx: Context, escalation_id: int) -> Escalation:
    esc = ctx.tx.escalation(escalation_id)
    if esc is None:
        raise UserError(ctx.catalog("workflow.unknown_escalation", id=escalation_id))
    return esc


def _transition(
    ctx: Context, esc: Escalation, action: Action, *, trusted: bool = False
) -> Transition:
    return check(
        esc.id or 0,
        State(esc.state),
        action,
        ctx.actor,
        claimer_key=esc.claimed_by_key,
        actor_key=ctx.actor_key,
        at=ctx.tx.now,
        catalog=ctx.catalog,
        trusted=trusted,
    )


def apply(tx: Tx, esc: Escalation, transition: Transition, *, detail: str = "") -> None:
    """Move an escalation to its new state and audit it."""
    esc.state = transition.after.value
    esc.updated_at = tx.now
    tx.session.add(esc)
    tx.audit(transition, detail=detail)


def refresh_card(tx: Tx, esc: Escalation, catalog: Catalog, safety: SafetyKit) -> None:
    """Queue the card's new look."""
    question = tx.question(esc.question_id)
    tx.send(
        CardUpdate(card_key(esc.id), card_content(esc, question, catalog, safety)),
        question_id=esc.question_id,
    )


def to_thread(tx: Tx, esc: Escalation, text: str, *, mention: str | None = None) -> None:
    """Post a note in the card's discussion thread."""
    tx.send(
        Reply(CardThread(card_key(esc.id)), Content(text=text), mention=mention),
        question_id=esc.question_id,
    )


def deliver_answer(tx: Tx, esc: Escalation, catalog: Catalog, safety: SafetyKit) -> None:
    """Queue the approved answer for the patient; the outbox marks it delivered once sent."""
    question = tx.question(esc.question_id)
    if question is None or not question.channel:
        return
    target, private_to = patient_target(question)
    credit = (
        catalog(
            "workflow.answer_professional_reviewed",
            physician=esc.claimed_by_name,
            moderator=esc.approved_by_name,
        )
        if esc.approved_by_name
        else catalog("workflow.answer_professional_trusted", physician=esc.claimed_by_name)
    )
    content = Content(
        title=catalog("workflow.answer_from_professional", id=esc.id),
        text=f"{safety.trusted(esc.answer or '')}\n\n_{credit}_",
        footer=catalog("core.disclaimer"),
        buttons=_feedback_buttons(question.id or 0, catalog)[:2],
    )
    tx.send(
        Reply(target, content, private_to=private_to, mention=question.user_id),
        question_id=question.id,
        user_key=question.user_key,
        on_sent=f"deliver:{esc.id}",
    )


def tell_patient(tx: Tx, esc: Escalation, text: str) -> None:
    """Queue a short message to the patient of an escalation."""
    question = tx.question(esc.question_id)
    if question is None or not question.channel:
        return
    target, private_to = patient_target(question)
    tx.send(
        Reply(target, Content(text=text), private_to=private_to, mention=question.user_id),
        question_id=question.id,
        user_key=question.user_key,
    )


# ---------------------------------------------------------------- patient commands


def ask(cmd: c.Ask, ctx: Context) -> None:
    """A question: answer from the FAQ, suggest entries, or escalate to a professional."""
    cat, tx = ctx.catalog, ctx.tx
    scan = ctx.scan or ctx.safety.scan(cmd.text)
    text = scan.redacted.strip()
    if not text:
        ctx.say("workflow.empty")
        return
    phi = scan.phi
    private = ctx.inbound.private or bool(phi)
    result = ctx.matcher.match(text, limit=5)
    best = result.best
    question = Question(
        platform=ctx.inbound.platform,
        user_key=ctx.actor_key,
        user_id=ctx.actor.user_id,
        channel=ctx.inbound.channel,
        thread=ctx.inbound.thread,
        message_id=ctx.inbound.message_id,
        private=private,
        text=text,
        phi_kinds=",".join(k.value for k in phi),
        locale=ctx.settings.community.locale,
        decision=result.decision.value,
        entry_id=best.entry_id if best and result.decision is Decision.ANSWER else None,
        score=best.score if best else None,
        nearest_entry_id=best.entry_id if best else None,
        created_at=tx.now,
    )
    entry = ctx.matcher.entry(best.entry_id) if best else None
    if result.decision is Decision.ANSWER and entry is None:
        question.decision = Decision.ESCALATE.value
    if result.decision is Decision.SUGGEST and not _suggested(ctx, result):
        question.decision = Decision.ESCALATE.value  # nothing worth offering after all
    if question.decision == Decision.ESCALATE.value and ctx.settings.workflow.require_consent:
        question.decision = PENDING_CONSENT
    tx.session.add(question)
    tx.session.flush()
    qid = question.id or 0
    notice = (
        cat("workflow.phi_removed", kinds=", ".join(k.value for k in phi)) + "\n\n" if phi else ""
    )
    if question.decision == Decision.ANSWER.value and entry is not None:
        content = answer_content(entry, qid, cat, ctx.safety)
        ctx.reply(_prefixed(content, notice), private=private, question_id=qid)
    elif question.decision == Decision.SUGGEST.value:
        ctx.reply(
            _prefixed(_suggestions(ctx, qid, result), notice), private=private, question_id=qid
        )
    elif question.decision == PENDING_CONSENT:
        _consent_prompt(ctx, question, notice)
    else:
        if notice:
            ctx.reply(Content(text=notice.strip()), private=True, question_id=qid)
        escalate(ctx, question)


def _phi_notice(ctx: Context, kinds: list[str]) -> str:
    if ctx.safety.phi_notice is not None:
        return ctx.safety.phi_notice(kinds)
    return ctx.catalog("workflow.phi_removed", kinds=", ".join(kinds))


def _prefixed(content: Content, notice: str) -> Content:
    if not notice:
        return content
    return Content(
        text=notice + content.text,
        title=content.title,
        fields=content.fields,
        links=content.links,
        footer=content.footer,
        buttons=content.buttons,
        urgent=content.urgent,
    )


def _suggested(ctx: Context, result: MatchResult) -> list[tuple[Candidate, Entry]]:
    limit = ctx.settings.matching.max_suggestions
    chosen: list[tuple[Candidate, Entry]] = []
    for candidate in result.candidates:
        entry = ctx.matcher.entry(candidate.entry_id)
        if entry is not None and candidate.score >= ctx.settings.matching.suggest_threshold:
            chosen.append((candidate, entry))
        if len(chosen) >= limit:
            break
    return chosen


def _suggestions(ctx: Context, question_id: int, result: MatchResult) -> Content:
    cat = ctx.catalog
    chosen = _suggested(ctx, result)
    lines = [cat("workflow.suggest_text")]
    buttons = []
    for number, (_, entry) in enumerate(chosen, start=1):
        title = ctx.safety.trusted(entry.question)
        lines.append(f"{number}. {title}")
        buttons.append(
            Button(action_id("pick", question_id, entry.id), _short(title), ButtonStyle.PRIMARY)
        )
    buttons.append(
        Button(action_id("professional", question_id), cat("workflow.professional_button"))
    )
    return Content(text="\n".join(lines), buttons=tuple(buttons), footer=cat("core.disclaimer"))


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _consent_prompt(ctx: Context, question: Question, notice: str) -> None:
    cat = ctx.catalog
    quoted = ctx.safety.neutralise(question.text).replace("\n", "\n> ")
    content = Content(
        text=notice + cat("workflow.consent_prompt", text=quoted, id=question.id),
        buttons=(
            Button(
                action_id("share", question.id), cat("workflow.share_button"), ButtonStyle.PRIMARY
            ),
        ),
    )
    ctx.reply(content, private=True, question_id=question.id)


def _own_question(ctx: Context, question_id: int) -> Question:
    question = ctx.tx.question(question_id)
    if question is None:
        raise UserError(ctx.catalog("workflow.unknown_question", id=question_id))
    if question.user_key != ctx.actor_key:
        raise PermissionDeniedError(ctx.catalog("workflow.not_your_question"))
    return question


def share(cmd: c.Share, ctx: Context) -> None:
    """The patient consents: the held question goes to the reviewers."""
    tx = ctx.tx
    question: Question | None
    if cmd.question_id is None:
        question = tx.session.exec(
            select(Question)
            .where(Question.user_key == ctx.actor_key, Question.decision == PENDING_CONSENT)
            .order_by(col(Question.id).desc())
        ).first()
        if question is None:
            ctx.say("workflow.consent_none", private=True)
            return
    else:
        question = _own_question(ctx, cmd.question_id)
    existing = tx.escalation_for_question(question.id or 0)
    if existing is not None:
        ctx.say("workflow.already_escalated", id=existing.id, private=question.private)
        return
    if question.decision != PENDING_CONSENT:
        ctx.say("workflow.consent_none", private=True)
        return
    question.decision = Decision.ESCALATE.value
    tx.session.add(question)
    escalate(ctx, question)


def pick(cmd: c.Pick, ctx: Context) -> None:
    """The patient picked one of the suggestions."""
    question = _own_question(ctx, cmd.question_id)
    entry = ctx.matcher.entry(cmd.entry_id)
    if entry is None:
        ctx.say("workflow.unknown_entry", private=question.private)
        return
    question.entry_id = entry.id
    ctx.tx.session.add(question)
    ctx.reply(
        answer_content(entry, question.id or 0, ctx.catalog, ctx.safety),
        private=question.private,
        question_id=question.id,
    )


def feedback(cmd: c.Feedback, ctx: Context) -> None:
    """ "Did this help?" from the patient who asked."""
    question = _own_question(ctx, cmd.question_id)
    ctx.tx.session.add(
        Feedback(
            question_id=question.id,
            user_key=ctx.actor_key,
            entry_id=question.entry_id,
            helpful=cmd.helpful,
            created_at=ctx.tx.now,
        )
    )
    ctx.say("workflow.feedback_thanks", private=True)


def ask_professional(cmd: c.AskProfessional, ctx: Context) -> None:
    """The patient wants a professional rather than the FAQ."""
    question = _own_question(ctx, cmd.question_id)
    existing = ctx.tx.escalation_for_question(question.id or 0)
    if existing is not None:
        ctx.say("workflow.already_escalated", id=existing.id, private=question.private)
        return
    if ctx.settings.workflow.require_consent:
        question.decision = PENDING_CONSENT
        ctx.tx.session.add(question)
        _consent_prompt(ctx, question, "")
        return
    question.decision = Decision.ESCALATE.value
    ctx.tx.session.add(question)
    escalate(ctx, question)


def faq(cmd: c.Faq, ctx: Context) -> None:
    """Search the FAQ; nothing is stored."""
    cat = ctx.catalog
    scan = ctx.scan or ctx.safety.scan(cmd.query)
    query = scan.redacted.strip()
    result = ctx.matcher.match(query, limit=5)
    hits = [
        entry
        for candidate in result.candidates
        if candidate.score >= ctx.settings.matching.suggest_threshold
        and (entry := ctx.matcher.entry(candidate.entry_id)) is not None
    ][: ctx.settings.matching.max_suggestions]
    shown = ctx.safety.neutralise(_short(query, 80))
    if not hits:
        ctx.say("workflow.faq_none", query=shown)
        return
    lines = [cat("workflow.faq_results", query=shown)]
    for entry in hits:
        title = ctx.safety.trusted(entry.question)
        lines.append(f"• **{title}** — {ctx.safety.trusted(_short(entry.answer, 240))}")
    ctx.reply(Content(text="\n".join(lines), footer=cat("core.disclaimer")))


def help_(cmd: c.Help, ctx: Context) -> None:
    """The command list."""
    ctx.say("workflow.help")


# ---------------------------------------------------------------- reviewer commands


def _require(ctx: Context, *roles: Role) -> None:
    if not any(ctx.actor.has(role) for role in roles):
        key = (
            "workflow.errors.moderators_only"
            if roles == (Role.MODERATOR,)
            else "workflow.errors.physicians_only"
        )
        raise PermissionDeniedError(ctx.catalog(key))


def queue(cmd: c.Queue, ctx: Context) -> None:
    """Open escalations, urgent first."""
    _require(ctx, Role.PHYSICIAN, Role.MODERATOR)
    cat = ctx.catalog
    rows = ctx.tx.open_escalations()
    if not rows:
        ctx.say("workflow.queue_empty")
        return
    lines = [cat("workflow.queue_title")]
    for esc in rows:
        question = ctx.tx.question(esc.question_id)
        text = _short(ctx.safety.neutralise(question.text), 80) if question else ""
        lines.append(
            cat(
                "workflow.queue_line",
                id=esc.id,
                state=cat(f"workflow.states.{esc.state}"),
                urgent=cat("workflow.urgent_mark") if esc.urgent else "",
                text=text,
            )
        )
    ctx.reply(Content(text="\n".join(lines)))


def claim(cmd: c.Claim, ctx: Context) -> None:
    """A physician takes an escalation."""
    esc = _load(ctx, cmd.escalation_id)
    move = _transition(ctx, esc, Action.CLAIM)
    esc.claimed_by_key = ctx.actor_key
    esc.claimed_by_id = ctx.actor.user_id
    esc.claimed_by_name = ctx.actor.display_name
    esc.claimed_at = ctx.tx.now
    apply(ctx.tx, esc, move)
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)
    to_thread(ctx.tx, esc, ctx.catalog("workflow.claimed_thread", name=ctx.actor.display_name))
    ctx.say("workflow.claimed_by_you", id=esc.id, private=True)


def release(cmd: c.Release, ctx: Context) -> None:
    """Give a claim back."""
    esc = _load(ctx, cmd.escalation_id)
    move = _transition(ctx, esc, Action.RELEASE)
    _clear_claim(esc)
    apply(ctx.tx, esc, move)
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)
    to_thread(ctx.tx, esc, ctx.catalog("workflow.released_thread", name=ctx.actor.display_name))


def _clear_claim(esc: Escalation) -> None:
    esc.claimed_by_key = esc.claimed_by_id = esc.claimed_by_name = None
    esc.claimed_at = None


def answer(cmd: c.Answer, ctx: Context) -> None:
    """The claiming physician answers; trusted physicians skip approval."""
    esc = _load(ctx, cmd.escalation_id)
    trusted = ctx.actor.user_id in ctx.settings.workflow.trusted_physicians
    move = _transition(ctx, esc, Action.ANSWER, trusted=trusted)
    esc.answer = cmd.text.strip()
    esc.answered_at = ctx.tx.now
    esc.reject_reason = None
    apply(
        ctx.tx,
        esc,
        move,
        detail="trusted: approval skipped" if move.after is State.APPROVED else "",
    )
    if move.after is State.APPROVED:
        deliver_answer(ctx.tx, esc, ctx.catalog, ctx.safety)
    else:
        to_thread(ctx.tx, esc, ctx.catalog("workflow.answered_thread", name=ctx.actor.display_name))
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)


def approve(cmd: c.Approve, ctx: Context) -> None:
    """A moderator approves; the answer goes to the patient."""
    esc = _load(ctx, cmd.escalation_id)
    move = _transition(ctx, esc, Action.APPROVE)
    esc.approved_by_name = ctx.actor.display_name
    apply(ctx.tx, esc, move)
    deliver_answer(ctx.tx, esc, ctx.catalog, ctx.safety)
    to_thread(
        ctx.tx, esc, ctx.catalog("workflow.approved_thread", moderator=ctx.actor.display_name)
    )
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)


def reject(cmd: c.Reject, ctx: Context) -> None:
    """A moderator sends the answer back to the claiming physician with a reason."""
    esc = _load(ctx, cmd.escalation_id)
    move = _transition(ctx, esc, Action.REJECT)
    esc.reject_reason = cmd.reason.strip()
    apply(ctx.tx, esc, move, detail=f"reason: {esc.reject_reason}")
    to_thread(
        ctx.tx,
        esc,
        ctx.catalog(
            "workflow.rejected_thread",
            moderator=ctx.actor.display_name,
            reason=ctx.safety.neutralise(esc.reject_reason),
            id=esc.id,
        ),
        mention=esc.claimed_by_id,
    )
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)


def close(cmd: c.Close, ctx: Context) -> None:
    """Close an escalation (duplicate, out of scope); the patient is told."""
    esc = _load(ctx, cmd.escalation_id)
    move = _transition(ctx, esc, Action.CLOSE)
    esc.close_reason = cmd.reason.strip() or None
    apply(ctx.tx, esc, move, detail=f"reason: {esc.close_reason or ''}")
    text = (
        ctx.catalog(
            "workflow.closed_patient", id=esc.id, reason=ctx.safety.neutralise(esc.close_reason)
        )
        if esc.close_reason
        else ctx.catalog("workflow.closed_no_reason", id=esc.id)
    )
    tell_patient(ctx.tx, esc, text)
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)


def promote(cmd: c.Promote, ctx: Context) -> None:
    """Turn an approved answer into a knowledge entry, live in the matcher at once."""
    from bot.learning import entry_from, slug_for

    esc = _load(ctx, cmd.escalation_id)
    if esc.promoted_entry_id:
        raise UserError(
            ctx.catalog("workflow.already_promoted", id=esc.id, entry=esc.promoted_entry_id)
        )
    move = _transition(ctx, esc, Action.PROMOTE)
    question = ctx.tx.question(esc.question_id)
    if question is None:
        raise UserError(ctx.catalog("workflow.unknown_escalation", id=esc.id))
    row = PromotedEntry(
        id=slug_for(question.text, esc.id or 0),
        question=question.text,
        answer=esc.answer or "",
        tags="promoted",
        reviewed_by=esc.claimed_by_name or "",
        reviewed_on=ctx.tx.now.date(),
        escalation_id=esc.id,
        locale=question.locale,
        created_at=ctx.tx.now,
    )
    ctx.tx.session.add(row)
    esc.promoted_entry_id = row.id
    apply(ctx.tx, esc, move, detail=f"entry {row.id}")
    ctx.matcher.upsert(entry_from(row))
    ctx.say("workflow.promoted", entry=row.id)
    refresh_card(ctx.tx, esc, ctx.catalog, ctx.safety)


def stats(cmd: c.Stats, ctx: Context) -> None:
    """The community's numbers (moderators)."""
    from bot.reports import compute_stats, format_stats

    _require(ctx, Role.MODERATOR)
    ctx.reply(Content(text=format_stats(compute_stats(ctx.tx.session), ctx.catalog)), private=True)


def forget_me(cmd: c.ForgetMe, ctx: Context) -> None:
    """Erase the sender's questions and personal data; audit entries stay, de-identified."""
    from bot.privacy import forget

    counts = forget(ctx.tx, ctx.actor_key, ctx.catalog, ctx.safety)
    ctx.say("workflow.erased", private=True, **counts)


HANDLERS: dict[type[Any], Callable[[Any, Context], None]] = {
    c.Ask: ask,
    c.Faq: faq,
    c.Queue: queue,
    c.Claim: claim,
    c.Release: release,
    c.Answer: answer,
    c.Approve: approve,
    c.Reject: reject,
    c.Close: close,
    c.Promote: promote,
    c.Stats: stats,
    c.ForgetMe: forget_me,
    c.Help: help_,
    c.Share: share,
    c.Pick: pick,
    c.Feedback: feedback,
    c.AskProfessional: ask_professional,
}


# ---------------------------------------------------------------- timers


def _system_move(tx: Tx, esc: Escalation, action: Action, catalog: Catalog) -> Transition:
    """A transition Careline itself makes (timers, delivery): no actor, no claimer check."""
    return check(
        esc.id or 0,
        State(esc.state),
        action,
        None,
        claimer_key=None,
        actor_key=None,
        at=tx.now,
        catalog=catalog,
    )


def run_timers(tx: Tx, settings: Settings, catalog: Catalog, safety: SafetyKit) -> dict[str, int]:
    """Auto-release stale claims and expire unanswered escalations; returns counts."""
    wf = settings.workflow
    released = expired = 0
    release_before = tx.now - timedelta(minutes=wf.claim_timeout_minutes)
    expire_before = tx.now - timedelta(hours=wf.expiry_hours)
    waiting = (State.OPEN.value, State.CLAIMED.value, State.REJECTED.value)
    for esc in tx.session.exec(
        select(Escalation)
        .where(col(Escalation.state).in_(waiting), col(Escalation.created_at) < expire_before)
        .with_for_update()
    ).all():
        move = _system_move(tx, esc, Action.EXPIRE, catalog)
        apply(tx, esc, move)
        tell_patient(tx, esc, catalog("workflow.expired_patient", id=esc.id))
        refresh_card(tx, esc, catalog, safety)
        expired += 1
    for esc in tx.session.exec(
        select(Escalation)
        .where(
            col(Escalation.state).in_((State.CLAIMED.value, State.REJECTED.value)),
            col(Escalation.updated_at) < release_before,
        )
        .with_for_update()
    ).all():
        name = esc.claimed_by_name or ""
        move = _system_move(tx, esc, Action.AUTO_RELEASE, catalog)
        _clear_claim(esc)
        apply(tx, esc, move, detail=f"claim by {name} timed out")
        to_thread(tx, esc, catalog("workflow.auto_released_thread", name=name))
        refresh_card(tx, esc, catalog, safety)
        released += 1
    consent_before = tx.now - timedelta(hours=1)
    dropped = 0
    for question in tx.session.exec(
        select(Question).where(
            Question.decision == PENDING_CONSENT, col(Question.created_at) < consent_before
        )
    ).all():
        tx.session.delete(question)
        dropped += 1
    return {"released": released, "expired": expired, "consent_dropped": dropped}


def on_sent(tx: Tx, tag: str, catalog: Catalog, safety: SafetyKit) -> None:
    """Record what a delivered message means (``deliver:42``: the patient has the answer)."""
    verb, _, arg = tag.partition(":")
    if verb != "deliver" or not arg.isdecimal():
        return
    esc = tx.escalation(int(arg))
    if esc is None or esc.state != State.APPROVED.value:
        return
    move = _system_move(tx, esc, Action.DELIVER, catalog)
    esc.delivered_at = tx.now
    apply(tx, esc, move)
    refresh_card(tx, esc, catalog, safety)


def crisis_record(ctx: Context, scan: ScanResult) -> None:
    """After the crisis reply went out: keep an urgent escalation and alert the reviewers."""
    question = Question(
        platform=ctx.inbound.platform,
        user_key=ctx.actor_key,
        user_id=ctx.actor.user_id,
        channel=ctx.inbound.channel,
        thread=ctx.inbound.thread,
        message_id=ctx.inbound.message_id,
        private=True,
        text=scan.redacted.strip() or "…",
        phi_kinds=",".join(k.value for k in scan.phi),
        locale=ctx.settings.community.locale,
        decision=CRISIS,
        created_at=ctx.tx.now,
    )
    ctx.tx.session.add(question)
    ctx.tx.session.flush()
    crisis = scan.crisis.value if scan.crisis else "unknown"
    escalate(ctx, question, urgent=True, crisis=crisis)
