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
    "mail": 0,
    "holding": 0,
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
    "admin": 8,  # the administrators' area: accounts, operators (merging moves catalogues, complaints), audit
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


def is_pure(path: Path) -> bool:
    return dotted(path).startswith(PURE_PACKAGES)


def is_blueprint_module(path: Path) -> bool:
    """A module that defines a blueprint is a routes module, whatever its name (routes.py, api.py ...)."""
    return path.name == "routes.py" or "= Blueprint(" in path.read_text(encoding="utf-8")


# Each rule returns its violations ("module imports other") for the files given, so a test can both check the
# portal (no violations) and show on a planted module that the rule does catch one.


def pure_core_violations(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for module, _names in imports(path):
            allowed = (
                top(module) in STDLIB
                or module.startswith("portal.validation")
                or (module.startswith("portal.pricing") and not dotted(path).startswith("portal.validation"))
                or module == "portal.clock"
                or top(module) == "rapidfuzz"
            )
            if not allowed:
                found.append(f"{dotted(path)} imports {module}")
    return found


def workbook_violations(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for module, _names in imports(path):
            allowed = (
                top(module) in STDLIB
                or module.startswith(("portal.validation", "portal.workbook"))
                or module == "portal.clock"
                or top(module) in {"python_calamine", "openpyxl", "rapidfuzz", "isal"}
            )
            if not allowed:
                found.append(f"{dotted(path)} imports {module}")
    return found


def layer_violations(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        own = feature(dotted(path))
        if own not in LAYERS:
            continue
        for module, _names in imports(path):
            other = feature(module)
            if is_blueprint_module(path) and module == "portal.auth.guards":
                continue  # every feature's pages are guarded by role
            if other in LAYERS and other != own and LAYERS[other] >= LAYERS[own]:
                found.append(f"{dotted(path)} ({own}) imports {module} ({other})")
    return found


def model_violations(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for module, _names in imports(path):
            allowed = (
                top(module) in STDLIB
                or top(module) in {"sqlalchemy", "flask_login", "werkzeug"}
                or module in {"portal.extensions", "portal.columns", "portal.clock"}
                or module.endswith(".models")
            )
            if not allowed:
                found.append(f"{dotted(path)} imports {module}")
    return found


def request_violations(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if is_blueprint_module(path) or dotted(path).startswith("portal.web"):
            continue
        for module, names in imports(path):
            if module == "flask" and ROUTE_ONLY & set(names):
                found.append(f"{dotted(path)} imports {sorted(ROUTE_ONLY & set(names))} from flask")
    return found


def blueprint_import_violations(paths: list[Path]) -> list[str]:
    return [
        f"{dotted(path)} imports {module}.bp"
        for path in paths
        if path != PORTAL / "__init__.py"
        for module, names in imports(path)
        if module.endswith(".routes") and "bp" in names
    ]


def test_the_rules_see_the_modules_they_guard() -> None:
    names = {dotted(p) for p in modules()}
    assert {"portal.validation.model", "portal.catalogue.services", "portal.web.i18n"} <= names
    pure = {dotted(p) for p in modules() if is_pure(p)}
    assert {"portal.validation.vocabulary", "portal.validation.rules.rate"} <= pure
    assert {"portal.pricing.estimate", "portal.pricing.comparison"} <= pure
    assert "portal.publishing.snapshot" not in pure
    assert not any(name.startswith("portal.public.") and "estimate" in name for name in names)
    assert len([p for p in modules() if p.name == "models.py"]) >= 5
    assert {feature(dotted(p)) for p in modules()} >= set(LAYERS)


def test_the_pure_core_imports_only_the_stdlib_and_the_validation_core() -> None:
    assert pure_core_violations([p for p in modules() if is_pure(p)]) == []


def test_the_workbook_adapter_knows_no_flask_or_database() -> None:
    assert workbook_violations([p for p in modules() if dotted(p).startswith("portal.workbook")]) == []


def test_lower_features_never_import_higher_ones() -> None:
    assert layer_violations(modules()) == []


def test_models_import_only_the_database_layer_and_lower_models() -> None:
    assert model_violations([p for p in modules() if p.name == "models.py"]) == []


def test_only_routes_and_web_plumbing_touch_the_request() -> None:
    assert request_violations(modules()) == []


def test_only_the_factory_imports_blueprints() -> None:
    assert blueprint_import_violations(modules()) == []


def test_the_clock_is_pure() -> None:
    assert [m for m, _names in imports(PORTAL / "clock.py") if top(m) not in STDLIB] == []


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write modules into a copy of the portal's layout under tmp_path, to show that a rule catches them."""
    root = tmp_path / "portal"
    monkeypatch.setattr(sys.modules[__name__], "PORTAL", root)

    def plant(relative: str, source: str) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        return path

    return plant


def test_each_rule_catches_a_module_that_breaks_it(planted) -> None:
    pure = planted(
        "validation/zz_planted.py",
        "import flask\nfrom sqlalchemy import select\nfrom . import model\nimport portal.pricing\n",
    )
    assert pure_core_violations([pure]) == [
        "portal.validation.zz_planted imports flask",
        "portal.validation.zz_planted imports sqlalchemy",
        "portal.validation.zz_planted imports portal.pricing",
    ]
    pricing = planted(
        "pricing/zz_planted.py", "from portal.validation import model\nfrom portal.extensions import db\n"
    )
    assert pure_core_violations([pricing]) == ["portal.pricing.zz_planted imports portal.extensions"]
    book = planted("workbook/zz_planted.py", "from portal.extensions import db\n")
    assert workbook_violations([book]) == ["portal.workbook.zz_planted imports portal.extensions"]
    low = planted("audit/zz_planted.py", "from portal.catalogue import services\nfrom portal import clock\n")
    assert layer_violations([low]) == ["portal.audit.zz_planted (audit) imports portal.catalogue (catalogue)"]
    models = planted("operators/zz_models.py", "from portal.catalogue import services\n")
    assert model_violations([models]) == ["portal.operators.zz_models imports portal.catalogue"]
    service = planted("catalogue/zz_planted.py", "from flask import request, current_app\n")
    assert request_violations([service]) == ["portal.catalogue.zz_planted imports ['request'] from flask"]
    factory = planted("zz_planted.py", "from portal.public.routes import bp\n")
    assert blueprint_import_violations([factory]) == ["portal.zz_planted imports portal.public.routes.bp"]
