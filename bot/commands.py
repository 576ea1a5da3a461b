"""One command grammar: command lines ("/approve 42") and action ids ⇄ typed commands."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UnknownCommandError
from bot.i18n import Catalog
from bot.messages import Inbound, parse_action_id


@dataclass(frozen=True, slots=True)
class Ask:
    """A patient's question (plain text, or `/ask TEXT`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Faq:
    """Search the knowledge base without escalating."""

    query: str


@dataclass(frozen=True, slots=True)
class Queue:
    """List open escalations."""


@dataclass(frozen=True, slots=True)
class Claim:
    """A physician takes an escalation."""

    escalation_id: int


@dataclass(frozen=True, slots=True)
class Release:
    """Give a claimed escalation back."""

    escalation_id: int


@dataclass(frozen=True, slots=True)
class Answer:
    """The claiming physician's answer."""

    escalation_id: int
    text: str


AnswerCmd = Answer


@dataclass(frozen=True, slots=True)
class Approve:
    """A moderator approves the answer for delivery."""

    escalation_id: int


@dataclass(frozen=True, slots=True)
class Reject:
    """A moderator sends the answer back with a reason."""

    escalation_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Close:
    """Close an escalation (duplicate, out of scope); the patient is told."""

    escalation_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Promote:
    """Turn an approved answer into a knowledge-base entry."""

    escalation_id: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Show the community's numbers."""


@dataclass(frozen=True, slots=True)
class ForgetMe:
    """Erase the sender's questions and personal data."""


@dataclass(frozen=True, slots=True)
class Help:
    """Show the commands."""


@dataclass(frozen=True, slots=True)
class Share:
    """Consent to share a held question with the reviewers."""

    question_id: int | None = None


@dataclass(frozen=True, slots=True)
class Pick:
    """Pick one of the suggested entries."""

    question_id: int
    entry_id: str


@dataclass(frozen=True, slots=True)
class Feedback:
    """ "Did this help?" for an answer."""

    question_id: int
    helpful: bool


@dataclass(frozen=True, slots=True)
class AskProfessional:
    """Send a question that got suggestions or an FAQ answer to a professional instead."""

    question_id: int


Command = (
    Ask
    | Faq
    | Queue
    | Claim
    | Release
    | Answer
    | Approve
    | Reject
    | Close
    | Promote
    | Stats
    | ForgetMe
    | Help
    | Share
    | Pick
    | Feedback
    | AskProfessional
)

# Escalation commands whose only argument is the id.
_BY_ID: dict[str, type[Claim | Release | Approve | Promote]] = {
    "claim": Claim,
    "release": Release,
    "approve": Approve,
    "promote": Promote,
}
_ALIASES = {"forget_me": "forget-me", "forgetme": "forget-me", "?": "help"}
# The commands people type (platforms register these as slash commands)…
TYPED_VERBS = (
    "ask",
    "faq",
    "queue",
    "claim",
    "release",
    "answer",
    "approve",
    "reject",
    "close",
    "promote",
    "stats",
    "forget-me",
    "help",
)
# …and those that usually arrive from buttons (still typeable in the console).
VERBS = (*TYPED_VERBS, "share", "pick", "helpful", "unhelpful", "professional")


def parse(inbound: Inbound, catalog: Catalog) -> Command:
    """The command an inbound event means.

    A button's `action_id` wins over text (the text is then the form's free text); a line that
    starts with ``/`` is a command; anything else is a question.

    Raises:
        UnknownCommandError: with the usage line as its message.
    """
    if inbound.action_id:
        parsed = parse_action_id(inbound.action_id)
        if parsed is None:
            raise UnknownCommandError(catalog("workflow.usage.unknown", verb=inbound.action_id))
        verb, args = parsed
        return _build(verb, args, inbound.text.strip(), catalog)
    return parse_text(inbound.text, catalog)


def parse_text(text: str, catalog: Catalog) -> Command:
    """Parse one typed line: ``/verb args…`` or a plain question."""
    line = text.strip()
    if not line.startswith("/"):
        return Ask(line)
    head, _, rest = line[1:].partition(" ")
    verb = _ALIASES.get(head.lower(), head.lower())
    rest = rest.strip()
    if verb in {"answer", "reject", "close"}:
        number, _, tail = rest.partition(" ")
        return _build(verb, [number] if number else [], tail.strip(), catalog)
    if verb in {"ask", "faq"}:
        return _build(verb, [], rest, catalog)
    return _build(verb, rest.split(), "", catalog)


def _build(verb: str, args: list[str], text: str, catalog: Catalog) -> Command:
    verb = _ALIASES.get(verb, verb)
    if verb not in VERBS:
        raise UnknownCommandError(catalog("workflow.usage.unknown", verb=verb[:40]))

    def usage() -> UnknownCommandError:
        return UnknownCommandError(catalog(f"workflow.usage.{verb.replace('-', '_')}"))

    def number(index: int = 0) -> int:
        if len(args) <= index or not args[index].isdecimal() or len(args[index]) > 12:  # noqa: PLR2004
            raise usage()
        return int(args[index].lstrip("#"))

    if args and args[0].startswith("#"):
        args = [args[0][1:], *args[1:]]
    match verb:
        case "ask" | "faq":
            if not text:
                raise usage()
            return Ask(text) if verb == "ask" else Faq(text)
        case "queue" | "stats" | "forget-me" | "help":
            if args or text:
                raise usage()
            simple: dict[str, type[Queue | Stats | ForgetMe | Help]] = {
                "queue": Queue,
                "stats": Stats,
                "forget-me": ForgetMe,
                "help": Help,
            }
            return simple[verb]()
        case "claim" | "release" | "approve" | "promote":
            if len(args) != 1:
                raise usage()
            return _BY_ID[verb](number())
        case "answer" | "reject":
            escalation = number()
            if len(args) != 1 or not text:
                raise usage()
            return Answer(escalation, text) if verb == "answer" else Reject(escalation, text)
        case "close":
            if len(args) != 1:
                raise usage()
            return Close(number(), text)
        case "share":
            if len(args) > 1:
                raise usage()
            return Share(number() if args else None)
        case "pick":
            if len(args) != 2:  # noqa: PLR2004
                raise usage()
            return Pick(number(), args[1])
        case "helpful" | "unhelpful":
            if len(args) != 1:
                raise usage()
            return Feedback(number(), helpful=verb == "helpful")
        case _:  # "professional"
            if len(args) != 1:
                raise usage()
            return AskProfessional(number())


def command_line(action: str, text: str = "") -> str | None:
    """The typed twin of an action id: ``careline:claim:42`` → ``/claim 42``."""
    parsed = parse_action_id(action)
    if parsed is None:
        return None
    verb, args = parsed
    return " ".join(["/" + verb, *args, *([text] if text else [])])
