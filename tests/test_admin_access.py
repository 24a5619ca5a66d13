"""Who may do what in each section of the admin: organizers by members.standing, nothing by accident.

The table is the whole admin (every registered model admin and its inlines), so a section that
gains or loses a permission shows here.  Letters: m(odule) v(iew) a(dd) c(hange) d(elete).
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from members.accounts import create_member
from members.admin_access import OrganizerAdminMixin

ROLES = ["member", "organizer", "superuser"]


def _letters(model_admin, request):
    inline = isinstance(model_admin, admin.options.InlineModelAdmin)
    granted = [
        ("m", not inline and model_admin.has_module_permission(request)),
        ("v", model_admin.has_view_permission(request)),
        (
            "a",
            model_admin.has_add_permission(request, None)
            if inline
            else model_admin.has_add_permission(request),
        ),
        ("c", model_admin.has_change_permission(request)),
        # An inline's rows are deleted only where it allows it at all (can_delete).
        ("d", (not inline or model_admin.can_delete) and model_admin.has_delete_permission(request)),
    ]
    return "".join(letter for letter, yes in granted if yes) or "-"


def _table(users):
    table = {}
    for model, model_admin in admin.site._registry.items():
        sections = [(model_admin.__class__.__name__, model_admin)]
        sections += [
            (f"{model_admin.__class__.__name__}.{inline.__name__}", inline(model_admin.model, admin.site))
            for inline in model_admin.inlines
        ]
        for name, section in sections:
            row = []
            for role in ROLES:
                request = RequestFactory().get("/admin/")
                request.user = users[role]
                row.append(_letters(section, request))
            table[f"{model._meta.label} {name}"] = " ".join(row)
    return table


EXPECTED = {  # member organizer superuser
    "members.AccessRequest AccessRequestAdmin": "- mvcd mvcd",
    "members.AccessRequest AccessRequestAdmin.InboxMessageInline": "- v v",
    "members.AccessRequest AccessRequestAdmin.AccessRequestEmailInline": "- v v",
    "members.User UserAdmin": "- mvc mvacd",
    "members.User UserAdmin.MemberNoteInline": "- v v",
    "members.InboxMessage InboxMessageAdmin": "- mvcd mvcd",
    "members.Report ReportAdmin": "- mvc mvcd",
    "members.HelpRequest HelpRequestAdmin": "- mvc mvcd",
    "mailer.Message MessageAdmin": "- - mvacd",
    "auth.Group SuperusersOnlyGroupAdmin": "- - mvacd",
    "mailer.MessageLog SuperusersOnlyMessageLogAdmin": "- - mvacd",
    "mailer.DontSendEntry SuperusersOnlyDontSendEntryAdmin": "- - mvacd",
    "meetings.Meeting MeetingAdmin": "- mvacd mvacd",
    "meetings.Meeting MeetingAdmin.AgendaItemInline": "- vacd vacd",
    "meetings.Meeting MeetingAdmin.RSVPInline": "- v v",
    "meetings.AgendaTemplate AgendaTemplateAdmin": "- mvacd mvacd",
    "meetings.AgendaTemplate AgendaTemplateAdmin.AgendaTemplateItemInline": "- vacd vacd",
    "meetings.Series SeriesAdmin": "- mvacd mvacd",
    "topics.Topic TopicAdmin": "- mvc mvcd",
    "topics.Topic TopicAdmin.TopicEventInline": "- v v",
    "topics.Decision DecisionAdmin": "- mv mv",
    "topics.DotVote DotVoteAdmin": "- mv mvd",
    "topics.DotVote DotVoteAdmin.DotInline": "- v v",
    "blog.Post PostAdmin": "- mvacd mvacd",
    "account.EmailAddress EmailAddressAdmin": "- - mvacd",
    "mfa.Authenticator AuthenticatorAdmin": "- - mvacd",
}


@pytest.mark.django_db
def test_every_admin_section_grants_what_it_did(member, organizer):
    users = {
        "member": member,
        "organizer": organizer,
        "superuser": create_member("root@example.org", is_staff=True, is_superuser=True),
    }
    assert _table(users) == EXPECTED


def test_the_organizer_sections_share_one_mixin():
    organizer_sections = [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.__module__.split(".")[0] in {"members", "meetings", "topics", "blog"}
        and not model_admin.__class__.__name__.startswith("SuperusersOnly")
    ]
    assert organizer_sections
    for model_admin in organizer_sections:
        assert isinstance(model_admin, OrganizerAdminMixin), model_admin
        for inline in model_admin.inlines:
            assert issubclass(inline, OrganizerAdminMixin), inline
