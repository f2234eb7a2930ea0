"""The one Celery app of the portal.

Configuration comes from Django settings (``CELERY_*``); tasks live in each app's ``tasks.py``
and are found by autodiscovery. ``CELERY_TASK_ROUTES`` sends each task to its queue (the
``queue`` task attribute is deprecated); every task acknowledges late and takes primary
keys, not objects, so that a redelivered task does the same work again harmlessly.
"""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
#: The named queues; each is bound to its own direct exchange under its own name, so that a
#: task routed to one queue lands in that queue only.
QUEUES = ("default", "mail", "search", "pdf")
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.conf.task_default_exchange = "default"
app.conf.task_default_routing_key = "default"
app.autodiscover_tasks()
