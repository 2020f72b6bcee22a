"""The one way a page tells the user about a domain error: `error_message` (the text in the user's language) and
`flash_error` (that text, flashed for the next page). Services raise `PortalError`s (and the pure packages their own
errors) with msgids and parameters; only here are they translated for a page, parameters that are themselves
`Message`s included (the API renders its JSON errors through web/errors.py, which calls `error_message` too)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from flask import flash
from flask_babel import gettext

from portal.errors import Message


class Explained(Protocol):
    """An error that carries an English msgid and its parameters (PortalError, UploadRefused, RowError ...)."""

    message: str
    params: Mapping[str, object]


def translated(msgid: str, params: Mapping[str, object]) -> str:
    """`msgid` in the user's language with `params` filled in, each Message among them translated as well."""
    values = {key: translated(v.msgid, v.params) if isinstance(v, Message) else v for key, v in params.items()}
    return gettext(msgid).format(**values)


def error_message(error: Explained, **extra: object) -> str:
    """The error's message in the user's language, its parameters (and `extra` ones) filled in."""
    return translated(error.message, {**error.params, **extra})


def flash_error(error: Explained, **extra: object) -> None:
    flash(error_message(error, **extra), "error")
