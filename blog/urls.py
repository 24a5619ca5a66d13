from django.urls import path

from . import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.post_list, name="list"),
    # Before the post pattern: "feed" is a reserved slug (blog.models.RESERVED_SLUGS).
    path("feed/", feeds.post_feed, name="feed"),
    path("<slug:slug>/", views.post_detail, name="detail"),
]
