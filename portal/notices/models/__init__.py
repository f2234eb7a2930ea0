"""Models of the notices app, one module per job."""

from .documents import PrivateDocument, sanitise_filename
from .feeds import FeedToken
from .pages import (
    SENSITIVE_FIELDS,
    Kind,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    NoticeQualification,
    open_notices,
    released_notices,
)
from .responses import NoticeResponse, ResponseFile

__all__ = [
    "SENSITIVE_FIELDS",
    "FeedToken",
    "Kind",
    "NoticeAttachment",
    "NoticeIndexPage",
    "NoticePage",
    "NoticeQualification",
    "NoticeResponse",
    "PrivateDocument",
    "ResponseFile",
    "open_notices",
    "released_notices",
    "sanitise_filename",
]
