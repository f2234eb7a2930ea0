from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """供需信息: tiered supply-demand notices and responses as Wagtail pages."""

    name = "portal.notices"
    label = "notices"
    verbose_name = "供需信息 Notices"

    def ready(self) -> None:
        from search import registry

        from .search_indexes import NOTICES

        registry.register(NOTICES)

        from . import amendments

        amendments.connect()
