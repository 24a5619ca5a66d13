"""Routed inside members.urls, so the names are members:directory, members:help…"""

from django.urls import path

from . import asking, conversations, directory

urlpatterns = [
    path("members/", directory.directory, name="directory"),
    path("members/<int:pk>/", conversations.entry, name="entry"),
    path("members/settings/directory/", directory.directory_settings, name="directory-settings"),
    path(
        "members/settings/directory/unblock/<int:block_pk>/",
        conversations.unblock_member,
        name="unblock-member",
    ),
    path("members/messages/", conversations.conversations, name="conversations"),
    path("members/messages/<int:pk>/", conversations.conversation, name="conversation"),
    path("members/messages/<int:pk>/block/", conversations.block, name="block"),
    path("members/messages/<int:pk>/unblock/", conversations.unblock, name="unblock"),
    path("members/messages/<int:pk>/report/<int:message_pk>/", conversations.report, name="report"),
]
urlpatterns += [
    path("members/help/", asking.ask, name="help"),
    path("members/help/sent/", asking.sent, name="help-sent"),
]
