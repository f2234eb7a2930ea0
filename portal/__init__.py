"""The Django project of the portal. Importing it loads the Celery app, so that
``shared_task`` functions bind to it and ``.delay()`` reaches the configured broker."""

from .celery import app as celery_app

__all__ = ["celery_app"]
