from __future__ import annotations

from django.db import transaction

from silta.places import reference
from silta.places.models import EmploymentArea, Municipality, WellbeingCounty


@transaction.atomic
def places_load_reference() -> int:
    """Create or update the region's county, employment area and municipalities.

    Idempotent; returns the number of municipalities. Reference data are not personal
    data, so no change-log row is written (the data live in the code).
    """
    code, fi, sv, en = reference.WELLBEING_COUNTY
    county, _ = WellbeingCounty.objects.update_or_create(
        code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
    )
    code, fi, sv, en = reference.EMPLOYMENT_AREA
    area, _ = EmploymentArea.objects.update_or_create(
        code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
    )
    for row in reference.MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=row.code,
            defaults={
                "name_fi": row.name_fi,
                "name_sv": row.name_sv,
                "name_en": row.name_fi,
                "population": row.population,
                "wellbeing_county": county,
                "employment_area": area,
            },
        )
    area.responsible_municipality = Municipality.objects.get(
        code=reference.RESPONSIBLE_MUNICIPALITY
    )
    area.save(update_fields=["responsible_municipality"])
    return len(reference.MUNICIPALITIES)
