"""Reads of the work ability path: one client's path, the health-check target list,
the overdue decisions, and the path's statistics (aggregates with disclosure control).

Person-level reads are scoped to the actor (a client is open to organisations that
work with them; health records as the policy table says) and access-logged. The
statistics count everybody and publish only what ``silta.reporting.suppression``
lets through."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.casework.models import Referral, ReferralStatus
from silta.casework.policies import SharingContext, casework_clients_filter, casework_grant
from silta.casework.work_ability import RULE_LABELS
from silta.catalogue.models import ServiceCode
from silta.clients.models import Client, HomeMunicipality, UnemploymentSpell
from silta.core import dates
from silta.places.models import Municipality
from silta.workability.models import (
    ENDS_UNEMPLOYMENT,
    OPEN_CHECK,
    ApplicationStatus,
    BenefitApplication,
    DecisionAppeal,
    HealthCheck,
    HealthCheckStatus,
    Identification,
    OnwardReferral,
    Recommendation,
    WorkAbility,
    WorkAbilityResult,
)
from silta.workability.policies import (
    application_basis,
    health_check_basis,
    health_check_content_basis,
    offers_health_checks,
    result_basis,
)

STEPS: tuple[tuple[str, Any], ...] = (
    ("identified", _("Identified")),
    ("health_check", _("Health check")),
    ("assessment", _("Work ability assessment")),
    ("result", _("Result")),
    ("application", _("Application")),
    ("decision", _("Decision")),
)
STEP_LABELS = dict(STEPS)

HEALTH_CHECK_WITHIN_DAYS = 365
LONG_TERM_DAYS = 365


def _day(at: dt.datetime | None) -> dt.date | None:
    return None if at is None else at.astimezone(dates.HELSINKI).date()


# --- one client's path ----------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    key: str
    label: Any
    on: dt.date | None
    detail: str = ""
    hidden: bool = False
    """The step is recorded but its content is not open to the viewer."""
    waiting_days: int | None = None
    """Days since the previous step that has a date."""


@dataclass(frozen=True)
class ResultView:
    result: WorkAbilityResult
    basis: str
    can_correct: bool = False

    @property
    def recommendation_labels(self) -> list[str]:
        return [
            str(Recommendation(r).label)
            for r in self.result.recommendations
            if r in Recommendation.values
        ]


@dataclass(frozen=True)
class ApplicationView:
    application: BenefitApplication
    basis: str
    can_decide: bool
    appeals: tuple[DecisionAppeal, ...] = ()

    @property
    def overdue(self) -> bool:
        a = self.application
        return a.status == ApplicationStatus.PENDING and a.decision_due_on < dates.today()


@dataclass(frozen=True)
class HealthCheckView:
    check: HealthCheck
    content_open: bool
    """The viewer may read what the check found (health data of the checking unit)."""
    can_handle: bool
    """The viewer's organisation is the checking unit: it books and ends the check."""
    can_record_content: bool

    @property
    def is_open(self) -> bool:
        return self.check.status in OPEN_CHECK

    @property
    def onward_labels(self) -> list[str]:
        return [
            str(OnwardReferral(o).label) for o in self.check.onward if o in OnwardReferral.values
        ]


@dataclass
class ClientPath:
    client: Client
    steps: list[PathStep]
    identifications: list[Identification]
    health_checks: list[Referral]
    assessments: list[Referral]
    results: list[ResultView]
    applications: list[ApplicationView]
    hidden_results: int = 0
    hidden_applications: int = 0
    result_for: list[Referral] = field(default_factory=list)
    """Assessments the viewer may record a result for (scheduled or completed, none yet)."""
    can_apply: bool = False
    can_identify: bool = False
    checks: list[HealthCheckView] = field(default_factory=list)
    can_invite: bool = False


def _reason_labels(keys: Iterable[str], own: bool) -> list[str]:
    return [
        str(RULE_LABELS[k])
        for k in keys
        if k in RULE_LABELS and (own or k != "health_check_finding")
    ]


