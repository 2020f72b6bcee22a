"""Options the command-line tasks share, so `--as-of` reads one way in every command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from portal import clock


def as_of_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--as-of YYYY-MM-DD`, given to the command as a `date` (today, China's day, when absent)."""

    def to_day(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> date:
        return value.date() if value else clock.today()

    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        callback=to_day,
        help=f"{help_text} (YYYY-MM-DD); default today.",
    )
