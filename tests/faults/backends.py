"""The fault tests' mail backend: Django's file backend behind a slow mail server.

Each message waits ``DELAY`` seconds before it is written (a server slow to accept it), so that
a test can kill the worker while a claimed digest is on its way and not yet delivered.
"""

from __future__ import annotations

import time

from django.core.mail.backends.filebased import EmailBackend

DELAY = 0.4


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(DELAY * len(email_messages))
        return super().send_messages(email_messages)
