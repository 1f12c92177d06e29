"""The client's timeline is one registry each app contributes to (issue 18 item 2,
ADR 0025): the case-work app and the group app no longer import each other for it, the
registry sits in ``silta.core`` and imports no app above it."""

from __future__ import annotations

import ast
from pathlib import Path

import silta
from silta.core import timeline

SRC = Path(silta.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every ``silta.*`` module a file imports, also inside functions and under
    ``TYPE_CHECKING``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] == "silta"}


def _app_imports(app: str) -> set[str]:
    """The other apps (second name part) that ``silta.<app>`` imports anywhere."""
    out: set[str] = set()
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        out.update(n.split(".")[1] for n in _imports(path) if len(n.split(".")) > 1)
    return out - {app}


def test_casework_and_groups_do_not_import_each_other() -> None:
    assert "groups" not in _app_imports("casework")
    assert "casework" not in _app_imports("groups")


def test_the_registry_imports_nothing_above_core() -> None:
    names = _imports(Path(timeline.__file__))
    assert {n for n in names if not n.startswith("silta.core")} == set()


def test_no_app_that_contributes_to_the_timeline_is_in_an_import_cycle_with_casework() -> None:
    # every registered contributor is an app that casework does not import
    registered = set(timeline.registered())
    assert "groups" in registered
    casework_uses = _app_imports("casework")
    for app in registered:
        assert app not in casework_uses, f"casework imports {app}"


def test_the_scan_would_see_an_import_inside_a_function(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from silta.groups.selectors import x\n")
    assert _imports(module) == {"silta.groups.selectors"}
