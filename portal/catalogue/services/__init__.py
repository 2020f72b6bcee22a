"""Catalogue use cases: drafts, line edits, workbook import, checks, changes and submission.

One call is one use case and one commit, with its audit rows in the same transaction. Ownership is checked in
every call, so each entry point (web, CLI, API) gets the same refusal.
"""

from portal.catalogue.mapping import finding_id, finding_to_json, line_values, to_header
from portal.catalogue.services.checking import store_report
from portal.catalogue.services.decisions import reject, request_changes
from portal.catalogue.services.drafts import (
    ATTESTATION,
    add_line,
    delete_line,
    new_version,
    open_draft,
    restore_line,
    save_header,
    start_change,
    submit,
    update_line,
    withdraw,
)
from portal.catalogue.services.reading import (
    awaiting_review,
    catalogue_of,
    check_owner,
    errors_to_explain,
    get_line,
    get_version,
    in_force,
    in_force_condition,
    in_force_query,
    latest_published,
    lines_in_force,
    own_version,
    report_of,
    versions_of,
    visible_version,
    working_version,
)
from portal.catalogue.services.saving import describe_saves, local_time, saves_since
from portal.catalogue.services.workbooks import (
    UPLOAD_MODES,
    blank_template,
    findings_workbook,
    import_workbook,
    replace_contents,
    version_workbook,
)

__all__ = [
    "ATTESTATION",
    "UPLOAD_MODES",
    "add_line",
    "awaiting_review",
    "blank_template",
    "catalogue_of",
    "check_owner",
    "delete_line",
    "describe_saves",
    "errors_to_explain",
    "finding_id",
    "finding_to_json",
    "findings_workbook",
    "get_line",
    "get_version",
    "import_workbook",
    "in_force",
    "in_force_condition",
    "in_force_query",
    "latest_published",
    "line_values",
    "lines_in_force",
    "local_time",
    "new_version",
    "open_draft",
    "own_version",
    "reject",
    "replace_contents",
    "report_of",
    "request_changes",
    "restore_line",
    "save_header",
    "saves_since",
    "start_change",
    "store_report",
    "submit",
    "to_header",
    "update_line",
    "version_workbook",
    "versions_of",
    "withdraw",
    "visible_version",
    "working_version",
]
