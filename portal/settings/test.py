"""Tests: PostgreSQL, Redis, OpenSearch and a Celery worker started by `make test`.

Tasks run eagerly in the test process by default so that e-mail lands in Django's locmem
outbox; tests marked ``worker`` switch eagerness off and go through the real broker.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-key-0123456789abcdef0123456789abcdef")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SEARCH_VERIFY_CERTS = False
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="test")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
DEMO_DATA_ALLOWED = True
# On, as in production: tests log staff in through tests.conftest.login_verified.
MFA_REQUIRED_FOR_STAFF = True
# The API throttles are tested with their own rates; the rest of the suite must not trip them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/min",
        "user": "10000/min",
        "auth": "10000/min",
        "sharing": "10000/min",
    },
}

# `make test` runs the suite in two processes (pytest-xdist). Each gets its own PostgreSQL cluster
# (``TEST_DATABASE_URLS``, one URL per process): the agencies' feeds read the cluster-wide oldest
# running transaction, which the other process's test transactions would hold back. pytest-django
# names each test database after its process ("_gw0", "_gw1"); each process also gets its own
# indices and upload folders, so that it never reads what the other wrote under the same keys.
xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if xdist_worker:
    clusters = env.list("TEST_DATABASE_URLS", default=[])
    if clusters:
        number = int(xdist_worker.removeprefix("gw"))
        DATABASES["default"].update(env.db_url_config(clusters[number % len(clusters)]))  # noqa: F405
    SEARCH_INDEX_PREFIX = f"{SEARCH_INDEX_PREFIX}-{xdist_worker}"
    MEDIA_ROOT = os.path.join(str(MEDIA_ROOT), xdist_worker)  # noqa: F405
    PRIVATE_MEDIA_ROOT = os.path.join(str(PRIVATE_MEDIA_ROOT), xdist_worker)  # noqa: F405

# The suite runs on PostgreSQL only (`make test` starts one); SQLite would hide real behaviour.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("Tests need PostgreSQL: run `make test`, or set DATABASE_URL.")
# The test database is the one DATABASE_URL names (a parallel test process's name ends in "_gw0",
# "_gw1": see above), so that a Celery worker started on it sees what transactional tests commit.
# Its name must say it is disposable.
if not re.search(r"_test(_gw\d+)?$", DATABASES["default"]["NAME"]):  # noqa: F405
    raise ImproperlyConfigured("The test database name must end in _test; it is dropped.")
DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}  # noqa: F405
# WhiteNoise serves STATIC_ROOT; the suite never runs collectstatic, so it would warn per request.
WHITENOISE_AUTOREFRESH = True
