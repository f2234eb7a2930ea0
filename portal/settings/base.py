"""Settings shared by every environment.

The environment is read here and only here (django-environ), so that one table in the README
and one ``.env.example`` in docker/ can list every knob the application has. The variables
that the application reads are listed in ``ENVIRONMENT_VARIABLES``; a test checks that the
production Compose file provides each of them.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

#: Every environment variable the application reads, with its meaning. Kept beside the reads
#: so that the README table, docker/.env.example and the Compose test stay in step.
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "SECRET_KEY": "Django secret key; production refuses to start without it",
    "DEBUG": "development error pages; production refuses to start with it on",
    "ALLOWED_HOSTS": "comma-separated host names the site answers to",
    "CSRF_TRUSTED_ORIGINS": "comma-separated origins (https://host) trusted for CSRF",
    "DATABASE_URL": "database, e.g. postgres://user:pass@host:5432/portal",
    "SEARCH_URL": "OpenSearch node URL(s), comma-separated, e.g. https://admin:pass@opensearch:9200",
    "SEARCH_VERIFY_CERTS": "verify the OpenSearch TLS certificate (true/false)",
    "SEARCH_INDEX_PREFIX": "prefix of index and alias names, so that sites can share a cluster",
    "SEARCH_SHARDS": "primary shards of each new search index (default 1)",
    "SEARCH_REPLICAS": "copies of each search shard on other nodes (0 on one node; 1 in a cluster)",
    "CELERY_BROKER_URL": "Celery broker, e.g. redis://redis:6379/0",
    "CACHE_URL": "Django cache, e.g. redis://redis:6379/1 (locmemcache:// in development)",
    "EMAIL_URL": "outgoing mail, e.g. smtp+tls://user:pass@smtp.example.org:587",
    "DEFAULT_FROM_EMAIL": "sender address of the portal's e-mail",
    "SITE_URL": "absolute base URL used in e-mail links, e.g. https://junmin.gxzf.gov.cn",
    "MEDIA_ROOT": "folder for uploaded public files (Wagtail images, public documents)",
    "PRIVATE_MEDIA_ROOT": "folder for restricted uploads, served only through the release policy",
    "STATIC_ROOT": "folder collectstatic writes to",
    "SECURE_SSL_REDIRECT": "production: redirect plain HTTP to HTTPS (default true)",
    "DATABASE_PARALLEL_WORKERS": "PostgreSQL parallel workers per query (default 0: small hosts)",
    "API_TOKEN_TTL_DAYS": "days an API token lasts from its creation (default 30)",
    "TRUSTED_PROXY_COUNT": "reverse proxies of ours in front of the application (X-Forwarded-For)",
    "SITE_ORGANIZER": "主办单位 named in the footer: the department running the site",
    "SITE_CONTACT_PHONE": "contact telephone in the footer and the accessibility statement",
    "SITE_CONTACT_EMAIL": "contact e-mail address in the footer and the accessibility statement",
    "SITE_ICP_NUMBER": "ICP备案 number shown in the footer, e.g. 桂ICP备12345678号-1",
    "CELERY_VISIBILITY_TIMEOUT": "seconds before Redis hands a dead worker's unacked task on",
    "SEARCH_OUTBOX_LEASE_SECONDS": "seconds a drain holds claimed outbox rows (a killed drain's)",
    "SEARCH_FACET_SAMPLE": "matches per shard counted for facets before estimating (0: exact)",
}

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
#: Who runs the site and how to reach them: the footer every page carries (a Chinese government
#: site names its 主办单位 and shows its ICP备案 number) and the accessibility statement.
SITE_ORGANIZER = env.str("SITE_ORGANIZER", default="")
SITE_CONTACT_PHONE = env.str("SITE_CONTACT_PHONE", default="")
SITE_CONTACT_EMAIL = env.str("SITE_CONTACT_EMAIL", default="")
SITE_ICP_NUMBER = env.str("SITE_ICP_NUMBER", default="")
#: How many reverse proxies of our own stand in front of the application. The client address
#: (login lockout, rate limits) is read from X-Forwarded-For past exactly these proxies
#: (portal/core/clients.py); 0 ignores the header, which a client can forge.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    # Project apps first, so that their templates override Wagtail's and Django's.
    "portal.core",
    "portal.accounts.apps.AccountsConfig",  # two configs live in apps.py: name this one
    "portal.pages",
    "portal.enterprises",
    "portal.notices",
    "portal.papers",
    "portal.matching",
    "portal.alerts",
    "portal.shortlists",
    "portal.statistics",
    "portal.api",
    "portal.sharing",
    "classification",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.accounts.apps.PortalUsersConfig",  # wagtail.users, roles apart from owner groups
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "rest_framework",
    "knox",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (portal/core/headers.py).
    "portal.core.headers.ContentSecurityPolicyMiddleware",
    "portal.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that every error under /api/ leaves in the API's JSON shape.
    "portal.api.middleware.ApiErrorShape",
    # 503 instead of 500 while PostgreSQL is unreachable (portal/core/outage.py).
    "portal.core.outage.DatabaseOutage",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ``private, no-store`` on every answer that depends on who asks (portal/core/headers.py).
    "portal.core.headers.PrivateResponseMiddleware",
    # Whether the session passed the second factor, then the one place that insists on it.
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.mfa.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # 404 for Wagtail admin URLs naming an item the release policy hides from the user.
    "classification.wagtail_policy.AdminReleaseGuard",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.site_footer",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
#: A kept connection (CONN_MAX_AGE > 0) is checked before a request reuses it, so that after a
#: PostgreSQL restart the next request reconnects instead of failing on a dead socket.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
#: PostgreSQL's parallel workers per query. The portal's reads are short pages and counts; on a
#: 2-core host starting workers costs more than they save (the visibility count over 100,000
#: profiles, measured in psql: 15 ms without, 22-26 ms with the default 2; less through Django,
#: see docs/operations.md).
#: Raise it on hosts with cores to spare.
DATABASE_PARALLEL_WORKERS = env.int("DATABASE_PARALLEL_WORKERS", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}"
    )
#: SQLite, the embedded default of `make run`, is written by the web process and the Celery
#: worker at once. WAL lets readers go on while one connection writes; IMMEDIATE transactions
#: take the write lock at BEGIN, so a transaction that read first never has to upgrade its lock
#: (an upgrade that loses fails at once with "database is locked", whatever the timeout); the
#: timeout lets a writer wait up to 20 s for the lock instead of failing. synchronous=NORMAL is
#: safe under WAL (a power cut can lose the last commits, never corrupt the file).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portal")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first: it refuses locked-out credentials before any check runs.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Object permissions (targeted grants) answer ``user.has_perm("<app>.view_targeted", obj)``;
    # every surface still decides through classification.policy, which also honours expiry.
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "/"
#: How long an e-mail verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)

# Lockout after repeated failed logins (django-axes): five failures for one username from one
# client address lock that pair for an hour; a successful login resets the count. The address
# is the client's behind our TRUSTED_PROXY_COUNT proxies, not the proxy's: otherwise five bad
# attempts would lock a username for everyone behind the proxy.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.core.clients.client_address"

# Two-factor authentication (portal/accounts/mfa.py, docs/security.md): superusers and the staff
# roles enrol an authenticator app and give its code after the password. Off only where demo
# data is allowed (development); the accounts app refuses to start otherwise.
MFA_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = "军民融合供需对接平台"
# After a wrong code a device accepts nothing for 1, 2, 4, 8 ... seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
#: Restricted uploads (qualification scans, restricted attachments): never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: requests over 60 MB are refused before they reach a form; forms set tighter limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
#: The largest JSON body the API reads (its requests are forms of a few fields): larger is 413.
API_MAX_JSON_BYTES = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="军民融合供需对接平台 <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail. Its own search backend serves only the admin's search boxes and stays on the
# database (PostgreSQL full text), so that saving a page never waits on the search engine.
WAGTAIL_SITE_NAME = "军民融合供需对接平台"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
# No avatars from gravatar.com: the admin would send every user's e-mail hash to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No upgrade check either: the admin's browser would fetch releases.wagtail.org (and the CSP
# refuses it); upgrades are decided from the lock file, not from a banner.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No autosave: on the add form it creates the page as a draft after the first keystrokes, so
# an abandoned form left a stray draft behind whose slug then blocked the next page with the
# same title. Notices and papers are saved on purpose, and go through the workflow.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip"]
# Documents live in private storage and are served only through the release policy
# (portal/notices/documents.py): no public /media/ URL for an attachment.
WAGTAILDOCS_DOCUMENT_MODEL = "notices.PrivateDocument"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Search engine (OpenSearch). Everything a visitor or officer searches goes through search/.
#: One node, or several nodes of one cluster separated by commas: the client fails over between
#: them (search/engine.py).
SEARCH_URL = env.str("SEARCH_URL", default="http://127.0.0.1:9201")
SEARCH_VERIFY_CERTS = env.bool("SEARCH_VERIFY_CERTS", default=True)
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="portal")
#: Shards are fixed when an index is created (a change takes a rebuild, which ``search_index
#: --ensure`` does); replicas can change on a live index (``--ensure`` applies them). One node
#: cannot hold a replica of its own shards, hence 0 by default; a cluster wants at least 1, so
#: that losing a node loses no shard.
SEARCH_SHARDS = env.int("SEARCH_SHARDS", default=1)
SEARCH_REPLICAS = env.int("SEARCH_REPLICAS", default=0)
SEARCH_TIMEOUT_SECONDS = 5.0
#: How long a drain may hold claimed outbox rows before another drain takes them over (a drain
#: killed mid-batch): far longer than a bulk request may take (search/indexing.py).
SEARCH_OUTBOX_LEASE = timedelta(seconds=env.int("SEARCH_OUTBOX_LEASE_SECONDS", default=300))
#: The supplier directory counts its facets over at most this many matches per shard and
#: scales the counts of a larger result up (shown as estimates); 0 counts them all, exactly.
#: Above it, counting every facet value of every match was most of a search's time: at a
#: million profiles a broad query's 40,000 matches took as long to count as to score.
SEARCH_FACET_SAMPLE = env.int("SEARCH_FACET_SAMPLE", default=10_000)
#: Timeout of the /healthz probe, short so that a hung engine cannot hang the probe.
HEALTH_PROBE_TIMEOUT_SECONDS = 2.0

# Celery: one app in portal/celery.py, named queues, late acks with prefetch 1 so that a task
# that dies with its worker is redelivered, not lost.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6380/0")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
#: Mail, search sync and PDF rendering each have their own queue, so a slow PDF never holds up
#: a verification e-mail or the search outbox (the worker and docker/ consume all of them).
CELERY_TASK_ROUTES = {
    "portal.core.tasks.send_email": {"queue": "mail"},
    "portal.alerts.tasks.*": {"queue": "mail"},
    "portal.papers.tasks.*": {"queue": "pdf"},
    "portal.shortlists.tasks.*": {"queue": "pdf"},
    "portal.statistics.tasks.*": {"queue": "pdf"},
    "search.tasks.*": {"queue": "search"},
    "portal.enterprises.tasks.*": {"queue": "search"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: A task taken by a worker that dies before acknowledging it (acks late) stays invisible in
#: Redis for this long, then the next worker to sweep (at start, else every ~100 s) takes it
#: again. Longer than the longest task, or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "accounts-purge-expired-tokens": {
        "task": "portal.accounts.tasks.purge_stale_unverified_accounts",
        "schedule": crontab(hour=3, minute=17),
        "options": {"queue": "default"},
    },
    # Expired grants already count as no grant; this removes their rows.
    "classification-expire-grants": {
        "task": "classification.expire_grants",
        "schedule": timedelta(hours=1),
        "options": {"queue": "default"},
    },
    # The outbox is drained after every commit; this catches up after broker or engine outages.
    "search-drain-outbox": {
        "task": "search.tasks.drain_outbox",
        "schedule": timedelta(minutes=1),
        "options": {"queue": "search"},
    },
    "search-reconcile": {
        "task": "search.tasks.reconcile_indices",
        "schedule": crontab(hour=2, minute=40),
        "options": {"queue": "search"},
    },
    "enterprises-confirmation-reminders": {
        "task": "portal.enterprises.tasks.remind_confirmations",
        "schedule": crontab(hour=9, minute=30),
        "options": {"queue": "default"},
    },
    "search-qualification-validity": {
        "task": "portal.enterprises.tasks.reindex_changed_qualifications",
        "schedule": crontab(hour=0, minute=5),
        "options": {"queue": "search"},
    },
    # Saved-search alerts: "immediately" searches go out within this interval, daily and
    # weekly ones at the first tick after their interval (portal/alerts/delivery.py).
    "alerts-send-due": {
        "task": "portal.alerts.tasks.send_due_alerts",
        "schedule": timedelta(minutes=5),
        "options": {"queue": "mail"},
    },
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated request gets 401 with WWW-Authenticate.
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "portal.api.renderers.PortalJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "600/min",
        "auth": "10/min",
        "sharing": "300/min",  # per agency client, not per address
    },
    # Throttles key anonymous clients by address: the same proxy rule as portal/core/clients.py.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
#: Agencies as OAuth2 clients (django-oauth-toolkit, docs/sharing.md): client credentials only,
#: hashed secrets, one-hour tokens, scopes and revocation read from ``portal.sharing``.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "SCOPES_BACKEND_CLASS": "portal.sharing.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "portal.sharing.oauth.SharingValidator",
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grant, no plain PKCE, tokens
    # only in the Authorization header, stored hashed; refresh-token replay ends the family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Client credentials redirect nowhere; no other grant is offered.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
#: Named because ``SharingClient`` points at the (swappable) application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
#: API tokens (django-rest-knox, docs/security.md): stored as hashes, each with its own expiry.
#: A token is not renewed by use: a program logs in again when its token runs out.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
#: Live tokens one user may hold; obtaining one more ends the oldest. Bounds the rows that each
#: token check reads (knox looks at all of the user's tokens) for scripts that log in every run.
API_TOKENS_PER_USER = 20
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "军民融合供需对接平台 API",
    "DESCRIPTION": "Supplier directory, supply-demand notices and papers, under graded release.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Only our API: Wagtail's admin API is internal and not part of the published contract.
    "PREPROCESSING_HOOKS": ["portal.api.schema.public_api_only"],
}

# django-guardian: only classification/ imports it. Anonymous users get no guardian user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview frames opt back in to SAMEORIGIN
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp, portal/core/headers.py). The site's pages load scripts,
# styles, fonts and images from our own origin only; templates carry no inline script or style
# (charts read their options from JSON data blocks, which are not executed). ECharts draws SVG
# and may use data: images; nothing is framed, and nothing may frame us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
#: The Wagtail and Django admins ship inline scripts, style attributes and <style> blocks of
#: their own, frame their page previews and read blob: images from uploads: they get this
#: looser policy, which still refuses every other origin.
ADMIN_PATH_PREFIXES = ["/admin/", "/django-admin/"]
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
#: Browser features the portal never uses, off for the page and every frame in it.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "opensearch": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

SITE_NAME = _("Civil-Military Integration Supply-Demand Portal")
