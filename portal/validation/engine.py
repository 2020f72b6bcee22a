"""The validator: runs every rule over a catalogue against the government list and returns one ordered Report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from portal.validation.context import Context, build_context
from portal.validation.findings import Finding, Report
from portal.validation.model import CatalogueInput, Reference
from portal.validation.rules import (
    abolished,
    classification,
    complaint_phone,
    duplicate,
    invalid_value,
    missing_field,
    off_list,
    rate,
    split_service,
    stale_list,
    unknown_unit,
    vague_standard,
)

Check = Callable[[Context], Iterable[Finding]]

RULES: tuple[tuple[str, Check], ...] = tuple(
    (module.CODE, module.check)
    for module in (
        missing_field,
        invalid_value,
        complaint_phone,
        off_list,
        rate,
        abolished,
        classification,
        split_service,
        duplicate,
        vague_standard,
        unknown_unit,
        stale_list,
    )
)
"""Every rule as (code, check), in the order findings about one line are listed."""


def validate(catalogue: CatalogueInput, reference: Reference, as_of: date) -> Report:
    """Every finding about `catalogue` judged against `reference` on `as_of`; never stops at the first.

    Findings are ordered by line (header findings first), then by rule in `RULES` order.
    """
    ctx = build_context(catalogue, reference, as_of)
    ranked = [(rank, finding) for rank, (_, check) in enumerate(RULES) for finding in check(ctx)]
    ranked.sort(key=lambda pair: (ctx.placement.position(pair[1]), pair[0]))
    return Report.of((finding for _, finding in ranked), lines=len(catalogue.lines))
