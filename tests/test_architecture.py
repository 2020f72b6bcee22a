"""The dependency rules of docs/ARCHITECTURE.md §3, checked by parsing every module's imports."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"
STDLIB = set(sys.stdlib_module_names)

# Lower layers never import higher ones.
LAYERS = {
    "audit": 0,
    "operators": 1,
    "auth": 2,
    "govlist": 3,
    "catalogue": 4,
    "publishing": 5,  # makes editions (editions.publish) and reads them; review decides when, so it sits above
    "review": 6,
    "complaints": 6,
    "dashboard": 7,
    "public": 8,
    "shippers": 8,
    "archive": 9,  # backup and transfer: reads every table through the metadata, so nothing may import it
}
ROUTE_ONLY = {"request", "flash", "render_template", "redirect", "session"}


def modules() -> list[Path]:
    return sorted(p for p in PORTAL.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = dotted(path).split(".")
                base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
                module = ".".join(base + ([module] if module else []))
            if module == "portal":  # `from portal import clock` imports the module portal.clock
                found += [(f"portal.{alias.name}", []) for alias in node.names]
            else:
                found.append((module, [a.name for a in node.names]))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "portal" else None


PURE_PACKAGES = ("portal.validation", "portal.pricing")  # pure cores: no Flask, no database, no request
PURE = [p for p in modules() if dotted(p).startswith(PURE_PACKAGES)]


@pytest.mark.parametrize("path", PURE, ids=dotted)
def test_the_pure_core_imports_only_the_stdlib_and_the_validation_core(path: Path) -> None:
    for module, _names in imports(path):
        allowed = (
            top(module) in STDLIB
            or module.startswith("portal.validation")
            or (module.startswith("portal.pricing") and not dotted(path).startswith("portal.validation"))
            or module == "portal.clock"
            or top(module) == "rapidfuzz"
        )
        assert allowed, f"{dotted(path)} imports {module}"


def test_the_pure_packages_are_all_checked() -> None:
    checked = {dotted(p) for p in PURE}
    assert {"portal.pricing.estimate", "portal.pricing.comparison", "portal.validation.model"} <= checked
    assert not any(name.startswith("portal.public.") and "estimate" in name for name in map(dotted, modules()))


@pytest.mark.parametrize("path", [p for p in modules() if dotted(p).startswith("portal.workbook")], ids=dotted)
def test_the_workbook_adapter_knows_no_flask_or_database(path: Path) -> None:
    for module, _names in imports(path):
        allowed = (
            top(module) in STDLIB
            or module.startswith(("portal.validation", "portal.workbook"))
            or module == "portal.clock"
            or top(module) in {"python_calamine", "openpyxl", "rapidfuzz"}
        )
        assert allowed, f"{dotted(path)} imports {module}"


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_lower_features_never_import_higher_ones(path: Path) -> None:
    own = feature(dotted(path))
    if own not in LAYERS:
        return
    for module, _names in imports(path):
        other = feature(module)
        if is_blueprint_module(path) and module == "portal.auth.guards":
            continue  # every feature's pages are guarded by role
        if other in LAYERS and other != own:
            assert LAYERS[other] < LAYERS[own], f"{dotted(path)} ({own}) imports {module} ({other})"


@pytest.mark.parametrize("path", [p for p in modules() if p.name == "models.py"], ids=dotted)
def test_models_import_only_the_database_layer_and_lower_models(path: Path) -> None:
    for module, _names in imports(path):
        allowed = (
            top(module) in STDLIB
            or top(module) in {"sqlalchemy", "flask_login", "werkzeug"}
            or module in {"portal.extensions", "portal.columns", "portal.clock"}
            or module.endswith(".models")
        )
        assert allowed, f"{dotted(path)} imports {module}"


def is_blueprint_module(path: Path) -> bool:
    """A module that defines a blueprint is a routes module, whatever its name (routes.py, api.py ...)."""
    return path.name == "routes.py" or "= Blueprint(" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_only_routes_and_web_plumbing_touch_the_request(path: Path) -> None:
    name = dotted(path)
    if is_blueprint_module(path) or name.startswith("portal.web"):
        return
    for module, names in imports(path):
        if module == "flask":
            assert not ROUTE_ONLY & set(names), f"{name} imports {sorted(ROUTE_ONLY & set(names))} from flask"


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_only_the_factory_imports_blueprints(path: Path) -> None:
    if path == PORTAL / "__init__.py":
        return
    for module, names in imports(path):
        assert not module.endswith(".routes") or "bp" not in names, f"{dotted(path)} imports a blueprint"


def test_the_rules_see_the_modules_they_guard() -> None:
    names = {dotted(p) for p in modules()}
    assert {"portal.validation.model", "portal.catalogue.services", "portal.web.i18n"} <= names


def test_the_clock_is_pure() -> None:
    for module, _names in imports(PORTAL / "clock.py"):
        assert top(module) in STDLIB, f"portal.clock imports {module}"
