"""Development: `make run` on embedded defaults (SQLite, local OpenSearch, local Redis)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SEARCH_VERIFY_CERTS = env.bool("SEARCH_VERIFY_CERTS", default=False)
#: Demo data may be created only where this is set (never in production).
DEMO_DATA_ALLOWED = True
#: `make run`'s demo staff accounts log in with their password alone (docs/security.md); set
#: it True here to try the second factor.
MFA_REQUIRED_FOR_STAFF = False

VAR_DIR.mkdir(exist_ok=True)  # noqa: F405 — the SQLite file and media live here
