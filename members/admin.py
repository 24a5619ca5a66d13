from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mailer.models import RESULT_SUCCESS, DontSendEntry, Message, MessageLog

from solidarityclub.admin_actions import confirm_action, confirmed
from solidarityclub.times import format_when

from . import access
from .admin_access import OrganizerAdminMixin, OrganizerReadOnlyMixin
from .forms import AdviseBreakForm, DecisionForm
from .models import AccessRequest, AccessRequestEmail, InboxMessage, User


def _delivery(attempts):
    """Whether one email about a request went out, from the mail queue's log of its attempts."""
    sent = [attempt for attempt in attempts if attempt.result == RESULT_SUCCESS]
    if sent:
        return gettext("Sent %(when)s") % {"when": format_when(sent[-1].when_attempted)}
    if attempts:
        failed = ngettext(
            "Failed once (%(reason)s): will be retried",
            "Failed %(count)d× (%(reason)s): will be retried",
            len(attempts),
        )
        return failed % {
            "count": len(attempts),
            "reason": attempts[-1].log_message or gettext("no reason given"),
        }
    return gettext("Waiting in the mail queue")


def _decision_form(data, approve):
    """The organizer's message for an approval or a decline: unbound (asking) while `data` is None."""
    decision = "approve" if approve else "decline"
    return DecisionForm(
        None if data is None else {**data.dict(), "decision": decision}, initial={"decision": decision}
    )


