from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Saved searches and the e-mail alerts sent for their new matches."""

    name = "portal.alerts"
    label = "alerts"
    verbose_name = "订阅提醒 Alerts"
