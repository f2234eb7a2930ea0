"""Routes under /papers/ that are not pages: the PDF download and the feeds. The pages
themselves (index and papers) are Wagtail's, served by the page tree."""

from django.urls import path
from django.views.decorators.vary import vary_on_cookie

from . import feeds, views

app_name = "papers"

urlpatterns = [
    path("<int:pk>/pdf/", views.paper_pdf, name="pdf"),
    path("feed/", vary_on_cookie(feeds.PaperFeed()), name="feed"),
    path("feed/atom/", vary_on_cookie(feeds.PaperAtomFeed()), name="feed-atom"),
]
