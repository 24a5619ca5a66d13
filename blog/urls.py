from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.post_list, name="list"),
    # Before the post pattern: "feed" is a reserved slug (blog.models.RESERVED_SLUGS).
    path("feed/", require_safe(feeds.PostFeed()), name="feed"),
    path("<slug:slug>/", views.post_detail, name="detail"),
]
