from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("SILTA_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            "SILTA_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: "
            "apt-get update && apt-get install -y chromium"
        )
    skip = pytest.mark.skip(
        reason="Chromium is not installed: apt-get update && apt-get install -y chromium"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network (loopback is allowed for the live server)."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise RuntimeError(f"Tests must not reach the network ({host}).")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def region(db):
    """The region's reference data: county, employment area, 8 municipalities."""
    from silta.places.models import Municipality
    from silta.places.services import places_load_reference

    places_load_reference()
    return {m.code: m for m in Municipality.objects.all()}


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path_factory) -> None:
    """Each test has its own audit checkpoint file (a checkpoint describes one database;
    test databases are emptied between tests). Created only when a test writes one."""
    import uuid

    settings.SILTA_AUDIT_CHECKPOINT_DIR = str(
        tmp_path_factory.getbasetemp() / "audit-checkpoints" / uuid.uuid4().hex
    )
