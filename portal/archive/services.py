"""Export every table to one portable archive and import it back, on SQLite and PostgreSQL alike.

The archive is a zip: one JSON Lines file per table, rows in primary-key order, each cell written by its column's
codec (`codecs.py`), and `manifest.json` with the format version, the schema revision (the Alembic head), and per
table its columns, row count and sha256. Tables are read and written in batches, never held in memory whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import DBAPIError
from tqdm import tqdm

from portal import clock
from portal.archive.codecs import Codec, UnsupportedColumn, codec_for, sql_null
from portal.audit.models import Revision

FORMAT = "portal-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
_NULL_FLAG = "archive_sql_null_"
_ENTRY_KEYS = {"name", "file", "rows", "sha256", "columns"}

# Tables deliberately left out, with the reason; every other table in the metadata is archived. (The throttles'
# short-lived counts live in the rate-limit store, not in tables: portal.counters.)
SKIPPED: dict[str, str] = {}


class ArchiveError(Exception):
    """The archive cannot be written or read into this database; the message says why and what to do."""


def archived_tables(metadata: MetaData) -> list[Table]:
    """Every table but the skipped ones, parents before children (the order rows can be inserted in)."""
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED]


def schema_revision(migrations: str | Path) -> str:
    """The Alembic head of the migrations this code ships: the schema an archive's rows belong to."""
    return ScriptDirectory(str(migrations)).get_current_head()


def export_archive(
    engine: Engine, metadata: MetaData, path: Path, revision: str, *, progress: bool = False
) -> dict[str, Any]:
    """Write every archived table to `path` (put in place only once complete) and return the manifest."""
    tables = archived_tables(metadata)
    layouts = {table.name: _columns(table) for table in tables}
    partial = path.with_name(path.name + ".part")
    try:
        with _snapshot(engine) as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            _check_stamp(conn, revision)
            entries = [_export_table(conn, table, layouts[table.name], archive, progress) for table in tables]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_revision": revision,
                "created_at": clock.utcnow().isoformat() + "Z",
                "source_backend": engine.dialect.name,
                "tables": entries,
                "skipped": SKIPPED,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(partial, path)
    except DBAPIError as error:
        raise ArchiveError(f"The database could not be read ({error.orig}): run `flask init-db` first.") from error
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def import_archive(
    engine: Engine, metadata: MetaData, path: Path, revision: str, *, replace: bool = False, progress: bool = False
) -> dict[str, int]:
    """Load an archive into this database in one transaction; returns the rows imported per table.

    Refused, with nothing changed: another format version or schema revision, a file whose checksum or row count
    differs from the manifest, a database holding rows (unless `replace`: then everything in it is deleted first).
    """
    tables = archived_tables(metadata)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{path} is not a zip archive: {error}") from error
    with archive:
        entries = _checked_manifest(archive, tables, revision)
        with engine.begin() as conn:
            _check_stamp(conn, revision)
            occupied = _occupied(conn, metadata)
            if occupied and not replace:
                raise ArchiveError(
                    f"The database is not empty ({', '.join(occupied)}). Import into an empty database "
                    "(`flask db upgrade` builds the schema without data), or use --replace to delete its contents."
                )
            _verify(archive, tables, entries, progress)
            before = dict(conn.execute(select(Revision.topic, Revision.number)).all())
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))
            for table in tables:
                _import_table(conn, table, archive, entries[table.name], progress)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn, tables)
            _move_revisions_past(conn, before)
    return {table.name: entries[table.name]["rows"] for table in tables}


def _move_revisions_past(conn: Connection, before: Mapping[str, int]) -> None:
    """Set each revision counter past both its imported value and the value the database had before: a worker
    still running keeps what it built under the old counters, and must not take the imported data for it."""
    imported = dict(conn.execute(select(Revision.topic, Revision.number)).all())
    for topic in imported.keys() | before.keys():
        number = max(imported.get(topic, 0), before.get(topic, 0)) + 1
        if topic in imported:
            conn.execute(update(Revision).where(Revision.topic == topic).values(number=number))
        else:
            conn.execute(insert(Revision).values(topic=topic, number=number))


def _occupied(conn: Connection, metadata: MetaData) -> list[str]:
    try:
        return [t.name for t in metadata.sorted_tables if conn.scalar(select(1).select_from(t).limit(1))]
    except DBAPIError as error:
        raise ArchiveError(f"The database lacks the portal's tables ({error.orig}): run `flask db upgrade`.") from error


