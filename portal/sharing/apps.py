from django.apps import AppConfig


class SharingConfig(AppConfig):
    """数据共享机制: agencies as OAuth2 clients pulling a change feed at their tier ceiling."""

    name = "portal.sharing"
    label = "sharing"
    verbose_name = "数据共享 Data sharing"

    def ready(self) -> None:
        from search.indexing import documents_recorded

        from . import journal

        documents_recorded.connect(journal.on_documents_recorded, dispatch_uid="sharing-journal")
