from django.urls import path

from . import live_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("past/", views.past_list, name="past"),
    path("calendar.ics", views.public_feed, name="feed"),
    path("calendar/reset/", views.reset_feed, name="reset-feed"),
    path("calendar/<slug:token>.ics", views.private_feed, name="private-feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:pk>/calendar.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/live/", live_views.live_page, name="live"),
    path("<int:pk>/live/state/", live_views.live_state, name="live-state"),
    path("<int:pk>/live/pacing-to-notes/", live_views.pacing_to_notes, name="pacing-to-notes"),
    path("<int:pk>/live/<slug:action>/", live_views.live_control, name="live-control"),
]
