"""Included at the site root: the backlog under /topics/, and gathering at /meetings/<id>/gather/.

The gather page belongs to topics (meetings never imports topics) but lives
under the meeting's URL, so both are routed from here in one namespace.
"""

from django.urls import path

from . import views

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
]
