"""Findings and the report: what the validator says about a list, each finding located and rule-coded.

Messages are English msgids with `{named}` parameters, marked with `N_` so Babel extracts them; the web and
CLI layers translate them (`gettext(f.message).format(**f.params)`), which keeps this core free of Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from portal.validation.model import Location, Severity


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    """Mark a message for extraction without translating it here."""
    return message


@dataclass(frozen=True)
class Finding:
    rule: str  # stable public code, e.g. "rate-deviation"
    severity: Severity
    message: str  # English msgid with {named} placeholders
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    location: Location | None = None
    item: str = ""  # the fee line's name as written ("" for header findings)
    line_key: str | None = None  # FeeLine.key of the line concerned
    basis: str = ""  # the legal basis the finding cites
    notes: tuple[str, ...] = ()  # further msgids said after the message (e.g. that a rate is unverified)

    def render(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """The message and its notes in the language `translate` gives, with the parameters filled in."""
        return " ".join(translate(text).format(**self.params) for text in (self.message, *self.notes))


@dataclass(frozen=True)
class Report:
    """Every finding about one list; the validator never stops at the first."""

    findings: tuple[Finding, ...]
    lines: int

    @classmethod
    def of(cls, findings: Iterable[Finding], lines: int) -> Report:
        return cls(tuple(findings), lines)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_line(self, key: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.line_key == key)

    def merged(self, other: Report) -> Report:
        return Report(self.findings + other.findings, max(self.lines, other.lines))
