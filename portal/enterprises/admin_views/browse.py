"""All profiles the reviewer may see (released ones within their clearance or granted to them,
and those waiting for their review), read-only, filterable by status: where a reviewer finds an
approved profile to revoke."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import BaseListingView

from classification import policy

from ..models import Enterprise, Status
from .access import ReviewerRequiredMixin
from .display import UsccColumn
from .links import classification_url, review_url


class EnterpriseFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)

    class Meta:
        model = Enterprise
        fields = ["status"]


class ClassificationColumn(Column):
    """A link to the classification officer's page for the profile."""

    cell_template_name = "enterprises/admin/classification_cell.html"

    def get_value(self, instance: Enterprise) -> str:
        return classification_url(instance.pk)


class EnterpriseIndexView(ReviewerRequiredMixin, BaseListingView):
    page_title = _("All enterprises")
    header_icon = "list-ul"
    paginate_by = 50
    index_url_name = "enterprises_review:browse"
    index_results_url_name = "enterprises_review:browse_results"
    filterset_class = EnterpriseFilterSet
    is_searchable = True
    search_fields = ["name", "uscc", "short_name"]
    search_backend_name = None
    verbose_name = _("enterprise")
    verbose_name_plural = _("enterprises")
    default_ordering = "name"
    columns = [
        TitleColumn(
            "name",
            label=_("Enterprise"),
            sort_key="name",
            get_url=lambda enterprise: review_url(enterprise.pk),
        ),
        UsccColumn("uscc", label=_("Unified social credit code")),
        Column("region", label=_("Region"), accessor="region.full_name"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
        ClassificationColumn("classification", label=_("Release"), accessor="pk"),
    ]

    def get_base_queryset(self) -> QuerySet[Enterprise]:
        profiles = Enterprise.objects.select_related("region", "region__parent")
        return policy.visible(profiles, self.request.user)
