"""Models of the notices app, one module per job."""

from .desk import AmendmentKind, NoticeAmendment, NoticeFollow, NoticeInterest
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
    "AmendmentKind",
    "FeedToken",
    "Kind",
    "NoticeAmendment",
    "NoticeAttachment",
    "NoticeFollow",
    "NoticeGroupGrant",
    "NoticeIndexPage",
    "NoticeInterest",
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
