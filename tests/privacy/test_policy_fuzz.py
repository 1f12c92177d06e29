"""Random organisations' relationships, joint service teams and consents (hypothesis):
no client-work user ever reads a case-work record the policy table does not allow,
and every record it allows shows in the API."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.privacy import world as W
from tests.privacy.test_policy_matrix import _exact_surfaces, _expect, _reads

from silta.accounts.roles import Role
from silta.privacy.policy import CONSENT_CLASSES, Action

ORGS = sorted(W.ORG_KINDS)


@st.composite
def scenarios(draw: st.DrawFn) -> W.Scenario:
    state = {o: draw(st.sampled_from(["active", "ended", "none"])) for o in ORGS}
    active = {o for o, s in state.items() if s == "active"}
    ended = {o for o, s in state.items() if s == "ended"}
    team = draw(st.sets(st.sampled_from(ORGS))) & active
    consents = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ORGS), st.sampled_from(ORGS), st.sampled_from(CONSENT_CLASSES)
            ),
            max_size=6,
        )
    )
    return W.Scenario(
        active=active,
        ended=ended,
        team=team,
        consents=[(a, b, c) for a, b, c in consents if a != b],
    )


@pytest.mark.django_db
def test_no_user_sees_a_record_the_table_does_not_allow(region) -> None:
    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        scenario=scenarios(),
        roles=st.sets(st.sampled_from(sorted(W.CLIENT_WORK)), min_size=1, max_size=2),
    )
    def check(scenario: W.Scenario, roles: set[str]) -> None:
        sid = transaction.savepoint()
        try:
            w = W.build(region, scenario, roles=sorted(roles))
            for user, org, role in w.viewers:
                http = HttpClient()
                http.force_login(user)
                seen = _reads(http, w)
                every = "\n".join(seen.values())
                for record, marker in w.records:
                    expected = _expect(w, Role(role), org, record, Action.READ)
                    if not expected:
                        assert marker not in every, (scenario, role, org, marker)
                    for surface in _exact_surfaces(record):
                        if surface != "page":
                            assert (marker in seen[surface]) == expected, (
                                scenario,
                                role,
                                org,
                                marker,
                            )
        finally:
            transaction.savepoint_rollback(sid)

    check()
