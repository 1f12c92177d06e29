"""An initiative's path: submitted → in preparation → answered by the board → noted by
the council and handled. Illegal moves are refused with a coded error, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silta.audit.models import ChangeLog
from silta.core import dates
from silta.initiatives.errors import InitiativeError as E
from silta.initiatives.models import Initiative, InitiativeStatus
from silta.initiatives.selectors import initiative_list_for
from silta.initiatives.services import (
    initiative_answer_write,
    initiative_board_answer,
    initiative_council_note,
    initiative_send_to_preparation,
    initiative_submit,
)
from silta.initiatives.workflow import ALLOWED

pytestmark = pytest.mark.django_db
TODAY = dates.today


def _prepare(cast, initiative):
    return initiative_send_to_preparation(
        actor=cast["manager"], initiative=initiative, preparers=[(cast["preparer"], "sosiaalijohtaja")],
        deadline=TODAY() + dt.timedelta(days=30), on=TODAY() - dt.timedelta(days=60),
    )  # fmt: skip


def _answer(cast, initiative):
    return initiative_answer_write(
        actor=cast["preparer"], initiative=initiative, answer="Vastaus kysymyksiin.",
        version=initiative.version,
    )  # fmt: skip


def _board(cast, initiative, **kw):
    args = {"meeting": "Aluehallitus", "meeting_on": TODAY() - dt.timedelta(days=10),
            "section": 77, "decision": "Esitys hyväksyttiin."}  # fmt: skip
    args.update(kw)
    return initiative_board_answer(actor=cast["manager"], initiative=initiative, **args)


def _council(cast, initiative, **kw):
    args = {"meeting": "Aluevaltuusto", "meeting_on": TODAY(), "section": 13}
    args.update(kw)
    return initiative_council_note(actor=cast["manager"], initiative=initiative, **args)


def _code(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    err = exc.value
    if hasattr(err, "error_dict"):
        return {e.code for errs in err.error_dict.values() for e in errs}
    return {err.code}


def test_the_status_machine_is_data() -> None:
    S = InitiativeStatus
    assert ALLOWED[S.SUBMITTED] == {S.IN_PREPARATION}
    assert ALLOWED[S.IN_PREPARATION] == {S.ANSWERED}
    assert ALLOWED[S.ANSWERED] == {S.HANDLED}
    assert ALLOWED[S.HANDLED] == frozenset()


def test_the_whole_path_writes_moves_and_change_log(cast, initiative) -> None:
    # given a submitted initiative, when it is prepared, answered and noted
    _prepare(cast, initiative)
    initiative.refresh_from_db()
    _answer(cast, initiative)
    _board(cast, initiative)
    done = _council(cast, initiative)
    # then it is handled, each move recorded with its actor, each write change-logged
    assert done.status == InitiativeStatus.HANDLED
    assert [m.new_status for m in done.moves.all()] == [
        "submitted", "in_preparation", "answered", "handled",
    ]  # fmt: skip
    assert done.moves.last().actor == cast["manager"]
    events = list(
        ChangeLog.objects.filter(target_id=str(initiative.pk)).values_list("event", flat=True)
    )
    assert events == [
        "initiative.submitted", "initiative.sent_to_preparation", "initiative.answer_written",
        "initiative.answered", "initiative.handled",
    ]  # fmt: skip
    assert done.preparers.get().title == "sosiaalijohtaja"
    assert done.age_days(TODAY()) == 90


def test_no_answer_before_preparation(cast, initiative) -> None:
    with pytest.raises(ValidationError) as exc:
        _board(cast, initiative)
    assert _code(exc) == {E.NOT_IN_PREPARATION}
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED and initiative.board_section is None


def test_no_handling_before_the_boards_decision(cast, initiative) -> None:
    with pytest.raises(ValidationError) as exc:
        _council(cast, initiative)
    assert _code(exc) == {E.NOT_ANSWERED}
    _prepare(cast, initiative)
    with pytest.raises(ValidationError) as exc:
        _council(cast, initiative)
    assert _code(exc) == {E.NOT_ANSWERED}
    assert Initiative.objects.get().council_section is None


def test_an_initiative_is_answered_once(cast, initiative) -> None:
    _prepare(cast, initiative)
    initiative.refresh_from_db()
    _answer(cast, initiative)
    _board(cast, initiative)
    with pytest.raises(ValidationError) as exc:
        _board(cast, initiative, section=78, decision="Toinen päätös")
    assert _code(exc) == {E.ALREADY_ANSWERED}
    initiative.refresh_from_db()
    assert initiative.board_section == 77
    assert ChangeLog.objects.filter(event="initiative.answered").count() == 1


def test_the_board_needs_a_written_answer_and_a_valid_meeting(cast, initiative) -> None:
    _prepare(cast, initiative)
    with pytest.raises(ValidationError) as exc:
        _board(cast, initiative, meeting=" ", section=0, meeting_on=TODAY() + dt.timedelta(days=1))
    assert _code(exc) == {E.ANSWER_MISSING, E.REQUIRED, E.SECTION_NUMBER, E.DATE_IN_FUTURE}
    assert Initiative.objects.get().status == InitiativeStatus.IN_PREPARATION


def test_bad_submission_and_preparation_are_refused(cast, initiative) -> None:
    with pytest.raises(ValidationError) as exc:
        initiative_submit(
            actor=cast["manager"], organisation=cast["soite"], title="", council_group="",
            submitted_on=TODAY() + dt.timedelta(days=1), submitters="", text="",
        )  # fmt: skip
    assert _code(exc) == {E.REQUIRED, E.DATE_IN_FUTURE}
    # a preparer from another organisation, a deadline before the start, nobody named
    with pytest.raises(ValidationError) as exc:
        initiative_send_to_preparation(
            actor=cast["manager"], initiative=initiative, preparers=[(cast["reader"], "")],
            deadline=TODAY() - dt.timedelta(days=80), on=TODAY() - dt.timedelta(days=60),
        )  # fmt: skip
    assert _code(exc) == {E.PREPARER_INVALID, E.DATES_ORDER}
    with pytest.raises(ValidationError) as exc:
        initiative_send_to_preparation(
            actor=cast["manager"], initiative=initiative, preparers=[],
            deadline=TODAY(),
        )  # fmt: skip
    assert _code(exc) == {E.REQUIRED}
    assert Initiative.objects.count() == 1
    assert Initiative.objects.get().status == InitiativeStatus.SUBMITTED


def test_only_the_preparing_organisations_manager_moves_it(cast, initiative) -> None:
    for actor in (cast["other_manager"], cast["reader"], cast["preparer"]):
        with pytest.raises(PermissionDenied):
            initiative_send_to_preparation(
                actor=actor, initiative=initiative, preparers=[(cast["preparer"], "")],
                deadline=TODAY(),
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        initiative_submit(
            actor=cast["other_manager"], organisation=cast["soite"], title="X",
            submitted_on=TODAY(), council_group="X", submitters="", text="X",
        )  # fmt: skip


def test_only_named_preparers_write_the_answer(cast, initiative) -> None:
    _prepare(cast, initiative)
    initiative.refresh_from_db()
    with pytest.raises(PermissionDenied):
        initiative_answer_write(
            actor=cast["reader"], initiative=initiative, answer="x", version=initiative.version
        )
    # a stale version is refused
    with pytest.raises(ValidationError) as exc:
        initiative_answer_write(
            actor=cast["preparer"], initiative=initiative, answer="x", version=1
        )
    assert _code(exc) == {E.STALE}


def test_open_list_shows_age_and_overdue(cast, initiative) -> None:
    initiative_send_to_preparation(
        actor=cast["manager"], initiative=initiative, preparers=[(cast["preparer"], "")],
        deadline=TODAY() - dt.timedelta(days=1), on=TODAY() - dt.timedelta(days=60),
    )  # fmt: skip
    rows = initiative_list_for(actor=cast["reader"])
    assert [(r.age_days, r.overdue) for r in rows] == [(90, True)]
    assert initiative_list_for(actor=cast["provider"]) == []
