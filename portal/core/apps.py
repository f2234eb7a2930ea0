from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces that belong to no content area: health probe, mail, demo data."""

    name = "portal.core"
    label = "core"
    verbose_name = "平台基础 Core"
