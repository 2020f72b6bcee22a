"""`flask validate PATH`: check a workbook in the prescribed format against the government list.

The list is the database's; on a database without one (not migrated, not loaded, not answering) it is read from
feelists/ by the pure loader, so a workbook can be checked before `make db` has ever run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.catalogue.mapping import finding_to_json
from portal.catalogue.services.workbooks import FIELD_LENGTHS
from portal.cli_options import as_of_option
from portal.database_state import govlist_in_database
from portal.govlist.loader import load_reference
from portal.govlist.services import reference
from portal.validation.findings import N_, Finding, Report
from portal.web.i18n import translator
from portal.workbook.check import check_workbook
from portal.workbook.refusals import UploadRefused

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _finding_json(finding: Finding, zh, en) -> dict[str, Any]:
    data = finding_to_json(finding)
    return {
        "rule": data["rule"],
        "severity": data["severity"],
        "sheet": data["sheet"],
        "row": data["row"],
        "cell": data["cell"],
        "field": data["field"],
        "item": data["item"],
        "message_zh": finding.render(zh),
        "message_en": finding.render(en),
        "basis": data["basis"],
    }


@click.command("validate")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@as_of_option("Judge the list as of this date")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the text report.")
def validate_command(path: Path, as_json: bool, as_of: date, lang: str) -> None:
    """Validate a workbook. Exit 0: no errors; 1: errors found; 2: the file cannot be read."""
    zh, en = translator("zh_Hans_CN"), translator("en")
    translate = zh if lang == "zh" else en
    day = as_of
    try:
        data = path.read_bytes()
        government_list = _government_list(None if as_json else translate)
        checked = check_workbook(data, path.name, government_list, day, lengths=FIELD_LENGTHS)
    except OSError as error:
        click.echo(f"{path}: {error.strerror}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except UploadRefused as error:
        message = translate(error.message).format(**error.params)
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "error": {
                            "code": error.code,
                            "message_zh": zh(error.message).format(**error.params),
                            "message_en": en(error.message).format(**error.params),
                        }
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"{path}: {message}", err=True)
        sys.exit(EXIT_UNREADABLE)

    report: Report = checked.report
    header = checked.catalogue.header
    if as_json:
        click.echo(
            json.dumps(
                {
                    "summary": {"lines": report.lines, "errors": len(report.errors), "warnings": len(report.warnings)},
                    "operator": {
                        "name": header.operator_name,
                        "credit_code": header.credit_code,
                        "port_area": header.port_area,
                        "complaint_phone": header.complaint_phone,
                        "effective_date": header.effective_date,
                    },
                    "as_of": day.isoformat(),
                    "findings": [_finding_json(f, zh, en) for f in report.findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"{header.operator_name or path.name}  ({header.credit_code})  {day.isoformat()}")
        click.echo(
            translate(N_("{lines} lines, {errors} errors, {warnings} warnings")).format(
                lines=report.lines, errors=len(report.errors), warnings=len(report.warnings)
            )
        )
        for f in report.findings:
            where = (
                f"{f.location.sheet}!{f.location.cell}"
                if f.location and f.location.cell
                else (f.location.field if f.location and f.location.field else "")
            )
            click.echo(f"  [{f.severity.value}] {f.rule:<24} {where:<18} {f.render(translate)}")
    sys.exit(EXIT_ERRORS if report.errors else EXIT_OK)


def _government_list(translate: Callable[[str], str] | None):
    """The database's government list, or feelists/ when the database has none (validate needs no demo data); said
    on stderr in the report's language, unless `translate` is None (a JSON report)."""
    if govlist_in_database():
        return reference()
    folder = current_app.config["FEELISTS_DIR"]
    if translate is not None:
        note = N_("(the database has no government list: using the one in {folder})")
        click.echo(translate(note).format(folder=folder), err=True)
    return load_reference(folder)
