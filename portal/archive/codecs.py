"""How each column type is written to an archive and read back: explicit, portable, never a float for money.

Every cell becomes a JSON value chosen by the column's declared type, not by the Python value it happens to hold, so
SQLite and PostgreSQL write the same text: decimals as strings, dates and datetimes in ISO 8601, bytes in base64,
enums as their stored values. A column type without a codec stops the export instead of being written approximately.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    null,
)
from sqlalchemy.types import TypeDecorator


class UnsupportedColumn(TypeError):
    """A column whose type the archive format does not know how to carry exactly."""


@dataclass(frozen=True)
class Codec:
    """`encode` turns a non-NULL database value into JSON; `decode` turns that JSON back into a bind value."""

    name: str
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    # JSON columns tell SQL NULL from a JSON `null` document, so the export reads an IS NULL flag beside them.
    sql_null_flag: bool = False


def _decimal(text: Any) -> Decimal:
    if not isinstance(text, str):
        raise ValueError(f"a decimal must be written as a string, not {type(text).__name__}")
    return Decimal(text)


def _json_document(text: str) -> Any:
    value = json.loads(text)
    return JSON.NULL if value is None else value  # a JSON `null` document, not SQL NULL


def _checked(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return check


DECIMAL = Codec("decimal", str, _decimal)
DATE = Codec("date", date.isoformat, date.fromisoformat)
DATETIME = Codec("datetime", datetime.isoformat, datetime.fromisoformat)
BYTES = Codec("base64", lambda v: base64.b64encode(v).decode("ascii"), lambda v: base64.b64decode(v, validate=True))
JSON_TEXT = Codec(
    "json", lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":")), _json_document, sql_null_flag=True
)
BOOLEAN = Codec("boolean", bool, _checked(bool))
INTEGER = Codec("integer", int, _checked(int))
TEXT = Codec("text", str, _checked(str))


def _enum_codec(kind: Enum) -> Codec:
    members = kind.enum_class

    def encode(value: Any) -> str:
        return value.value if isinstance(value, enum.Enum) else value

    def decode(value: Any) -> Any:
        return members(value) if members is not None else _checked(str)(value)

    return Codec("enum", encode, decode)


_BY_TYPE: tuple[tuple[type, Codec], ...] = (
    (JSON, JSON_TEXT),
    (LargeBinary, BYTES),
    (DateTime, DATETIME),
    (Date, DATE),
    (Boolean, BOOLEAN),
    (Integer, INTEGER),
    (String, TEXT),
)


def codec_for(column: Column) -> Codec:
    """The codec for `column`, by its declared type (a TypeDecorator such as `Money` by the type it stores)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    # Order matters: Enum is a String, Float a Numeric, and a Float cannot be carried exactly.
    if isinstance(kind, Enum):
        return _enum_codec(kind)
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return DECIMAL
    for sql_type, codec in _BY_TYPE:  # DateTime before Date: the more special type first
        if isinstance(kind, sql_type):
            return codec
    raise UnsupportedColumn(f"{column.table.name}.{column.name}: no archive codec for {column.type!r}")


def sql_null(codec: Codec) -> Any:
    """What to bind for a NULL cell: SQL NULL even where the column type would write a JSON `null`."""
    return null() if codec.sql_null_flag else None
