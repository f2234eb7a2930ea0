from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts: sign-up with e-mail verification, login with lockout, role groups."""

    name = "portal.accounts"
    label = "accounts"
    verbose_name = "账户 Accounts"
