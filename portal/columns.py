"""Column types shared by every model: exact money on every backend (timestamps come from portal.clock)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_SCALE = 4
_FACTOR = Decimal(10) ** MONEY_SCALE
_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)


class Money(TypeDecorator[Decimal]):
    """An exact decimal amount: NUMERIC(16,4) on PostgreSQL, a scaled integer on SQLite.

    SQLite has no decimal type and SQLAlchemy would round-trip `Numeric` through float there; storing
    ten-thousandths as an integer keeps every amount exact and still sortable and comparable in SQL.
    """

    impl = Numeric(16, MONEY_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(16, MONEY_SCALE, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> object:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"Money columns take Decimal, not {type(value).__name__}")
        if dialect.name == "sqlite":
            return int((value * _FACTOR).to_integral_exact())
        return value

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / _FACTOR).quantize(_QUANTUM)  # four places, as NUMERIC(16,4) returns
        return Decimal(value)
