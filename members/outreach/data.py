"""What reaching out holds about a member: their settings section, "download my data", erasing."""

from django.db.models import Q
from django.utils.translation import gettext

from .models import Block, Conversation, DirectoryProfile, HelpRequest, Report
from .relay import name_of

SETTINGS_SECTION = "members/outreach/_settings_section.html"


def _conversations(user):
    """Every message the member wrote, and every one that reached them; the other member by name only."""
    conversations = []
    for conversation in (
        Conversation.objects.involving(user).select_related("starter", "recipient").order_by("pk")
    ):
        messages = conversation.visible_messages(user)
        conversations.append(
            {
                "with": name_of(conversation.other(user)),
                "begun_by_you": conversation.starter_id == user.pk,
                "messages": [
                    {
                        "from_you": message.sender_id == user.pk,
                        "sent_at": message.created_at,
                        "body": message.body,
                        **(
                            {"replies_to_your_address": message.reply_to_sender}
                            if message.sender_id == user.pk
                            else {}
                        ),
                    }
                    for message in messages
                ],
            }
        )
    return [conversation for conversation in conversations if conversation["messages"]]


def personal_data(user):
    profile = DirectoryProfile.objects.filter(user=user).first()
    directory = None
    if profile is not None:
        directory = {
            "listed": profile.listed,
            "languages": profile.languages,
            "ask_me_about": profile.ask_me_about,
            "updated_at": profile.updated_at,
        }
    return {
        "directory_entry": directory,
        "conversations": _conversations(user),
        "members_you_blocked": [
            {"member": name_of(block.blocked), "since": block.created_at}
            for block in Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at")
        ],
        "messages_you_reported": [
            {"reported_at": report.created_at, "message": report.body, "reason": report.reason}
            for report in Report.objects.filter(reporter=user).order_by("created_at")
        ],
        # Anonymous requests are not here: nothing links them to the member.
        "help_requests_with_your_name": [
            {
                "received_on": help_request.received_on,
                "to": name_of(help_request.addressed_to)
                if help_request.addressed_to
                else gettext("all organizers"),
                "about": help_request.get_about_display(),
                "request": help_request.body,
                "status": help_request.get_status_display(),
                "handled_by": name_of(help_request.handled_by) if help_request.handled_by else None,
            }
            for help_request in HelpRequest.objects.filter(sender=user).select_related(
                "addressed_to", "handled_by"
            )
        ],
    }


def erase(user):
    """Erasing removes the entry, the member's conversations (both sides) and blocks, by or of them.

    Their help requests with their name are deleted. Reports stay with the organizers (a copy of the reported message is the
    record of a code-of-conduct concern), no longer linked to the member.
    """
    DirectoryProfile.objects.filter(user=user).delete()
    Conversation.objects.involving(user).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
    Report.objects.filter(sender=user).update(sender=None)
    HelpRequest.objects.filter(sender=user).delete()