def client_path_for(
    *,
    actor: User,
    client_id: uuid.UUID,
    path: str = "",
    section: str = "workability:path,results,applications",
) -> ClientPath:
    """The work ability path of one client, or 404 when the client is not open to the
    actor. Health records show only where the policy table allows; one access-log
    row names the bases used."""
    client = Client.objects.select_related("home_municipality").filter(pk=client_id).first()
    grant = casework_grant(actor, client) if client is not None else None
    if client is None or grant is None:
        raise Http404("No such client.")
    ctx = SharingContext.of(grant.membership, client.pk)
    write = casework_grant(actor, client, Perm.CASEWORK_WRITE)
    wctx = SharingContext.of(write.membership, client.pk) if write is not None else None
    own_org = grant.membership.organisation_id
    idents = list(Identification.objects.filter(client=client).order_by("-identified_on"))
    referrals = list(
        Referral.objects.filter(
            client=client,
            service__code__in=[ServiceCode.HEALTH_CHECK, ServiceCode.WORK_ABILITY_ASSESSMENT],
        )
        .select_related("service", "to_organisation")
        .order_by("-sent_at")
    )
    checks = [r for r in referrals if r.service.code == ServiceCode.HEALTH_CHECK]
    assessments = [r for r in referrals if r.service.code == ServiceCode.WORK_ABILITY_ASSESSMENT]
    bases: set[str] = {grant.basis}
    results: list[ResultView] = []
    hidden_results = 0
    all_results = list(
        WorkAbilityResult.objects.filter(client=client)
        .select_related("made_by", "referral")
        .order_by("-assessed_on")
    )
    for res in all_results:
        basis = result_basis(ctx, res.organisation_id)
        if basis is None:
            hidden_results += 1
        else:
            bases.add(basis)
            can_correct = (
                wctx is not None and result_basis(wctx, res.organisation_id, "change") is not None
            )
            results.append(ResultView(res, basis, can_correct))
    apps: list[ApplicationView] = []
    hidden_apps = 0
    for app in (
        BenefitApplication.objects.filter(client=client)
        .select_related("receiver", "result")
        .order_by("-applied_on")
    ):
        basis = application_basis(ctx, app.organisation_id)
        if basis is None:
            hidden_apps += 1
            continue
        bases.add(basis)
        can_decide = (
            wctx is not None and application_basis(wctx, app.organisation_id, "change") is not None
        )
        apps.append(ApplicationView(app, basis, can_decide, tuple(app.appeals.all())))
    with_result = {r.referral_id for r in all_results}
    result_for = [
        r
        for r in assessments
        if r.status in (ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED)
        and r.pk not in with_result
        and wctx is not None
        and result_basis(wctx, r.to_organisation_id, "create") is not None
    ]
    can_apply = (
        wctx is not None
        and application_basis(wctx, wctx.membership.organisation_id, "create") is not None
    )
    can_identify = (
        bool(memberships_with(actor, Perm.WORK_ABILITY_LIST)) and client.deceased_on is None
    )
    # the unemployed health checks the checking units recorded
    check_views: list[HealthCheckView] = []
    for hc in HealthCheck.objects.filter(client=client).order_by("-invited_on", "-created_at"):
        basis = health_check_basis(ctx, hc.organisation_id)
        if basis is None:
            continue
        bases.add(basis)
        content = health_check_content_basis(ctx, hc.organisation_id)
        if content is not None and hc.status == HealthCheckStatus.DONE:
            bases.add(content)
        handle = wctx is not None and (
            health_check_basis(wctx, hc.organisation_id, "change") is not None
        )
        record = wctx is not None and (
            health_check_content_basis(wctx, hc.organisation_id, "create") is not None
        )
        check_views.append(HealthCheckView(hc, content is not None, handle, record))
    can_invite = (
        wctx is not None
        and client.deceased_on is None
        and offers_health_checks(wctx.membership.organisation_id)
        and health_check_basis(wctx, wctx.membership.organisation_id, "create") is not None
    )
    # the steps, latest of each kind
    ident = idents[0] if idents else None
    done_check = next((r for r in checks if r.status == ReferralStatus.COMPLETED), None)
    done_hc = next((v.check for v in check_views if v.check.status == HealthCheckStatus.DONE), None)
    check_day = _day(done_check.closed_at) if done_check else None
    if (
        done_hc is not None
        and done_hc.checked_on is not None
        and (check_day is None or done_hc.checked_on > check_day)
    ):
        check_day = done_hc.checked_on
    assessment = next((r for r in assessments if r.status != ReferralStatus.CANCELLED), None)
    res_view = results[0] if results else None
    app_view = apps[0] if apps else None
    decided = next((a for a in apps if a.application.decided_on is not None), None)
    raw: list[PathStep] = [
        PathStep(
            "identified",
            STEP_LABELS["identified"],
            ident.identified_on if ident else None,
            ", ".join(_reason_labels(ident.reasons, ident.organisation_id == own_org))
            if ident
            else "",
        ),
        PathStep("health_check", STEP_LABELS["health_check"], check_day),
        PathStep(
            "assessment",
            STEP_LABELS["assessment"],
            (_day(assessment.closed_at) or _day(assessment.sent_at)) if assessment else None,
            str(ReferralStatus(assessment.status).label) if assessment else "",
        ),
        PathStep(
            "result",
            STEP_LABELS["result"],
            res_view.result.assessed_on if res_view else None,
            str(WorkAbility(res_view.result.work_ability).label) if res_view else "",
            hidden=res_view is None and hidden_results > 0,
        ),
        PathStep(
            "application",
            STEP_LABELS["application"],
            app_view.application.applied_on if app_view else None,
            app_view.application.get_kind_display() if app_view else "",
            hidden=app_view is None and hidden_apps > 0,
        ),
        PathStep(
            "decision",
            STEP_LABELS["decision"],
            decided.application.decided_on if decided else None,
            decided.application.get_status_display() if decided else "",
        ),
    ]
    steps: list[PathStep] = []
    previous: dt.date | None = None
    for s in raw:
        wait = (s.on - previous).days if s.on and previous and s.on >= previous else None
        steps.append(PathStep(s.key, s.label, s.on, s.detail, s.hidden, wait))
        if s.on is not None:
            previous = s.on
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=section,
        basis=",".join(sorted(bases)),
        client_ids=[client.pk],
        path=path,
    )
    return ClientPath(
        client=client,
        steps=steps,
        identifications=idents,
        health_checks=checks,
        assessments=assessments,
        results=results,
        applications=apps,
        hidden_results=hidden_results,
        hidden_applications=hidden_apps,
        result_for=result_for,
        can_apply=can_apply,
        can_identify=can_identify,
        checks=check_views,
        can_invite=can_invite,
    )


