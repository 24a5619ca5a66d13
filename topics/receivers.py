"""Keeping topics true when rows they depend on are deleted."""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from meetings.models import Meeting
from meetings.signals import meeting_cancelled
from members.signals import collect_personal_data, erase_personal_data

from . import backlog, decisions


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="topics_forget_supports")
def forget_supports(sender, instance, **kwargs):
    # The member's Support rows are deleted with the account; the counts must drop with them.
    backlog.forget_supports_of(instance)


@receiver(pre_delete, sender=Meeting, dispatch_uid="topics_return_gathered")
def return_gathered_topics(sender, instance, **kwargs):
    backlog.return_all_gathered(instance, backlog.DELETED)


@receiver(meeting_cancelled, dispatch_uid="topics_return_when_cancelled")
def return_topics_of_cancelled_meeting(sender, meeting, **kwargs):
    # Inside Meeting.cancel()'s transaction: the proposers' emails are queued with it.
    backlog.return_all_gathered(meeting, backlog.CANCELLED, notify=True)


@receiver(collect_personal_data, dispatch_uid="topics_decisions_personal_data")
def decisions_personal_data(sender, user, **kwargs):
    return {"decisions": decisions.personal_data(user)}


@receiver(erase_personal_data, dispatch_uid="topics_decisions_erase")
def erase_decisions_data(sender, user, **kwargs):
    decisions.erase(user)
