"""Where a `next` parameter may send the user back to: a path on this site, never another site."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_target(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`.

    Starting with one slash is not enough: browsers read a backslash as a slash and drop tabs and line breaks, so
    "/\\evil.example" and "/\\t/evil.example" lead to another site.
    """
    if not target or not target.startswith("/") or any(c == "\\" or ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return default
    return target
