"""The region's service catalogue as reference data (loaded by ``silta catalogue
load``; administrators edit it afterwards in the catalogue pages).

Each row: service code, names fi/sv/en, the providing organisation's key, the data
a referral carries, monthly capacity, target waiting time in days. Capacities follow
the 2023 volumes of DOMAIN.md §4 (for example 250 health checks a year by one nurse).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    provider_key: str
    data_class: str
    monthly_capacity: int
    target_wait_days: int


SOCIAL = "soite-adult-social-work"
HEALTH = "soite-health-services"
EMPLOYMENT = "kokkola-employment-area"

# fmt: off
SERVICES: tuple[ServiceRow, ...] = (
    ServiceRow("social_work", "Aikuissosiaalityö", "Socialt arbete för vuxna",
               "Adult social work", SOCIAL, "social", 60, 14),
    ServiceRow("social_guidance", "Sosiaaliohjaus", "Socialhandledning",
               "Social guidance", SOCIAL, "social", 15, 14),
    ServiceRow("social_rehabilitation", "Sosiaalinen kuntoutus", "Social rehabilitering",
               "Social rehabilitation", SOCIAL, "social", 15, 21),
    ServiceRow("rehabilitative_work_activity", "Kuntouttava työtoiminta",
               "Arbetsverksamhet i rehabiliteringssyfte", "Rehabilitative work activity",
               SOCIAL, "social", 40, 30),
    ServiceRow("mental_health_substance", "Mielenterveys- ja päihdepalvelut",
               "Mentalvårds- och missbrukartjänster", "Mental health and substance services",
               "soite-mental-health-substance", "health", 40, 14),
    ServiceRow("health_check", "Työttömien terveystarkastus", "Hälsokontroll för arbetslösa",
               "Unemployed health check", HEALTH, "health", 25, 30),
    ServiceRow("work_ability_assessment", "Työ- ja toimintakyvyn arviointi",
               "Bedömning av arbets- och funktionsförmåga", "Work ability assessment",
               SOCIAL, "health", 12, 30),
    ServiceRow("doctor_appointment", "Lääkärin vastaanotto", "Läkarmottagning",
               "Doctor's appointment", HEALTH, "health", 30, 14),
    ServiceRow("ips_job_coaching", "IPS-työhönvalmennus", "IPS-arbetscoachning",
               "IPS job coaching", "soite-ips", "health", 10, 21),
    ServiceRow("youth_guidance", "Ohjaamo – nuorten monialainen tuki",
               "Ohjaamo – sektorsövergripande stöd för unga",
               "Ohjaamo youth one-stop guidance", "soite-ohjaamo", "social", 30, 7),
    ServiceRow("housing_advice", "Asumisneuvonta", "Boenderådgivning", "Housing advice",
               "kokkola", "social", 20, 14),
    ServiceRow("debt_advice", "Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning",
               "Financial and debt advice", SOCIAL, "social", 15, 30),
    ServiceRow("integration_services", "Kotoutumispalvelut", "Integrationstjänster",
               "Integration services", EMPLOYMENT, "none", 20, 14),
)
# fmt: on


# --- who receives the work ability path's applications (issue 16) -----------------


@dataclass(frozen=True)
class ReceiverRow:
    key: str
    kind: str
    name_fi: str
    name_sv: str
    name_en: str
    business_id: str
    application_kinds: tuple[str, ...]
    typical_decision_days: int
    source: str


KELA_KINDS = (
    "kela_rehabilitation",
    "rehabilitation_allowance",
    "rehabilitation_subsidy",
    "disability_pension",
    "partial_disability_pension",
)
PENSION_KINDS = (
    "pension_rehabilitation",
    "rehabilitation_allowance",
    "rehabilitation_subsidy",
    "disability_pension",
    "partial_disability_pension",
)
_ETK = (
    "TELP, Työkyvyttömyyseläkehakemusten hylkäysprosentit ja eläkehakemusten "
    "käsittelyajat 2023 ensimmäisessä kvartaalissa (telp.fi, 2023): keskimäärin 43 "
    "päivää yksityisellä ja 41 julkisella sektorilla"
)
_KELA = "Arvio 45 päivää (ei varmistettu Kelan julkaisemista käsittelyajoista)"

# A receiver has no Silta login; business IDs are left for the administrator (YTJ).
# fmt: off
RECEIVERS: tuple[ReceiverRow, ...] = (
    ReceiverRow("kela", "kela", "Kela", "FPA", "Kela (Social Insurance Institution)",
                "", KELA_KINDS, 45, _KELA),
    ReceiverRow("ilmarinen", "pension_provider", "Keskinäinen Eläkevakuutusyhtiö Ilmarinen",
                "Ömsesidiga Pensionsförsäkringsbolaget Ilmarinen",
                "Ilmarinen Mutual Pension Insurance Company", "", PENSION_KINDS, 43,
                _ETK),
    ReceiverRow("elo", "pension_provider", "Keskinäinen Työeläkevakuutusyhtiö Elo",
                "Ömsesidiga Arbetspensionsförsäkringsbolaget Elo",
                "Elo Mutual Pension Insurance Company", "", PENSION_KINDS, 43, _ETK),
    ReceiverRow("varma", "pension_provider", "Keskinäinen Työeläkevakuutusyhtiö Varma",
                "Ömsesidiga Arbetspensionsförsäkringsbolaget Varma",
                "Varma Mutual Pension Insurance Company", "", PENSION_KINDS, 43, _ETK),
    ReceiverRow("keva", "pension_provider", "Keva", "Keva", "Keva (public sector pensions)",
                "", PENSION_KINDS, 43, _ETK),
    ReceiverRow("veritas", "pension_provider", "Eläkevakuutusosakeyhtiö Veritas",
                "Pensionsförsäkringsaktiebolaget Veritas", "Veritas Pension Insurance",
                "", PENSION_KINDS, 43, _ETK),
)
# fmt: on
