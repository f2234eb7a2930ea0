"""A mail backend for the failed-run tests: Django's locmem backend, except that it raises
for the addresses in ``FAILING`` (as an SMTP server refusing a recipient would)."""

from __future__ import annotations

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.locmem import EmailBackend

FAILING: set[str] = set()


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = [to for to in message.to if to in FAILING]
            if refused:
                raise SMTPRecipientsRefused({to: (550, b"mailbox unavailable") for to in refused})
        return super().send_messages(messages)
