"""Reference data of the region: loaded by a command, never by a migration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name_fi: str
    name_sv: str
    population: int


WELLBEING_COUNTY = (
    "soite",
    "Keski-Pohjanmaan hyvinvointialue (Soite)",
    "Välfärdsområdet i Mellersta Österbotten (Soite)",
    "Central Ostrobothnia Wellbeing Services County (Soite)",
)
EMPLOYMENT_AREA = (
    "keski-pohjanmaa",
    "Keski-Pohjanmaan työllisyysalue",
    "Mellersta Österbottens sysselsättningsområde",
    "Central Ostrobothnia employment area",
)

# Population 31.12.2024, Statistics Finland codes (DOMAIN.md §1).
MUNICIPALITIES: tuple[MunicipalityRow, ...] = (
    MunicipalityRow("272", "Kokkola", "Karleby", 48367),
    MunicipalityRow("217", "Kannus", "Kannus", 5264),
    MunicipalityRow("236", "Kaustinen", "Kaustby", 4118),
    MunicipalityRow("924", "Veteli", "Vetil", 2931),
    MunicipalityRow("849", "Toholampi", "Toholampi", 2799),
    MunicipalityRow("584", "Perho", "Perho", 2594),
    MunicipalityRow("074", "Halsua", "Halsua", 985),
    MunicipalityRow("421", "Lestijärvi", "Lestijärvi", 665),
)
RESPONSIBLE_MUNICIPALITY = "272"
