from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    """Accounts: sign-up with e-mail verification, login with lockout, role groups."""

    name = "portal.accounts"
    label = "accounts"
    verbose_name = "账户 Accounts"

    def ready(self) -> None:
        from . import api_tokens
        from .mfa import check_settings

        api_tokens.connect()
        check_settings()


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users and groups admin, where an enterprise's owner group is not a role.

    Owner groups hold the ownership of enterprise profiles; the user form neither offers them
    nor drops a user's memberships in them, and the group listing leaves them out.
    """

    user_viewset = "portal.accounts.admin_users.UserViewSet"
    group_viewset = "portal.accounts.admin_users.GroupViewSet"
