"""RSS and Atom feeds of notices, through the release policy.

The public addresses (/notices/feed/…) always read as an anonymous visitor, whoever asks: a feed
URL is shared, cached by readers and proxies, and must carry public items only. A signed-in
user's own feed lives under a revocable token (/notices/feed/u/<token>/…) and carries what that
user may see; items show the title and summary, never redacted fields: a notice whose body the
reader may not read (a stub) carries its title, kind and link alone.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from classification import policy
from portal.core.headers import for_one_reader

from .listing import visible_notices
from .models import FeedToken, Kind, NoticePage

FEED_SIZE = 50


class NoticeFeed(Feed):
    """RSS 2.0: the newest notices the feed's reader may see, optionally of one kind."""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if kwargs.get("token") is not None:  # one user's view: kept out of every cache
            for_one_reader(response)
        return response

    def get_object(self, request, kind: str | None = None, token: str | None = None):
        if kind is not None and kind not in Kind.values:
            raise Http404("Unknown notice kind.")
        user = AnonymousUser()
        if token is not None:
            user = FeedToken.user_for(token)
            if user is None:
                raise Http404("No such feed.")
        return {"kind": kind, "user": user, "token": token}

    def title(self, obj) -> str:
        base = _("Supply and demand notices")
        if obj["kind"]:
            base = f"{base} · {Kind(obj['kind']).label}"
        return f"{base} · {_('Civil-Military Integration Supply-Demand Portal')}"

    def link(self, obj) -> str:
        return "/notices/" + (f"?kind={obj['kind']}" if obj["kind"] else "")

    def description(self, obj) -> str:
        return _("Military demand, civilian supply, technology transfer and policy notices.")

    def items(self, obj):
        queryset = visible_notices(obj["user"])
        if obj["kind"]:
            queryset = queryset.filter(kind=obj["kind"])
        items = list(queryset[:FEED_SIZE])
        for item in items:
            # Feed instances serve every request: the reader's view travels on the item.
            item.feed_stub = policy.stub_only(obj["user"], item)
        return items

    def item_title(self, item: NoticePage) -> str:
        return f"[{Kind(item.kind).label}] {item.title}"

    def item_description(self, item: NoticePage) -> str:
        return "" if item.feed_stub else item.summary

    def item_link(self, item: NoticePage) -> str:
        return item.url

    def item_guid(self, item: NoticePage) -> str:
        return f"notice-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: NoticePage):
        return item.first_published_at

    def item_updateddate(self, item: NoticePage):
        return item.last_published_at

    def item_categories(self, item: NoticePage):
        return [str(Kind(item.kind).label)]


class NoticeAtomFeed(NoticeFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj) -> str:
        return self.description(obj)
