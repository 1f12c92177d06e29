"""Case-work activity for a synthetic region (``silta.synth.region``): joint service,
activation and other plans, referrals with their status histories, appointments,
service-need assessments, notes, consents and outcomes with follow-ups, 2019-2026.

Pure and deterministic: no Django import, no clock. The draws come from one
``random.Random(region.seed ^ ACTIVITY_SEED_XOR)``, independent of the region's own
stream, and everything is built in a fixed order, so the same region always gives the
same activity.

How the figures come out
------------------------
DOMAIN.md §4 gives the region's 2023 figures; ``YEAR_TARGETS`` holds them with a
plausible course for the other years (2022 close to 2023, growth to 2026, the 2025
reform of multisectoral cooperation). Each figure is reached by *quota*, year by year
and in the same terms as the report counts them from the database
(``silta.reporting.yearly``):

* service periods (joint service, activation plan, social guidance, social
  rehabilitation): the clients whose period overlaps the year. For each year the
  clients still in a period that began earlier are counted first; new clients then
  start a period in that year until the target is met. A client never has two periods
  of the same kind at once.
* one-off services (unemployed health checks, work ability assessments): referrals
  completed in the year. The completion day is drawn in the year and the referral's
  history (sent, accepted, scheduled, first appointment) is laid out backwards from it.

Targets scale with ``region.scale``; the last, partial year (up to
``region.generated_on``) gets its share. Around the counted referrals there are
others that do not count: declined, cancelled and not completed ones (no-shows),
rehabilitative work activity, mental health, IPS, youth guidance and debt advice.

Rules the data keep (tests/synth/test_activity.py checks them)
-------------------------------------------------------------
* Referral histories follow the case-work workflow (sent -> accepted | declined |
  cancelled; accepted -> scheduled | cancelled; scheduled -> completed | not completed
  | cancelled), in time order; nothing happens after ``generated_on``.
* Every referral is sent while the client is registered unemployed; a health check
  needs a spell of at least 30 days on the sending day, a work ability assessment 365
  days or an earlier health check that found a work-ability concern; youth guidance
  is for clients under 30.
* Sender and receiver are different organisations and each actor works in the
  organisation that acts; the receiving organisation offers the service.
* Plans go draft -> agreed -> (under review -> agreed)* -> closed, one version per
  status; joint service teams have workers from at least two organisations.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from silta.integration import law_names
from silta.synth.region import (
    EMPLOYMENT_AREA_KEY,
    KELA_KEY,
    MUNICIPALITIES,
    Region,
    SynthClient,
    SynthStaff,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
ACTIVITY_SEED_XOR = 0x5A17A
FIRST_YEAR = 2019

SOCIAL_WORK_KEY = "soite-adult-social-work"
HEALTH_KEY = "soite-health-services"
MENTAL_HEALTH_KEY = "soite-mental-health-substance"
IPS_KEY = "soite-ips"
OHJAAMO_KEY = "soite-ohjaamo"

# The figures of DOMAIN.md §4 (2023) and their course over the other years, scale 1.
# fmt: off
YEAR_TARGETS: dict[str, dict[int, int]] = {
    "joint_service": {2019: 405, 2020: 418, 2021: 432, 2022: 441, 2023: 448, 2024: 466,
                      2025: 515, 2026: 540},
    "activation": {2019: 498, 2020: 503, 2021: 509, 2022: 514, 2023: 519, 2024: 531,
                   2025: 556, 2026: 570},
    "social_guidance": {2019: 70, 2020: 73, 2021: 76, 2022: 79, 2023: 81, 2024: 85,
                        2025: 92, 2026: 96},
    "social_rehabilitation": {2019: 77, 2020: 80, 2021: 84, 2022: 88, 2023: 90, 2024: 94,
                              2025: 100, 2026: 104},
    "health_check": {2019: 175, 2020: 140, 2021: 195, 2022: 236, 2023: 250, 2024: 262,
                     2025: 281, 2026: 292},
    "work_ability_assessment": {2019: 92, 2020: 86, 2021: 101, 2022: 112, 2023: 120,
                                2024: 128, 2025: 141, 2026: 150},
}
"""Per year: clients in the period during the year (the first four) or referrals
completed in the year (the last two)."""

OTHER_REFERRALS_PER_YEAR: dict[str, int] = {
    "youth_guidance": 110,
    "mental_health_substance": 70,
    "ips_job_coaching": 35,
    "debt_advice": 40,
}
"""Referrals sent per year at scale 1 to services whose volume no figure fixes."""
# fmt: on

_FAILED_SHARE = 0.2
"""Per completed health check or work ability assessment, the chance of another
referral that is declined, cancelled or not completed."""
_REVIEW_DAYS = 182
"""Plans are reviewed about every six months (DOMAIN.md §3.3, default)."""
_AFTERCARE_DAYS = 60

# Stored values of the case-work models (checked against the models by the tests).
SENT, ACCEPTED, DECLINED, SCHEDULED = "sent", "accepted", "declined", "scheduled"
COMPLETED, NOT_COMPLETED, CANCELLED = "completed", "not_completed", "cancelled"
DRAFT, AGREED, UNDER_REVIEW, CLOSED = "draft", "agreed", "under_review", "closed"
ASSESSMENT_DOMAINS = (
    "work_ability",
    "physical_health",
    "mental_health",
    "substance_use",
    "housing",
    "finances",
    "education",
    "social_network",
    "life_management",
)
FOLLOW_UP_MONTHS = (3, 6, 12)

SERVICE_PROVIDER: dict[str, str] = {
    "social_guidance": SOCIAL_WORK_KEY,
    "social_rehabilitation": SOCIAL_WORK_KEY,
    "rehabilitative_work_activity": SOCIAL_WORK_KEY,
    "work_ability_assessment": SOCIAL_WORK_KEY,
    "debt_advice": SOCIAL_WORK_KEY,
    "health_check": HEALTH_KEY,
    "mental_health_substance": MENTAL_HEALTH_KEY,
    "ips_job_coaching": IPS_KEY,
    "youth_guidance": OHJAAMO_KEY,
}
"""Which organisation of the region's catalogue (``silta.catalogue.reference``)
provides each service the generator refers to."""

_ACTING_ROLES: dict[str, tuple[str, ...]] = {
    EMPLOYMENT_AREA_KEY: ("case_worker",),
    KELA_KEY: ("kela_expert",),
    SOCIAL_WORK_KEY: ("social_worker", "social_instructor"),
    HEALTH_KEY: ("health_professional",),
    MENTAL_HEALTH_KEY: ("health_professional",),
    IPS_KEY: ("health_professional",),
    OHJAAMO_KEY: ("social_instructor",),
}

_PLACES: dict[str, str] = {
    EMPLOYMENT_AREA_KEY: "Työllisyysalueen palvelupiste",
    KELA_KEY: "Kelan palvelupiste",
    SOCIAL_WORK_KEY: "Aikuissosiaalityö",
    HEALTH_KEY: "Terveysasema",
    MENTAL_HEALTH_KEY: "Mielenterveys- ja päihdepalvelut",
    IPS_KEY: "IPS-työhönvalmennus",
    OHJAAMO_KEY: "Ohjaamo",
}

_REASONS: dict[str, tuple[str, ...]] = {
    "health_check": (
        "Pitkä työttömyys, terveydentila ja työkyky selvitettävä.",
        "Asiakas toivoo terveystarkastusta.",
        "Työ- ja toimintakyvyn kartoitus ennen palvelujen suunnittelua.",
    ),
    "work_ability_assessment": (
        "Työkyky epäselvä, kuntoutustarve arvioitava.",
        "Terveystarkastuksessa havaittu huoli työkyvystä.",
        "Toistuvat keskeytyneet palvelut, työ- ja toimintakyky selvitettävä.",
    ),
    "social_guidance": (
        "Arjenhallinnan ja asioinnin tuki.",
        "Tuki talouden ja asumisen asioissa.",
    ),
    "social_rehabilitation": (
        "Sosiaalisen toimintakyvyn vahvistaminen ennen työelämäpalveluja.",
        "Päivärytmin ja osallisuuden tukeminen.",
    ),
    "rehabilitative_work_activity": ("Aktivointisuunnitelman mukainen kuntouttava työtoiminta.",),
    "youth_guidance": ("Nuoren monialainen tuki: opiskelu- ja työpolun suunnittelu.",),
    "mental_health_substance": ("Mielialaoireet haittaavat työnhakua.", "Päihteiden käyttö."),
    "ips_job_coaching": ("Tuettu työllistyminen avoimille työmarkkinoille.",),
    "debt_advice": ("Velkaantuminen, tarve talous- ja velkaneuvontaan.",),
}
_DECLINE_REASONS = ("Palvelu ei vastaa asiakkaan tarvetta.", "Asiakas ohjattu toiseen palveluun.")
_CANCEL_REASONS = ("Asiakas työllistyi.", "Asiakas perui.", "Tarve poistui.")
_NOT_COMPLETED_REASONS = ("no_show", "no_show", "no_show", "client_ill", "client_declined")

_GOALS: dict[str, tuple[str, ...]] = {
    "activation": (
        "Päivärytmin vakiinnuttaminen ja työ- ja toimintakyvyn vahvistaminen.",
        "Kuntouttavan työtoiminnan jakso ja jatkopolun suunnittelu.",
        "Osallisuuden lisääminen ja valmiudet työhön tai koulutukseen.",
    ),
    "multisectoral": (
        "Työllistyminen avoimille työmarkkinoille palvelujen tuella.",
        "Työkyvyn selvittäminen ja sopivan palvelupolun löytäminen.",
        "Koulutukseen hakeutuminen ja arjen tuki.",
    ),
    "youth": (
        "Opiskelupaikan hakeminen ja arjen tuki.",
        "Ensimmäinen työpaikka tai työkokeilu.",
    ),
}
_ACTIONS = (
    "Asiakas: osallistuu sovittuihin palveluihin. Työllisyysalue: työnhaun tuki. "
    "Soite: sosiaaliohjaus ja terveyspalvelut. Kela: etuusasiat ja kuntoutus."
)
_NOTE_TEXTS: dict[str, tuple[str, ...]] = {
    # "{team}" is the joint team meeting's name by the law of the note's day
    # (silta.integration.law_names: TYP until 2024, multisectoral cooperation from 2025)
    "joint": ("{team} pidetty, jatko sovittu.", "Tilanne käyty läpi."),
    "health": (
        "Terveystarkastus tehty. Jatkotutkimukset sovittu.",
        "Terveystarkastus tehty, ei jatkotoimia.",
    ),
    "social": ("Sosiaaliohjauksen tapaaminen.", "Kotikäynti tehty."),
}
_OUTCOME_NOTES = {
    "open_market_job": "Työsuhde alkanut.",
    "pay_subsidised_work": "Palkkatukityö alkanut.",
    "degree_education": "Opinnot alkaneet.",
}


# --- data classes -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SynthMove:
    status: str
    at: datetime
    actor: str | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SynthReferral:
    key: int
    client_key: int
    service_code: str
    from_org: str
    to_org: str
    sent_by: str | None
    reason: str
    moves: tuple[SynthMove, ...]
    """The status history, first ``sent``; nothing after ``generated_on``."""
    not_completed_reason: str = ""
    work_ability_concern: bool = False
    first_appointment_at: datetime | None = None
    """Set once the referral is scheduled (the appointment may lie after the last move)."""

    @property
    def sent_at(self) -> datetime:
        return self.moves[0].at

    @property
    def status(self) -> str:
        return self.moves[-1].status

    @property
    def status_reason(self) -> str:
        return self.moves[-1].reason

    @property
    def accepted_at(self) -> datetime | None:
        return next((m.at for m in self.moves if m.status == ACCEPTED), None)

    @property
    def closed_at(self) -> datetime | None:
        last = self.moves[-1]
        return last.at if last.status in (DECLINED, COMPLETED, NOT_COMPLETED, CANCELLED) else None


@dataclass(frozen=True, slots=True)
class SynthAppointment:
    client_key: int
    org: str
    referral_key: int | None
    starts_at: datetime
    place: str
    participants: str
    created_by: str | None


@dataclass(frozen=True, slots=True)
class SynthJointService:
    key: int
    client_key: int
    started_on: date
    ended_on: date | None
    end_reason: str
    started_by: str
    members: tuple[tuple[str, str, str], ...]
    """(username, organisation key, role)."""


@dataclass(frozen=True, slots=True)
class SynthPlanVersion:
    number: int
    status: str
    goals: str
    actions: str
    next_review_on: date | None
    author: str | None
    saved_at: datetime
    referral_keys: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SynthPlan:
    key: int
    client_key: int
    org: str
    kind: str
    created_by: str | None
    versions: tuple[SynthPlanVersion, ...]

    @property
    def status(self) -> str:
        return self.versions[-1].status

    @property
    def version(self) -> int:
        return self.versions[-1].number

    @property
    def next_review_on(self) -> date | None:
        return self.versions[-1].next_review_on

    @property
    def agreed_on(self) -> date | None:
        return next(
            (v.saved_at.astimezone(HELSINKI).date() for v in self.versions if v.status == AGREED),
            None,
        )

    @property
    def closed_on(self) -> date | None:
        last = self.versions[-1]
        return last.saved_at.astimezone(HELSINKI).date() if last.status == CLOSED else None


@dataclass(frozen=True, slots=True)
class SynthAssessment:
    client_key: int
    org: str
    assessed_on: date
    signed_by: str | None
    signed_at: datetime
    ratings: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class SynthNote:
    client_key: int
    org: str
    author: str | None
    author_role: str
    visibility: str
    text: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class SynthConsent:
    """A consent as Soite records it: the disclosing controller's worker records the
    client's consent, from the day it was given, with how it was given."""

    client_key: int
    controller: str
    """The disclosing organisation (its worker recorded the consent)."""
    recipient: str
    data_classes: tuple[str, ...]
    purpose: str
    valid_from: date
    valid_to: date | None
    given_how: str
    given_reference: str
    recorded_by: str | None


