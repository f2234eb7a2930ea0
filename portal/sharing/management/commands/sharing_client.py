"""``manage.py sharing_client add|list|revoke|rotate``: agencies' API clients from the shell.

``add`` prints ``client_id=…`` and ``client_secret=…`` on lines of their own, the only time the
secret is shown (it is stored hashed). Refused input exits non-zero with the reason.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ... import clients
from ...models import Ceiling, SharingClient


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--expires must be a date like 2027-12-31, not {value!r}.") from error


class Command(BaseCommand):
    help = "Register, list, rotate and revoke data-sharing clients (OAuth2 client credentials)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="register a client and print its id and secret")
        add.add_argument("name")
        add.add_argument("--tier", required=True, choices=Ceiling.values, help="tier ceiling")
        add.add_argument(
            "--scope", required=True, help="comma-separated: enterprises:read,notices:read,…"
        )
        add.add_argument("--agency", default="", help="the owning agency (default: the name)")
        add.add_argument("--expires", help="last day the client works, YYYY-MM-DD")
        add.add_argument("--terms", default="", help="the data-sharing terms text")
        actions.add_parser("list", help="every client with its state")
        for name, text in (("revoke", "revoke a client"), ("rotate", "issue a new secret")):
            action = actions.add_parser(name, help=text)
            action.add_argument("client_id")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _add(self, name: str, tier: str, scope: str, agency: str, expires, terms, **_) -> None:
        expires_on = _date(expires) if expires else None
        try:
            client, secret = clients.register(
                name, agency or name, tier, scope, expires_on=expires_on, terms=terms
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"client_id={client.client_id}")
        self.stdout.write(f"client_secret={secret}")

    def _list(self, **_) -> None:
        for client in SharingClient.objects.select_related("application"):
            state = "in force" if client.in_force() else "revoked or expired"
            expiry = client.expires_on.isoformat() if client.expires_on else "-"
            self.stdout.write(
                f"{client.client_id}\t{client.name}\t{client.ceiling}\t{client.scopes}"
                f"\texpires {expiry}\t{state}"
            )

    def _client(self, client_id: str) -> SharingClient:
        try:
            return SharingClient.objects.get(application__client_id=client_id)
        except SharingClient.DoesNotExist as error:
            raise CommandError(f"No data-sharing client with id {client_id}.") from error

    def _revoke(self, client_id: str, **_) -> None:
        clients.revoke(self._client(client_id))
        self.stdout.write(f"revoked {client_id}")

    def _rotate(self, client_id: str, **_) -> None:
        client = self._client(client_id)
        if not client.in_force():
            raise CommandError(f"Client {client_id} is revoked or expired.")
        self.stdout.write(f"client_id={client_id}")
        self.stdout.write(f"client_secret={clients.rotate(client)}")
