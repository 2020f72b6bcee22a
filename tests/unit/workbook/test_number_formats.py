"""Number formats that change what the operator sees: a number shown as a percentage is read as that percentage."""

from __future__ import annotations

import pytest

from portal.workbook.cells import percent_text
from portal.workbook.number_formats import is_percent_code


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ('0.0%;"减"0.0%', True),
        ("#,##0", False),
        ('0"%"', False),  # the % is quoted text after the number, not a percentage
        ("0\\%", False),  # an escaped %: text too
        ('"增长率"0', False),
    ],
)
def test_a_format_code_shows_a_percentage_only_with_a_percent_sign_outside_text(code: str, percent: bool) -> None:
    assert is_percent_code(code) is percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.1, "10%"), (0.125, "12.5%"), (1, "100%"), (0.07, "7%"), (0.30000000000000004, "30%"), (-0.05, "-5%")],
)
def test_a_number_shown_as_a_percentage_reads_as_the_operator_sees_it(value: float, shown: str) -> None:
    assert percent_text(value) == shown
