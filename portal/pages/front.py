"""What the home page shows beside its own text: the latest open notices with their deadlines,
key figures, the newest papers — each as the reader may see it.

Every list and count starts from the release policy (``policy.visible`` through the apps' own
starting points), never from a ``.live()`` query of its own: an anonymous visitor counts and
sees public items only, a vetted enterprise also the vetted ones, and a targeted notice
appears only to those it was granted to.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from classification import policy
from portal.enterprises.models import Enterprise
from portal.notices.listing import visible_notices
from portal.notices.models import NoticePage
from portal.notices.models.pages import open_notices
from portal.papers.models import PaperPage

NOTICES = 8
PAPERS = 4
#: Every anonymous visitor reads the same key figures, and most home page views are theirs:
#: they are counted once a minute, not on each view (three counts; the registry's reads the
#: whole enterprise table, ~20 ms at 100,000 profiles). A figure may lag a publication by that
#: minute; the lists beside it never do. Signed-in readers' figures depend on their clearance
#: and grants and are counted on each view.
ANONYMOUS_FIGURES_SECONDS = 60
ANONYMOUS_FIGURES_KEY = "front:key-figures:anonymous"


@dataclass(frozen=True)
class KeyFigures:
    enterprises: int
    open_notices: int
    papers: int


def latest_open_notices(user, limit: int = NOTICES) -> QuerySet[NoticePage]:
    """Open notices ``user`` may see, newest first, with the deadline the list shows."""
    return visible_notices(user).filter(open_notices(timezone.now()))[:limit]


def newest_papers(user, limit: int = PAPERS) -> QuerySet[PaperPage]:
    papers = policy.visible(PaperPage.objects.live(), user)
    return papers.order_by("-issue_date", "-pk")[:limit]


def key_figures(user) -> KeyFigures:
    """Approved enterprises, open notices and papers, counted as ``user`` may see them."""
    if user is None or not user.is_authenticated:
        cached = cache.get(ANONYMOUS_FIGURES_KEY)
        if cached is None:
            cached = astuple(_count_figures(user))
            cache.set(ANONYMOUS_FIGURES_KEY, cached, ANONYMOUS_FIGURES_SECONDS)
        return KeyFigures(*cached)
    return _count_figures(user)


def _count_figures(user) -> KeyFigures:
    enterprises = policy.visible(
        Enterprise.objects.filter(Enterprise.classification.released()), user
    )
    notices = visible_notices(user).filter(open_notices(timezone.now()))
    papers = policy.visible(PaperPage.objects.live(), user)
    return KeyFigures(enterprises.count(), notices.count(), papers.count())


def context_for(user) -> dict[str, Any]:
    return {
        "latest_notices": list(latest_open_notices(user)),
        "figures": key_figures(user),
        "papers": list(newest_papers(user)),
        "today": timezone.localdate(),
    }
