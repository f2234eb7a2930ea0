"""Graded release (信息分级分类发布): the one policy deciding who may see what.

Every view, query, search, feed, export and download asks this package; nothing else decides
visibility, and only this package imports django-guardian: ``policy.py`` (visible / can_view /
search_filter), ``redaction.py``, ``audit.py``, ``changes.py`` (tiers and grants), and
``wagtail_policy.py`` (the same rule inside the Wagtail admin).
"""

from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "classification"
    verbose_name = "信息分级 Classification"

    def ready(self) -> None:
        from . import wagtail_policy

        wagtail_policy.install()
