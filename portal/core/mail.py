"""Outgoing e-mail: rendered here, sent by a Celery task after the transaction commits.

Every message has a text and an HTML part rendered from ``templates/email/<name>.{txt,html}``
and a subject from ``<name>_subject.txt``. Sending goes through the ``mail`` queue so that a
slow SMTP server never slows a page, and only after commit so that no mail announces a change
that was rolled back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_message(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render (subject, text, html) of ``template`` in Chinese, the portal's first language."""
    with translation.override("zh-hans"):
        subject = render_to_string(f"email/{template}_subject.txt", context).strip()
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    return " ".join(subject.splitlines()), text, html


def send_templated(template: str, to: list[str], context: dict[str, Any]) -> None:
    """Queue one message to ``to`` once the current transaction has committed."""
    from .tasks import send_email

    subject, text, html = render_message(template, context)
    transaction.on_commit(lambda: send_email.delay(to=to, subject=subject, text=text, html=html))
