from django.urls import include, path

from . import stop_emails, views

app_name = "members"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join-thanks"),
    path("join/confirm/<str:token>/", views.confirm, name="confirm"),
    path("join/confirmed/", views.confirmed, name="confirmed"),
    path("members/requests/<str:token>/decide/", views.decide, name="decide"),
    path("members/welcome/", views.start, name="start"),
    path("members/welcome/<str:uidb64>/<str:token>/", views.welcome, name="welcome"),
    path("members/settings/", views.member_settings, name="settings"),
    path("members/settings/break/", views.take_break, name="take-break"),
    path("members/settings/come-back/", views.come_back, name="come-back"),
    path("members/settings/leave/", views.leave, name="leave"),
    path("members/settings/my-data.json", views.my_data, name="my-data"),
    path("members/goodbye/", views.left, name="left"),
    path("emails/stop/<str:token>/", stop_emails.stop_emails, name="stop-emails"),
    path("", include("members.outreach.urls")),
]
