"""Moderation: organizers see the backlog with filters, hide topics with a reason, merge duplicates."""

from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.admin_access import OrganizerAdminMixin, OrganizerReadOnlyMixin
from solidarityclub.admin_actions import confirm_action, confirmed

from . import backlog
from .backlog import BacklogError
from .forms import HideForm, MergeForm, WebAddressField
from .models import Decision, Dot, DotVote, Topic, TopicEvent


class TopicEventInline(OrganizerReadOnlyMixin, admin.TabularInline):
    """The history is written by the code, never by hand."""

    model = TopicEvent
    fk_name = "topic"
    fields = ["created_at", "kind", "actor", "meeting", "other_topic", "minutes", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Topic)
class TopicAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    """Every organizer moderates topics, without a separate permission to hand out."""

    list_display = ["title", "status", "format", "support_count", "proposer", "meeting", "created_at"]
    list_filter = ["status", "format", ("meeting", admin.EmptyFieldListFilter)]
    search_fields = ["title", "description"]
    list_select_related = ["proposer", "meeting"]
    list_per_page = 50
    ordering = ["status", "-support_count", "created_at"]
    date_hierarchy = "created_at"
    raw_id_fields = ["proposer", "merged_into", "meeting"]
    readonly_fields = [
        "support_count",
        "status",
        "merged_into",
        "meeting",
        "gathered_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "description", "format", "link_1", "link_2", "link_3", "proposer"]}),
        (
            _("Standing"),
            {
                "fields": [
                    "status",
                    "support_count",
                    "hidden_reason",
                    "merged_into",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("On a meeting's agenda"),
            {"fields": ["meeting", "gathered_minutes", "gathered_at", "discussed_note"]},
        ),
    ]
    inlines = [TopicEventInline]
    formfield_overrides = {models.URLField: {"form_class": WebAddressField}}
    actions = ["hide_topics", "show_topics_again", "merge_topics"]

    def has_add_permission(self, request):
        # Topics are proposed by members on the site, where the duplicate check and history apply.
        return False

    # Deleting a topic stays with Django's per-model permission (superusers), not every organizer.
    has_delete_permission = admin.ModelAdmin.has_delete_permission

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            backlog.record(obj, TopicEvent.Kind.EDITED, request.user)

    @admin.action(description=_("Hide the selected topics (with a reason)"))
    def hide_topics(self, request, queryset):
        form = HideForm(confirmed(request))
        if form.is_bound and form.is_valid():
            for topic in queryset:
                backlog.hide(topic, request.user, form.cleaned_data["reason"])
            hidden = len(queryset)
            self.message_user(
                request,
                ngettext(
                    "Hid %(count)d topic. Its proposer sees the reason.",
                    "Hid %(count)d topics. Their proposers see the reason.",
                    hidden,
                )
                % {"count": hidden},
            )
            return None
        return self._intermediate(request, queryset, form, "hide_topics", gettext("Hide topics"))

    @admin.action(description=_("Show the selected hidden topics again"))
    def show_topics_again(self, request, queryset):
        for topic in queryset:
            try:
                backlog.show_again(topic, request.user)
            except BacklogError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, gettext("“%(topic)s” is back in the backlog.") % {"topic": topic})

    @admin.action(description=_("Merge the selected duplicates into another topic"))
    def merge_topics(self, request, queryset):
        sources = list(queryset)
        form = MergeForm(confirmed(request), sources=sources)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            try:
                target = backlog.merge(sources, target, request.user)
            except BacklogError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Merged %(count)d topic into “%(target)s”;",
                        "Merged %(count)d topics into “%(target)s”;",
                        len(sources),
                    )
                    % {"count": len(sources), "target": target}
                    + " "
                    + ngettext(
                        "it now has %(count)d supporter, counted once.",
                        "it now has %(count)d supporters, each counted once.",
                        target.support_count,
                    )
                    % {"count": target.support_count},
                )
            return None
        return self._intermediate(request, queryset, form, "merge_topics", gettext("Merge topics"))

    def _intermediate(self, request, queryset, form, action, title):
        return confirm_action(
            self,
            request,
            queryset,
            title=title,
            template="topics/admin/action_form.html",
            action=action,
            form=form,
        )


@admin.register(Decision)
class DecisionAdmin(OrganizerReadOnlyMixin, admin.ModelAdmin):
    """The register, read-only: decisions are opened, counted and documented on the site.

    Ballots and participations have no admin page: a secret ballot must not be
    browsable next to the list of who voted.
    """

    list_display = ["question", "method", "status", "closes_at", "turnout", "is_secret", "created_at"]
    list_filter = ["status", "method", "is_secret"]
    search_fields = ["question", "context", "outcome"]
    list_select_related = ["meeting"]
    list_per_page = 50
    date_hierarchy = "created_at"
    readonly_fields = [
        "question",
        "context",
        "method",
        "is_secret",
        "hide_results_until_close",
        "quorum_percent",
        "dots_per_member",
        "status",
        "closes_at",
        "topic",
        "meeting",
        "corrects",
        "proposed_by",
        "opened_by",
        "facilitator",
        "decline_note",
        "opened_at",
        "closed_at",
        "decided_at",
        "eligible_count",
        "turnout",
        "outcome",
        "published_post_url",
        "on_the_site",
    ]
    fields = readonly_fields

    @admin.display(description=_("On the site"))
    def on_the_site(self, decision):
        return format_html('<a href="{}">{}</a>', decision.get_absolute_url(), decision.get_absolute_url())


class DotInline(OrganizerReadOnlyMixin, admin.TabularInline):
    """Who placed which dots: seen by organizers only, never on the live page."""

    model = Dot
    fields = ["user", "topic", "count", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DotVote)
class DotVoteAdmin(OrganizerReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "opened_at", "closed_at", "dots_per_member", "max_per_topic"]
    list_select_related = ["meeting"]
    fields = [
        "meeting",
        "opened_by",
        "opened_at",
        "closed_at",
        "dots_per_member",
        "max_per_topic",
        "minutes_per_topic",
    ]
    readonly_fields = fields
    inlines = [DotInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "opened_by")

    # Deleting a dot vote stays with Django's per-model permission (superusers), not every organizer.
    has_delete_permission = admin.ModelAdmin.has_delete_permission
