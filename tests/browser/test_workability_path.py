"""The work ability path in a real browser (issue 16): an employment case worker takes
a client the list suggests onto the path and refers them to an assessment; adult
social work records the result, the rehabilitation subsidy application and the
granted decision; the case worker's cost radar stops counting the client. Then every
new page fits a phone and a laptop and passes axe in Finnish and Swedish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_layout_crawl import check

from silta.accounts.models import User
from silta.accounts.roles import OrganisationKind, Role
from silta.casework.models import Referral
from silta.casework.services import referral_move
from silta.catalogue.services import receivers_load
from silta.clients.models import UnemploymentSpell
from silta.core import dates
from silta.engine.testing import fortnights, payments_frame
from silta.funding import figures, results
from silta.funding.services import payments_import
from silta.workability.models import BenefitApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _world(region: Any) -> dict[str, Any]:
    employment = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES, municipality=region["272"]
    )
    social = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Aikuissosiaalityö"
    )
    worker = factories.staff(Role.CASE_WORKER, employment, language="en")
    social_worker = factories.staff(Role.SOCIAL_WORKER, social, language="en")
    client = factories.client(
        region["272"], last_name="Polkunen", first_names="Paula", organisation=employment
    )
    UnemploymentSpell.objects.create(client=client, start=dt.date(2023, 1, 2))
    wa = factories.service(social, "work_ability_assessment")
    receivers_load()
    first = dt.date(2026, 2, 16) - dt.timedelta(days=14 * 49)
    first -= dt.timedelta(days=first.weekday())
    payments_import(
        actor=None,
        payments=payments_frame(
            fortnights(first, [10] * 50, person=client.personal_id, municipality="272")
        ),
        source="fixture",
    )
    results.forget_cached()
    with figures._LOCK:
        figures._MEMO.clear()
    return {
        "worker": worker,
        "social_worker": social_worker,
        "client": client,
        "wa": wa,
        "social": social,
    }


def test_from_may_need_an_assessment_to_a_granted_subsidy(
    live_server: Any, browser: Any, region: Any
) -> None:
    w = _world(region)
    client = w["client"]
    base = live_server.url

    # the case worker's radar counts the client
    worker = _login(browser, live_server, w["worker"].username)
    worker.goto(f"{base}/funding/radar/")
    assert worker.get_by_text("Polkunen", exact=False).count() >= 1

    # the case worker opens the client's work ability path and takes them onto it
    worker.goto(f"{base}/clients/{client.pk}/")
    worker.get_by_role("link", name="Work ability path").first.click()
    assert_accessible(worker)
    worker.get_by_role("link", name="Take the client onto the work ability path").click()
    worker.get_by_label("I have looked at the reasons").check()
    worker.get_by_role("button", name="Take onto the path").click()
    worker.wait_for_load_state()
    assert worker.get_by_text("The client is on the work ability path.").is_visible()

    # and refers them to a work ability assessment
    worker.goto(f"{base}/clients/{client.pk}/")
    worker.get_by_role("link", name="Send a referral").first.click()
    worker.get_by_label("Service and provider").select_option(str(w["wa"].pk))
    worker.get_by_label("Reason for the referral").fill(
        "Work ability uncertain; the list suggests it."
    )
    worker.get_by_role("button", name="Send the referral").click()
    worker.wait_for_load_state()
    referral = Referral.objects.get(client=client, service=w["wa"])

    # adult social work accepts and schedules it (the referral flow has its own test)
    sw = w["social_worker"]
    r = referral_move(actor=sw, referral=referral, to_status="accepted", version=referral.version)
    referral_move(
        actor=sw,
        referral=r,
        to_status="scheduled",
        version=r.version,
        appointment_at=dates.now() + dt.timedelta(minutes=5),
        place="Kokkola",
    )

    # the social worker records the result on the path page
    social = _login(browser, live_server, sw.username)
    social.goto(f"{base}/work-ability/path/{client.pk}/")
    social.get_by_role("link", name="Record the assessment's result").click()
    assert_accessible(social)
    today = dates.today().isoformat()
    social.get_by_label("Assessment completed on").fill(today)
    social.get_by_label("No work ability").check()
    social.get_by_label("How long").select_option("expected_to_last")
    social.get_by_label("Application for a rehabilitation subsidy or disability pension").check()
    social.get_by_label("Doctor's statement").select_option("c_statement")
    social.get_by_label("Date of the statement").fill(today)
    social.get_by_label("Reference of the statement").fill("C-2026-17")
    social.get_by_role("button", name="Save the result").click()
    social.wait_for_load_state()
    assert social.get_by_text("The result was recorded.").is_visible()

    # records the rehabilitation subsidy application to Kela
    social.get_by_role("link", name="Record an application").click()
    social.locator("select[name=kind]").select_option("rehabilitation_subsidy")
    social.get_by_label("Sent to").select_option(label="Kela (Social Insurance Institution)")
    social.get_by_label("Applied on").fill(today)
    social.get_by_label("Based on the assessment result").select_option(index=1)
    social.get_by_role("button", name="Save the application").click()
    social.wait_for_load_state()
    assert social.get_by_text("The application was recorded.").is_visible()

    # a decision dated before the application is refused next to the field
    social.get_by_role("link", name="Record the decision").first.click()
    social.get_by_label("Granted").check()
    early = (dates.today() - dt.timedelta(days=3)).isoformat()
    social.get_by_label("Decision date").fill(early)
    social.get_by_label("Benefit from").fill(today)
    social.get_by_role("button", name="Save the decision").click()
    social.wait_for_load_state()
    assert social.locator(".field-error").first.is_visible()
    assert BenefitApplication.objects.get(client=client).status == "pending"

    # Kela's decision: granted
    social.get_by_label("Granted").check()
    social.get_by_label("Decision date").fill(today)
    social.get_by_label("Benefit from").fill(today)
    social.get_by_role("button", name="Save the decision").click()
    social.wait_for_load_state()
    assert social.get_by_text("The decision was recorded.").is_visible()
    assert BenefitApplication.objects.get(client=client).status == "granted"

    # the case worker's radar no longer counts the client
    worker.goto(f"{base}/funding/radar/")
    assert worker.get_by_text("Polkunen", exact=False).count() == 0


NEW_PAGES = (
    "/clients/new/",
    "/clients/{client}/correct/",
    "/clients/{client}/move/",
    "/clients/{client}/deceased/",
    "/work-ability/path/{client}/",
    "/work-ability/path/{client}/identify/",
    "/work-ability/path/{client}/applications/new/",
    "/work-ability/health-checks/",
    "/work-ability/statistics/",
)


def test_new_pages_fit_and_pass_axe_in_finnish_and_swedish(
    live_server: Any, browser: Any, region: Any
) -> None:
    w = _world(region)
    user = w["worker"]
    page = _login(browser, live_server, user.username)
    problems: dict[str, list[str]] = {}
    for lang in ("fi", "sv"):
        User.objects.filter(pk=user.pk).update(language=lang)
        for shape in NEW_PAGES:
            path = shape.format(client=w["client"].pk)
            found = check(page, live_server.url, path, axe=True, axe_on_laptop=True)
            assert found is not None, path
            if found:
                problems[f"{lang} {path}"] = found
            # no English reaches a Finnish or Swedish page
            html = page.content()
            for english in ("Work ability path", "Record an application", "Add a client"):
                assert english not in html, (lang, path, english)
    assert not problems, problems


def test_health_check_correction_and_appeal_pages_fit_and_pass_axe(
    live_server: Any, browser: Any, region: Any
) -> None:
    """The checking unit's nurse (also an assessor of the unit): the health-check,
    correction and appeal pages in Finnish and Swedish, on a phone and a laptop."""
    from silta.clients.services import relationship_open
    from silta.workability import services

    w = _world(region)
    client = w["client"]
    nurse = factories.staff(Role.HEALTH_PROFESSIONAL, w["social"], language="fi")
    factories.service(w["social"], "health_check")
    relationship_open(
        actor=None, client=client, organisation=w["social"], kind="health_services",
        valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    check = services.health_check_invite(
        actor=nurse, client=client, invited_on=dates.today(), channel="letter"
    )
    referral = Referral.objects.create(
        client=client, service=w["wa"], from_organisation=w["social"],
        to_organisation=w["social"], sent_by=nurse, sent_at=dates.now(), reason="x",
        status="completed", closed_at=dates.now(),
    )  # fmt: skip
    result = services.result_record(
        actor=nurse, referral=referral, assessed_on=dates.today(), work_ability="partial",
        duration="temporary", recommendations=["kela_vocational_rehabilitation"],
    )  # fmt: skip
    from silta.catalogue.models import ApplicationReceiver

    app = services.application_record(
        actor=nurse, client=client, kind="kela_rehabilitation",
        receiver=ApplicationReceiver.objects.get(key="kela"), applied_on=dates.today(),
    )  # fmt: skip
    app = services.decision_record(
        actor=nurse, application=app, version=app.version, status="rejected",
        decided_on=dates.today(),
    )  # fmt: skip
    services.appeal_record(
        actor=nurse, application=app, version=app.version, appealed_on=dates.today(), body="samu"
    )
    pages = (
        f"/work-ability/path/{client.pk}/",
        f"/work-ability/health-checks/invite/{client.pk}/",
        f"/work-ability/health-checks/{check.pk}/book/",
        f"/work-ability/health-checks/{check.pk}/end/",
        f"/work-ability/health-checks/{check.pk}/content/",
        f"/work-ability/results/{result.pk}/correct/",
        f"/work-ability/applications/{app.pk}/decision/correct/",
        f"/work-ability/applications/{app.pk}/appeals/new/",
        f"/clients/{client.pk}/",
    )
    page = _login(browser, live_server, nurse.username)
    problems: dict[str, list[str]] = {}
    for lang in ("fi", "sv"):
        User.objects.filter(pk=nurse.pk).update(language=lang)
        for path in pages:
            found = check_page(page, live_server.url, path)
            if found:
                problems[f"{lang} {path}"] = found
            html = page.content()
            for english in ("Unemployed health checks", "Record an appeal", "Correct the result",
                            "Invite to an unemployed health check", "Social Security"):  # fmt: skip
                assert english not in html, (lang, path, english)
    assert not problems, problems


def check_page(page: Any, base: str, path: str) -> list[str]:
    found = check(page, base, path, axe=True, axe_on_laptop=True)
    assert found is not None, path
    return found
