"""Anti-bot checks that need no outside service: a signed form timestamp and a small sum whose answer stays secret.

The token carries when the form was served and an HMAC of the answer (keyed with the app's secret), signed with
itsdangerous: a bot can read neither the answer nor forge a timestamp, and a form sent back within seconds of
being served, or hours later, is refused.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from portal import clock

SALT = "complaint-form"


class Refusal(enum.StrEnum):
    INVALID = "invalid"  # no token, or a forged one
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    WRONG_ANSWER = "wrong_answer"
    USED = "used"  # the token was sent before: each challenge answers one submission


@dataclass(frozen=True)
class Challenge:
    question: str  # "3 + 5"
    token: str


def _digest(secret: str, nonce: str, answer: int) -> str:
    return hmac.new(secret.encode(), f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()


def new_challenge(secret: str, now: float | None = None) -> Challenge:
    a, b = 1 + secrets.randbelow(9), 1 + secrets.randbelow(9)
    nonce = secrets.token_urlsafe(8)
    issued = int(clock.epoch() if now is None else now)
    token = URLSafeSerializer(secret, salt=SALT).dumps({"t": issued, "n": nonce, "h": _digest(secret, nonce, a + b)})
    return Challenge(question=f"{a} + {b}", token=token)


def check(
    secret: str,
    token: str,
    answer: str,
    *,
    min_seconds: float,
    max_seconds: float,
    now: float | None = None,
    spend: Callable[[str], bool] | None = None,
) -> Refusal | None:
    """None when the form passes; otherwise why it is refused.

    `spend(nonce)` marks a genuine, timely token as used and says whether it was still unused (the caller keeps the
    used nonces in the shared store for `max_seconds`): a token replayed, even with the right answer, is refused,
    and one token cannot be tried against every possible sum.
    """
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(token or "")
        issued, nonce, digest = int(payload["t"]), str(payload["n"]), str(payload["h"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return Refusal.INVALID
    age = (clock.epoch() if now is None else now) - issued
    if age < min_seconds:
        return Refusal.TOO_FAST
    if age > max_seconds:
        return Refusal.EXPIRED
    if spend is not None and not spend(nonce):
        return Refusal.USED
    text = (answer or "").strip()
    if not text.isdigit() or not hmac.compare_digest(_digest(secret, nonce, int(text)), digest):
        return Refusal.WRONG_ANSWER
    return None