@dataclass(frozen=True, slots=True)
class SynthOutcome:
    client_key: int
    org: str
    kind: str
    occurred_on: date
    note: str
    follow_ups: tuple[str, str, str]
    """Status at 3, 6 and 12 months ("" = not yet due on ``generated_on``)."""
    recorded_by: str | None


@dataclass(slots=True)
class Activity:
    seed: int
    generated_on: date
    joint_services: list[SynthJointService] = field(default_factory=list)
    plans: list[SynthPlan] = field(default_factory=list)
    referrals: list[SynthReferral] = field(default_factory=list)
    appointments: list[SynthAppointment] = field(default_factory=list)
    assessments: list[SynthAssessment] = field(default_factory=list)
    notes: list[SynthNote] = field(default_factory=list)
    consents: list[SynthConsent] = field(default_factory=list)
    outcomes: list[SynthOutcome] = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------

_D = date.fromordinal


def _weekday(ordinal: int, back: bool = False) -> int:
    """The ordinal itself on Mon-Fri, else the next Monday (or the Friday before)."""
    wd = (ordinal - 1) % 7  # 0 = Monday
    if wd < 5:
        return ordinal
    return ordinal - (wd - 4) if back else ordinal + (7 - wd)


def _add_months(day: int, months: int) -> int:
    return day + round(months * 30.44)


