"""What every page's frame reads from the settings: the footer's 主办单位, contact and ICP备案."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_footer(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {
        "site_footer": {
            "organizer": settings.SITE_ORGANIZER,
            "phone": settings.SITE_CONTACT_PHONE,
            "email": settings.SITE_CONTACT_EMAIL,
            "icp": settings.SITE_ICP_NUMBER,
        }
    }
