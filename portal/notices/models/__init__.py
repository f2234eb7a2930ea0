"""Models of the notices app, one module per job."""

from .documents import PrivateDocument, sanitise_filename
from .feeds import FeedToken
from .pages import (
    SENSITIVE_FIELDS,
    Kind,
    NoticeAttachment,
    NoticeGroupGrant,
    NoticeIndexPage,
    NoticePage,
    NoticeQualification,
    NoticeUserGrant,
    open_notices,
    released_notices,
)
from .responses import NoticeResponse, ResponseFile

__all__ = [
    "SENSITIVE_FIELDS",
    "FeedToken",
    "Kind",
    "NoticeAttachment",
    "NoticeGroupGrant",
    "NoticeIndexPage",
    "NoticePage",
    "NoticeQualification",
    "NoticeResponse",
    "NoticeUserGrant",
    "PrivateDocument",
    "ResponseFile",
    "open_notices",
    "released_notices",
    "sanitise_filename",
]
