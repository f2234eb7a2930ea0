from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's general Wagtail pages: the home page, and later plain content pages."""

    name = "portal.pages"
    label = "pages"
    verbose_name = "页面 Pages"
