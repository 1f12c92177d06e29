"""The audit app sits below the domain apps (ADR 0016, issue 19 item 9): it imports
nothing from accounts, clients, funding or any other app above it, so every app can log
without a cycle. Its administrator pages, which need the accounts app's permission
guard, live in ``silta.rights.audit_views`` above it."""

from __future__ import annotations

import ast
from pathlib import Path

import silta.audit

AUDIT = Path(silta.audit.__file__).parent
ALLOWED = ("silta.audit", "silta.core")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] == "silta"}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_audit_imports_no_app_above_it() -> None:
    offending: dict[str, set[str]] = {}
    modules = [p for p in AUDIT.rglob("*.py") if "migrations" not in p.parts]
    assert len(modules) >= 8
    for path in modules:
        bad = {n for n in _imports(path) if not _within(n, ALLOWED)}
        if bad:
            offending[str(path.relative_to(AUDIT))] = bad
    assert offending == {}


def test_the_scan_would_see_an_upward_import(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from silta.clients.models import Client\n"
        "def f():\n    import silta.funding.results\n"
    )
    assert _imports(module) == {"silta.clients.models", "silta.funding.results"}


def test_the_administrator_pages_keep_their_addresses() -> None:
    """Moving the pages above the audit app kept their URLs and names."""
    from django.urls import resolve, reverse

    from silta.rights import audit_views

    for name, url, view in (
        ("audit-home", "/audit/", audit_views.audit_home),
        ("audit-verify", "/audit/verify/", audit_views.audit_verify_now),
        ("audit-security-log", "/audit/security/", audit_views.audit_security_log),
    ):
        assert reverse(name) == url
        assert resolve(url).func is view
