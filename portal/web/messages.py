"""The one way a page tells the user about a domain error: `error_message` (the text in the user's language) and
`flash_error` (that text, flashed for the next page). Services raise `PortalError`s with msgids and parameters;
only here are they translated for a page (the API renders its JSON errors through web/errors.py)."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext

from portal.errors import PortalError


def error_message(error: PortalError, **extra: object) -> str:
    """The error's message in the user's language, its parameters (and `extra` ones) filled in."""
    return gettext(error.message).format(**{**error.params, **extra})


def flash_error(error: PortalError, **extra: object) -> None:
    flash(error_message(error, **extra), "error")
