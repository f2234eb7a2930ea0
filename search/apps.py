from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search service: OpenSearch documents, queries, and the outbox that feeds them."""

    name = "search"
    verbose_name = "检索服务 Search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
