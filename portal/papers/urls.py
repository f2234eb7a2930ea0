"""Routes under /papers/ that are not pages: the PDF download and the feeds (public, and per
user under a feed token). The pages themselves (index and papers) are Wagtail's, served by the
page tree, so the slug ``feed`` is reserved under /papers/."""

from django.urls import path
from django.views.decorators.vary import vary_on_cookie

from . import feeds, views

app_name = "papers"

urlpatterns = [
    path("<int:pk>/pdf/", views.paper_pdf, name="pdf"),
    path("<int:pk>/pdf/status/", views.paper_pdf_status, name="pdf_status"),
    path("feed/", vary_on_cookie(feeds.PaperFeed()), name="feed"),
    path("feed/atom/", vary_on_cookie(feeds.PaperAtomFeed()), name="feed-atom"),
    path("feed/u/<str:token>/", feeds.PaperFeed(), name="user_feed"),
    path("feed/u/<str:token>/atom/", feeds.PaperAtomFeed(), name="user_feed_atom"),
]
