from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """Staff statistics: charts with CSV exports and the yearly report."""

    name = "portal.statistics"
    label = "statistics"
    verbose_name = "统计监测 Statistics"
