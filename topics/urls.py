"""Included at the site root: the backlog under /topics/, gathering at /meetings/<id>/gather/ and the
live dot-vote at /meetings/<id>/live/dots/.

The gather page belongs to topics (meetings never imports topics) but lives
under the meeting's URL, so both are routed from here in one namespace.
"""

from django.urls import path

from . import live_views, views

app_name = "topics"

urlpatterns = [
    path("topics/", views.topic_list, name="list"),
    path("topics/new/", views.topic_new, name="new"),
    path("topics/<int:pk>/", views.topic_detail, name="detail"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="edit"),
    path("topics/<int:pk>/withdraw/", views.topic_withdraw, name="withdraw"),
    path("topics/<int:pk>/support/", views.topic_support, name="support"),
    path("topics/<int:pk>/discussed/", views.topic_discussed, name="discussed"),
    path("topics/<int:pk>/return/", views.topic_return, name="return"),
    path("meetings/<int:meeting_id>/gather/", views.gather, name="gather"),
    path("meetings/<int:meeting_id>/live/dots/open/", live_views.open_vote, name="dot-vote-open"),
    path("meetings/<int:meeting_id>/live/dots/close/", live_views.close_vote, name="dot-vote-close"),
    path("meetings/<int:meeting_id>/live/dots/<int:topic_id>/", live_views.move_dot, name="dot-vote-move"),
]
