from django.apps import AppConfig


class ShortlistsConfig(AppConfig):
    """Named supplier shortlists of procurement officers, shared with groups, exported."""

    name = "portal.shortlists"
    label = "shortlists"
    verbose_name = "候选供应商名单 Shortlists"
