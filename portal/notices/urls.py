"""Routes of the notices app outside the Wagtail page tree (which serves /notices/ itself).

They sit under /notices/ too, so the slugs ``feed``, ``responses``, ``respond``, ``follow`` and
``interest`` are reserved there (``slugs.RESERVED``): such a notice would be shadowed.
"""

from django.urls import path

from . import feeds, views

app_name = "notices"

urlpatterns = [
    path("feed/", feeds.NoticeFeed(), name="feed"),
    path("feed/atom/", feeds.NoticeAtomFeed(), name="feed_atom"),
    path("feed/me/", views.feed_token, name="feed_token"),
    path("feed/me/regenerate/", views.regenerate_feed_token, name="feed_token_regenerate"),
    path("feed/u/<str:token>/", feeds.NoticeFeed(), name="user_feed"),
    path("feed/u/<str:token>/atom/", feeds.NoticeAtomFeed(), name="user_feed_atom"),
    path("feed/u/<str:token>/<str:kind>/", feeds.NoticeFeed(), name="user_kind_feed"),
    path("feed/<str:kind>/", feeds.NoticeFeed(), name="kind_feed"),
    path("feed/<str:kind>/atom/", feeds.NoticeAtomFeed(), name="kind_feed_atom"),
    path("respond/<int:notice_id>/", views.respond, name="respond"),
    path("follow/<int:notice_id>/", views.follow, name="follow"),
    path("interest/<int:notice_id>/", views.interest, name="interest"),
    path("responses/", views.my_responses, name="my_responses"),
    path("responses/files/<int:file_id>/", views.response_file, name="response_file"),
]
