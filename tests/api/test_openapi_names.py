"""The OpenAPI document names every schema once: two schema classes of the same name
would be described by one of them, and a generated client could not call the other
operation (``AttendanceIn`` of rehab and of groups did this)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from silta.api import api
from silta.core.schemas import Schema

SPEC = api.get_openapi_schema(path_prefix="/api/v1")


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _shape(model: type[Schema]) -> str:
    return json.dumps(model.model_json_schema(ref_template="{model}"), sort_keys=True)


def _operations() -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: op
        for item in SPEC["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def _body_ref(operation: dict[str, Any]) -> str:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def test_no_two_different_schemas_share_a_name_in_the_document() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _subclasses(Schema):
        if (
            model.__module__.startswith("silta.")
            and model.__name__ in SPEC["components"]["schemas"]
        ):
            by_name[model.__name__].add(_shape(model))
    clashes = sorted(name for name, shapes in by_name.items() if len(shapes) > 1)
    assert clashes == []


def test_each_attendance_body_is_described_by_its_own_schema() -> None:
    from silta.groups.api import AttendanceRecordIn
    from silta.rehab.api import RehabAttendanceIn

    operations = _operations()
    components = SPEC["components"]["schemas"]
    rehab = _body_ref(operations["rehab_attendance_record"])
    groups = _body_ref(operations["groups_attendance_record"])
    assert rehab == RehabAttendanceIn.__name__
    assert groups == AttendanceRecordIn.__name__
    assert set(components[rehab]["properties"]) == set(RehabAttendanceIn.model_fields)
    entries = components[groups]["properties"]["entries"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert entries == "GroupAttendanceIn"
    assert set(components[entries]["properties"]) == {
        "participant_id",
        "present",
        "absence_reason",
        "version",
    }
