"""Readiness checks for ``/readyz`` (OPERATIONS.md, "Liveness and readiness")."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

#: Once every migration was seen applied, this process does not load the migration
#: graph again (a deployment with new migrations starts new processes).
_migrated: set[str] = set()


def readiness_checks(alias: str = DEFAULT_DB_ALIAS) -> dict[str, bool]:
    """``{"database": reachable, "migrations": all applied}``."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Readiness: the database %r is unreachable", alias, exc_info=True)
        return {"database": False, "migrations": False}
    if alias not in _migrated:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            logger.warning("Readiness: the migrations of %r cannot be read", alias, exc_info=True)
            return {"database": False, "migrations": False}
        if plan:
            logger.warning("Readiness: %d migrations are not applied", len(plan))
            return {"database": True, "migrations": False}
        _migrated.add(alias)
    return {"database": True, "migrations": True}
