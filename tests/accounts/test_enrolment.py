"""Enrolling a second factor needs more than the password (issue 19, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests import factories
from tests.accounts.conftest import code_for

from silta.accounts.models import ActivationCode, RecoveryCode
from silta.accounts.roles import Role
from silta.accounts.two_factor import activation_code_issue
from silta.audit.models import SecurityEvent, SecurityEventKind
from silta.core import dates

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-123"


def signed_in(username: str) -> HttpClient:
    http = HttpClient()
    response = http.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return http


def kinds() -> list[str]:
    return list(SecurityEvent.objects.values_list("kind", flat=True))


def test_a_password_alone_shows_no_secret_and_no_data(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    http = signed_in("aino")
    # the attacker with the password asks for the setup page directly
    setup = http.get("/2fa/setup/")
    assert setup.status_code == 302
    assert setup["Location"].startswith("/2fa/activate/")
    assert not TOTPDevice.objects.filter(user=user).exists()
    # and every page leads to the page that asks for an activation code
    page = http.get("/clients/", follow=True)
    body = page.content.decode()
    assert page.redirect_chain[-1][0].startswith("/2fa/activate/")
    assert "totp-secret" not in body and "<svg" not in body
    assert "activation code" in body.lower() or "aktivointikoodi" in body.lower()
    assert http.get("/api/v1/clients").status_code == 401


def test_a_confirmation_post_without_activation_creates_no_device(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    http = signed_in("aino")
    response = http.post("/2fa/setup/", {"token": "123456", "next": "/"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrolment_with_an_activation_code(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino", email="aino@example.fi")
    admin = factories.staff(Role.ADMINISTRATOR, username="admin")
    code = activation_code_issue(actor=admin, user=user).code
    stored = ActivationCode.objects.get(user=user)
    assert code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64
    http = signed_in("aino")
    # a wrong code is refused next to the field and logged
    wrong = http.post("/2fa/activate/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400
    assert 'id="code-error"' in wrong.content.decode()
    assert SecurityEventKind.SECOND_FACTOR_FAILED in kinds()
    # the right code opens the setup page with a fresh secret
    ok = http.post("/2fa/activate/", {"code": code.lower(), "next": "/clients/"})
    assert ok.status_code == 302 and ok["Location"].startswith("/2fa/setup/")
    setup = http.get(ok["Location"])
    assert setup.status_code == 200 and "totp-secret" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = http.post("/2fa/setup/", {"token": code_for(device), "next": "/clients/"})
    assert done.status_code == 302 and done["Location"].startswith("/2fa/recovery-codes/")
    # the recovery codes are shown once, stored hashed
    shown = http.get(done["Location"])
    codes = list(shown.context["codes"])
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(device__user=user).count() == 10
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    again = http.get(done["Location"])
    assert not again.context["codes"]
    assert http.get("/clients/").status_code == 200
    assert SecurityEventKind.SECOND_FACTOR_ENROLLED in kinds()
    # the code is single use
    stored.refresh_from_db()
    assert stored.used_at is not None
    other = signed_in("aino")
    assert other.get("/2fa/setup/").status_code == 302  # enrolled: verify, never a new secret
    assert other.get("/").url.startswith("/2fa/verify/")


def test_an_expired_or_used_code_is_refused(region, required) -> None:
    user = factories.staff(Role.SOCIAL_WORKER, username="sini")
    code = activation_code_issue(actor=None, user=user).code
    ActivationCode.objects.filter(user=user).update(expires_at=dates.now() - dt.timedelta(1))
    http = signed_in("sini")
    response = http.post("/2fa/activate/", {"code": code})
    assert response.status_code in {200, 400}
    assert not http.session.get("silta_enrolment")


def test_another_users_code_does_not_work(region, required) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    other = factories.staff(Role.CASE_WORKER, username="bertta")
    code = activation_code_issue(actor=None, user=other).code
    http = signed_in("aino")
    assert http.post("/2fa/activate/", {"code": code}).status_code == 400
    assert ActivationCode.objects.get(user=other).used_at is None


def test_a_new_code_replaces_the_old_one(region) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    first = activation_code_issue(actor=None, user=user).code
    activation_code_issue(actor=None, user=user)
    http = signed_in("aino")
    assert http.post("/2fa/activate/", {"code": first}).status_code == 400
    assert kinds().count(SecurityEventKind.ACTIVATION_CODE_ISSUED) == 2


def test_an_activation_link_leads_through_login(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    code = activation_code_issue(actor=None, user=user).code
    http = HttpClient()
    link = f"/2fa/activate/?code={code}"
    first = http.get(link)
    assert first.status_code == 302 and first["Location"].startswith("/login/")
    login = http.post("/login/", {"username": "aino", "password": PASSWORD, "next": link})
    assert login["Location"] == link
    page = http.get(link)
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()


def test_recovery_code_opens_the_session_once(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    code = activation_code_issue(actor=None, user=user).code
    http = signed_in("aino")
    http.post("/2fa/activate/", {"code": code})
    http.get("/2fa/setup/")
    device = TOTPDevice.objects.get(user=user)
    http.post("/2fa/setup/", {"token": code_for(device)})
    recovery = http.get("/2fa/recovery-codes/").context["codes"]
    # next day, the phone is lost
    phone_lost = signed_in("aino")
    bad = phone_lost.post("/2fa/recovery/", {"code": "xxxx-xxxx-xxxx"})
    assert bad.status_code == 400 and 'id="code-error"' in bad.content.decode()
    ok = phone_lost.post("/2fa/recovery/", {"code": recovery[0], "next": "/clients/"})
    assert ok.status_code == 302 and ok["Location"] == "/clients/"
    assert phone_lost.get("/clients/").status_code == 200
    assert SecurityEventKind.RECOVERY_CODE_USED in kinds()
    # the same code does not work twice
    third = signed_in("aino")
    assert third.post("/2fa/recovery/", {"code": recovery[0]}).status_code == 400


def test_wrong_codes_lock_the_second_step(region, required, settings) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = signed_in("aino")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post("/2fa/verify/", {"token": "000000"})
    locked = http.get("/2fa/verify/")
    assert locked.status_code == 429
    assert 'role="alert"' in locked.content.decode()
    assert SecurityEventKind.LOCKED_OUT in kinds()
    assert kinds().count(SecurityEventKind.SECOND_FACTOR_FAILED) == settings.AXES_FAILURE_LIMIT


def test_administrator_resets_a_second_factor(region, required) -> None:
    org = factories.OrganisationFactory()
    user = factories.staff(Role.CASE_WORKER, org, username="aino", email="aino@example.fi")
    admin = factories.staff(Role.ADMINISTRATOR, org, username="admin")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = HttpClient()
    http.force_login(admin)
    http.session.save()
    _verify_admin(http, admin)
    page = f"/accounts/users/{user.pk}/second-factor/"
    assert http.get(page).status_code == 200
    # the reset asks for a confirmation first
    asked = http.post(page, {"action": "reset"})
    assert asked.status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists()
    done = http.post(page, {"action": "reset", "confirm": "yes"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert SecurityEventKind.SECOND_FACTOR_RESET in kinds()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aino@example.fi"]
    # the user is back in the state that needs an activation code
    signed = signed_in("aino")
    assert signed.get("/").url.startswith("/2fa/activate/")
    # and the administrator issues one, shown once
    issued = http.post(page, {"action": "issue"})
    assert issued.status_code == 200
    assert issued.context["code"]
    assert "/2fa/activate/?code=" in issued.content.decode()
    assert http.get(page).context.get("code") is None


def _verify_admin(http: HttpClient, admin) -> None:
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    assert http.post("/2fa/verify/", {"token": code_for(device)}).status_code == 302


def test_administrator_of_another_organisation_is_refused(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    admin = factories.staff(Role.ADMINISTRATOR, username="admin")
    http = HttpClient()
    http.force_login(admin)
    _verify_admin(http, admin)
    page = f"/accounts/users/{user.pk}/second-factor/"
    assert http.get(page).status_code == 404
    assert http.post(page, {"action": "issue"}).status_code == 404
    assert not ActivationCode.objects.filter(user=user).exists()


def test_case_worker_cannot_issue_codes(region) -> None:
    org = factories.OrganisationFactory()
    user = factories.staff(Role.CASE_WORKER, org, username="aino")
    other = factories.staff(Role.CASE_WORKER, org, username="bertta")
    http = HttpClient()
    http.force_login(user)
    response = http.post(f"/accounts/users/{other.pk}/second-factor/", {"action": "issue"})
    assert response.status_code == 403
    assert not ActivationCode.objects.exists()


def test_operator_command_issues_a_code(region, capsys) -> None:
    user = factories.staff(Role.ADMINISTRATOR, username="admin")
    call_command("users", "activation-code", "admin")
    out = capsys.readouterr().out
    assert ActivationCode.objects.filter(user=user, used_at=None).count() == 1
    assert "/2fa/activate/?code=" in out
    with pytest.raises(Exception, match="nobody"):
        call_command("users", "activation-code", "nobody")


def test_demo_logins_print_an_activation_code_that_works(region, capsys) -> None:
    user = factories.staff(Role.CASE_WORKER, username="caseworker")
    call_command("demo_logins")
    out = capsys.readouterr().out
    code = out.split("activation code ")[1].split()[0]
    http = signed_in("caseworker")
    assert http.post("/2fa/activate/", {"code": code}).status_code == 302
    assert ActivationCode.objects.get(user=user).used_at is not None


def test_the_user_list_shows_only_the_administrators_organisations(region) -> None:
    org = factories.OrganisationFactory()
    factories.staff(Role.CASE_WORKER, org, username="own.worker")
    factories.staff(Role.CASE_WORKER, username="foreign.worker")
    admin = factories.staff(Role.ADMINISTRATOR, org, username="admin")
    http = HttpClient()
    http.force_login(admin)
    body = http.get("/accounts/users/").content.decode()
    assert "own.worker" in body and "foreign.worker" not in body
    assert 'href="/accounts/users/"' in http.get("/").content.decode()  # in the navigation


def test_an_administrator_cannot_reset_themselves_through_another_path(region) -> None:
    org = factories.OrganisationFactory()
    admin = factories.staff(Role.ADMINISTRATOR, org, username="admin")
    http = HttpClient()
    http.force_login(admin)
    assert http.get(f"/accounts/users/{admin.pk}/second-factor/").status_code == 404


def test_each_activation_shows_a_fresh_secret(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    http = signed_in("aino")
    http.post("/2fa/activate/", {"code": activation_code_issue(actor=None, user=user).code})
    http.get("/2fa/setup/")
    first = TOTPDevice.objects.get(user=user).key
    again = signed_in("aino")
    again.post("/2fa/activate/", {"code": activation_code_issue(actor=None, user=user).code})
    again.get("/2fa/setup/")
    assert TOTPDevice.objects.get(user=user).key != first


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "Pyydä pääkäyttäjältä aktivointikoodi."),
        ("sv", "Be huvudanvändaren om en aktiveringskod."),
        ("en", "Ask your administrator for an activation code."),
    ],
)
def test_the_needs_activation_page_speaks_the_users_language(
    region, required, language, text
) -> None:
    factories.staff(Role.CASE_WORKER, username="aino", language=language)
    page = signed_in("aino").get("/2fa/activate/")
    assert page.status_code == 200
    assert text in page.content.decode()