# --- the health-check target group -------------------------------------------------


def _long_term_unemployed_ids(on: dt.date) -> set[uuid.UUID]:
    since = on - dt.timedelta(days=LONG_TERM_DAYS)
    return set(
        UnemploymentSpell.objects.filter(start__lte=since)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .values_list("client_id", flat=True)
    )


def _uncertain_ids(on: dt.date) -> set[uuid.UUID]:
    """Work ability uncertain: identified in the last 12 months, or an assessment
    asked for and not closed, or a result of partial or no work ability."""
    since = on - dt.timedelta(days=HEALTH_CHECK_WITHIN_DAYS)
    ids = set(
        Identification.objects.filter(identified_on__gt=since, identified_on__lte=on).values_list(
            "client_id", flat=True
        )
    )
    ids |= set(
        Referral.objects.filter(
            service__code=ServiceCode.WORK_ABILITY_ASSESSMENT,
            status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED],
        ).values_list("client_id", flat=True)
    )
    ids |= set(
        WorkAbilityResult.objects.filter(
            work_ability__in=[WorkAbility.PARTIAL, WorkAbility.NONE],
            assessed_on__gt=since,
            assessed_on__lte=on,
        ).values_list("client_id", flat=True)
    )
    return ids


def _checked_ids(on: dt.date) -> dict[uuid.UUID, dt.date]:
    since = on - dt.timedelta(days=HEALTH_CHECK_WITHIN_DAYS)
    start = dt.datetime(since.year, since.month, since.day, tzinfo=dates.HELSINKI)
    after = on + dt.timedelta(days=1)
    end = dt.datetime(after.year, after.month, after.day, tzinfo=dates.HELSINKI)
    out: dict[uuid.UUID, dt.date] = {}
    for cid, closed in Referral.objects.filter(
        service__code=ServiceCode.HEALTH_CHECK,
        status=ReferralStatus.COMPLETED,
        closed_at__gte=start,
        closed_at__lt=end,
    ).values_list("client_id", "closed_at"):
        day = _day(closed)
        assert day is not None
        out[cid] = max(day, out.get(cid, day))
    for cid, day in HealthCheck.objects.filter(
        status=HealthCheckStatus.DONE, checked_on__gte=since, checked_on__lte=on
    ).values_list("client_id", "checked_on"):
        if day is not None:
            out[cid] = max(day, out.get(cid, day))
    return out


