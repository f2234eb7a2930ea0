"""Reference data: regions (GB/T 2260), industries (the plan's directions, GB/T 4754-2017),
qualification types. Loaded by a data migration from ``reference/*.json`` so that views and
forms read tables, never hard-coded lists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Guangxi administrative division: the region itself, a city or a county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Autonomous region")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """ "南宁市 青秀区" for a county, "南宁市" for a city: what people write on a form."""
        if self.level == self.Level.COUNTY and self.parent_id:
            return f"{self.parent.name} {self.name}"
        return self.name

    def ancestor_codes(self) -> list[str]:
        """This code and its parents' codes, so that a filter on a city includes its counties."""
        codes = [self.code]
        if self.level == self.Level.COUNTY:
            codes.append(self.code[:4] + "00")
        if self.level != self.Level.PROVINCE:
            codes.append(self.code[:2] + "0000")
        return codes


class Industry(models.Model):
    """An industry direction of the Guangxi plan (top level) or a sub-direction under it
    (``docs/data.md``)."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    gbt4754 = models.JSONField(_("GB/T 4754-2017 codes"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name

    def ancestor_codes(self) -> list[str]:
        return [self.code] + ([self.parent_id] if self.parent_id else [])


class QualificationType(models.Model):
    """A kind of qualification; ``levels`` lists its grades, highest first (一级 before 二级)."""

    code = models.CharField(_("code"), max_length=30, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    levels = models.JSONField(_("levels, highest first"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")

    def __str__(self) -> str:
        return self.name

    def level_rank(self, level: str) -> int | None:
        """0 for the highest grade; None for a level this type does not have."""
        try:
            return self.levels.index(level)
        except ValueError:
            return None
