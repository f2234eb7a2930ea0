"""Background tasks of the site frame."""

from __future__ import annotations

import socket

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(*, to: list[str], subject: str, text: str, html: str) -> int:
    """Send one rendered message; SMTP failures retry with exponential backoff."""
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message.send()


@shared_task(acks_late=True)
def ping(token: str) -> dict[str, str]:
    """Echo ``token`` with the worker's host name: proves a round trip through the broker."""
    return {"token": token, "worker": socket.gethostname()}
