"""Every `flask` command on a database that is not ready: one line naming the command that fixes it, exit 2.

Not ready means: no tables at all (a fresh clone before `make db`), some tables missing, another migration than the
code's, a server that does not answer, or (for the commands that need data) no government list or no published
catalogue. `flask validate` needs none of it: it reads the government list from feelists/.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.validation.model import FeeLine, Header
from portal.workbook.writer import write_catalogue
from tests.factories import credit_code

ROOT = Path(__file__).resolve().parents[2]
HEADER = Header(
    operator_name="广州示范码头有限公司",
    credit_code=credit_code(424242),
    port_area="南沙港区",
    complaint_phone="020-12345678",
    effective_date="2026-06-01",
    updated_date="2026-06-01",
)
HARBOUR_DUES_TOO_HIGH = FeeLine(  # off the official rate: a finding only a government list can give
    name="货物港务费",
    conditions="外贸进口 20英尺 普通货物",
    service_content="代收货物港务费",
    standard="99.00",
    unit="元/箱",
    currency="CNY",
    pricing_class="政府定价",
    basis="交水规〔2019〕2号",
    pass_through="是",
)


def commands(tmp_path: Path) -> dict[str, list[str]]:
    archive = tmp_path / "backup.zip"
    archive.write_bytes(b"")
    return {
        "load-govlist": ["load-govlist"],
        "seed-demo": ["seed-demo"],
        "create-user": ["create-user", "a@example.test", "--role", "admin", "--password", "long-enough-pw"],
        "export": ["export"],
        "export-all": ["export-all", str(tmp_path / "out.zip")],
        "import-all": ["import-all", str(archive)],
    }


COMMANDS = ["load-govlist", "seed-demo", "create-user", "export", "export-all", "import-all"]


@pytest.fixture
def empty_file(tmp_path):
    """An app on a SQLite file that has never been migrated (what a fresh clone has before `make db`)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: The database at sqlite:///")
    return lines[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_on_a_database_without_tables_every_command_says_run_init_db(empty_file, tmp_path, name) -> None:
    result = empty_file.test_cli_runner().invoke(args=commands(tmp_path)[name])
    line = one_line_error(result)
    assert "has no tables yet: run `flask --app wsgi init-db` (or `make db`" in line


@pytest.mark.parametrize("name", COMMANDS)
def test_on_a_partly_migrated_database_every_command_names_what_is_missing(empty_file, tmp_path, name) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE fee_alias"))
    line = one_line_error(runner.invoke(args=commands(tmp_path)[name]))
    assert "is not fully migrated (missing fee_alias): run `flask --app wsgi init-db`" in line


@pytest.mark.parametrize("name", COMMANDS)
def test_at_another_migration_every_command_says_which_and_how_to_upgrade(empty_file, tmp_path, name) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older_revision'"))
    line = one_line_error(runner.invoke(args=commands(tmp_path)[name]))
    assert "is at migration older_revision, this code needs " in line
    assert line.endswith("run `flask --app wsgi init-db`.")


def test_init_db_then_fixes_it(empty_file) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["load-govlist"]).exit_code == 2
    assert runner.invoke(args=["init-db"]).exit_code == 0
    done = runner.invoke(args=["load-govlist"])
    assert done.exit_code == 0, done.output
    assert "added: " in done.output


def test_seed_demo_without_a_government_list_says_load_govlist(empty_file) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    line = one_line_error(runner.invoke(args=["seed-demo"]))
    assert "has no government list: run `flask --app wsgi load-govlist` (or `make db`)" in line


def test_export_with_nothing_published_says_so(empty_file) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["load-govlist"]).exit_code == 0
    line = one_line_error(runner.invoke(args=["export"]))
    assert "has no published catalogue to export" in line
    assert "`flask --app wsgi seed-demo`" in line


def test_commands_that_need_only_the_schema_work_on_an_empty_migrated_database(empty_file, tmp_path) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=commands(tmp_path)["create-user"]).exit_code == 0
    written = runner.invoke(args=commands(tmp_path)["export-all"])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "out.zip").stat().st_size > 0


def test_a_database_server_that_does_not_answer_is_one_line_too(tmp_path) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"})
    with app.app_context():
        args = ["create-user", "a@b.test", "--role", "admin", "--password", "x" * 12]
        result = app.test_cli_runner().invoke(args=args)
        db.engine.dispose()
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: The database at postgresql+psycopg://postgres@127.0.0.1:9/nowhere ")
    assert "does not answer (" in result.stderr
    assert "start it, or set PORTAL_DATABASE_URL." in result.stderr


def workbook(tmp_path: Path, *lines: FeeLine) -> Path:
    buffer = io.BytesIO()
    write_catalogue(buffer, HEADER, lines)
    path = tmp_path / "list.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def test_validate_on_a_fresh_clone_reads_the_government_list_from_feelists(tmp_path) -> None:
    """The issue's case, end to end: `flask validate FILE` before `make run`, as a real process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env |= {"PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'never-made.sqlite3'}", "PORTAL_SECRET_KEY": "k" * 40}
    run = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "validate", str(workbook(tmp_path, HARBOUR_DUES_TOO_HIGH))]
        + ["--as-of", "2026-11-23", "--lang", "en"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in run.stderr
    # the list was there: the line is judged against its official rate (an error once the rate is verified,
    # a warning while it is not: the exit status follows the severity)
    assert "rate-deviation" in run.stdout, run.stdout + run.stderr
    assert "the official rate is 17.00 元/箱, the list says 99.00" in run.stdout
    assert run.returncode == (1 if "[error]" in run.stdout else 0)
    assert run.stderr.splitlines() == [f"(the database has no government list: using the one in {ROOT / 'feelists'})"]


def test_validate_prefers_the_database_list_once_it_is_loaded(empty_file, tmp_path) -> None:
    runner = empty_file.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["load-govlist"]).exit_code == 0
    args = ["validate", str(workbook(tmp_path, HARBOUR_DUES_TOO_HIGH)), "--as-of", "2026-11-23", "--lang", "en"]
    result = runner.invoke(args=args)
    assert "the official rate is 17.00 元/箱, the list says 99.00" in result.stdout, result.output
    assert result.stderr == ""  # no note: the database's list was used
