"""Template filters: exact money, dates in China time, enum labels in the user's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app

from portal import clock


def money(value: Decimal | None, places: int = 2) -> str:
    """1200 -> '1,200.00'; keeps more places only when the amount has them (0.3 -> '0.30', 0.125 -> '0.125')."""
    if value is None:
        return ""
    needed = -value.normalize().as_tuple().exponent
    digits = min(max(places, needed), 4)
    return f"{value.quantize(Decimal(1).scaleb(-digits)):,}"


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A naive UTC timestamp shown in the portal's zone (China time by default)."""
    if value is None:
        return ""
    return clock.to_local(value).strftime(fmt)


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def has_endpoint(name: str) -> bool:
    """Is a page registered under this endpoint? Navigation links only the pages that exist."""
    return name in current_app.view_functions


def init_app(app: Flask) -> None:
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.add_template_filter(money)
    app.add_template_filter(local_time)
    app.add_template_filter(iso_date)
