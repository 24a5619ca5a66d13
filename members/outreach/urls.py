"""Routed inside members.urls, so the names are members:directory, members:help…"""

from django.urls import path

from . import directory

urlpatterns = [
    path("members/", directory.directory, name="directory"),
    path("members/<int:pk>/", directory.entry, name="entry"),
    path("members/settings/directory/", directory.directory_settings, name="directory-settings"),
]
