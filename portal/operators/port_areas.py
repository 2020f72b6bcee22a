"""The port areas of the Port of Guangzhou that operators and shippers choose from."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.operators.models import PortArea

# Port areas of the Port of Guangzhou (广州港): code, Chinese name, English name.
GUANGZHOU = (
    ("NANSHA", "南沙港区", "Nansha Port Area"),
    ("HUANGPU", "黄埔港区", "Huangpu Port Area"),
    ("XINSHA", "新沙港区", "Xinsha Port Area"),
    ("XINGANG", "新港港区", "Xingang Port Area"),
    ("NEIGANG", "内港港区", "Inner Port Area"),
)


def ensure_port_areas() -> int:
    """Insert the port areas that are missing; returns how many were added. The caller commits."""
    known = set(db.session.scalars(select(PortArea.code)))
    added = 0
    for position, (code, name_zh, name_en) in enumerate(GUANGZHOU):
        if code not in known:
            db.session.add(PortArea(code=code, name_zh=name_zh, name_en=name_en, position=position))
            added += 1
    return added
