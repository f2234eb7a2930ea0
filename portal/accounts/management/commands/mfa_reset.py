"""``python manage.py mfa_reset USERNAME``: remove a user's authenticator and recovery codes.

For a lost or replaced phone when the recovery codes are gone too; the next login sends the
user to enrolment again. The same can be done by deleting the devices in the Django admin
(/django-admin/, "TOTP devices" and "Static devices").
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.mfa import reset_devices


class Command(BaseCommand):
    help = "Remove a user's two-factor devices so that their next login enrols anew."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        removed = reset_devices(user)
        self.stdout.write(
            f"Removed {removed} two-factor device(s) of {username}; "
            "their next login starts enrolment."
        )
