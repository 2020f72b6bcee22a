"""Every public page of the demo portal, as a visitor reaches it: the list the plain-words, phone and axe checks use."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-23"


def _codes() -> list[str]:
    operators = json.loads((ROOT / "demo" / "operators.json").read_text(encoding="utf-8"))
    return [o["credit_code"] for o in operators]


def public_pages() -> list[str]:
    """GET paths of every public page: the pages in the menu, with the queries that fill them, and each operator."""
    pages = [
        "/",
        f"/?as_of={DAY}",
        "/fees",
        "/fees?q=换单费",
        "/fees?q=港务&group=operator&sort=price",
        "/fees?q=南沙",
        "/fees?q=示范理货",
        "/fees?q=914401155970010134",
        "/fees?q=换单废",  # a near name: suggestions
        "/government-list",
        "/government-list?as_of=2020-04-01",
        "/compare",
        f"/compare?service=包干费&as_of={DAY}",
        "/compare?service=报关服务费",
        f"/compare?service=港口作业包干费&port=南沙港区&size=40&laden=重箱&as_of={DAY}",
        "/estimate",
        f"/estimate?port=南沙港区&trade=外贸进口&size=40&count=2&laden=重箱&cargo=普通货物&days=20&service=inspection&as_of={DAY}",
        "/invoice",
        "/complaints/new",
        "/complaints/status",
        "/complaints/outcomes",
        "/login",
    ]
    return pages + [f"/operators/{code}" for code in _codes()]
