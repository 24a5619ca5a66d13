"""Organizers see reports (a copy of the reported message) and help requests; never members' other messages."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.admin_access import OrganizerAdminMixin
from members.models import FORMER_MEMBER

from . import help as help_requests
from .models import HelpRequest, Report


class HandledAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    """Shared by reports and help requests: organizers pick them up, then close them."""

    list_filter = ["status"]
    actions = ["pick_up", "close"]

    def has_add_permission(self, request):
        return False  # they come from members, on the site

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def picked_up(self, request, obj):
        """Hook: called once for each item this organizer picked up."""

    @admin.action(description=gettext_lazy("I will handle the selected ones"))
    def pick_up(self, request, queryset):
        count = 0
        for obj in queryset.filter(status=Report.Status.OPEN):
            with transaction.atomic():
                if obj.pick_up(by=request.user):
                    self.picked_up(request, obj)
                    count += 1
        self.message_user(request, _("You picked up %(count)s.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Close the selected ones"))
    def close(self, request, queryset):
        count = 0
        for obj in queryset.exclude(status=Report.Status.CLOSED):
            obj.close(by=request.user)
            count += 1
        self.message_user(request, _("You closed %(count)s.") % {"count": count}, messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(HandledAdmin):
    list_display = ["__str__", "created_at", "reporter_name", "sender_name", "status", "handled_by"]
    list_select_related = ["reporter", "sender", "handled_by"]
    fields = [
        "created_at",
        "reporter",
        "sender",
        "sent_at",
        "body",
        "reason",
        "status",
        "handled_by",
        "picked_up_at",
        "closed_at",
        "organizer_notes",
    ]
    readonly_fields = [field for field in fields if field != "organizer_notes"]

    @admin.display(description=gettext_lazy("reported by"))
    def reporter_name(self, obj):
        return obj.reporter or FORMER_MEMBER

    @admin.display(description=gettext_lazy("sent by"))
    def sender_name(self, obj):
        return obj.sender or FORMER_MEMBER


@admin.register(HelpRequest)
class HelpRequestAdmin(HandledAdmin):
    list_display = ["__str__", "received_on", "about", "sender_name", "addressee", "status", "handled_by"]
    list_filter = ["status", "about"]
    list_select_related = ["sender", "addressed_to", "handled_by"]
    fields = [
        "received_on",
        "sender",
        "to_all_organizers",
        "addressed_to",
        "about",
        "body",
        "status",
        "handled_by",
        "picked_up_at",
        "closed_at",
        "organizer_notes",
    ]
    readonly_fields = [field for field in fields if field != "organizer_notes"]

    def get_queryset(self, request):
        # Confidential: a request to one organizer is for that organizer only.
        return super().get_queryset(request).visible_to(request.user)

    def picked_up(self, request, obj):
        help_requests.tell_sender_it_is_picked_up(obj, request=request)

    @admin.display(description=gettext_lazy("from"))
    def sender_name(self, obj):
        if obj.sender_id is None:
            return _("anonymous")
        return f"{obj.sender} <{obj.sender.email}>"

    @admin.display(description=gettext_lazy("to"))
    def addressee(self, obj):
        if obj.to_all_organizers:
            return _("all organizers")
        return obj.addressed_to or _("an organizer who is gone")