class AccessRequestEmailInline(OrganizerReadOnlyMixin, admin.TabularInline):
    model = AccessRequestEmail
    fields = ["kind", "to", "queued_at", "delivery"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Emails about this request")

    @admin.display(description=_("delivery"))
    def delivery(self, obj):
        # One query for the whole request's emails (an inline instance lives for one page).
        if not hasattr(self, "_attempts"):
            self._attempts = defaultdict(list)
            message_ids = AccessRequestEmail.objects.filter(access_request_id=obj.access_request_id).values(
                "message_id"
            )
            attempts = MessageLog.objects.filter(message_id__in=message_ids).order_by("when_attempted")
            for attempt in attempts.only("message_id", "result", "log_message", "when_attempted"):
                self._attempts[attempt.message_id].append(attempt)
        return _delivery(self._attempts[obj.message_id])


def _original_link(obj):
    if obj.pk is None or not obj.size:
        return "—"
    return format_html(
        '<a href="{}">{}</a> ({} KB)',
        reverse("admin:members_inboxmessage_original", args=[obj.pk]),
        _("Download the original (.eml)"),
        max(1, obj.size // 1024),
    )


class InboxMessageInline(OrganizerReadOnlyMixin, admin.StackedInline):
    """Emails to the club's address about this request or from this member."""

    model = InboxMessage
    fk_name = "access_request"
    fields = ["read_at", "sender", "subject", "outcome", "text", "original_message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("email to the club")
    verbose_name_plural = _("Emails to the club (the request, and notes that arrived later)")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("original")

    @admin.display(description=_("original"))
    def original_message(self, obj):
        return _original_link(obj)


class MemberNoteInline(InboxMessageInline):
    fk_name = "member"
    verbose_name = _("note: an email to the club")
    verbose_name_plural = _("Notes: emails this member sent to the club's address")


@admin.register(AccessRequest)
class AccessRequestAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["decided_by"]
    search_fields = ["name", "email", "motivation", "heard_from"]
    date_hierarchy = "created_at"
    actions = ["approve_selected", "decline_selected"]
    inlines = [InboxMessageInline, AccessRequestEmailInline]
    change_form_template = "members/admin/accessrequest_change_form.html"
    change_list_template = "members/admin/accessrequest_change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "email",
                    "pronouns",
                    "motivation",
                    "heard_from",
                    "agreed_to_code_of_conduct",
                ]
            },
        ),
        (_("Progress"), {"fields": ["status", "source", "created_at", "confirmed_at"]}),
        (_("Decision"), {"fields": ["decided_by", "decided_at", "decision_message", "member"]}),
    ]
    readonly_fields = [
        "name",
        "email",
        "pronouns",
        "motivation",
        "heard_from",
        "agreed_to_code_of_conduct",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "decided_by",
        "decided_at",
        "decision_message",
        "member",
    ]

    def has_add_permission(self, request):
        # Requests come from the join form, whose address is confirmed by email.
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.decision_view),
                {"approve": True},
                name="members_accessrequest_approve",
            ),
            path(
                "<path:object_id>/decline/",
                self.admin_site.admin_view(self.decision_view),
                {"approve": False},
                name="members_accessrequest_decline",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **self._mail_queue_context(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            **self._mail_queue_context(request),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _mail_queue_context(self, request):
        """How many emails (of any kind) failed and wait for a retry; the mail queue's admin for superusers."""
        context = {
            "failed_email_count": Message.objects.deferred().count(),
            "unreadable_inbox_count": InboxMessage.objects.unreadable().count(),
            "inbox_unreadable_url": reverse("admin:members_inboxmessage_changelist")
            + "?outcome__exact=unreadable",
        }
        if request.user.has_perm("mailer.view_message"):
            context["mail_queue_url"] = reverse("admin:mailer_message_changelist") + "?priority__exact=4"
        return context

    def decision_view(self, request, object_id, approve):
        """Approve or decline one request, with an optional personal message (a GET only asks)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        access_request = self.get_object(request, unquote(object_id))
        if access_request is None:  # no such request, or not even a number
            raise Http404(gettext("There is no access request with the id “%(id)s”.") % {"id": object_id})
        change_url = reverse("admin:members_accessrequest_change", args=[access_request.pk])
        if access_request.status != AccessRequest.Status.PENDING:
            self.message_user(
                request, gettext("This request is not waiting for a decision."), messages.WARNING
            )
            return redirect(change_url)
        form = _decision_form(request.POST if request.method == "POST" else None, approve)
        if form.is_valid():
            self._decide(request, [access_request], approve, form.cleaned_data)
            return redirect(change_url)
        title = (
            gettext("Approve the request from %(name)s")
            if approve
            else gettext("Decline the request from %(name)s")
        ) % {"name": access_request.name}
        return confirm_action(
            self,
            request,
            [access_request],
            title=title,
            template="members/admin/accessrequest_decide.html",
            form=form,
            approve=approve,
            cancel_url=change_url,
        )

    def _decide(self, request, access_requests, approve, data):
        decided = 0
        for access_request in access_requests:
            try:
                access.decide(
                    access_request,
                    approve=approve,
                    by=request.user,
                    message=data["message"],
                    send_decline_message=data["send_decline_message"],
                    request=request,
                )
            except access.AlreadyDecidedError:
                self.message_user(
                    request,
                    gettext("%(name)s: not waiting for a decision, left as it was.")
                    % {"name": access_request.name},
                    messages.WARNING,
                )
            else:
                decided += 1
        if decided:
            if approve:
                text = ngettext("Approved %(count)d request.", "Approved %(count)d requests.", decided)
            else:
                text = ngettext("Declined %(count)d request.", "Declined %(count)d requests.", decided)
            self.message_user(request, text % {"count": decided}, messages.SUCCESS)

    def _decide_selected(self, request, queryset, approve):
        pending = list(queryset.filter(status=AccessRequest.Status.PENDING))
        if not pending:
            self.message_user(
                request, gettext("None of the selected requests is waiting for a decision."), messages.WARNING
            )
            return None
        form = _decision_form(confirmed(request), approve)
        if form.is_valid():
            self._decide(request, pending, approve, form.cleaned_data)
            return None
        title = (
            ngettext("Approve %(count)d request", "Approve %(count)d requests", len(pending))
            if approve
            else ngettext("Decline %(count)d request", "Decline %(count)d requests", len(pending))
        ) % {"count": len(pending)}
        return confirm_action(
            self,
            request,
            pending,
            title=title,
            template="members/admin/accessrequest_decide.html",
            action="approve_selected" if approve else "decline_selected",
            form=form,
            approve=approve,
            cancel_url=reverse("admin:members_accessrequest_changelist"),
        )

    @admin.action(description=_("Approve selected requests…"))
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, approve=True)

    @admin.action(description=_("Decline selected requests…"))
    def decline_selected(self, request, queryset):
        return self._decide_selected(request, queryset, approve=False)


class OnBreakFilter(admin.SimpleListFilter):
    title = _("break")
    parameter_name = "on_break"

    def lookups(self, request, model_admin):
        return [("yes", gettext("On a break")), ("no", gettext("Not on a break"))]

    def queryset(self, request, queryset):
        on_break = User.objects.on_break().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=on_break)
        if self.value() == "no":
            return queryset.exclude(pk__in=on_break)
        return queryset


@admin.register(User)
class UserAdmin(OrganizerAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "is_staff",
        "is_active",
        "break_since",
        "break_until",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", OnBreakFilter, "is_superuser"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined", "break_advised_by", "left_at", "erased_at"]
    actions = ["advise_break", "end_break"]
    inlines = [MemberNoteInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "pronouns", "time_zone"]}),
        (_("Break"), {"fields": ["break_since", "break_until", "break_note", "break_advised_by"]}),
        (
            _("Emails wanted"),
            {
                "fields": [
                    "wants_announcements",
                    "wants_meeting_reminders",
                    "wants_topic_news",
                    "wants_decision_notices",
                    "wants_weekly_digest",
                    "wants_request_notifications",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "left_at", "erased_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def has_change_permission(self, request, obj=None):
        # Only a superuser changes a superuser (and so their password).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        # Accounts come from approved access requests; superusers may still add one by hand.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Advise a break (with a note and an end date)…"))
    def advise_break(self, request, queryset):
        members = list(queryset.filter(is_active=True))
        form = AdviseBreakForm(confirmed(request))
        if form.is_valid():
            for member in members:
                member.advise_break(
                    until=form.cleaned_data["until"], note=form.cleaned_data["note"], by=request.user
                )
            self.message_user(
                request,
                gettext("Advised a break until %(until)s to %(names)s.")
                % {
                    "until": date_format(form.cleaned_data["until"]),
                    "names": ", ".join(str(member) for member in members),
                },
                messages.SUCCESS,
            )
            return None
        return confirm_action(
            self,
            request,
            members,
            title=gettext("Advise a break"),
            template="members/admin/advise_break.html",
            action="advise_break",
            form=form,
        )

    @admin.action(description=_("End the break of the selected members"))
    def end_break(self, request, queryset):
        ended = 0
        for member in queryset.filter(~Q(break_since=None)):
            member.end_break()
            ended += 1
        self.message_user(
            request,
            ngettext("Ended %(count)d break.", "Ended %(count)d breaks.", ended) % {"count": ended},
            messages.SUCCESS,
        )


@admin.register(InboxMessage)
class InboxMessageAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    """What `read_club_inbox` made of each email to the club's address."""

    list_display = ["read_at", "sender", "subject", "outcome", "about", "reason_shown"]
    list_filter = ["outcome"]
    list_select_related = ["access_request", "member"]
    search_fields = ["from_name", "from_address", "subject", "text"]
    date_hierarchy = "read_at"
    change_list_template = "members/admin/inboxmessage_change_list.html"
    fields = [
        "sender",
        "subject",
        "sent_at",
        "read_at",
        "outcome",
        "reason_shown",
        "access_request",
        "member",
        "text",
        "original_message",
        "message_id",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("original")

    def has_add_permission(self, request):
        return False

    # Organizers may delete (the mixin): deleting an unreadable message's row makes the next run try it again.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/original.eml",
                self.admin_site.admin_view(self.original_view),
                name="members_inboxmessage_original",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "unreadable_inbox_count": InboxMessage.objects.unreadable().count(),
            "inbox_unreadable_url": reverse("admin:members_inboxmessage_changelist")
            + "?outcome__exact=unreadable",
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("sender"))
    def sender(self, obj):
        return obj.sender

    @admin.display(description=_("reason"))
    def reason_shown(self, obj):
        return obj.reason_shown

    @admin.display(description=_("about"))
    def about(self, obj):
        target = obj.access_request or obj.member
        if target is None:
            return "—"
        info = "accessrequest" if obj.access_request_id else "user"
        return format_html(
            '<a href="{}">{}</a>', reverse(f"admin:members_{info}_change", args=[target.pk]), target
        )

    @admin.display(description=_("original message"))
    def original_message(self, obj):
        return _original_link(obj)

    def original_view(self, request, object_id):
        """The message exactly as it arrived, for a mail program (never shown as HTML here)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        pk = int(object_id) if object_id.isascii() and object_id.isdigit() else 0
        message = InboxMessage.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
        if message is None or not message.size:
            raise Http404
        response = HttpResponse(bytes(message.original), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="club-inbox-{message.pk}.eml"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# Reports and help requests (reaching out) register themselves with the same admin.
from .outreach import admin as outreach_admin  # noqa: E402, F401


class SuperusersOnly:
    """Sections organizers never need (mail log internals, groups): shown to superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


def _superusers_only(model):
    if admin.site.is_registered(model):
        base = admin.site.get_model_admin(model).__class__
        admin.site.unregister(model)
        admin.site.register(model, type(f"SuperusersOnly{base.__name__}", (SuperusersOnly, base), {}))


# Their own admin modules register them first (imported here, so the order of apps does not matter).
import mailer.admin  # noqa: E402, F401

for _model in (Group, MessageLog, DontSendEntry):
    _superusers_only(_model)
