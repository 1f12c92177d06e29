from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalisedName(models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language; Finnish when there is none."""
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name


class WellbeingCounty(LocalisedName):
    code = models.CharField(_("code"), max_length=10, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wellbeing services county")


class EmploymentArea(LocalisedName):
    code = models.CharField(_("code"), max_length=20, unique=True)
    responsible_municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("employment area")


class Municipality(LocalisedName):
    """A municipality with its Statistics Finland code (three digits)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    wellbeing_county = models.ForeignKey(
        WellbeingCounty, on_delete=models.PROTECT, related_name="municipalities"
    )
    employment_area = models.ForeignKey(
        EmploymentArea, on_delete=models.PROTECT, related_name="municipalities", null=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
