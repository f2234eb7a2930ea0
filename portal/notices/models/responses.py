"""意向响应: an approved enterprise's answer to an open demand notice, and its files.

One response per enterprise per notice (a database constraint, so that two browser tabs cannot
make two); the enterprise edits it until the deadline. Files go to private storage and are
served by ``views.response_file`` to the enterprise's owners, the notice's author and staff.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage

from .documents import sanitise_filename


class NoticeResponse(models.Model):
    notice = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="notice_responses",
    )
    message = models.TextField(_("message"), max_length=5000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notice response")
        verbose_name_plural = _("notice responses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "enterprise"],
                name="notices_one_response_per_enterprise",
                violation_error_message=_("Your enterprise has already responded to this notice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.notice}"

    @property
    def file_list(self) -> str:
        """The file names, for the admin's inspect view and the Excel export."""
        return "; ".join(f.name for f in self.files.all())


def response_file_upload_to(instance: ResponseFile, filename: str) -> str:
    # A random folder keeps two files of the same name apart and makes paths unguessable.
    return f"responses/{secrets.token_hex(8)}/{sanitise_filename(filename)}"


class ResponseFile(models.Model):
    response = models.ForeignKey(
        NoticeResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=response_file_upload_to, max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("response file")
        verbose_name_plural = _("response files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