def _snap(day: int, lo: int, hi: int) -> int:
    """A weekday near ``day`` within [lo, hi] (``day`` itself when none is)."""
    forward = _weekday(day)
    if forward <= hi:
        return forward
    back = _weekday(day, back=True)
    return back if back >= lo else day


@dataclass(slots=True)
class _Spell:
    client_key: int
    start: int
    end: int | None  # None: open on generated_on


@dataclass(slots=True)
class _Interval:
    start: int
    end: int | None  # None: still running on generated_on


class _Generator:
    def __init__(self, region: Region) -> None:
        self.region = region
        self.rng = random.Random(region.seed ^ ACTIVITY_SEED_XOR)  # noqa: S311 - synthetic
        self.scale = region.scale
        self.last = region.generated_on.toordinal()
        self.end_at = datetime.combine(region.generated_on, time(23, 59), tzinfo=HELSINKI)
        self.out = Activity(seed=region.seed, generated_on=region.generated_on)
        self.clients: dict[int, SynthClient] = {c.key: c for c in region.clients}
        self.spells: dict[int, list[_Spell]] = defaultdict(list)
        for sp in region.spells:
            self.spells[sp.client_key].append(
                _Spell(sp.client_key, sp.start.toordinal(), sp.end.toordinal() if sp.end else None)
            )
        self.spells_by_year: dict[int, list[_Spell]] = defaultdict(list)
        years = range(FIRST_YEAR - 1, region.generated_on.year + 1)
        for spells in self.spells.values():
            spells.sort(key=lambda s: s.start)
            for s in spells:
                e = s.end if s.end is not None else self.last
                for y in years:
                    if s.start <= date(y, 12, 31).toordinal() and e >= date(y, 1, 1).toordinal():
                        self.spells_by_year[y].append(s)
        self.staff: dict[str, list[SynthStaff]] = defaultdict(list)
        for st in region.staff:
            if st.role in _ACTING_ROLES.get(st.organisation_key, ()):
                self.staff[st.organisation_key].append(st)
        self.names = {st.username: f"{st.first_name} {st.last_name}" for st in region.staff}
        self.roles = {st.username: st.role for st in region.staff}
        self.municipality_names = {m.code: m.name_fi for m in MUNICIPALITIES}
        self.periods: dict[str, dict[int, list[_Interval]]] = defaultdict(lambda: defaultdict(list))
        self.windows: dict[int, list[tuple[str, str | None, int, int | None]]] = defaultdict(list)
        """Per client: (organisation, worker, start, end) of case work, for outcomes."""
        self.last_done: dict[str, dict[int, int]] = defaultdict(dict)
        self.concerns: list[tuple[int, int]] = []  # (day, client) of health check findings
        self.exit_kinds: dict[tuple[int, int], str] = {}

    # --- small draws ---------------------------------------------------------------

    def worker(self, org: str) -> str | None:
        people = self.staff.get(org)
        return self.rng.choice(people).username if people else None

    def at(self, day: int, hour_from: int = 8, hour_to: int = 15) -> datetime:
        minute = self.rng.randrange(hour_from * 60, hour_to * 60 + 1, 5)
        return datetime.combine(_D(day), time(minute // 60, minute % 60), tzinfo=HELSINKI)

    def age(self, client_key: int, day: int) -> int:
        b = self.clients[client_key].birth_date
        d = _D(day)
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))

    def spell_on(self, client_key: int, day: int) -> _Spell | None:
        for s in self.spells[client_key]:
            if s.start <= day and (s.end is None or s.end >= day):
                return s
        return None

    def year_window(self, year: int) -> tuple[int, int, float]:
        """First and last day of the year within the data, and the share of the year."""
        lo = date(year, 1, 1).toordinal()
        hi = min(date(year, 12, 31).toordinal(), self.last)
        return lo, hi, (hi - lo + 1) / (date(year, 12, 31).toordinal() - lo + 1)

    def pick(
        self,
        lo: int,
        hi: int,
        *,
        lead: int = 0,
        min_spell_days: int = 0,
        min_age: int = 18,
        max_age: int = 64,
        accept: Callable[[int, int], bool] = lambda _c, _d: True,
        tries: int = 300,
    ) -> tuple[int, int, int] | None:
        """A client unemployed on a sending day ``s`` (spell at least ``min_spell_days``
        old) whose anchor day ``s + lead`` falls in [lo, hi]: (client, s, anchor)."""
        pool = self.spells_by_year.get(_D(lo).year, [])
        if not pool:
            return None
        rng = self.rng
        for _ in range(tries):
            s = pool[int(rng.random() * len(pool))]
            gap = lead
            first = max(lo, s.start + min_spell_days + gap)
            last = min(hi, (s.end if s.end is not None else self.last) + gap)
            if first > last:
                continue
            anchor = rng.randint(first, last)
            sent = _weekday(anchor - gap, back=True)
            if sent < s.start + min_spell_days:
                continue
            if not min_age <= self.age(s.client_key, sent) <= max_age:
                continue
            if not accept(s.client_key, anchor):
                continue
            return s.client_key, sent, anchor
        return None

    def have(self, kind: str, year: int) -> set[int]:
        lo, hi, _ = self.year_window(year)
        return {
            client
            for client, intervals in self.periods[kind].items()
            if any(i.start <= hi and (i.end is None or i.end >= lo) for i in intervals)
        }

    def busy(self, kind: str, client: int, start: int, end: int | None) -> bool:
        stop = end if end is not None else self.last
        return any(
            i.start <= stop + 30 and (i.end is None or i.end + 30 >= start)
            for i in self.periods[kind].get(client, ())
        )

    def exit_kind(self, client: int, spell: _Spell) -> str:
        """What the client moved on to when the spell ended (drawn once per spell)."""
        key = (client, spell.start)
        kind = self.exit_kinds.get(key)
        if kind is None:
            long = spell.end is not None and spell.end - spell.start >= 730
            options, weights = zip(
                *(
                    (
                        ("open_market_job", 30),
                        ("pay_subsidised_work", 20),
                        ("degree_education", 9),
                        ("other_education", 6),
                        ("work_trial", 3),
                        ("rehabilitation_or_sickness_benefit", 16),
                        ("disability_pension", 8),
                        ("moved_away", 3),
                        ("other", 5),
                    )
                    if long
                    else (
                        ("open_market_job", 52),
                        ("pay_subsidised_work", 12),
                        ("degree_education", 12),
                        ("other_education", 8),
                        ("work_trial", 2),
                        ("rehabilitation_or_sickness_benefit", 4),
                        ("disability_pension", 1),
                        ("moved_away", 4),
                        ("other", 5),
                    )
                ),
                strict=True,
            )
            kind = self.rng.choices(options, weights=weights)[0]
            self.exit_kinds[key] = kind
        return kind

    # --- referrals -----------------------------------------------------------------

    def referral(
        self,
        *,
        client: int,
        code: str,
        sent: int,
        fate: str,
        from_org: str = EMPLOYMENT_AREA_KEY,
        sender: str | None = None,
        receiver: str | None = None,
        appointment: int | None = None,
        close: int | None = None,
        concern: bool = False,
        follow_ups: int = 0,
    ) -> SynthReferral:
        """One referral with its history. ``fate``: completed, not_completed, declined,
        cancelled (while sent), withdrawn (cancelled after acceptance) or ongoing.
        ``appointment`` and ``close`` are days; defaults are drawn."""
        rng = self.rng
        to_org = SERVICE_PROVIDER[code]
        sender = sender or self.worker(from_org)
        receiver = receiver or self.worker(to_org)
        key = len(self.out.referrals)
        sent_at = self.at(sent)
        moves = [SynthMove(SENT, sent_at, sender)]
        first_at: datetime | None = None
        appointments: list[SynthAppointment] = []
        span = (appointment - sent) if appointment is not None else rng.randint(10, 40)
        accept_day = _weekday(sent + rng.randint(1, max(1, min(5, span // 3))))
        if fate == DECLINED:
            moves.append(
                SynthMove(DECLINED, self.at(accept_day), receiver, rng.choice(_DECLINE_REASONS))
            )
        elif fate == CANCELLED:
            moves.append(
                SynthMove(CANCELLED, self.at(accept_day), sender, rng.choice(_CANCEL_REASONS))
            )
        else:
            accepted_at = self.at(accept_day, 8, 12)
            moves.append(SynthMove(ACCEPTED, accepted_at, receiver))
            if fate == "withdrawn":
                moves.append(
                    SynthMove(
                        CANCELLED,
                        self.at(_weekday(accept_day + rng.randint(2, 10))),
                        sender,
                        rng.choice(_CANCEL_REASONS),
                    )
                )
            else:
                appt_day = appointment if appointment is not None else sent + span
                appt_day = max(appt_day, accept_day + 1)
                later = _weekday(accept_day + rng.randint(1, 6))
                scheduled_at = (
                    self.at(later, 12, 15)
                    if rng.random() < 0.4 and later < appt_day
                    else accepted_at + timedelta(minutes=rng.randint(5, 180))
                )
                first_at = self.at(appt_day, 8, 14)
                moves.append(SynthMove(SCHEDULED, scheduled_at, receiver))
                place = self.place(to_org, client)
                appointments.append(
                    SynthAppointment(
                        client,
                        to_org,
                        key,
                        first_at,
                        place,
                        self.names.get(receiver or "", ""),
                        receiver,
                    )
                )
                day = appt_day
                for _ in range(follow_ups):
                    day = _weekday(day + rng.randint(14, 35))
                    if close is not None and day >= close:
                        break
                    appointments.append(
                        SynthAppointment(
                            client,
                            to_org,
                            key,
                            self.at(day, 8, 14),
                            place,
                            self.names.get(receiver or "", ""),
                            receiver,
                        )
                    )
                if fate in (COMPLETED, NOT_COMPLETED):
                    close_day = max(close, appt_day) if close is not None else appt_day
                    closed_at = (
                        first_at + timedelta(minutes=rng.randint(45, 120))
                        if close_day == appt_day
                        else self.at(close_day)
                    )
                    moves.append(
                        SynthMove(
                            fate,
                            closed_at,
                            receiver,
                        )
                    )
        kept = tuple(m for m in moves if m.at <= self.end_at)
        if not any(m.status == SCHEDULED for m in kept):
            first_at = None
        last_status = kept[-1].status
        ref = SynthReferral(
            key=key,
            client_key=client,
            service_code=code,
            from_org=from_org,
            to_org=to_org,
            sent_by=sender,
            reason=rng.choice(_REASONS[code]),
            moves=kept,
            not_completed_reason=rng.choice(_NOT_COMPLETED_REASONS)
            if last_status == NOT_COMPLETED
            else "",
            work_ability_concern=concern and last_status == COMPLETED,
            first_appointment_at=first_at,
        )
        self.out.referrals.append(ref)
        if first_at is not None:
            scheduled = next(m.at for m in kept if m.status == SCHEDULED)
            self.out.appointments.extend(
                a for a in appointments if a.starts_at <= self.end_at or a.starts_at == first_at
            )
            assert scheduled <= first_at
        return ref

    def place(self, org: str, client: int) -> str:
        if self.rng.random() < 0.12:
            return "Puhelin"
        code = self.clients[client].municipality_history[-1][0]
        if org in (HEALTH_KEY, EMPLOYMENT_AREA_KEY) and code != "272":
            return f"{_PLACES[org]}, {self.municipality_names[code]}"
        return f"{_PLACES[org]}, Kokkola"

    def failed_referral(self, code: str, lo: int, hi: int, min_spell_days: int) -> None:
        """A referral that does not lead to the service: declined, cancelled or a no-show."""
        rng = self.rng
        found = self.pick(lo, hi, min_spell_days=min_spell_days)
        if found is None:
            return
        client, sent, _ = found
        u = rng.random()
        fate = (
            NOT_COMPLETED
            if u < 0.55
            else DECLINED
            if u < 0.7
            else CANCELLED
            if u < 0.85
            else "withdrawn"
        )
        self.referral(client=client, code=code, sent=sent, fate=fate)

    # --- the kinds of activity -------------------------------------------------------

    def rehab_activation(self) -> None:
        """Each rehabilitative work activity period of the region (from 2018) rests on
        an activation plan and a referral from the employment area to adult social
        work."""
        lo = date(FIRST_YEAR - 1, 1, 1).toordinal()
        rng = self.rng
        for p in self.region.service_periods:
            if p.kind != "rehabilitative_work_activity":
                continue
            start, stop = p.start.toordinal(), p.end.toordinal()
            if stop < lo or start > self.last:
                continue
            client = p.client_key
            agreed = _weekday(start - rng.randint(14, 45), back=True)
            sent = _weekday(agreed - rng.randint(0, 5), back=True)
            spell = self.spell_on(client, sent)
            if spell is None:
                continue
            fate = COMPLETED if rng.random() < 0.85 else NOT_COMPLETED
            ref = self.referral(
                client=client,
                code="rehabilitative_work_activity",
                sent=sent,
                fate=fate,
                appointment=_weekday(start),
                close=stop,
                follow_ups=2,
            )
            closed = stop + rng.randint(0, 20)
            plan = self.plan(
                client=client,
                kind="activation",
                org=SOCIAL_WORK_KEY,
                agreed=agreed,
                closed=closed,
                referral_keys=(ref.key,),
            )
            if plan is not None and plan.agreed_on is not None:
                c = plan.closed_on
                self.periods["activation"][client].append(
                    _Interval(plan.agreed_on.toordinal(), c.toordinal() if c else None)
                )

    def plan(
        self,
        *,
        client: int,
        kind: str,
        org: str,
        agreed: int,
        closed: int | None,
        referral_keys: tuple[int, ...] = (),
        author: str | None = None,
    ) -> SynthPlan | None:
        rng = self.rng
        author = author or self.worker(org)
        goals = rng.choice(_GOALS[kind])
        created = _weekday(agreed - rng.randint(1, 10), back=True)
        versions: list[SynthPlanVersion] = []

        def add(status: str, day: int, review: int | None) -> None:
            saved = self.at(day)
            if versions and saved <= versions[-1].saved_at:
                saved = versions[-1].saved_at + timedelta(minutes=rng.randint(10, 90))
            versions.append(
                SynthPlanVersion(
                    number=len(versions) + 1,
                    status=status,
                    goals=goals,
                    actions=_ACTIONS,
                    next_review_on=_D(review) if review is not None else None,
                    author=author,
                    saved_at=saved,
                    referral_keys=referral_keys,
                )
            )

        add(DRAFT, created, agreed + _REVIEW_DAYS)
        review = agreed + _REVIEW_DAYS
        add(AGREED, agreed, review)
        while closed is None or review < closed:
            if review > self.last:
                break
            day = _weekday(review)
            add(UNDER_REVIEW, day, review)
            again = _weekday(day + rng.randint(0, 14))
            if closed is not None and again >= closed:
                break
            review = again + _REVIEW_DAYS
            add(AGREED, again, review)
        if closed is not None:
            add(CLOSED, _weekday(max(closed, versions[-1].saved_at.date().toordinal())), None)
        kept = tuple(v for v in versions if v.saved_at <= self.end_at)
        if not kept:
            return None
        plan = SynthPlan(len(self.out.plans), client, org, kind, author, kept)
        self.out.plans.append(plan)
        self.windows[client].append(
            (org, author, agreed, plan.closed_on.toordinal() if plan.closed_on else None)
        )
        return plan

    def years(self) -> range:
        return range(FIRST_YEAR - 1, self.region.generated_on.year + 1)

    def target(self, kind: str, year: int, share: float, *, overlap: bool) -> int:
        if year < FIRST_YEAR:
            return round(YEAR_TARGETS[kind][FIRST_YEAR] * 0.5 * self.scale)
        t = YEAR_TARGETS[kind].get(year, YEAR_TARGETS[kind][max(YEAR_TARGETS[kind])])
        factor = (0.7 + 0.3 * share) if overlap else share
        return round(t * self.scale * factor)

    def window(self, year: int) -> tuple[int, int, float]:
        if year < FIRST_YEAR:  # warm-up: periods running into the first year
            return date(year, 7, 1).toordinal(), date(year, 12, 31).toordinal(), 1.0
        return self.year_window(year)

    def quota_periods(
        self,
        kind: str,
        start_one: Callable[[int, int, int], _Interval | None],
        *,
        min_spell_days: Callable[[int], int],
        min_age: int = 18,
        max_age: int = 64,
    ) -> None:
        """Year by year, start new periods until the clients in ``kind`` during the year
        reach the target. ``start_one(client, sent, start)`` records one period."""
        for year in self.years():
            lo, hi, share = self.window(year)
            taken = self.have(kind, year)
            need = self.target(kind, year, share, overlap=True) - len(taken)
            misses = 0
            while need > 0 and misses < 50:

                def free(c: int, d: int, taken: set[int] = taken) -> bool:
                    return c not in taken and not self.busy(kind, c, d, d + 180)

                found = self.pick(
                    lo,
                    hi,
                    min_spell_days=min_spell_days(year),
                    min_age=min_age,
                    max_age=max_age,
                    accept=free,
                )
                if found is None:
                    misses += 1
                    continue
                client, sent, start = found
                interval = start_one(client, sent, _snap(start, lo, hi))
                if interval is None:
                    misses += 1
                    continue
                if interval.start < lo or interval.start > hi:
                    raise AssertionError(f"{kind}: a period outside its year")
                self.periods[kind][client].append(interval)
                taken.add(client)
                need -= 1

    def planned_end(self, client: int, start: int, months: tuple[int, int]) -> tuple[int, str]:
        """End day of a period of ``months`` and whether the client's spell ended first
        ("exit") or the period ran its course ("planned")."""
        stop = _add_months(start, self.rng.randint(*months))
        spell = self.spell_on(client, start)
        if spell is not None and spell.end is not None and spell.end < stop:
            return max(spell.end + self.rng.randint(0, 20), start + 14), "exit"
        return stop, "planned"

    def start_activation(self, client: int, sent: int, start: int) -> _Interval | None:
        stop, _why = self.planned_end(client, start, (6, 15))
        plan = self.plan(
            client=client,
            kind="activation",
            org=EMPLOYMENT_AREA_KEY,
            agreed=_weekday(start),
            closed=stop if stop <= self.last else None,
        )
        if plan is None or plan.agreed_on is None:
            return None
        c = plan.closed_on
        return _Interval(plan.agreed_on.toordinal(), c.toordinal() if c else None)

    def start_joint_service(self, client: int, sent: int, start: int) -> _Interval | None:
        rng = self.rng
        stop, why = self.planned_end(client, start, (6, 20))
        if why == "exit":
            spell = self.spell_on(client, start)
            assert spell is not None
            reason = {
                "open_market_job": "employed",
                "pay_subsidised_work": "employed",
                "work_trial": "employed",
                "degree_education": "education",
                "other_education": "education",
                "rehabilitation_or_sickness_benefit": "rehabilitation",
                "disability_pension": "rehabilitation",
                "moved_away": "moved_away",
            }.get(self.exit_kind(client, spell), "other")
        else:
            reason = rng.choices(
                ("goals_met", "client_withdrew", "rehabilitation", "other"), (40, 15, 20, 25)
            )[0]
        ended = stop if stop <= self.last else None
        case_worker = self.worker(EMPLOYMENT_AREA_KEY)
        if case_worker is None:
            return None
        members = [(case_worker, EMPLOYMENT_AREA_KEY, self.roles[case_worker])]
        for org, share in ((SOCIAL_WORK_KEY, 1.0), (KELA_KEY, 0.6)):
            who = self.worker(org)
            if who is not None and rng.random() < share:
                members.append((who, org, self.roles[who]))
        if len({m[1] for m in members}) < 2:
            return None
        self.out.joint_services.append(
            SynthJointService(
                key=len(self.out.joint_services),
                client_key=client,
                started_on=_D(start),
                ended_on=_D(ended) if ended is not None else None,
                end_reason=reason if ended is not None else "",
                started_by=case_worker,
                members=tuple(members),
            )
        )
        self.windows[client].append((EMPLOYMENT_AREA_KEY, case_worker, start, ended))
        self.assessment(client, EMPLOYMENT_AREA_KEY, case_worker, start)
        youth = self.age(client, start) < 30 and start >= date(2025, 1, 1).toordinal()
        self.plan(
            client=client,
            kind="youth" if youth else "multisectoral",
            org=EMPLOYMENT_AREA_KEY,
            agreed=_weekday(start + rng.randint(7, 28)),
            closed=ended,
            author=case_worker,
        )
        participants = ", ".join(self.names[m[0]] for m in members)
        day = start
        for i in range(4):
            day = _weekday(day + (0 if i == 0 else rng.randint(60, 120)))
            if day > (ended if ended is not None else self.last):
                break
            self.out.appointments.append(
                SynthAppointment(
                    client,
                    EMPLOYMENT_AREA_KEY,
                    None,
                    self.at(day, 8, 14),
                    law_names.joint_meeting_name(_D(day)),
                    participants,
                    case_worker,
                )
            )
            if i == 0 or rng.random() < 0.3:
                self.note(client, EMPLOYMENT_AREA_KEY, case_worker, "joint_team", "joint", day)
        if ended is None:
            # A running joint service has its next team meeting booked in the coming
            # three weeks. Placed without the random stream, so that the rest of the
            # activity (and its calibration) is the same whatever the day.
            ahead = _weekday(self.last + 1 + (client * 7 + start) % 19)
            minute = 8 * 60 + (client * 13 + start) % 13 * 30
            self.out.appointments.append(
                SynthAppointment(
                    client,
                    EMPLOYMENT_AREA_KEY,
                    None,
                    datetime.combine(_D(ahead), time(minute // 60, minute % 60), tzinfo=HELSINKI),
                    law_names.joint_meeting_name(_D(ahead)),
                    participants,
                    case_worker,
                )
            )
        if rng.random() < 0.5:
            # Soite's social worker in the team records the client's consent to
            # disclose social welfare data to the employment area
            social = next((m[0] for m in members if m[1] == SOCIAL_WORK_KEY), None)
            if social is not None:
                self.consent(
                    client, SOCIAL_WORK_KEY, EMPLOYMENT_AREA_KEY, "social", start, social,
                    purpose="Monialainen palvelutarpeen arvio ja työllistymissuunnitelma",
                    given_how="orally",
                    reference=law_names.joint_start_meeting_name(_D(start)),
                )  # fmt: skip
        return _Interval(start, ended)

    def service_period(
        self, code: str, months: tuple[int, int], from_orgs: Sequence[tuple[str, int]]
    ) -> Callable[[int, int, int], _Interval | None]:
        def start_one(client: int, sent: int, start: int) -> _Interval | None:
            rng = self.rng
            from_org = rng.choices([o for o, _w in from_orgs], [w for _o, w in from_orgs])[0]
            sent = _weekday(start - rng.randint(10, 40), back=True)
            if self.spell_on(client, sent) is None:
                return None
            stop, _why = self.planned_end(client, start, months)
            stop = _weekday(stop)
            receiver = self.worker(SERVICE_PROVIDER[code])
            ref = self.referral(
                client=client,
                code=code,
                sent=sent,
                fate=COMPLETED,
                from_org=from_org,
                receiver=receiver,
                appointment=start,
                close=stop,
                follow_ups=4,
            )
            if ref.first_appointment_at is None:
                return None
            self.windows[client].append((SERVICE_PROVIDER[code], receiver, start, stop))
            if rng.random() < 0.4:
                self.note(
                    client, SERVICE_PROVIDER[code], receiver, "own_organisation", "social", start
                )
            closed = ref.closed_at
            return _Interval(
                start, closed.astimezone(HELSINKI).date().toordinal() if closed else None
            )

        return start_one

    def completed_services(
        self,
        code: str,
        *,
        min_spell_days: int,
        lead: tuple[int, int],
        duration: tuple[int, int],
        from_orgs: Sequence[tuple[str, int]],
        concern_share: float = 0.0,
        prefer: Callable[[int, int], tuple[int, int] | None] | None = None,
        again_after: int = 730,
    ) -> None:
        """Year by year, referrals completed in the year: the completion day first,
        then the history backwards (sent, accepted, scheduled, first appointment)."""
        rng = self.rng
        final = self.region.generated_on.year
        windows: list[tuple[int, int, int, bool]] = []
        for year in self.years():
            if year >= FIRST_YEAR:
                lo, hi, share = self.year_window(year)
                windows.append((lo, hi, self.target(code, year, share, overlap=False), True))
        # Referrals under way on ``generated_on``: completions due in the coming weeks.
        ahead = lead[1] + duration[1]
        yearly = self.target(code, final, 1.0, overlap=False)
        windows.append((self.last + 1, self.last + ahead, round(yearly * ahead / 365), False))
        done = self.last_done[code]
        for lo, hi, need, counted in windows:
            misses = 0
            while need > 0 and misses < 50:
                wait, length = rng.randint(*lead), rng.randint(*duration)
                found = None
                preferred = prefer(lo, hi) if prefer is not None else None
                if preferred is not None and preferred[1] <= self.last:
                    c = _snap(preferred[1] + wait + length, lo, hi)
                    if lo <= c <= hi and c - preferred[1] >= 8:
                        found = (preferred[0], preferred[1], c)
                if found is None:
                    found = self.pick(
                        lo,
                        hi,
                        lead=wait + length,
                        min_spell_days=min_spell_days,
                        accept=lambda c, d: d - done.get(c, -(10**6)) > again_after,
                    )
                if found is None:
                    misses += 1
                    continue
                client, sent, close = found
                close = _snap(close, lo, hi)
                if not lo <= close <= hi or close - sent < 8:
                    misses += 1
                    continue
                appointment = close if length == 0 else _weekday(close - length, back=True)
                appointment = max(appointment, sent + 7)
                from_org = rng.choices([o for o, _w in from_orgs], [w for _o, w in from_orgs])[0]
                ref = self.referral(
                    client=client,
                    code=code,
                    sent=sent,
                    fate=COMPLETED,
                    from_org=from_org,
                    appointment=_weekday(appointment),
                    close=close,
                    concern=rng.random() < concern_share,
                    follow_ups=0 if length == 0 else 3,
                )
                need -= 1
                done[client] = close
                if not counted:
                    continue
                if ref.status != COMPLETED:
                    raise AssertionError(f"{code}: a quota referral did not complete")
                closed_on = ref.moves[-1].at.astimezone(HELSINKI).date().toordinal()
                if not lo <= closed_on <= hi:
                    raise AssertionError(f"{code}: completed outside its year")
                self.after_completed(ref, closed_on)
                if rng.random() < _FAILED_SHARE:
                    self.failed_referral(code, lo, hi, min_spell_days)

    def after_completed(self, ref: SynthReferral, day: int) -> None:
        receiver = ref.moves[-1].actor
        if ref.service_code == "health_check":
            self.note(ref.client_key, HEALTH_KEY, receiver, "health_only", "health", day)
            if ref.work_ability_concern:
                self.concerns.append((day, ref.client_key))
            if self.rng.random() < 0.5:
                self.consent(
                    ref.client_key, HEALTH_KEY, ref.from_org, "health", day, receiver,
                    purpose="Työkyvyn arviointi ja palvelujen suunnittelu",
                    given_how="in_writing",
                    reference="Suostumuslomake, työttömän terveystarkastus",
                )  # fmt: skip
        elif ref.service_code == "work_ability_assessment":
            self.windows[ref.client_key].append((SOCIAL_WORK_KEY, receiver, day - 60, day))
            self.assessment(ref.client_key, SOCIAL_WORK_KEY, receiver, day, low=True)

    def concern_first(self, lo: int, hi: int) -> tuple[int, int] | None:
        """A client whose health check found a work-ability concern in the previous
        months and who is still unemployed: about 40 % of the assessments start so."""
        if self.rng.random() > 0.4:
            return None
        i = bisect.bisect_left(self.concerns, (lo - 240, -1))
        j = bisect.bisect_left(self.concerns, (hi - 120, -1))
        if j <= i:
            return None
        day, client = self.concerns[self.rng.randrange(i, j)]
        sent = _weekday(day + self.rng.randint(7, 60))
        done = self.last_done["work_ability_assessment"]
        if day - done.get(client, -(10**6)) < 730 or self.spell_on(client, sent) is None:
            return None
        return client, sent

    def other_referrals(self) -> None:
        rng = self.rng
        for year in self.years():
            if year < FIRST_YEAR:
                continue
            lo, hi, share = self.year_window(year)
            for code, per_year in OTHER_REFERRALS_PER_YEAR.items():
                growth = (
                    1.0
                    + 0.04 * (year - 2023)
                    + (0.3 if code == "youth_guidance" and year >= 2025 else 0)
                )
                for _ in range(round(per_year * growth * share * self.scale)):
                    young = code == "youth_guidance"
                    found = self.pick(
                        lo, hi, min_spell_days=60 if young else 180, max_age=29 if young else 64
                    )
                    if found is None:
                        continue
                    client, sent, _ = found
                    from_org = (
                        MENTAL_HEALTH_KEY if code == "ips_job_coaching" else EMPLOYMENT_AREA_KEY
                    )
                    u = rng.random()
                    fate = (
                        COMPLETED
                        if u < 0.7
                        else NOT_COMPLETED
                        if u < 0.82
                        else DECLINED
                        if u < 0.9
                        else CANCELLED
                    )
                    appointment = _weekday(sent + rng.randint(5, 30))
                    close = _weekday(appointment + rng.randint(30, 240))
                    ref = self.referral(
                        client=client,
                        code=code,
                        sent=sent,
                        fate=fate,
                        from_org=from_org,
                        appointment=appointment,
                        close=close,
                        follow_ups=2,
                    )
                    if young and ref.first_appointment_at is not None and rng.random() < 0.4:
                        self.plan(
                            client=client,
                            kind="youth",
                            org=OHJAAMO_KEY,
                            agreed=_weekday(appointment + rng.randint(0, 14)),
                            closed=close if fate == COMPLETED else appointment + 30,
                            referral_keys=(ref.key,),
                        )

    # --- records ------------------------------------------------------------------

    def assessment(
        self, client: int, org: str, who: str | None, day: int, *, low: bool = False
    ) -> None:
        rng = self.rng
        base = rng.gauss(3.1, 0.6)
        ratings = []
        for domain in ASSESSMENT_DOMAINS:
            value = base + rng.gauss(0, 0.8)
            if low and domain in ("work_ability", "physical_health", "mental_health"):
                value -= 1.3
            ratings.append((domain, min(5, max(1, round(value)))))
        self.out.assessments.append(
            SynthAssessment(client, org, _D(day), who, self.at(day), tuple(ratings))
        )

    def note(
        self, client: int, org: str, who: str | None, visibility: str, text: str, day: int
    ) -> None:
        if day > self.last:
            return
        self.out.notes.append(
            SynthNote(
                client,
                org,
                who,
                self.roles.get(who or "", ""),
                visibility,
                self.rng.choice(_NOTE_TEXTS[text]).replace(
                    "{team}", law_names.joint_meeting_name(_D(day))
                ),
                self.at(day, 9, 16),
            )
        )

    def consent(
        self,
        client: int,
        controller: str,
        recipient: str,
        data_class: str,
        day: int,
        who: str | None,
        *,
        purpose: str,
        given_how: str,
        reference: str,
    ) -> None:
        if day > self.last:
            return
        given = _D(day)
        self.out.consents.append(
            SynthConsent(
                client_key=client,
                controller=controller,
                recipient=recipient,
                data_classes=(data_class,),
                purpose=purpose,
                valid_from=given,
                valid_to=_D(day + 730),
                given_how=given_how,
                given_reference=f"{reference} {given.day}.{given.month}.{given.year}",
                recorded_by=who,
            )
        )

    def outcomes(self) -> None:
        """When a client's spell ends during case work (or soon after it), the
        organisation that worked with them records where they went, and follows up
        at 3, 6 and 12 months."""
        rng = self.rng
        first = date(FIRST_YEAR, 1, 1).toordinal()
        for client in sorted(self.windows):
            windows = self.windows[client]
            spells = self.spells[client]
            for i, spell in enumerate(spells):
                if spell.end is None or spell.end < first or spell.end >= self.last:
                    continue
                match = next(
                    (
                        w
                        for w in windows
                        if w[2] <= spell.end
                        and (w[3] is None or w[3] + _AFTERCARE_DAYS >= spell.end)
                    ),
                    None,
                )
                if match is None:
                    continue
                kind = self.exit_kind(client, spell)
                occurred = spell.end + 1
                again = spells[i + 1].start if i + 1 < len(spells) else None
                follow: list[str] = []
                for months in FOLLOW_UP_MONTHS:
                    due = _add_months(occurred, months)
                    if due > self.last:
                        follow.append("")
                    elif again is not None and again <= due:
                        follow.append("unemployed_again")
                    elif kind in (
                        "disability_pension",
                        "rehabilitation_or_sickness_benefit",
                        "moved_away",
                    ):
                        follow.append("continues")
                    else:
                        follow.append(
                            rng.choices(("continues", "changed_positive", "unknown"), (75, 15, 10))[
                                0
                            ]
                        )
                self.out.outcomes.append(
                    SynthOutcome(
                        client_key=client,
                        org=match[0],
                        kind=kind,
                        occurred_on=_D(occurred),
                        note=_OUTCOME_NOTES.get(kind, ""),
                        follow_ups=(follow[0], follow[1], follow[2]),
                        recorded_by=match[1],
                    )
                )

    # --- the whole -------------------------------------------------------------------

    def run(self) -> Activity:
        self.rehab_activation()
        self.quota_periods("activation", self.start_activation, min_spell_days=lambda _y: 300)
        self.quota_periods("joint_service", self.start_joint_service, min_spell_days=lambda _y: 270)
        self.completed_services(
            "health_check",
            min_spell_days=30,
            lead=(10, 50),
            duration=(0, 0),
            from_orgs=((EMPLOYMENT_AREA_KEY, 75), (SOCIAL_WORK_KEY, 25)),
            concern_share=0.28,
        )
        self.concerns.sort()
        self.completed_services(
            "work_ability_assessment",
            min_spell_days=365,
            lead=(14, 45),
            duration=(30, 110),
            from_orgs=((EMPLOYMENT_AREA_KEY, 70), (HEALTH_KEY, 30)),
            prefer=self.concern_first,
        )
        self.quota_periods(
            "social_guidance",
            self.service_period(
                "social_guidance", (3, 9), ((EMPLOYMENT_AREA_KEY, 80), (HEALTH_KEY, 20))
            ),
            min_spell_days=lambda _y: 180,
        )
        self.quota_periods(
            "social_rehabilitation",
            self.service_period(
                "social_rehabilitation",
                (3, 12),
                ((EMPLOYMENT_AREA_KEY, 60), (MENTAL_HEALTH_KEY, 40)),
            ),
            min_spell_days=lambda _y: 365,
        )
        self.other_referrals()
        self.outcomes()
        return self.out


def generate_activity(region: Region) -> Activity:
    """Case work for ``region``; the same region always gives the same activity."""
    return _Generator(region).run()


def year_counts(activity: Activity, year: int) -> dict[str, int]:
    """The generator's own view of a year's figures, in the report's terms (used by
    ``bench/`` and the tests to compare with what the database gives)."""
    lo, hi = date(year, 1, 1), date(year, 12, 31)

    def overlaps(start: date | None, end: date | None) -> bool:
        return start is not None and start <= hi and (end is None or end >= lo)

    def local(moment: datetime | None) -> date | None:
        return moment.astimezone(HELSINKI).date() if moment is not None else None

    in_service: dict[str, set[int]] = defaultdict(set)
    done: dict[str, int] = defaultdict(int)
    for r in activity.referrals:
        if r.status in (SCHEDULED, COMPLETED) and overlaps(
            local(r.first_appointment_at), local(r.closed_at)
        ):
            in_service[r.service_code].add(r.client_key)
        closed = local(r.closed_at)
        if r.status == COMPLETED and closed is not None and lo <= closed <= hi:
            done[r.service_code] += 1
    return {
        "joint_service_clients": len(
            {j.client_key for j in activity.joint_services if overlaps(j.started_on, j.ended_on)}
        ),
        "activation_clients": len(
            {
                p.client_key
                for p in activity.plans
                if p.kind == "activation" and overlaps(p.agreed_on, p.closed_on)
            }
        ),
        "social_guidance_clients": len(in_service["social_guidance"]),
        "social_rehabilitation_clients": len(in_service["social_rehabilitation"]),
        "health_checks": done["health_check"],
        "work_ability_assessments": done["work_ability_assessment"],
    }


__all__ = ["Activity", "generate_activity", "year_counts"]
