"""Government list use cases, by what they do: reference.py (load the feelists, read them back as the validator's
Reference, rows in force), changes.py (dated rows added or imported, history), bundles.py (components, aliases) and
intake.py (the bureau's official list). This module names them for the callers that import `services`."""

from __future__ import annotations

from portal.govlist.bundles import (
    add_alias,
    add_component,
    aliases,
    get_bundle,
    recent_changes,
    remove_alias,
    remove_component,
)
from portal.govlist.changes import (
    EDITABLE_UNTIL,
    EDITED_IN_PLACE,
    IMPORT_MAX_ROWS,
    STARTS_TOO_EARLY,
    Changes,
    ItemHistory,
    add_item,
    announce,
    get_item,
    history,
    import_items,
    item_values,
    known_codes,
    parse_rows,
)
from portal.govlist.reference import (
    COMPONENT_FIELDS,
    REFERENCE_KEPT,
    REVISION,
    bundles_in_force,
    items_in_force,
    load_feelists,
    reference,
)

__all__ = [
    "COMPONENT_FIELDS",
    "EDITABLE_UNTIL",
    "EDITED_IN_PLACE",
    "IMPORT_MAX_ROWS",
    "REFERENCE_KEPT",
    "REVISION",
    "STARTS_TOO_EARLY",
    "Changes",
    "ItemHistory",
    "add_alias",
    "add_component",
    "add_item",
    "aliases",
    "announce",
    "bundles_in_force",
    "get_bundle",
    "get_item",
    "history",
    "import_items",
    "item_values",
    "items_in_force",
    "known_codes",
    "load_feelists",
    "parse_rows",
    "recent_changes",
    "reference",
    "remove_alias",
    "remove_component",
]
