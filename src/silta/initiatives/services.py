"""Every write of council initiatives: keyword-only, validated, one transaction,
change-logged. Each status move also writes an ``InitiativeStatusChange`` row.

Services check the actor's right themselves (``policies.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.audit.services import change_log_write, model_changes, snapshot
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.initiatives import workflow
from silta.initiatives.errors import InitiativeError as E
from silta.initiatives.figures import council_answer_figures
from silta.initiatives.models import (
    Initiative,
    InitiativeStatus,
    InitiativeStatusChange,
    Preparer,
)
from silta.initiatives.policies import (
    can_be_preparer,
    can_prepare,
    initiative_manager,
    organisation_manager,
)

Errors = dict[str, list[ValidationError]]
S = InitiativeStatus

SUBMIT_FIELDS = (
    "title", "submitted_on", "council_group", "submitters", "text", "questions",
    "record_number",
)  # fmt: skip
BOARD_FIELDS = ("status", "board_meeting", "board_meeting_on", "board_section", "board_decision")
COUNCIL_FIELDS = (
    "status", "council_meeting", "council_meeting_on", "council_section", "council_decision",
)  # fmt: skip


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _deny() -> PermissionDenied:
    return PermissionDenied(E.NO_ACCESS.value)


def _locked(initiative: Initiative) -> Initiative:
    """The initiative's row, locked for this transaction (two answers cannot race)."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _move(*, actor: User, initiative: Initiative, to: str) -> None:
    old = initiative.status
    if not workflow.can_move(old, to):
        raise ValidationError(
            _("An initiative cannot move from %(old)s to %(new)s.")
            % {"old": S(old).label, "new": S(to).label},
            code=E.ILLEGAL_MOVE,
        )
    initiative.status = to
    InitiativeStatusChange.objects.create(
        initiative=initiative, old_status=old, new_status=to, actor=actor, at=dates.now()
    )


def _meeting_errors(
    errors: Errors, *, meeting: str, meeting_on: dt.date | None, section: int | None
) -> None:
    if not meeting.strip():
        _err(errors, "meeting", _("Name the meeting."), E.REQUIRED)
    if meeting_on is None:
        _err(errors, "meeting_on", _("Give the date of the meeting."), E.REQUIRED)
    elif meeting_on > dates.today():
        _err(errors, "meeting_on", _("The meeting date cannot be in the future."), E.DATE_IN_FUTURE)
    if section is None or not 1 <= section <= 9999:
        _err(errors, "section", _("Give the section (§) as a number 1–9999."), E.SECTION_NUMBER)


