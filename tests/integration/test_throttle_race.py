"""The sign-in throttle under the interleaving that let a guess through without its delay: an attempt reads the
failure count, the attempt before it fails, and then it claims the gate of the count it read."""

from __future__ import annotations

import pytest

from portal import counters
from portal.auth import throttle

ADDRESS, ACCOUNT = "198.51.100.7", "clerk@example.cn"


@pytest.fixture
def store(app):
    with app.test_request_context():
        yield


def _fail_once_free_attempts_are_used(times: int) -> None:
    for _ in range(times):
        admission = throttle.admit(ADDRESS, ACCOUNT)
        assert admission.admitted
        throttle.failed(admission, ADDRESS, ACCOUNT)


def test_a_failure_counted_while_the_next_attempt_claims_its_gate_still_holds_that_attempt_back(
    store, monkeypatch
) -> None:
    free = throttle.GATES[0].free  # failures this address may make on this account before any delay
    _fail_once_free_attempts_are_used(free - 1)
    first = throttle.admit(ADDRESS, ACCOUNT)  # the last free attempt, in progress
    assert first.admitted
    read = counters.get
    interleaved = []

    def get(key: str) -> int:
        value = read(key)
        if key.endswith(f"/pair/{ADDRESS}|{ACCOUNT}") and not interleaved:
            interleaved.append(value)  # the second attempt has read the count; now the first one fails
            throttle.failed(first, ADDRESS, ACCOUNT)
        return value

    monkeypatch.setattr(counters, "get", get)
    second = throttle.admit(ADDRESS, ACCOUNT)
    assert interleaved == [free - 1]  # it read the count before the failure
    assert not second.admitted  # ... and is still held back for the delay the failure started
    assert second.retry_after >= 1
    monkeypatch.setattr(counters, "get", read)
    assert read(f"signin-fail/pair/{ADDRESS}|{ACCOUNT}") == free


def test_without_interleaving_the_free_attempts_pass_and_the_next_waits(store) -> None:
    _fail_once_free_attempts_are_used(throttle.GATES[0].free)
    refused = throttle.admit(ADDRESS, ACCOUNT)
    assert not refused.admitted
    assert refused.retry_after == throttle.delay(throttle.GATES[0], throttle.GATES[0].free)
