from django.apps import AppConfig


class PapersConfig(AppConfig):
    """白皮书/蓝皮书: white and blue papers as Wagtail pages and PDFs."""

    name = "portal.papers"
    label = "papers"
    verbose_name = "白皮书 Papers"

    def ready(self) -> None:
        from . import signals

        signals.connect()