@transaction.atomic
def initiative_submit(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    submitted_on: dt.date,
    council_group: str,
    submitters: str,
    text: str,
    questions: str = "",
    record_number: str = "",
) -> Initiative:
    """Register an initiative a council group submitted."""
    if organisation_manager(actor, organisation) is None:
        raise _deny()
    errors: Errors = {}
    for name, value in (("title", title), ("council_group", council_group), ("text", text)):
        if not value.strip():
            _err(errors, name, _("Required."), E.REQUIRED)
    if submitted_on > dates.today():
        _err(errors, "submitted_on", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    _raise(errors)
    initiative = Initiative.objects.create(
        organisation=organisation, title=title.strip(), submitted_on=submitted_on,
        council_group=council_group.strip(), submitters=submitters.strip(), text=text.strip(),
        questions=questions.strip(), record_number=record_number.strip(),
    )  # fmt: skip
    InitiativeStatusChange.objects.create(
        initiative=initiative, old_status="", new_status=S.SUBMITTED, actor=actor, at=dates.now()
    )
    change_log_write(
        actor=actor,
        event="initiative.submitted",
        target=initiative,
        changes=model_changes(None, initiative, (*SUBMIT_FIELDS, "status")),
    )
    return initiative


@transaction.atomic
def initiative_send_to_preparation(
    *,
    actor: User,
    initiative: Initiative,
    preparers: Iterable[tuple[User, str]],
    deadline: dt.date,
    on: dt.date | None = None,
) -> Initiative:
    """The board sends the initiative for preparation to named preparers with a
    deadline."""
    if initiative_manager(actor, initiative) is None:
        raise _deny()
    initiative = _locked(initiative)
    named = list(dict.fromkeys((u, t.strip()) for u, t in preparers))
    sent_on = on or dates.today()
    errors: Errors = {}
    if initiative.status != S.SUBMITTED:
        _err(
            errors, "__all__",
            _("The initiative has already been sent for preparation."), E.ILLEGAL_MOVE,
        )  # fmt: skip
    if not named:
        _err(errors, "preparers", _("Name at least one preparer."), E.REQUIRED)
    bad = [u for u, _t in named if not can_be_preparer(u, initiative.organisation)]
    if bad:
        _err(
            errors, "preparers",
            _("A preparer must work in the preparing organisation: %(names)s.")
            % {"names": ", ".join(u.get_full_name() or u.username for u in bad)},
            E.PREPARER_INVALID,
        )  # fmt: skip
    if sent_on < initiative.submitted_on:
        _err(
            errors, "on", _("Preparation cannot start before the submission."), E.DATES_ORDER
        )  # fmt: skip
    if deadline < sent_on:
        _err(
            errors, "deadline",
            _("The deadline cannot be before the initiative was sent for preparation."),
            E.DATES_ORDER,
        )  # fmt: skip
    _raise(errors)
    _move(actor=actor, initiative=initiative, to=S.IN_PREPARATION)
    initiative.sent_to_preparation_on = sent_on
    initiative.deadline = deadline
    initiative.version += 1
    initiative.save()
    Preparer.objects.bulk_create(
        [Preparer(initiative=initiative, user=u, title=t) for u, t in named]
    )
    change_log_write(
        actor=actor,
        event="initiative.sent_to_preparation",
        target=initiative,
        changes={
            "status": [S.SUBMITTED, S.IN_PREPARATION],
            "sent_to_preparation_on": [None, sent_on.isoformat()],
            "deadline": [None, deadline.isoformat()],
            "preparers": [None, [str(u.pk) for u, _t in named]],
        },
    )
    return initiative


def _check_preparing(actor: User, initiative: Initiative, version: int | None) -> None:
    if not can_prepare(actor, initiative):
        raise _deny()
    if initiative.status != S.IN_PREPARATION:
        raise ValidationError(
            _("The answer can be written only while the initiative is in preparation."),
            code=E.NOT_IN_PREPARATION,
        )
    if version is not None and version != initiative.version:
        raise StaleEdit(
            _("Somebody else saved the answer meanwhile. Reload the page."), code=E.STALE
        )


@transaction.atomic
def initiative_answer_write(
    *, actor: User, initiative: Initiative, answer: str, version: int
) -> Initiative:
    """A preparer writes (or rewrites) the answer while the initiative is prepared."""
    initiative = _locked(initiative)
    _check_preparing(actor, initiative, version)
    before = snapshot(initiative, ("answer",))
    initiative.answer = answer.strip()
    initiative.version += 1
    initiative.save()
    change_log_write(
        actor=actor,
        event="initiative.answer_written",
        target=initiative,
        changes=model_changes(before, initiative, ("answer",)),
    )
    return initiative


@transaction.atomic
def initiative_figures_pull(*, actor: User, initiative: Initiative, year: int) -> Initiative:
    """Pull the region's current yearly figures (the council answer report) into the
    answer: a snapshot with the year, kept with the initiative."""
    initiative = _locked(initiative)
    _check_preparing(actor, initiative, None)
    try:
        values = council_answer_figures(year)
    except ValueError as exc:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("No figures for the year %(year)s.") % {"year": year}, code=E.YEAR_INVALID
                )
            }
        ) from exc
    before = snapshot(initiative, ("figures_year", "figures"))
    initiative.figures_year = year
    initiative.figures = values
    initiative.figures_pulled_at = dates.now()
    initiative.version += 1
    initiative.save()
    change_log_write(
        actor=actor,
        event="initiative.figures_pulled",
        target=initiative,
        changes=model_changes(before, initiative, ("figures_year", "figures")),
    )
    return initiative


