"""The Careline error tree: user errors become friendly replies, the rest fail fast or retry."""

from __future__ import annotations

from pathlib import Path


class CarelineError(Exception):
    """Base of every error Careline raises on purpose."""


class UserError(CarelineError):
    """Shown to the person who caused it as a friendly reply (already worded for them)."""


class PermissionDeniedError(UserError):
    """The actor lacks the role an action needs."""


class InvalidTransitionError(UserError):
    """An escalation cannot move from its current state by the requested action."""


class UnknownCommandError(UserError):
    """The text looked like a command but is not one, or its arguments are wrong."""


class LocatedError(CarelineError):
    """An error in a file (or environment variable), named by path, line and field."""

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        """``path:line: field: message``, leaving out what is unknown."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ConfigError(LocatedError):
    """Bad configuration: fail fast at start-up."""


class KnowledgeFileError(LocatedError):
    """A bad knowledge-base file or entry."""


class DeliveryError(CarelineError):
    """Raised by adapters when a message could not be delivered.

    `retryable` tells the outbox whether to try again; `retry_after` (seconds) is the platform's
    rate-limit hint, honoured before the normal backoff.
    """

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class StoreUnavailableError(CarelineError):
    """The database cannot be reached."""
