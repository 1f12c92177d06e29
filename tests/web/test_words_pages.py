"""Words on the pages that showed codes (issue 18 items 3-4): a referral's sender and
recipient, its status history and shared data in words, accepting as a primary and
declining as a danger button; the case file's access basis in words."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.casework.services import referral_move, referral_send
from silta.web.words import basis_text, role_text, section_text


@pytest.mark.django_db
def test_a_referral_reads_in_words_and_declining_is_a_danger_button(region) -> None:
    cast = factories.two_organisations(region["272"])
    referral = referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    http = HttpClient()
    http.force_login(cast["nurse"])
    body = http.get(f"/referrals/{referral.pk}/").content.decode()
    assert "<dt>Lähettäjä</dt>" in body and "<dt>Vastaanottaja</dt>" in body
    assert "Alkaen" not in body and "Päättyen" not in body
    assert "<dd>Ei sosiaali- tai terveystietoja</dd>" in body
    decline = re.search(r'<button type="submit"[^>]*>Muuta tilaksi: Ei hyväksytty</button>', body)
    accept = re.search(r'<button type="submit"[^>]*>Muuta tilaksi: Hyväksytty</button>', body)
    assert decline and 'class="danger"' in decline.group(0)
    assert accept and 'class="primary"' in accept.group(0)
    # the status history says the status in words
    referral_move(
        actor=cast["nurse"],
        referral=referral,
        to_status="accepted",
        version=referral.version,
    )
    body = http.get(f"/referrals/{referral.pk}/").content.decode()
    history = body[body.index('id="history-heading"') :]
    assert "Hyväksytty" in history and "accepted" not in history
    # the sender's case file names the access basis in words
    http.force_login(cast["worker"])
    case = http.get(f"/clients/{cast['client'].pk}/casework/").content.decode()
    assert "client_relationship" not in case and "own_organisation" not in case
    assert "<code>" not in case


def test_codes_in_words_never_show_the_code() -> None:
    from django.utils import translation

    with translation.override("fi"):
        assert basis_text("client_relationship:jobseeker;own_organisation") == (
            "Asiakkuus: Työllisyyspalvelujen työnhakija-asiakas; Organisaation oma asiakasrekisteri"
        )
        assert basis_text("consent:1234") == "Asiakkaan suostumus"
        assert basis_text("made_up:thing") == "Muu kirjattu peruste"
        assert section_text("client_page:identity,contacts") == (
            "Asiakkaan sivu: henkilöllisyys, yhteystiedot"
        )
        assert section_text("nobody_knows:this") == "Asiakastiedot"
        assert role_text("case_worker") == "Työllisyysasiantuntija"
        assert role_text("no_such_role") == "Työntekijä"
    with translation.override("sv"):
        assert basis_text("task:work_ability_network") == "Nätverkets uppdrag för arbetsförmåga"


def test_an_indicator_named_by_silta_reads_in_the_readers_language() -> None:
    from django.utils import translation

    from silta.web.words import in_reader_language, indicator_title

    with translation.override("sv"):
        shown = indicator_title("Monialaisen yhteistyön asiakkaat", "joint_service_clients")
        assert shown and "Monialaisen" not in shown
        assert in_reader_language("TYM-johtoryhmän kokoukset") == "TYM-ledningsgruppens möten"
        # the agreement's own words stay as they are
        assert in_reader_language("Kokkolan oma tavoite") == "Kokkolan oma tavoite"
        assert indicator_title("Oma mittari", "joint_service_clients") == "Oma mittari"
