from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search service: the registry of indices the apps declare, their sync and queries."""

    name = "search"
    verbose_name = "检索服务 Search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
