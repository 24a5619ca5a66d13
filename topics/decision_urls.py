"""The decision register, at /decisions/ (its own namespace, served by the topics app)."""

from django.urls import path

from . import decision_views as views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_new, name="new"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/vote/", views.decision_vote, name="vote"),
    path("<int:pk>/open/", views.decision_open, name="open"),
    path("<int:pk>/decline/", views.decision_decline, name="decline"),
    path("<int:pk>/close/", views.decision_close, name="close"),
    path("<int:pk>/outcome/", views.decision_outcome, name="outcome"),
    path("<int:pk>/publish/", views.decision_publish, name="publish"),
]
