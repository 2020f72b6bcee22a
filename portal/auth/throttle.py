"""Sign-in throttle: repeated failures slow further attempts down (a growing delay), never lock an account.

Three gates, each counted atomically in the shared store (portal.counters):

- this address trying this account: free for 3 failures, then 2, 4, 8 ... seconds between attempts, up to 15 min;
- this address, whatever account (password spraying): free for 10 failures, then the same growth;
- this account, from anywhere (a distributed guesser): free for 10 failures, then at most 30 s between attempts,
  so nobody can keep the administrator out by typing wrong passwords — at worst she waits half a minute.

A gate admits one attempt at a time: an attempt claims it (an atomic INCR that only the first caller sees at 1),
so twenty guesses sent together do not all get through while the count still says "no failures". After a failure
the gate for the next attempt is held closed for the delay; a success releases the claims and forgets the
failures of that address-and-account and of the account. Failures are forgotten an hour after the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal import counters

WINDOW = 60 * 60  # seconds after the first failure that failures are remembered
HOLD = 10  # seconds an attempt in progress holds its gate (released when it ends; expires if the worker dies)


@dataclass(frozen=True)
class Gate:
    name: str
    free: int  # failures before any delay
    cap: int  # the longest delay, in seconds
    serial: bool = True  # one attempt at a time through this gate (not for a whole office's address)


GATES = (Gate("pair", 3, 15 * 60), Gate("address", 10, 15 * 60, serial=False), Gate("account", 10, 30))


def delay(gate: Gate, failures: int) -> int:
    """Seconds to wait after the `failures`-th failure before the next attempt."""
    return 0 if failures < gate.free else min(gate.cap, 2 ** (failures - gate.free + 1))


@dataclass
class Admission:
    admitted: bool
    retry_after: int = 0  # seconds, when refused
    claims: list[str] = field(default_factory=list)


def _keys(address: str, account: str) -> dict[str, str]:
    return {"pair": f"{address}|{account}", "address": address, "account": account}


def _failures(gate: Gate, key: str) -> str:
    return f"signin-fail/{gate.name}/{key}"


def _gate(gate: Gate, key: str, failures: int) -> str:
    return f"signin-gate/{gate.name}/{key}/{failures}"


def admit(address: str, account: str) -> Admission:
    """May this address try this account now? Claims every gate, or none.

    A gate is named by the failure count it was read at. A failure counted between that read and the claim (the
    attempt before this one just failed) would let this one through on a stale count, with no delay: so the count
    is read again once the gate is claimed, and a changed count gives the claim back and starts over.
    """
    keys = _keys(address, account)
    for _attempt in range(3):
        claims: list[str] = []
        for gate in GATES:
            counted = _failures(gate, keys[gate.name])
            failures = counters.get(counted)
            if not gate.serial and delay(gate, failures) == 0:
                continue
            name = _gate(gate, keys[gate.name], failures)
            if counters.incr(name, max(HOLD, delay(gate, failures))) > 1:
                wait = counters.expires_in(name)
                _release(claims)
                return Admission(False, max(1, wait))
            claims.append(name)
            if counters.get(counted) != failures:  # a failure was counted meanwhile: this gate is stale
                break
        else:
            return Admission(True, claims=claims)
        _release(claims)
    return Admission(False, 1)


def _release(claims: list[str]) -> None:
    for claim in claims:
        counters.clear(claim)


def failed(admission: Admission, address: str, account: str) -> None:
    """Count a failure at every gate and hold the next attempt's gate closed for its delay; only then release the
    claims (released first, an attempt waiting on the old count would get in before the failure was counted)."""
    keys = _keys(address, account)
    for gate in GATES:
        failures = counters.incr(_failures(gate, keys[gate.name]), WINDOW)
        wait = delay(gate, failures)
        if wait:
            counters.incr(_gate(gate, keys[gate.name], failures), wait)
    _release(admission.claims)


def succeeded(admission: Admission, address: str, account: str) -> None:
    """Release the claims; forget this address's and everyone's failures on this account (not the address's own
    count over all accounts)."""
    _release(admission.claims)
    keys = _keys(address, account)
    for gate in GATES:
        if gate.name != "address":
            counters.clear(_failures(gate, keys[gate.name]))
