"""Graded release (信息分级分类发布): the one policy deciding who may see what.

Every view, query, search, feed, export and download asks this package; nothing else decides
visibility, and only this package imports django-guardian: ``policy.py`` (visible / can_view /
search_filter), ``redaction.py``, ``audit.py``, ``changes.py`` (tiers and grants).
"""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_targeted_permissions(sender, using="default", **kwargs) -> None:
    """Every classifiable model gets a ``view_targeted`` permission for guardian's mirror.

    Created here rather than in each model's Meta so that a model becomes classifiable by
    inheriting ``Classified`` alone, whichever app owns it.
    """
    from django.apps import apps

    from .changes import targeted_permission
    from .declaration import Classified

    for model in apps.get_models():
        if issubclass(model, Classified) and not model._meta.abstract:
            targeted_permission(model)


class ClassificationConfig(AppConfig):
    name = "classification"
    verbose_name = "信息分级 Classification"

    def ready(self) -> None:
        post_migrate.connect(_create_targeted_permissions, sender=self)
