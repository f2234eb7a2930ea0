from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    """民参军企业数据库: enterprise profiles, qualifications, review, import/export."""

    name = "portal.enterprises"
    label = "enterprises"
    verbose_name = "企业名录 Enterprises"
