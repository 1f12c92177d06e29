"""The ``silta`` command: Django's management commands under one name.

``silta synth``, ``silta funding ...`` and ``silta migrate`` all run here. Configuration
errors (a malformed DATABASE_URL, a missing secret key in production) are printed as
one clear line instead of a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silta.config.settings")
    from django.core.exceptions import ImproperlyConfigured

    args = list(sys.argv if argv is None else ["silta", *argv])
    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"silta: configuration error: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
