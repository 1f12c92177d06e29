"""The work ability path's figures as statistics the strategic agreement's indicators
link to (silta.governance.indicators, issue 16 item 4): identification, assessment
results, rehabilitation or pension granted and health-check coverage are computed
from the path's own records whenever the agreement page is read, never typed.

By municipality (the person's home municipality on the period's last day, from the
home municipality history) with the disclosure control of silta.reporting.suppression:
a cell of 1–4 people and the cell that would reveal it are hidden. Definitions follow
``workability.figures`` (``silta report year``) where they overlap, but count people
instead of records."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from silta.core import dates
from silta.governance import indicators as gi
from silta.places.models import Municipality
from silta.workability.models import (
    ApplicationStatus,
    BenefitApplication,
    Identification,
    WorkAbilityResult,
)


def identified(period: gi.Period) -> set[uuid.UUID]:
    """People taken onto the work ability path in the period."""
    return set(
        Identification.objects.filter(
            identified_on__gte=period.start, identified_on__lte=period.end
        ).values_list("client_id", flat=True)
    )


def with_result(period: gi.Period) -> set[uuid.UUID]:
    """People whose work ability assessment got its result in the period."""
    return set(
        WorkAbilityResult.objects.filter(
            assessed_on__gte=period.start, assessed_on__lte=period.end
        ).values_list("client_id", flat=True)
    )


def granted(period: gi.Period) -> set[uuid.UUID]:
    """People granted a rehabilitation or pension application in the period."""
    return set(
        BenefitApplication.objects.filter(
            status=ApplicationStatus.GRANTED,
            decided_on__gte=period.start,
            decided_on__lte=period.end,
        ).values_list("client_id", flat=True)
    )


People = Callable[[gi.Period], set[uuid.UUID]]


def _count(people: People) -> Callable[[gi.Period], gi.Value]:
    return lambda period: len(people(period))


def _split(people: People) -> Callable[[gi.Period], gi.ByMunicipality]:
    from silta.reporting.suppression import suppress_vector
    from silta.workability.selectors import _home_on

    def by_municipality(period: gi.Period) -> gi.ByMunicipality:
        ids = people(period)
        homes = _home_on(ids, period.end)
        counts: dict[str, int] = {}
        for cid in ids:
            code = homes.get(cid) or ""
            counts[code] = counts.get(code, 0) + 1
        munis = list(Municipality.objects.order_by("name_fi"))
        values = [counts.get(m.code, 0) for m in munis]
        hidden, total_hidden = suppress_vector(values, len(ids))
        return gi.ByMunicipality(
            rows=[
                (m.code, m.name, None if h else float(v))
                for m, v, h in zip(munis, values, hidden, strict=True)
            ],
            region=None if total_hidden else float(len(ids)),
        )

    return by_municipality


def coverage(period: gi.Period) -> Decimal:
    """Health-check coverage of the target group on the period's last day (or today),
    per cent with one decimal; 0 when the group is empty."""
    from silta.workability.selectors import coverage_pct

    pct = coverage_pct(min(period.end, dates.today()))
    return Decimal("0.0") if pct is None else Decimal(str(pct)).quantize(Decimal("0.1"))


def coverage_by_municipality(period: gi.Period) -> gi.ByMunicipality:
    """The coverage per municipality as published: a share whose counts are hidden is
    hidden (``selectors.health_check_coverage``)."""
    from silta.workability.selectors import health_check_coverage

    cov = health_check_coverage(min(period.end, dates.today()))
    return gi.ByMunicipality(
        rows=[
            (r.municipality.code, r.municipality.name, r.pct)
            for r in cov.rows
            if r.municipality is not None
        ],
        region=cov.total.pct,
    )


PEOPLE: tuple[tuple[str, object, People], ...] = (
    (
        "work_ability_identified",
        _("People identified on the work ability path (from the path's records)"),
        identified,
    ),
    (
        "work_ability_result_people",
        _("People with a work ability assessment result (from the path's records)"),
        with_result,
    ),
    (
        "rehabilitation_or_pension_granted_people",
        _("People granted rehabilitation or a pension (from the path's decisions)"),
        granted,
    ),
)


def register() -> None:
    for name, label, people in PEOPLE:
        if name not in gi.STATISTICS:
            gi.statistic_register(
                name,
                label,
                _count(people),
                people=True,
                by_municipality=_split(people),
            )
    if "health_check_coverage_pct" not in gi.STATISTICS:
        gi.statistic_register(
            "health_check_coverage_pct",
            _("Health-check coverage of the target group, per cent (from the checks done)"),
            coverage,
            people=False,
            by_municipality=coverage_by_municipality,
        )
