"""Scheduling in the admin: meetings with their agenda inline, templates and series.

Times are entered and shown in the club's zone (settings.TIME_ZONE is the
club's zone and nothing activates another one in the admin).
"""

from datetime import datetime, timedelta
from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members.admin_access import OrganizerAdminMixin
from solidarityclub.admin_actions import confirm_action, confirmed
from solidarityclub.times import club_time, club_zone, format_when

from .forms import CancelForm, GenerateForm, MeetingAdminForm, SeriesAdminForm
from .models import (
    RSVP,
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    Meeting,
    Series,
    validate_agenda_minutes,
)


def _clock(moment):
    local = club_time(moment)
    return f"{local:%H:%M} {local.tzname()}"


class AgendaFormSet(BaseInlineFormSet):
    """The agenda is checked as a whole, as it will be once saved: at least one item, at most 12 hours.

    A new meeting may leave it empty: the chosen (or default) template fills it.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.checked_with_its_agenda = True  # the items' own clean() need not ask the database
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        minutes = [
            form.cleaned_data.get("minutes")
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        if not minutes and self.instance.pk is None and self.allows_template:
            return
        try:
            validate_agenda_minutes(minutes)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    allows_template = True


class TemplateAgendaFormSet(AgendaFormSet):
    allows_template = False


class AgendaItemInline(OrganizerAdminMixin, admin.TabularInline):
    model = AgendaItem
    formset = AgendaFormSet
    fields = ["position", "title", "minutes", "description", "holds_topics"]
    extra = 0


class RSVPInline(OrganizerAdminMixin, admin.TabularInline):
    model = RSVP
    fields = ["user", "answer", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("RSVPs")

    def get_queryset(self, request):
        # One query for every row, whatever the number of RSVPs.
        return super().get_queryset(request).select_related("user", "meeting")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WhenFilter(admin.SimpleListFilter):
    title = gettext_lazy("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past")), ("cancelled", _("Cancelled"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        if self.value() == "cancelled":
            return queryset.cancelled()
        return queryset


@admin.register(Meeting)
class MeetingAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    inlines = [AgendaItemInline, RSVPInline]
    list_display = ["title", "when", "format", "status", "going", "series"]
    list_filter = [WhenFilter, "format", "status"]
    list_select_related = ["series"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]

    def get_ordering(self, request):
        # "Upcoming" lists the next meeting first; everything else, the latest first.
        if request.GET.get("when") == "upcoming":
            return ["starts_at", "id"]
        return super().get_ordering(request)

    readonly_fields = ["agenda_preview", "series", "edited_by_hand", "sequence", "updated_at"]
    actions = ["duplicate_meetings", "cancel_meetings", "delete_selected"]

    def get_fieldsets(self, request, obj=None):
        first = ["title", "format", "starts_at", "facilitator"]
        if obj is None:
            first.append("agenda_template")
        return [
            (None, {"fields": first}),
            (_("Agenda"), {"fields": ["agenda_preview"]}),
            (_("Description"), {"fields": ["description", "language"]}),
            (
                _("Video link (members in good standing only)"),
                {"fields": ["video_link", "link_visible_minutes_before"]},
            ),
            (_("Status"), {"fields": ["status", "cancellation_reason"]}),
            (_("Afterwards"), {"fields": ["notes", "public_summary"]}),
            (
                _("Calendar"),
                {"classes": ["collapse"], "fields": ["series", "edited_by_hand", "sequence", "updated_at"]},
            ),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(going_count=Count("rsvps", filter=Q(rsvps__answer=RSVP.Answer.GOING)))
        )

    @admin.display(description=gettext_lazy("starts"), ordering="starts_at")
    def when(self, meeting):
        return format_when(meeting.starts_at)

    @admin.display(description=gettext_lazy("going"), ordering="going_count")
    def going(self, meeting):
        return meeting.going_count

    @admin.display(description=gettext_lazy("clock times"))
    def agenda_preview(self, meeting):
        if meeting is None or meeting.pk is None:
            return _("Saved meetings show their agenda with clock times here.")
        try:
            schedule = meeting.agenda_schedule()
            meeting.crosses_dst  # noqa: B018 (computed here: the start may be one the form refused)
        except (OverflowError, ValueError):
            return _("The clock times show once the start is a valid date.")
        if not schedule:
            return _("No agenda items yet.")
        # Across a daylight-saving change each row says PST or PDT.
        zone_per_row = meeting.crosses_dst
        rows = format_html_join(
            "",
            "<li><strong>{}</strong> {} ({} min)</li>",
            (
                (
                    _clock(row.starts_at) if zone_per_row else f"{row.starts_at:%H:%M}",
                    row.item.title,
                    row.item.minutes,
                )
                for row in schedule
            ),
        )
        start, end = club_time(meeting.starts_at), club_time(meeting.ends_at)
        ends = (
            _clock(meeting.ends_at)
            if end.date() == start.date()
            else f"{end:%a %Y-%m-%d} {_clock(meeting.ends_at)}"
        )
        return format_html(
            '<ul class="meetings-agenda-preview">{}<li>{}</li></ul><p>{}</p>',
            rows,
            format_html(_("ends <strong>{}</strong>"), ends),
            _("%(minutes)s minutes · times in %(zone)s (%(abbreviation)s)")
            % {"minutes": meeting.duration_minutes, "zone": club_zone().key, "abbreviation": start.tzname()},
        )

    def save_model(self, request, obj, form, change):
        """A new time or a cancellation goes through Meeting.move / Meeting.cancel (they tell members)."""
        form.meeting_verbs = []
        if change:
            before = Meeting.objects.filter(pk=obj.pk).values("starts_at", "status").get()
            if obj.is_cancelled and before["status"] != Meeting.Status.CANCELLED:
                # Cancelled (perhaps moved too): one email, the cancellation of the meeting members
                # said they would come to, at its old time; then the move, which tells no one.
                form.meeting_verbs.append(partial(obj.cancel, obj.cancellation_reason))
                if obj.starts_at != before["starts_at"]:
                    form.meeting_verbs.append(partial(obj.move, obj.starts_at))
                obj.status, obj.starts_at = before["status"], before["starts_at"]
            elif obj.starts_at != before["starts_at"]:
                form.meeting_verbs.append(partial(obj.move, obj.starts_at))
                obj.starts_at = before["starts_at"]
        super().save_model(request, obj, form, change)

    # What an organizer changes by hand on a series meeting, which the series then leaves alone.
    HAND_FIELDS = {
        "title",
        "format",
        "starts_at",
        "facilitator",
        "description",
        "video_link",
        "link_visible_minutes_before",
    }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.apply_agenda_template(form.cleaned_data.get("agenda_template"))
        meeting = form.instance
        agenda_changed = any(fs.model is AgendaItem and fs.has_changed() for fs in formsets)
        if change and meeting.series_id and (agenda_changed or self.HAND_FIELDS & set(form.changed_data)):
            Meeting.objects.filter(pk=meeting.pk).update(edited_by_hand=True)
            meeting.edited_by_hand = True
        # After the agenda is saved, so that the emails show the meeting as it now is.
        for verb in getattr(form, "meeting_verbs", []):
            verb()

    @admin.action(description=gettext_lazy("Duplicate the selected meetings (one week later)"))
    def duplicate_meetings(self, request, queryset):
        copies = []
        for meeting in queryset.prefetch_related("agenda_items"):
            local = club_time(meeting.starts_at)
            # Same wall-clock time a week later, even across a DST change.
            later = datetime.combine(local.date() + timedelta(days=7), local.time(), tzinfo=club_zone())
            copies.append(meeting.copy(starts_at=later))
        if len(copies) == 1:
            self.message_user(
                request,
                _("Copied to %(when)s, one week later; edit it here.")
                % {"when": format_when(copies[0].starts_at)},
            )
            return self._redirect_to(copies[0])
        self.message_user(
            request,
            ngettext(
                "Made %(count)d copy, one week after its original.",
                "Made %(count)d copies, each one week after its original.",
                len(copies),
            )
            % {"count": len(copies)},
        )
        return None

    # --- Deleting is never a silent cancel ------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="meetings_meeting_cancel",
            )
        ]
        return urls + super().get_urls()

    def delete_view(self, request, object_id, extra_context=None):
        meeting = self.get_object(request, unquote(object_id))
        if meeting is not None and self.has_delete_permission(request, meeting):
            reason = meeting.why_not_deletable()
            if reason:
                context = {
                    **self.admin_site.each_context(request),
                    "title": _("Cancel before deleting"),
                    "opts": self.model._meta,
                    "meeting": meeting,
                    "reason": reason,
                    "going": meeting.rsvps.filter(answer__in=RSVP.COMING).count(),
                }
                return TemplateResponse(request, "meetings/admin/delete_refused.html", context)
        return super().delete_view(request, object_id, extra_context)

    def cancel_view(self, request, object_id):
        """Cancel one meeting, with a reason: the link the refused delete page offers."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.is_cancelled:
            self.message_user(request, _("This meeting is already cancelled."), messages.WARNING)
            return self._redirect_to(meeting)
        form = CancelForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            meeting.cancel(form.cleaned_data["reason"])
            self.message_user(
                request,
                _("“%(title)s” is cancelled; members who said they were coming are told by email.")
                % {"title": meeting.title},
            )
            return self._redirect_to(meeting)
        return confirm_action(
            self,
            request,
            [meeting],
            title=_("Cancel meeting"),
            template="meetings/admin/cancel_one.html",
            form=form,
        )

    @admin.action(description=gettext_lazy("Delete the selected meetings"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        refused = [meeting for meeting in queryset if meeting.why_not_deletable()]
        if refused:
            names = ", ".join(f"“{meeting}”" for meeting in refused)
            self.message_user(
                request,
                _(
                    "Nothing was deleted: members answered %(names)s. Cancel those first "
                    "(they are told, and calendars show them cancelled), then delete."
                )
                % {"names": names},
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def _redirect_to(self, meeting):
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    @admin.action(description=gettext_lazy("Cancel the selected meetings…"))
    def cancel_meetings(self, request, queryset):
        meetings = list(queryset.scheduled().order_by("starts_at"))
        if not meetings:
            self.message_user(request, _("Those meetings are already cancelled."), messages.WARNING)
            return None
        form = CancelForm(confirmed(request))
        if form.is_valid():
            for meeting in meetings:
                meeting.cancel(form.cleaned_data["reason"])  # tells members who said they are coming
            self.message_user(
                request,
                ngettext(
                    "Cancelled %(count)d meeting; members who said they were coming are told by email.",
                    "Cancelled %(count)d meetings; members who said they were coming are told by email.",
                    len(meetings),
                )
                % {"count": len(meetings)},
            )
            return None
        return confirm_action(
            self,
            request,
            meetings,
            title=_("Cancel meetings"),
            template="meetings/admin/cancel.html",
            action="cancel_meetings",
            form=form,
        )


class AgendaTemplateItemInline(OrganizerAdminMixin, admin.TabularInline):
    model = AgendaTemplateItem
    formset = TemplateAgendaFormSet
    fields = ["position", "title", "minutes", "description", "holds_topics"]
    extra = 0


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_default", "total_minutes"]
    inlines = [AgendaTemplateItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description=gettext_lazy("minutes"))
    def total_minutes(self, template):
        return template.total_minutes


@admin.register(Series)
class SeriesAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    form = SeriesAdminForm
    list_display = ["title", "rule_text", "format", "meeting_count"]
    actions = ["generate_meetings"]
    fieldsets = [
        (None, {"fields": ["title", "format", "facilitator"]}),
        (gettext_lazy("Rule"), {"fields": ["ordinals", "weekday", "local_time", "time_zone"]}),
        (
            gettext_lazy("Each meeting gets"),
            {"fields": ["agenda_template", "description", "video_link", "link_visible_minutes_before"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/apply/",
                self.admin_site.admin_view(self.apply_view),
                name="meetings_series_apply",
            )
        ]
        return urls + super().get_urls()

    def response_change(self, request, obj):
        if obj.plan_changes():
            self.message_user(
                request,
                _("“%(title)s” is saved. Apply the change to its future meetings?") % {"title": obj.title},
            )
            return redirect(reverse("admin:meetings_series_apply", args=[obj.pk]))
        return super().response_change(request, obj)

    def apply_view(self, request, object_id):
        """Show what the series' change does to its future meetings; apply it on POST."""
        series = self.get_object(request, unquote(object_id))
        if series is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_change_permission(request, series):
            raise PermissionDenied
        if request.method == "POST":
            plan = series.apply_changes()
            self.message_user(
                request,
                _(
                    "Applied to the future meetings of “%(title)s”: %(moved)s moved, %(updated)s updated, "
                    "%(cancelled)s cancelled, %(added)s added. Members who said they would come are told."
                )
                % {
                    "title": series.title,
                    "moved": len(plan.moves),
                    "updated": len(plan.updates),
                    "cancelled": len(plan.cancels),
                    "added": len(plan.additions),
                },
            )
            return redirect(reverse("admin:meetings_series_changelist"))
        plan = series.plan_changes()
        told = [*plan.cancels, *(change.meeting for change in plan.moves)]
        counts = dict(
            RSVP.objects.filter(meeting__in=told, answer__in=RSVP.COMING)
            .values_list("meeting")
            .annotate(count=Count("id"))
            .order_by()
        )
        for meeting in told:
            meeting.coming_count = counts.get(meeting.pk, 0)
        return confirm_action(
            self,
            request,
            [],
            title=_("Apply the change to future meetings"),
            template="meetings/admin/series_apply.html",
            series=series,
            plan=plan,
            additions=[series.starts_at(day) for day in plan.additions],
        )

    @admin.display(description=gettext_lazy("rule"))
    def rule_text(self, series):
        return series.rule_text

    @admin.display(description=gettext_lazy("meetings"), ordering="meeting_total")
    def meeting_count(self, series):
        return series.meeting_total

    @admin.action(description=gettext_lazy("Generate the next meetings of the selected series…"))
    def generate_meetings(self, request, queryset):
        form = GenerateForm(confirmed(request))
        if form.is_valid():
            created = []
            for series in queryset:
                created += series.generate(form.cleaned_data["count"])
            if created:
                dates = "; ".join(format_when(m.starts_at) for m in created)
                scheduled = ngettext(
                    "Scheduled %(count)d meeting: %(dates)s.",
                    "Scheduled %(count)d meetings: %(dates)s.",
                    len(created),
                )
                self.message_user(request, scheduled % {"count": len(created), "dates": dates})
            else:
                self.message_user(
                    request, _("Those meetings already exist; nothing was added."), messages.WARNING
                )
            return None
        return confirm_action(
            self,
            request,
            list(queryset),
            title=_("Generate meetings"),
            template="meetings/admin/generate.html",
            action="generate_meetings",
            form=form,
        )
