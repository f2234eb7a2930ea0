"""Recommendations (推介): enterprises named in a published 重点企业和优势技术推介目录.

Editors write the directory as a paper (``papers`` kind "featured", its ``featured`` blocks);
when it is published or withdrawn, ``papers.featured.sync`` rewrites its rows here. The registry
reads them for the 推介 badge and facet without knowing how papers are built.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="recommendations"
    )
    paper = models.ForeignKey(
        "papers.PaperPage", on_delete=models.CASCADE, related_name="recommendations"
    )
    category = models.CharField(_("category"), max_length=60)
    technology = models.CharField(_("technology or product"), max_length=80, blank=True)
    reason = models.TextField(_("reason for recommending"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.enterprise_id} in {self.paper_id}: {self.category}"

    @staticmethod
    def public() -> Q:
        """Recommendations anyone may know of: in a live directory released to the public
        (a badge must not reveal a restricted directory)."""
        return Q(paper__live=True, paper__tier="public")
