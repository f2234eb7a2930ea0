"""RSS and Atom feeds of papers at /papers/feed/ and /papers/feed/atom/, and per user.

The items are what the reader may see (the policy); an anonymous feed reader gets public papers
only. Feed readers cannot log in, so a signed-in user's own feed lives under their revocable
feed token (/papers/feed/u/<token>/…, the same ``notices.FeedToken`` their notice feeds use) and
carries what that user may see. Feeds are never cached across users.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from classification import policy
from portal.core.headers import for_one_reader
from portal.notices.models import FeedToken

from .models import PaperPage

FEED_ITEMS = 30


class PaperFeed(Feed):
    title = _("White papers and blue papers")
    description = _("Regional papers on civil-military integration in Guangxi.")
    link = "/papers/"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # What a feed carries depends on its reader: shared caches must not keep it.
        response["Cache-Control"] = "private, max-age=300"
        if kwargs.get("token") is not None:  # one user's view: kept out of every cache
            for_one_reader(response)
        return response

    def get_object(self, request, token: str | None = None):
        """The feed's "object" is the reader: one Feed instance serves every request.

        Under a token the reader is the token's user, whoever fetches the address; an unknown
        or revoked token answers 404 like any address that does not exist.
        """
        if token is None:
            return request.user
        user = FeedToken.user_for(token)
        if user is None:
            raise Http404("No such feed.")
        return user

    def items(self, user):
        papers = policy.visible(PaperPage.objects.live(), user)
        return papers.order_by("-first_published_at")[:FEED_ITEMS]

    def item_title(self, item: PaperPage) -> str:
        return item.title

    def item_description(self, item: PaperPage) -> str:
        return item.summary

    def item_link(self, item: PaperPage) -> str:
        return item.url

    def item_author_name(self, item: PaperPage) -> str:
        return item.issuing_body

    def item_pubdate(self, item: PaperPage) -> datetime:
        return item.first_published_at or timezone.make_aware(
            datetime.combine(item.issue_date, time())
        )

    def item_updateddate(self, item: PaperPage) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: PaperPage) -> list[str]:
        return [str(item.get_kind_display())]


class PaperAtomFeed(PaperFeed):
    feed_type = Atom1Feed
    subtitle = PaperFeed.description
