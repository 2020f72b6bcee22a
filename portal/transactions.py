"""The one transaction helper: a use case commits all it did, or on any exception rolls all of it back.

    with atomic():
        ...                      # add, change, flush, audit
    # committed here; an exception inside left the session clean and went on up

Services end every use case in `atomic()`; routes never commit. Blocks may nest (an inner block commits early, as a
use case called from another's); translate database errors into domain ones (`Conflict`) outside the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portal.extensions import db


@contextmanager
def atomic() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except BaseException:  # nothing half done stays in the session: a failed use case leaves no trace
        db.session.rollback()
        raise