@dataclass(frozen=True)
class TargetGroup:
    """The target group of unemployed health checks on a day and who of it had a check
    within 12 months: long-term unemployed or work ability uncertain, without
    occupational health care, alive."""

    on: dt.date
    reasons: dict[uuid.UUID, list[str]]
    checked: dict[uuid.UUID, dt.date]


def target_group(on: dt.date, client_ids: set[uuid.UUID] | None = None) -> TargetGroup:
    long_term = _long_term_unemployed_ids(on)
    uncertain = _uncertain_ids(on)
    ids = long_term | uncertain
    if client_ids is not None:
        ids &= client_ids
    excluded = set(
        Client.objects.filter(pk__in=list(ids))
        .filter(Q(occupational_health_care=True) | Q(deceased_on__lte=on))
        .values_list("pk", flat=True)
    )
    ids -= excluded
    reasons: dict[uuid.UUID, list[str]] = {}
    for cid in ids:
        r = []
        if cid in long_term:
            r.append("long_term_unemployed")
        if cid in uncertain:
            r.append("work_ability_uncertain")
        reasons[cid] = r
    checked = {cid: d for cid, d in _checked_ids(on).items() if cid in ids}
    return TargetGroup(on, reasons, checked)


TARGET_REASONS = {
    "long_term_unemployed": _("Unemployed for over 12 months"),
    "work_ability_uncertain": _("Work ability uncertain"),
}


@dataclass(frozen=True)
class TargetRow:
    client: Client
    reasons: list[str]
    occupational_health_care_known: bool
    check: HealthCheck | None = None
    """The latest invitation of the last 12 months, whoever's unit made it (the
    invitation and booking are case-work data; what the check found is not here)."""


def health_check_targets_for(*, actor: User, path: str = "", limit: int = 200) -> list[TargetRow]:
    """The clients of the actor's organisations who should be offered an unemployed
    health check now (the target group without a check in 12 months)."""
    scope = casework_clients_filter(actor, Perm.CASEWORK_VIEW)
    if scope is None:
        return []
    mine = set(Client.objects.filter(scope).values_list("pk", flat=True))
    group = target_group(dates.today(), mine)
    due = [cid for cid in group.reasons if cid not in group.checked]
    clients = {
        c.pk: c for c in Client.objects.filter(pk__in=due).select_related("home_municipality")
    }
    since = dates.today() - dt.timedelta(days=HEALTH_CHECK_WITHIN_DAYS)
    latest: dict[uuid.UUID, HealthCheck] = {}
    for hc in HealthCheck.objects.filter(client_id__in=due, invited_on__gt=since).order_by(
        "invited_on", "created_at"
    ):
        latest[hc.client_id] = hc
    rows = sorted(
        (
            TargetRow(
                clients[cid],
                [str(TARGET_REASONS[r]) for r in group.reasons[cid]],
                clients[cid].occupational_health_care is not None,
                latest.get(cid),
            )
            for cid in due
            if cid in clients
        ),
        key=lambda r: (-len(r.reasons), r.client.last_name, r.client.first_names, str(r.client.pk)),
    )[:limit]
    memberships = memberships_with(actor, Perm.CASEWORK_VIEW)
    access_log_write(
        actor=actor,
        membership=memberships[0] if memberships else None,
        section="workability:health_check_targets",
        basis="task:health_check_targeting",
        client_ids=[r.client.pk for r in rows],
        path=path,
    )
    return rows


