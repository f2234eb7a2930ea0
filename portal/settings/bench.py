"""Benchmarks (`make bench`): production-like (DEBUG off) on the services bench.sh starts."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="bench-only-key-0123456789abcdef0123456789abcdef")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SEARCH_VERIFY_CERTS = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True
#: Benchmarks fire hundreds of requests a minute from one address: no API throttling here.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_CLASSES": [],
    # The sharing feeds throttle per client by their own class: lifted here the same way.
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "sharing": "1000000/min",
    },
}
#: As in production: a worker keeps its database connection between requests.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
