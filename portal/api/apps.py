from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API frame under /api/v1/: auth, errors, pagination, schema. Resources join it
    from their own apps."""

    name = "portal.api"
    label = "api"
    verbose_name = "接口 API"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
