from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("members/settings/", views.member_settings, name="settings"),
]