@transaction.atomic
def initiative_board_answer(
    *,
    actor: User,
    initiative: Initiative,
    meeting: str,
    meeting_on: dt.date | None,
    section: int | None,
    decision: str,
) -> Initiative:
    """The board approves the answer (meeting, §, decision). Refused before the
    initiative has been prepared, without an answer, and a second time."""
    if initiative_manager(actor, initiative) is None:
        raise _deny()
    initiative = _locked(initiative)
    if initiative.status in {S.ANSWERED, S.HANDLED}:
        raise ValidationError(
            _("The board has already answered this initiative."), code=E.ALREADY_ANSWERED
        )
    if initiative.status != S.IN_PREPARATION:
        raise ValidationError(
            _("The initiative has not been sent for preparation: the board cannot answer it yet."),
            code=E.NOT_IN_PREPARATION,
        )
    errors: Errors = {}
    if not initiative.answer:
        _err(
            errors, "__all__", _("The preparers have not written the answer yet."), E.ANSWER_MISSING
        )
    _meeting_errors(errors, meeting=meeting, meeting_on=meeting_on, section=section)
    if not decision.strip():
        _err(errors, "decision", _("Write the board's decision."), E.REQUIRED)
    if (
        meeting_on is not None
        and initiative.sent_to_preparation_on
        and (meeting_on < initiative.sent_to_preparation_on)
    ):
        _err(
            errors, "meeting_on",
            _("The board cannot answer before the initiative was sent for preparation."),
            E.DATES_ORDER,
        )  # fmt: skip
    _raise(errors)
    before = snapshot(initiative, BOARD_FIELDS)
    _move(actor=actor, initiative=initiative, to=S.ANSWERED)
    initiative.board_meeting = meeting.strip()
    initiative.board_meeting_on = meeting_on
    initiative.board_section = section
    initiative.board_decision = decision.strip()
    initiative.version += 1
    initiative.save()
    change_log_write(
        actor=actor,
        event="initiative.answered",
        target=initiative,
        changes=model_changes(before, initiative, BOARD_FIELDS),
    )
    return initiative


@transaction.atomic
def initiative_council_note(
    *,
    actor: User,
    initiative: Initiative,
    meeting: str,
    meeting_on: dt.date | None,
    section: int | None,
    decision: str = "",
) -> Initiative:
    """The council notes the board's answer and declares the initiative handled.
    Refused before the board's decision and a second time."""
    if initiative_manager(actor, initiative) is None:
        raise _deny()
    initiative = _locked(initiative)
    if initiative.status == S.HANDLED:
        raise ValidationError(
            _("The council has already declared this initiative handled."),
            code=E.ALREADY_HANDLED,
        )
    if initiative.status != S.ANSWERED:
        raise ValidationError(
            _(
                "The board has not answered the initiative: the council cannot declare "
                "it handled yet."
            ),
            code=E.NOT_ANSWERED,
        )
    errors: Errors = {}
    _meeting_errors(errors, meeting=meeting, meeting_on=meeting_on, section=section)
    if (
        meeting_on is not None
        and initiative.board_meeting_on is not None
        and meeting_on < initiative.board_meeting_on
    ):
        _err(
            errors, "meeting_on",
            _("The council cannot note the answer before the board's meeting."),
            E.DATES_ORDER,
        )  # fmt: skip
    _raise(errors)
    before = snapshot(initiative, COUNCIL_FIELDS)
    _move(actor=actor, initiative=initiative, to=S.HANDLED)
    initiative.council_meeting = meeting.strip()
    initiative.council_meeting_on = meeting_on
    initiative.council_section = section
    initiative.council_decision = decision.strip()
    initiative.version += 1
    initiative.save()
    change_log_write(
        actor=actor,
        event="initiative.handled",
        target=initiative,
        changes=model_changes(before, initiative, COUNCIL_FIELDS),
    )
    return initiative
