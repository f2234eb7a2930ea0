from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Supply-demand matching: suppliers for a demand notice, notices for an enterprise."""

    name = "portal.matching"
    label = "matching"
    verbose_name = "供需对接 Matching"