def _home_on(client_ids: Iterable[uuid.UUID], on: dt.date) -> dict[uuid.UUID, str]:
    ids = list(client_ids)
    out: dict[uuid.UUID, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out.update(
            dict(
                HomeMunicipality.objects.filter(client_id__in=chunk, valid_from__lte=on)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
                .values_list("client_id", "municipality__code")
            )
        )
        missing = [c for c in chunk if c not in out]
        if missing:
            out.update(
                dict(
                    Client.objects.filter(pk__in=missing).values_list(
                        "pk", "home_municipality__code"
                    )
                )
            )
    return out


@dataclass(frozen=True)
class CoverageRow:
    municipality: Municipality | None
    target: int | None
    checked: int | None
    pct: float | None


@dataclass(frozen=True)
class Coverage:
    on: dt.date
    rows: list[CoverageRow]
    total: CoverageRow


def coverage_on(on: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    """(target group, checked within 12 months) per municipality code on a day, by the
    home municipality on that day."""
    group = target_group(on)
    homes = _home_on(group.reasons, on)
    target: dict[str, int] = defaultdict(int)
    checked: dict[str, int] = defaultdict(int)
    for cid in group.reasons:
        code = homes.get(cid, "")
        target[code] += 1
        if cid in group.checked:
            checked[code] += 1
    return dict(target), dict(checked)


def coverage_pct(on: dt.date) -> float | None:
    target, checked = coverage_on(on)
    t = sum(target.values())
    return None if t == 0 else round(100 * sum(checked.values()) / t, 1)


def health_check_coverage(on: dt.date | None = None) -> Coverage:
    """Coverage of the target group by municipality, with disclosure control: a count
    of 1–4 people (and what would reveal it) is hidden, and a share whose counts are
    hidden is hidden too."""
    from silta.reporting.suppression import suppress_vector

    day = on or dates.today()
    target, checked = coverage_on(day)
    munis = list(Municipality.objects.order_by("name_fi"))
    t_vals = [target.get(m.code, 0) for m in munis]
    c_vals = [checked.get(m.code, 0) for m in munis]
    t_hidden, t_total_hidden = suppress_vector(t_vals, sum(t_vals))
    c_hidden, c_total_hidden = suppress_vector(c_vals, sum(c_vals))
    rows = []
    for i, m in enumerate(munis):
        t = None if t_hidden[i] else t_vals[i]
        c = None if c_hidden[i] else c_vals[i]
        pct = round(100 * c / t, 1) if t and c is not None else None
        rows.append(CoverageRow(m, t, c, pct))
    tt = None if t_total_hidden else sum(t_vals)
    ct = None if c_total_hidden else sum(c_vals)
    total = CoverageRow(None, tt, ct, round(100 * ct / tt, 1) if tt and ct is not None else None)
    return Coverage(day, rows, total)


# --- the path as statistics --------------------------------------------------------


@dataclass(frozen=True)
class PathStatistics:
    first: dt.date
    last: dt.date
    steps: list[tuple[str, Any]]
    municipalities: list[Municipality]
    counts: list[list[int | None]]
    """Rows: municipalities; columns: steps (people who reached the step)."""
    totals: list[int | None]
    medians: list[list[float | None]]
    """Median days from the previous step, per municipality and step (from the second)."""
    total_medians: list[float | None]


def path_dates(first: dt.date, last: dt.date) -> dict[uuid.UUID, dict[str, dt.date]]:
    """Each client whose path began in ``first..last`` (identified, or an assessment
    asked for, in the period) with the first date of each step from then on."""
    start_dt = dt.datetime(first.year, first.month, first.day, tzinfo=dates.HELSINKI)
    after = last + dt.timedelta(days=1)
    end_dt = dt.datetime(after.year, after.month, after.day, tzinfo=dates.HELSINKI)
    began: dict[uuid.UUID, dt.date] = {}
    identified: dict[uuid.UUID, dt.date] = {}
    for cid, d in (
        Identification.objects.filter(identified_on__gte=first, identified_on__lte=last)
        .values("client_id")
        .annotate(d=Min("identified_on"))
        .values_list("client_id", "d")
    ):
        identified[cid] = d
        began[cid] = d
    for cid, sent in (
        Referral.objects.filter(
            service__code=ServiceCode.WORK_ABILITY_ASSESSMENT,
            sent_at__gte=start_dt,
            sent_at__lt=end_dt,
        )
        .values("client_id")
        .annotate(d=Min("sent_at"))
        .values_list("client_id", "d")
    ):
        day = _day(sent)
        assert day is not None
        began[cid] = min(day, began.get(cid, day))
    ids = list(began)
    out: dict[uuid.UUID, dict[str, dt.date]] = {cid: {} for cid in ids}
    for cid, d in identified.items():
        out[cid]["identified"] = d

    def first_after(cid: uuid.UUID, key: str, day: dt.date | None, not_before: dt.date) -> None:
        if day is None or day < not_before:
            return
        cur = out[cid].get(key)
        if cur is None or day < cur:
            out[cid][key] = day

    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for cid, code, closed in Referral.objects.filter(
            client_id__in=chunk,
            status=ReferralStatus.COMPLETED,
            service__code__in=[ServiceCode.HEALTH_CHECK, ServiceCode.WORK_ABILITY_ASSESSMENT],
        ).values_list("client_id", "service__code", "closed_at"):
            b = began[cid]
            if code == ServiceCode.HEALTH_CHECK:
                first_after(
                    cid,
                    "health_check",
                    _day(closed),
                    b - dt.timedelta(days=HEALTH_CHECK_WITHIN_DAYS),
                )
            else:
                first_after(cid, "assessment", _day(closed), b)
        for cid, d in HealthCheck.objects.filter(
            client_id__in=chunk, status=HealthCheckStatus.DONE
        ).values_list("client_id", "checked_on"):
            first_after(
                cid, "health_check", d, began[cid] - dt.timedelta(days=HEALTH_CHECK_WITHIN_DAYS)
            )
        for cid, d in WorkAbilityResult.objects.filter(client_id__in=chunk).values_list(
            "client_id", "assessed_on"
        ):
            first_after(cid, "result", d, began[cid])
        for cid, applied, decided in BenefitApplication.objects.filter(
            client_id__in=chunk
        ).values_list("client_id", "applied_on", "decided_on"):
            first_after(cid, "application", applied, began[cid])
            first_after(cid, "decision", decided, began[cid])
    return out


def path_statistics(first: dt.date, last: dt.date) -> PathStatistics:
    """How many reached each step and the median days between consecutive steps, by
    the home municipality at the path's start, with disclosure control (each step's
    column is a table of its own: a person counts in every step they reached)."""
    from silta.reporting.suppression import suppress_vector

    paths = path_dates(first, last)
    starts = {cid: min(d.values()) if d else first for cid, d in paths.items()}
    homes: dict[uuid.UUID, str] = {}
    by_day: dict[dt.date, list[uuid.UUID]] = defaultdict(list)
    for cid, start in starts.items():
        by_day[start].append(cid)
    for start, cids in by_day.items():
        homes.update(_home_on(cids, start))
    munis = list(Municipality.objects.order_by("name_fi"))
    keys = [k for k, _l in STEPS]
    counts = [[0] * len(keys) for _m in munis]
    waits: list[list[list[int]]] = [[[] for _k in keys] for _m in munis]
    index = {m.code: i for i, m in enumerate(munis)}
    for cid, d in paths.items():
        r = index.get(homes.get(cid, ""))
        if r is None:
            continue
        previous: dt.date | None = None
        for c, key in enumerate(keys):
            day = d.get(key)
            if day is None:
                continue
            counts[r][c] += 1
            if previous is not None and day >= previous:
                waits[r][c].append((day - previous).days)
            previous = day
    shown_counts: list[list[int | None]] = [[0] * len(keys) for _m in munis]
    totals: list[int | None] = []
    medians: list[list[float | None]] = [[None] * len(keys) for _m in munis]
    total_medians: list[float | None] = []
    for c in range(len(keys)):
        col = [counts[r][c] for r in range(len(munis))]
        hidden, total_hidden = suppress_vector(col, sum(col))
        for r in range(len(munis)):
            shown_counts[r][c] = None if hidden[r] else col[r]
            w = waits[r][c]
            # a median of 1–4 waits is hidden as its count would be
            medians[r][c] = (
                float(statistics.median(w)) if w and not hidden[r] and len(w) >= 5 else None
            )
        totals.append(None if total_hidden else sum(col))
        every = [x for r in range(len(munis)) for x in waits[r][c]]
        total_medians.append(
            float(statistics.median(every)) if len(every) >= 5 and not total_hidden else None
        )
    return PathStatistics(
        first, last, list(STEPS), munis, shown_counts, totals, medians, total_medians
    )


# --- decisions: overdue, and who leaves the funding projection ---------------------


def overdue_applications_for(*, actor: User, path: str = "") -> list[ApplicationView]:
    """Pending applications past their expected decision date that the actor's
    organisation recorded (the reminder on the path's front page)."""
    orgs = {m.organisation_id: m for m in memberships_with(actor, Perm.CASEWORK_VIEW)}
    if not orgs:
        return []
    rows = list(
        BenefitApplication.objects.filter(
            organisation_id__in=list(orgs),
            status=ApplicationStatus.PENDING,
            decision_due_on__lt=dates.today(),
        )
        .select_related("client", "receiver")
        .order_by("decision_due_on")[:200]
    )
    out: list[ApplicationView] = []
    contexts: dict[tuple[object, object], SharingContext] = {}
    for app in rows:
        m = orgs[app.organisation_id]
        ctx = contexts.get((m.pk, app.client_id)) or SharingContext.of(m, app.client_id)
        contexts[(m.pk, app.client_id)] = ctx
        basis = application_basis(ctx, app.organisation_id)
        if basis is not None:
            out.append(ApplicationView(app, basis, True))
    if out:
        first = next(iter(orgs.values()))
        access_log_write(
            actor=actor,
            membership=first,
            section="workability:overdue_decisions",
            basis="own_organisation",
            client_ids=[v.application.client_id for v in out],
            path=path,
        )
    return out


def granted_exits(on: dt.date) -> frozenset[str]:
    """Identity codes of people on a granted benefit that replaces the unemployment
    benefit (rehabilitation allowance, rehabilitation subsidy, disability pension) that
    has not ended before ``on``: they leave the funding forecast and the cost radar."""
    return frozenset(
        BenefitApplication.objects.filter(
            status=ApplicationStatus.GRANTED,
            kind__in=list(ENDS_UNEMPLOYMENT),
        )
        .filter(Q(benefit_to__isnull=True) | Q(benefit_to__gte=on))
        .values_list("client__personal_id", flat=True)
    )


def waiting_for_decision() -> dict[str, dt.date]:
    """Identity code → the application date of people waiting for a decision on a
    benefit that would replace the unemployment benefit (shown on the radar)."""
    out: dict[str, dt.date] = {}
    for pid, applied in BenefitApplication.objects.filter(
        status=ApplicationStatus.PENDING, kind__in=list(ENDS_UNEMPLOYMENT)
    ).values_list("client__personal_id", "applied_on"):
        out[pid] = min(applied, out.get(pid, applied))
    return out
