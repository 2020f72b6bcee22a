"""One module per check: each exposes CODE, SEVERITY, BASIS and `check(ctx) -> Iterable[Finding]`."""