def _columns(table: Table) -> dict[str, Codec]:
    if not table.primary_key.columns:
        raise ArchiveError(f"Table {table.name} has no primary key: its rows have no order to archive them in.")
    try:
        return {column.name: codec_for(column) for column in table.columns}
    except UnsupportedColumn as error:
        raise ArchiveError(f"{error}: add a codec in portal/archive/codecs.py.") from error


def _member(table: Table) -> str:
    return f"{table.name}.jsonl"


def _entry(table: Table) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(_member(table), date_time=clock.local_now().timetuple()[:6])  # the portal's day
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction for the whole export, so a row added meanwhile cannot appear without its parent.

    PostgreSQL gets a read-only repeatable-read snapshot. pysqlite opens no transaction for SELECTs, so SQLite gets
    an explicit BEGIN: its shared lock keeps the file as it was until the export ends.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        yield conn
        conn.rollback()


def _check_stamp(conn: Connection, revision: str) -> None:
    """A database built by migrations must be at the code's head (one built by `create_all` carries no stamp)."""
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None and current != revision:
        raise ArchiveError(
            f"The database is at schema revision {current}, this portal at {revision}: run `flask init-db` first."
        )


def _export_table(
    conn: Connection, table: Table, columns: Mapping[str, Codec], archive: zipfile.ZipFile, progress: bool
) -> dict[str, Any]:
    flags = [column.is_(None).label(_NULL_FLAG + column.name) for column in _json_columns(table, columns)]
    query = select(*table.columns, *flags).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    total = conn.scalar(select(func.count()).select_from(table))
    digest, rows = hashlib.sha256(), 0
    with (
        archive.open(_entry(table), "w", force_zip64=True) as member,
        tqdm(total=total, desc=table.name, unit="row", disable=not progress) as bar,
    ):
        for batch in conn.execute(query).mappings().partitions():
            chunk = "".join(_line(row, columns) for row in batch).encode("utf-8")
            member.write(chunk)
            digest.update(chunk)
            rows += len(batch)
            bar.update(len(batch))
    return {
        "name": table.name,
        "file": _member(table),
        "rows": rows,
        "sha256": digest.hexdigest(),
        "columns": {name: codec.name for name, codec in columns.items()},
    }


def _json_columns(table: Table, columns: Mapping[str, Codec]) -> list[Column]:
    return [column for column in table.columns if columns[column.name].sql_null_flag]


def _line(row: RowMapping, columns: Mapping[str, Codec]) -> str:
    cells = {}
    for name, codec in columns.items():
        value = row[name]
        is_null = row[_NULL_FLAG + name] if codec.sql_null_flag else value is None
        cells[name] = None if is_null else codec.encode(value)
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":")) + "\n"


def _checked_manifest(archive: zipfile.ZipFile, tables: list[Table], revision: str) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise ArchiveError(f"The archive has no {MANIFEST}: it was not written by `flask export-all`.") from error
    except ValueError as error:
        raise ArchiveError(f"The archive's {MANIFEST} cannot be read: {error}") from error
    if not isinstance(manifest, dict):
        raise ArchiveError(f"The archive's {MANIFEST} is not a portal archive manifest.")
    found = (manifest.get("format"), manifest.get("format_version"))
    if found != (FORMAT, FORMAT_VERSION):
        raise ArchiveError(
            f"The archive is in format {found[0]} version {found[1]}; this portal reads {FORMAT} version "
            f"{FORMAT_VERSION} only."
        )
    if manifest.get("schema_revision") != revision:
        raise ArchiveError(
            f"The archive was written at schema revision {manifest.get('schema_revision')}, this portal is at "
            f"{revision}. Import it with the portal release that wrote it, upgrade that database (`flask init-db`), "
            "then export again."
        )
    listed = manifest.get("tables")
    if not isinstance(listed, list) or not all(isinstance(e, dict) and _ENTRY_KEYS <= e.keys() for e in listed):
        raise ArchiveError(f"The archive's {MANIFEST} lists its tables incompletely.")
    entries = {entry["name"]: entry for entry in listed}
    expected = {table.name for table in tables}
    if entries.keys() != expected:
        raise ArchiveError(
            f"The archive's tables differ from this portal's: missing {sorted(expected - entries.keys())}, "
            f"unexpected {sorted(entries.keys() - expected)}."
        )
    for table in tables:
        columns = {name: codec.name for name, codec in _columns(table).items()}
        if entries[table.name].get("columns") != columns:
            raise ArchiveError(f"Table {table.name}: the archive's columns differ from this portal's.")
    return entries


