"""Domain-neutral exceptions that services raise and the web layer maps to HTTP responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    """An English msgid with its `{named}` params, shown in the reader's language where it is shown.

    A parameter of a PortalError may itself be a Message (a loader's problem inside "Row 2, column rate: {problem}");
    web/messages.py translates both. `str()` is the English text (logs, the command line).
    """

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.msgid.format(**self.params)


class PortalError(Exception):
    """Base of the errors a service raises on purpose; `message` is an English msgid with `{named}` params."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


class NotFound(PortalError):
    """The thing asked for does not exist (or the caller may not know it exists)."""


class PermissionDenied(PortalError):
    """The caller may not do this: wrong role, or another operator's data."""


class Conflict(PortalError):
    """The change clashes with the current state: a stale edit, a draft already submitted."""


class InvalidInput(PortalError):
    """The input is well-formed but cannot be accepted (a refused upload, a bad state transition)."""
