"""Integration sits below reporting (reporting reads integration's figures and law
names), so integration imports nothing from reporting, not even inside a function; the
small-cell suppression it needs is in silta.core, which imports no app at all
(ADR 0031)."""

from __future__ import annotations

import ast
from pathlib import Path

import silta.core
import silta.integration

SRC = Path(silta.integration.__file__).parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] == "silta"}


def _modules(app: str) -> list[Path]:
    return [p for p in (SRC / app).rglob("*.py") if "migrations" not in p.parts]


def test_integration_imports_nothing_from_reporting() -> None:
    modules = _modules("integration")
    assert len(modules) >= 10
    offending = {
        str(p.relative_to(SRC)): bad
        for p in modules
        if (bad := {n for n in _imports(p) if n.startswith("silta.reporting")})
    }
    assert offending == {}


def test_the_suppression_helper_in_core_imports_no_app() -> None:
    path = Path(silta.core.__file__).parent / "suppression.py"
    assert {n for n in _imports(path) if not n.startswith("silta.core")} == set()


def test_the_old_name_is_the_same_module() -> None:
    from silta.core import suppression as core
    from silta.reporting import suppression as old

    assert old is core
    assert old.suppress_vector([3, 10], 13) == core.suppress_vector([3, 10], 13)


def test_the_scan_sees_an_import_inside_a_function(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from silta.reporting.suppression import suppress_vector\n")
    assert _imports(module) == {"silta.reporting.suppression"}