@contextmanager
def _opened(archive: zipfile.ZipFile, table: Table) -> Iterator[IO[bytes]]:
    try:
        with archive.open(_member(table)) as member:
            yield member
    except KeyError as error:
        raise ArchiveError(f"The archive has no {_member(table)}.") from error
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{_member(table)} is damaged: {error}") from error


def _verify(archive: zipfile.ZipFile, tables: list[Table], entries: Mapping[str, Any], progress: bool) -> None:
    """Check every file against the manifest before a single row is written."""
    for table in tqdm(tables, desc="checksums", unit="table", disable=not progress):
        digest, lines = hashlib.sha256(), 0
        with _opened(archive, table) as member:
            for chunk in iter(lambda member=member: member.read(1 << 20), b""):
                digest.update(chunk)
                lines += chunk.count(b"\n")
        entry = entries[table.name]
        if digest.hexdigest() != entry["sha256"] or lines != entry["rows"]:
            raise ArchiveError(
                f"{_member(table)} does not match its checksum in the manifest: the archive is damaged or was "
                "altered. Nothing was imported."
            )


def _import_table(
    conn: Connection, table: Table, archive: zipfile.ZipFile, entry: Mapping[str, Any], progress: bool
) -> None:
    """Insert the table's rows in batches; references to the same table are set once all its rows are in (the
    update also writes the imported value of any column with an `onupdate`, so no timestamp moves)."""
    columns = _columns(table)
    later = [c.name for c in table.columns if c.nullable and any(fk.column.table is table for fk in c.foreign_keys)]
    kept = [c.name for c in table.columns if c.onupdate is not None and c.name not in later]
    deferred: list[dict[str, Any]] = []
    number = 0
    with (
        _opened(archive, table) as member,
        tqdm(total=entry["rows"], desc=table.name, unit="row", disable=not progress) as bar,
    ):
        lines = iter(io.TextIOWrapper(member, encoding="utf-8", newline="\n"))
        while batch := list(islice(lines, BATCH)):
            rows = []
            for line in batch:
                number += 1
                row = _decoded(line, columns, f"{_member(table)} line {number}")
                if any(row[name] is not None for name in later):
                    keys = {"pk_" + c.name: row[c.name] for c in table.primary_key.columns}
                    deferred.append(keys | {"set_" + name: row[name] for name in later + kept})
                rows.append({**row, **dict.fromkeys(later)})
            _execute(conn, insert(table), rows, table)
            bar.update(len(rows))
    if deferred:
        where = and_(*(c == bindparam("pk_" + c.name) for c in table.primary_key.columns))
        values = {name: bindparam("set_" + name) for name in later + kept}
        _execute(conn, table.update().where(where).values(values), deferred, table)


def _decoded(line: str, columns: Mapping[str, Codec], where: str) -> dict[str, Any]:
    try:
        cells = json.loads(line)
        if not isinstance(cells, dict) or cells.keys() != columns.keys():
            raise ValueError("its columns are not the manifest's")
        return {
            name: sql_null(codec) if cells[name] is None else codec.decode(cells[name])
            for name, codec in columns.items()
        }
    except (ValueError, TypeError, ArithmeticError) as error:
        raise ArchiveError(f"{where}: {error}. Nothing was imported.") from error


def _execute(conn: Connection, statement: Any, rows: list[dict[str, Any]], table: Table) -> None:
    try:
        conn.execute(statement, rows)
    except DBAPIError as error:
        raise ArchiveError(
            f"Rows of {table.name} were refused by the database: {error.orig}. Nothing was imported."
        ) from error


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Rows came with their ids, so move each PostgreSQL sequence past the largest one."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        name = conn.dialect.identifier_preparer.format_table(table)
        sequence = conn.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": name, "column": column.name}
        )
        if sequence is None:
            continue
        top = conn.scalar(select(func.max(column)))
        conn.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
            {"sequence": sequence, "value": top or 1, "called": top is not None},
        )
