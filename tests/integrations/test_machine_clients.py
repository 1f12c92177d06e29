"""Machine clients (issue 19): OAuth2 client credentials, bound to one organisation and
a named set of permissions, under the same policies and access log as a person."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from tests import factories
from tests.integrations.conftest import NOW, bearer, token_for

from silta.accounts.roles import Perm, Role
from silta.audit.models import AccessLog, SecurityEvent, SecurityEventKind
from silta.integrations import services
from silta.integrations.models import MachineClient
from silta.rehab.models import Attendance

WEEK = [
    {"day": "2025-03-03", "status": "present", "hours": "6"},
    {"day": "2025-03-04", "status": "present", "hours": "6"},
    {"day": "2025-03-05", "status": "present", "hours": "6"},
    {"day": "2025-03-06", "status": "absent", "absence_reason": "sick"},
]


def _push(token: str, placement_id: object, days: list[dict[str, str]] = WEEK):  # type: ignore[no-untyped-def]
    return HttpClient().post(
        f"/api/v1/rehab/placements/{placement_id}/attendance",
        {"days": days},
        content_type="application/json",
        **bearer(token),
    )


@pytest.mark.django_db
def test_a_provider_client_pushes_attendance_and_the_log_names_it(world) -> None:
    with time_machine.travel(NOW, tick=False):
        token = token_for(world["a_client"])
        placement = world["placement"]
        # when provider A's attendance system pushes a week
        response = _push(token, placement.pk)
        # then it is saved, in the change log under the client's name
        assert response.status_code == 200, response.content
        assert Attendance.objects.filter(placement=placement).count() == 4
        # and reading it back writes an access-log row naming the client
        read = HttpClient().get(
            f"/api/v1/rehab/placements/{placement.pk}/attendance",
            {"week": "2025-03-03"},
            **bearer(token),
        )
        assert read.status_code == 200 and len(read.json()) == 4
        row = AccessLog.objects.latest("id")
        assert row.actor_username == "client:mello-attendance"
        assert row.organisation_id == world["a"]["org"].pk


@pytest.mark.django_db
def test_another_providers_token_cannot_touch_the_placement(world) -> None:
    with time_machine.travel(NOW, tick=False):
        token = token_for(world["b_client"])
        placement = world["placement"]
        # when provider B's client pushes to or reads provider A's placement
        pushed = _push(token, placement.pk)
        read = HttpClient().get(f"/api/v1/rehab/placements/{placement.pk}", **bearer(token))
        listing = HttpClient().get("/api/v1/rehab/placements", **bearer(token))
        # then the placement does not exist for it, and nothing was written
        assert pushed.status_code == 404 and read.status_code == 404
        assert listing.status_code == 200 and listing.json() == []
        assert not Attendance.objects.filter(placement=placement).exists()


@pytest.mark.django_db
def test_a_client_acts_only_with_its_named_permissions(world) -> None:
    with time_machine.travel(NOW, tick=False):
        # given a client of provider A that may only read (no rehab.attendance)
        reader = services.client_register(
            actor=None,
            name="mello-reader",
            organisation=world["a"]["org"],
            role=Role.PROVIDER_STAFF,
            permissions=[Perm.REHAB_PORTAL.value, Perm.REHAB_STATEMENT_VIEW.value],
        )
        token = token_for(reader)
        # when it pushes attendance, then it is refused although the role may record it
        assert _push(token, world["placement"].pk).status_code == 403
        # and it cannot reach a statistics table or client search either
        http = HttpClient()
        assert http.get("/api/v1/statistics", **bearer(token)).status_code == 403
        assert http.get("/api/v1/clients", **bearer(token)).status_code == 403
        assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_bad_expired_rotated_and_revoked_tokens_are_refused(world) -> None:
    placement = world["placement"]
    with time_machine.travel(NOW, tick=False):
        assert _push("not-a-token", placement.pk).status_code == 401
        token = token_for(world["a_client"])
    # a token lives ten minutes
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        assert _push(token, placement.pk).status_code == 401
    with time_machine.travel(NOW, tick=False):
        token = token_for(world["a_client"])
        client = world["a_client"].client
        # when the administrator rotates the secret, then the old token and secret stop
        rotated = services.client_rotate_secret(actor=None, client=client)
        assert _push(token, placement.pk).status_code == 401
        basic = base64.b64encode(
            f"{rotated.client_id}:{world['a_client'].secret}".encode()
        ).decode()
        old = HttpClient().post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        assert old.status_code == 401
        # and the new secret works
        token = token_for(rotated)
        assert _push(token, placement.pk).status_code == 200
        # when the client is revoked, then its token stops at once and no new one is issued
        services.client_revoke(actor=None, client=client)
        assert _push(token, placement.pk, WEEK[:1]).status_code == 401
        basic = base64.b64encode(f"{rotated.client_id}:{rotated.secret}".encode()).decode()
        again = HttpClient().post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        assert again.status_code in {400, 401}
        # and every change is a security event
        actions = [
            e.detail["action"]
            for e in SecurityEvent.objects.filter(kind=SecurityEventKind.API_CLIENT_CHANGED)
            if e.detail["name"] == "mello-attendance"
        ]
        assert actions == ["registered", "secret_rotated", "revoked"]


@pytest.mark.django_db
def test_only_client_credentials_are_granted(world) -> None:
    issued = world["a_client"]
    response = HttpClient().post(
        "/oauth/token/",
        {
            "grant_type": "password",
            "username": "x",
            "password": "y",
            "client_id": issued.client_id,
            "client_secret": issued.secret,
        },
    )
    assert response.status_code in {400, 401}
    assert "access_token" not in response.json()


@pytest.mark.django_db
def test_a_session_user_still_uses_the_api(world) -> None:
    http = HttpClient()
    http.force_login(world["a"]["staff"])
    with time_machine.travel(NOW, tick=False):
        assert http.get("/api/v1/rehab/placements").status_code == 200


@pytest.mark.django_db
def test_the_openapi_document_describes_the_client_credentials_scheme(world) -> None:
    http = HttpClient()
    http.force_login(factories.staff(Role.ADMINISTRATOR))
    doc = http.get("/api/v1/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    oauth = schemes["MachineClientAuth"]
    assert oauth["type"] == "oauth2"
    assert oauth["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token/"
    op = doc["paths"]["/api/v1/statistics/{key}"]["get"]
    assert {"MachineClientAuth": []} in op["security"]


def _admin() -> HttpClient:
    http = HttpClient()
    http.force_login(factories.staff(Role.ADMINISTRATOR))
    return http


@pytest.mark.django_db
def test_administrator_registers_rotates_and_revokes_on_the_page(world) -> None:
    org = world["a"]["org"]
    # a provider's staff member may not open the page
    staff = HttpClient()
    staff.force_login(world["a"]["staff"])
    assert staff.get("/integrations/").status_code == 403
    http = _admin()
    assert http.get("/integrations/").status_code == 200
    # bad input: errors next to the fields, nothing written
    before = MachineClient.objects.count()
    bad = http.post(
        "/integrations/",
        {
            "name": "Mello Attendance!",
            "organisation": str(org.pk),
            "role": Role.PROVIDER_STAFF,
            "permissions": [Perm.CLIENT_SEARCH.value],
        },
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors.keys() >= {"name", "permissions"}
    assert MachineClient.objects.count() == before
    # a good registration shows the secret once
    ok = http.post(
        "/integrations/",
        {
            "name": "mello-2",
            "organisation": str(org.pk),
            "role": Role.PROVIDER_STAFF,
            "permissions": [Perm.REHAB_ATTENDANCE.value],
        },
    )
    assert ok.status_code == 200
    issued = ok.context["issued"]
    assert issued.secret in ok.content.decode()
    assert issued.secret not in http.get("/integrations/").content.decode()
    client = MachineClient.objects.get(name="mello-2")
    assert http.post(f"/integrations/{client.pk}/rotate/").status_code == 200
    assert http.post(f"/integrations/{client.pk}/revoke/").status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None and not client.user.is_active


@pytest.mark.django_db
def test_cli_registers_lists_rotates_and_revokes(world, capsys) -> None:
    org = world["b"]["org"]
    call_command(
        "integrations",
        "register",
        "kotipesa-2",
        "--organisation",
        org.key,
        "--role",
        "provider_staff",
        "--permission",
        "rehab.attendance",
    )
    out = capsys.readouterr().out
    assert "client_secret:" in out
    call_command("integrations", "list")
    assert "kotipesa-2" in capsys.readouterr().out
    call_command("integrations", "rotate", "kotipesa-2")
    call_command("integrations", "revoke", "kotipesa-2")
    assert MachineClient.objects.get(name="kotipesa-2").revoked_at is not None
    with pytest.raises(CommandError, match="permission"):
        call_command(
            "integrations",
            "register",
            "kotipesa-3",
            "--organisation",
            org.key,
            "--role",
            "provider_staff",
            "--permission",
            "clients.search",
        )
    with pytest.raises(CommandError):
        call_command("integrations", "revoke", "no-such-client")


@pytest.mark.django_db
def test_bad_input_to_the_push_and_the_tables_is_a_clear_4xx(world) -> None:
    with time_machine.travel(NOW, tick=False):
        token = token_for(world["a_client"])
        url = f"/api/v1/integrations/rehab/placements/{world['placement'].pk}/attendance"
        http = HttpClient()
        bad = http.post(
            url,
            {"days": [{"day": "2025-03-03", "status": "maybe"}]},
            content_type="application/json",
            **bearer(token),
        )
        assert bad.status_code == 400 and "2025-03-03" in bad.json()["fields"]
        empty = http.post(url, {"days": []}, content_type="application/json", **bearer(token))
        assert empty.status_code == 422
        assert not Attendance.objects.exists()
        stats = token_for(world["warehouse"])
        for query, status in [
            ({"year": 99999}, 422),
            ({"year": 2025, "quarter": 1, "month": 2}, 400),
            ({"year": 2030}, 400),
            ({"year": 2025, "breakdown": "shoe_size"}, 400),
        ]:
            response = http.get("/api/v1/statistics/rehab_participants", query, **bearer(stats))
            assert response.status_code == status, (query, response.content)
        assert (
            http.get("/api/v1/statistics/nope", {"year": 2025}, **bearer(stats)).status_code == 400
        )
        listing = http.get("/api/v1/statistics", **bearer(stats))
        assert "rehab_participants" in {s["key"] for s in listing.json()}
