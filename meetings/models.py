"""Meetings and their agendas, series, RSVPs and sent reminders.

Every meeting gets the club's frame — intro, check-in and welcome (20) ·
meeting (60) · process, check-out (15) — copied from an agenda template, then
organizers may edit it. One agenda item is the main block that gathered topics
go into (`holds_topics`).

Times are stored in UTC. Clock times are computed in UTC (aware datetimes plus
timedeltas) and only then shown in a zone, so a meeting that straddles a
daylight-saving change keeps its real length.
"""

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from members.models import validate_time_zone
from members.standing import may_take_part
from solidarityclub.markdown import RendersMarkdown
from solidarityclub.times import club_zone, zone_named
from solidarityclub.written import WrittenInALanguage, written_language_field

from .signals import agenda_updated, meeting_cancelled, notices_cancelled, notices_moved


def default_time_zone():
    return settings.CLUB_TIME_ZONE


# Bounds every path shares (admin, forms, commands, shell): full_clean refuses anything outside them.
LINK_REVEAL_MAX_MINUTES = 7 * 24 * 60  # a week
ITEM_MAX_MINUTES = 480  # an agenda item: 1 to 480 minutes
MEETING_MAX_MINUTES = 12 * 60  # a meeting: at most 12 hours
EARLIEST_START = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_START = datetime(2101, 1, 1, tzinfo=UTC)  # exclusive: the last start is in 2100

LINK_REVEAL_HELP = _(
    "Reveal the video link only this many minutes before the start (at most a week, 10080); "
    "empty means always. Members then find the link on the meeting page: calendar apps fetch "
    "their feed hourly or less often, so the link may reach a calendar late."
)


def validate_meeting_start(value):
    if value is not None and not (EARLIEST_START <= value < LATEST_START):
        raise ValidationError(_("Choose a start between the years 2000 and 2100."), code="start_out_of_range")


def validate_agenda_minutes(minutes):
    """An agenda has at least one item and adds up to at most 12 hours."""
    minutes = [m for m in minutes if m is not None]
    if not minutes:
        raise ValidationError(
            _("A meeting needs at least one agenda item: its length comes from the agenda."),
            code="empty_agenda",
        )
    total = sum(minutes)
    if total > MEETING_MAX_MINUTES:
        raise ValidationError(
            _("The agenda adds up to %(total)s minutes; a meeting lasts at most 12 hours (%(max)s minutes).")
            % {"total": total, "max": MEETING_MAX_MINUTES},
            code="agenda_too_long",
        )


class Format(models.TextChoices):
    READING_CLUB = "reading_club", _("Reading club")
    MOVIE_NIGHT = "movie_night", _("Movie night")
    PROJECT_WORK = "project_work", _("Project work")
    WORKSHOP = "workshop", _("Member-led workshop")
    GUEST_SPEAKER = "guest_speaker", _("Guest speaker")
    CHIT_CHAT = "chit_chat", _("Chit chat")
    OTHER = "other", _("Other")


# The club's frame; the data migration 0002 creates it, and it comes back if every template is deleted.
STANDARD_TEMPLATE_NAME = "Standard 20/60/15"
STANDARD_ITEMS = [
    # Stored as written (organizers may rename them); pages translate these words of the club's frame.
    (gettext_noop("Intro, check-in and welcome"), 20, "", False),
    (gettext_noop("Meeting"), 60, gettext_noop("The topics gathered at the start of the meeting."), True),
    (gettext_noop("Process, check-out"), 15, "", False),
]


class AgendaTemplateQuerySet(models.QuerySet):
    def default(self):
        """The template marked default, else the first one (None when there is none)."""
        return self.order_by("-is_default", "name").first()

    def default_or_standard(self):
        """The default template; with no template at all, the standard 20/60/15 one again."""
        template = self.default()
        if template is not None:
            return template
        with transaction.atomic():
            template, created = self.get_or_create(
                name=STANDARD_TEMPLATE_NAME,
                defaults={"is_default": not self.filter(is_default=True).exists()},
            )
            if created:
                AgendaTemplateItem.objects.bulk_create(
                    AgendaTemplateItem(
                        template=template,
                        position=position,
                        title=title,
                        minutes=minutes,
                        description=description,
                        holds_topics=holds_topics,
                    )
                    for position, (title, minutes, description, holds_topics) in enumerate(STANDARD_ITEMS)
                )
        return template


class AgendaTemplate(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        verbose_name=_("is default"),
        default=False,
        help_text=_("New meetings get this template's items unless another is chosen."),
    )

    objects = AgendaTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="meetings_one_default_agenda_template",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.is_default:
                # One default at a time: choosing this one clears the old one.
                AgendaTemplate.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            super().save(*args, **kwargs)

    def get_constraints(self):
        # save() clears the old default, so validation need not refuse a second one.
        return [
            (model, [c for c in constraints if c.name != "meetings_one_default_agenda_template"])
            for model, constraints in super().get_constraints()
        ]

    @property
    def total_minutes(self):
        return sum(item.minutes for item in self.items.all())


class AgendaItemBase(models.Model):
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    title = models.CharField(verbose_name=_("title"), max_length=120)
    minutes = models.PositiveSmallIntegerField(
        verbose_name=_("minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(ITEM_MAX_MINUTES)],
        help_text=_("1 to 480 minutes; the whole agenda at most 12 hours."),
    )
    description = models.CharField(verbose_name=_("description"), max_length=500, blank=True)
    holds_topics = models.BooleanField(
        verbose_name=_("holds topics"),
        default=False,
        help_text=_("The main block: topics gathered at the meeting are scheduled inside it."),
    )

    # Set by a form set that validates the whole agenda at once (the admin's inline).
    checked_with_its_agenda = False

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return gettext("%(title)s (%(minutes)s min)") % {"title": self.title, "minutes": self.minutes}

    def agenda_siblings(self):
        """The agenda this item belongs to (a queryset), or None while it has none."""
        raise NotImplementedError

    def clean(self):
        super().clean()
        siblings = None if self.checked_with_its_agenda or self.minutes is None else self.agenda_siblings()
        if siblings is not None:
            others = siblings.exclude(pk=self.pk).values_list("minutes", flat=True)
            validate_agenda_minutes([*others, self.minutes])


class AgendaTemplateItem(AgendaItemBase):
    template = models.ForeignKey(
        AgendaTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(AgendaItemBase.Meta):
        verbose_name = _("agenda template item")
        verbose_name_plural = _("agenda template items")
        pass

    def agenda_siblings(self):
        return self.template.items.all() if self.template_id else None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


ORDINAL_CHOICES = [(1, _("1st")), (2, _("2nd")), (3, _("3rd")), (4, _("4th")), (5, _("5th")), (-1, _("last"))]
ORDINAL_LABELS = dict(ORDINAL_CHOICES)


def validate_ordinals(value):
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(n, int) or n not in ORDINAL_LABELS for n in value)
    ):
        raise ValidationError(gettext("Choose at least one of 1st, 2nd, 3rd, 4th, 5th or last."))


def weekdays_of_month(year, month, weekday, ordinals):
    """The dates of `weekday` in a month for ordinals such as [1, 3] or [-1] (last)."""
    days = [week[weekday] for week in calendar.Calendar().monthdatescalendar(year, month)]
    days = [day for day in days if day.month == month]
    chosen = set()
    for ordinal in ordinals:
        index = ordinal - 1 if ordinal > 0 else ordinal
        if -len(days) <= index < len(days):
            chosen.add(days[index])
    return sorted(chosen)


class Series(models.Model):
    """A rule such as "1st and 3rd Thursday at 18:00" that generates meetings."""

    title = models.CharField(verbose_name=_("title"), max_length=200)
    format = models.CharField(
        verbose_name=_("format"), max_length=20, choices=Format.choices, default=Format.CHIT_CHAT
    )
    weekday = models.PositiveSmallIntegerField(verbose_name=_("weekday"), choices=Weekday.choices)
    ordinals = models.JSONField(
        verbose_name=_("ordinals"),
        default=list,
        validators=[validate_ordinals],
        help_text=_("Which of the month's weekdays: 1, 2, 3, 4, 5 or -1 for the last."),
    )
    local_time = models.TimeField(
        verbose_name=_("local time"), help_text=_("Wall-clock start time in the series' time zone.")
    )
    time_zone = models.CharField(
        verbose_name=_("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    agenda_template = models.ForeignKey(
        AgendaTemplate,
        verbose_name=_("agenda template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty means the default template."),
    )
    description = models.TextField(
        verbose_name=_("description"), blank=True, help_text=_("Markdown, copied into each new meeting.")
    )
    video_link = models.URLField(
        verbose_name=_("video link"), blank=True, help_text=_("Copied into each new meeting.")
    )
    link_visible_minutes_before = models.PositiveIntegerField(
        verbose_name=_("link visible minutes before"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(LINK_REVEAL_MAX_MINUTES)],
        help_text=LINK_REVEAL_HELP,
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} — {self.rule_text}"

    @property
    def rule_text(self):
        ordinals = sorted(self.ordinals or [], key=lambda n: (n < 0, n))
        labels = [ORDINAL_LABELS.get(n, str(n)) for n in ordinals]
        joined = get_text_list(labels, gettext("and"))
        weekday = Weekday(self.weekday).label if self.weekday is not None else "?"
        clock = self.local_time.strftime("%H:%M") if self.local_time else "?"
        return gettext("%(ordinals)s %(weekday)s of the month at %(clock)s (%(zone)s)") % {
            "ordinals": joined,
            "weekday": weekday,
            "clock": clock,
            "zone": self.time_zone,
        }

    def dates(self, start, count):
        """The next `count` dates of the rule on or after `start` (a date)."""
        found = []
        year, month = start.year, start.month
        # A rule yields at least one date a month, except "5th" alone (4 times a year).
        for _month in range(12 * (count + 1)):
            for day in weekdays_of_month(year, month, self.weekday, self.ordinals):
                if day >= start:
                    found.append(day)
                    if len(found) == count:
                        return found
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    def starts_at(self, day):
        """The UTC start on a local date: the wall clock stays put across DST changes."""
        local = datetime.combine(day, self.local_time, tzinfo=zone_named(self.time_zone))
        return local.astimezone(UTC)

    def generate(self, count, now=None):
        """Create the next `count` meetings of the rule; returns those created.

        Idempotent: a (series, local date) pair is unique in the database, so
        generating again — even concurrently — never duplicates a meeting. A
        date whose generated meeting was deleted stays skipped.
        """
        now = now or timezone.now()
        today = now.astimezone(zone_named(self.time_zone)).date()
        days = [day for day in self.dates(today, count + 1) if self.starts_at(day) > now][:count]
        existing = set(self.meetings.filter(series_date__in=days).values_list("series_date", flat=True))
        existing |= set(self.skipped_dates.filter(date__in=days).values_list("date", flat=True))
        created = []
        for day in days:
            if day in existing:
                continue
            meeting = self._create_on(day)
            if meeting is not None:
                created.append(meeting)
        return created

    # What each generated meeting copies from its series (besides the time and the agenda).
    COPIED_FIELDS = (
        "title",
        "format",
        "description",
        "video_link",
        "link_visible_minutes_before",
        "facilitator_id",
    )

    def _create_on(self, day):
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    series=self,
                    series_date=day,
                    starts_at=self.starts_at(day),
                    **{name: getattr(self, name) for name in self.COPIED_FIELDS},
                )
                meeting.apply_agenda_template(self.agenda_template)
        except IntegrityError:
            return None  # generated by someone else at the same moment
        return meeting

    def _agenda_rows(self):
        template = self.agenda_template or AgendaTemplate.objects.default_or_standard()
        return [_agenda_row(item) for item in template.items.all()]

    def plan_changes(self, now=None):
        """What applying the series as it now is would do to its future meetings.

        Only scheduled meetings ahead that nobody edited by hand follow the
        series. A meeting on a date the rule still has keeps its date; the
        others take the rule's free dates of their own month, in order, or are
        cancelled; free dates left over (up to the last month that has a
        meeting) get a new meeting. Deleted meetings' dates stay skipped.
        """
        now = now or timezone.now()
        future = list(
            self.meetings.scheduled()
            .filter(starts_at__gt=now)
            .prefetch_related("agenda_items")
            .order_by("series_date", "starts_at")
        )
        plan = SeriesPlan(by_hand=[m for m in future if m.edited_by_hand])
        following = [m for m in future if not m.edited_by_hand and m.series_date is not None]
        if not following:
            return plan
        last = max(m.series_date for m in following)
        horizon = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        today = now.astimezone(zone_named(self.time_zone)).date()
        months = (horizon.year - today.year) * 12 + horizon.month - today.month + 1
        rule_days = [
            day for day in self.dates(today, 6 * months + 6) if day <= horizon and self.starts_at(day) > now
        ]
        taken = {m.series_date for m in plan.by_hand}
        taken |= set(
            self.meetings.exclude(pk__in=[m.pk for m in following]).values_list("series_date", flat=True)
        )
        taken |= set(self.skipped_dates.values_list("date", flat=True))
        free = [day for day in rule_days if day not in taken]
        staying = {m.pk: m.series_date for m in following if m.series_date in free}
        open_days = [day for day in free if day not in staying.values()]
        target = dict(staying)
        for meeting in following:
            if meeting.pk in target:
                continue
            same_month = [
                day
                for day in open_days
                if (day.year, day.month) == (meeting.series_date.year, meeting.series_date.month)
            ]
            if same_month:
                target[meeting.pk] = same_month[0]
                open_days.remove(same_month[0])
            else:
                plan.cancels.append(meeting)
        plan.additions = open_days
        agenda = self._agenda_rows()
        for meeting in following:
            if meeting.pk not in target:
                continue
            day = target[meeting.pk]
            starts_at = self.starts_at(day)
            fields = [name for name in self.COPIED_FIELDS if getattr(meeting, name) != getattr(self, name)]
            new_agenda = [_agenda_row(item) for item in meeting.agenda_items.all()] != agenda
            change = SeriesChange(meeting, day, starts_at, fields, new_agenda)
            if change.moves:
                plan.moves.append(change)
            elif fields or new_agenda:
                plan.updates.append(change)
        return plan

    def apply_changes(self, now=None):
        """Bring the future meetings in line with the series (see plan_changes); returns the plan.

        Moves and cancellations go through Meeting.move / Meeting.cancel, so
        members who said they would come are told and calendars see a new
        SEQUENCE; all of it is one transaction.
        """
        with transaction.atomic():
            Series.objects.select_for_update().filter(pk=self.pk).first()
            plan = self.plan_changes(now)
            reason = _("The series “%(title)s” changed: it now meets %(rule)s.") % {
                "title": self.title,
                "rule": self.rule_text,
            }
            for meeting in plan.cancels:
                meeting.cancel(reason, now=now)
            # Free the dates first: a meeting may take a date another one is leaving.
            moving = [change.meeting.pk for change in plan.moves]
            Meeting.objects.filter(pk__in=moving).update(series_date=None)
            for change in [*plan.moves, *plan.updates]:
                meeting = change.meeting
                for name in self.COPIED_FIELDS:
                    setattr(meeting, name, getattr(self, name))
                meeting.series_date = change.day
                if change.new_agenda:
                    getattr(meeting, "_prefetched_objects_cache", {}).pop("agenda_items", None)
                    meeting.agenda_items.all().delete()  # a queryset delete: replaced just below
                    meeting.apply_agenda_template(self.agenda_template)
                    meeting.refresh_from_db(fields=["ends_at", "sequence", "updated_at"])
                if change.moves:
                    meeting.move(change.starts_at, now=now)
                else:
                    meeting.save()
            for day in plan.additions:
                self._create_on(day)
        return plan


def _agenda_row(item):
    return (item.title, item.minutes, item.description, item.holds_topics)


@dataclass
class SeriesChange:
    meeting: "Meeting"
    day: date
    starts_at: datetime
    fields: list
    new_agenda: bool

    @property
    def moves(self):
        return self.starts_at != self.meeting.starts_at


@dataclass
class SeriesPlan:
    moves: list = field(default_factory=list)  # SeriesChange: a new date or time (and perhaps more)
    updates: list = field(default_factory=list)  # SeriesChange: same time, other details
    cancels: list = field(default_factory=list)  # meetings on a date the rule no longer has
    additions: list = field(default_factory=list)  # dates that get a new meeting
    by_hand: list = field(default_factory=list)  # edited by hand: left as they are

    def __bool__(self):
        return bool(self.moves or self.updates or self.cancels or self.additions)


class SkippedDate(models.Model):
    """A date of a series whose generated meeting was deleted: generating never brings it back."""

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="skipped_dates"
    )
    date = models.DateField(verbose_name=_("date"))

    class Meta:
        verbose_name = _("skipped date")
        verbose_name_plural = _("skipped dates")
        constraints = [models.UniqueConstraint(fields=["series", "date"], name="meetings_one_skip_per_date")]

    def __str__(self):
        return gettext("%(series)s: %(date)s skipped") % {"series": self.series.title, "date": self.date}


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Meetings that have not ended yet (one in progress still counts), soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "id")

    def past(self, now=None):
        """Meetings that have ended, latest first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-id")

    def scheduled(self):
        return self.filter(status=Meeting.Status.SCHEDULED)

    def cancelled(self):
        return self.filter(status=Meeting.Status.CANCELLED)

    def next_meeting(self, now=None):
        return self.scheduled().upcoming(now).select_related("facilitator").first()

    def with_rsvp_counts(self):
        answer = RSVP.Answer
        return self.annotate(
            going_count=Count("rsvps", filter=Q(rsvps__answer=answer.GOING)),
            maybe_count=Count("rsvps", filter=Q(rsvps__answer=answer.MAYBE)),
            cant_count=Count("rsvps", filter=Q(rsvps__answer=answer.CANT)),
        )

    def in_feed(self, now=None):
        """What calendar feeds carry: the last year and everything ahead."""
        since = (now or timezone.now()) - timedelta(days=365)
        return self.filter(starts_at__gte=since).order_by("starts_at", "id")


@dataclass(frozen=True)
class ScheduledItem:
    item: "AgendaItem"
    starts_at: datetime  # in the zone asked for
    ends_at: datetime


class Meeting(RendersMarkdown, WrittenInALanguage, models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(verbose_name=_("title"), max_length=200)
    format = models.CharField(
        verbose_name=_("format"), max_length=20, choices=Format.choices, default=Format.CHIT_CHAT
    )
    starts_at = models.DateTimeField(
        verbose_name=_("starts at"),
        db_index=True,
        validators=[validate_meeting_start],
        help_text=_("Entered in the club's time zone, stored in UTC."),
    )
    # Start plus the agenda's minutes, kept in step by save() and by agenda item changes.
    ends_at = models.DateTimeField(verbose_name=_("ends at"), db_index=True, editable=False)
    description = models.TextField(verbose_name=_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(verbose_name=_("description (HTML)"), blank=True, editable=False)
    language = written_language_field()  # said as `lang` on its container (see written_in)
    video_link = models.URLField(
        verbose_name=_("video link"), blank=True, help_text=_("Shown only to members in good standing.")
    )
    link_visible_minutes_before = models.PositiveIntegerField(
        verbose_name=_("link visible minutes before"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(LINK_REVEAL_MAX_MINUTES)],
        help_text=LINK_REVEAL_HELP,
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_meetings",
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_reason = models.CharField(verbose_name=_("cancellation reason"), max_length=300, blank=True)
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
        help_text=_("Markdown: notes and check-out reflections, recorded afterwards. Members only."),
    )
    notes_html = models.TextField(verbose_name=_("notes (HTML)"), blank=True, editable=False)
    public_summary = models.TextField(
        verbose_name=_("public summary"),
        blank=True,
        max_length=5000,
        help_text=_(
            "Markdown: what visitors may read about this meeting afterwards. "
            "Leave it empty and visitors see no notes at all."
        ),
    )
    public_summary_html = models.TextField(
        verbose_name=_("public summary (HTML)"), blank=True, editable=False
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        editable=False,
    )
    series_date = models.DateField(verbose_name=_("series date"), null=True, blank=True, editable=False)
    # A series meeting changed in the admin keeps its changes when the series is edited.
    edited_by_hand = models.BooleanField(
        verbose_name=_("edited by hand"),
        default=False,
        editable=False,
        help_text=_("Changes to its series no longer apply to it."),
    )
    # iCalendar SEQUENCE: rises whenever the meeting changes in a way calendars should see.
    sequence = models.PositiveIntegerField(verbose_name=_("sequence"), default=0, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    # Markdown source → stored HTML (RendersMarkdown).
    MARKDOWN_FIELDS = {
        "description": "description_html",
        "notes": "notes_html",
        "public_summary": "public_summary_html",
    }
    # A change to any of these raises SEQUENCE (what a calendar event shows).
    CALENDAR_FIELDS = (
        "title",
        "format",
        "starts_at",
        "ends_at",
        "status",
        "cancellation_reason",
        "description",
        "video_link",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "series_date"], name="meetings_one_per_series_date")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Arithmetic on an aware datetime follows its zone's wall clock; in UTC it follows real time.
        self.starts_at = self.starts_at.astimezone(UTC)
        before = None
        if self.pk is not None:
            before = (
                Meeting.objects.filter(pk=self.pk)
                .values("starts_at", "ends_at", "sequence", *self.CALENDAR_FIELDS)
                .first()
            )
        if before is None:
            self.ends_at = self.starts_at  # no agenda yet
        else:
            self.ends_at = self.starts_at + (before["ends_at"] - before["starts_at"])
            self.sequence = before["sequence"]
            if any(before[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
                self.sequence += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "ends_at",
                "sequence",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        reason = self.why_not_deletable()
        if reason:
            raise ValidationError(reason, code="cancel_first")
        return super().delete(*args, **kwargs)

    def why_not_deletable(self, now=None):
        """Why this meeting may not be deleted now, or "" when it may.

        Deleting an upcoming meeting that members answered would cancel it in
        silence: they would not be told, and calendars would keep the event.
        """
        if self.accepts_rsvp(now) and self.rsvps.exists():
            return _(
                "Members have answered this upcoming meeting's RSVP. Cancel it first: they are told, "
                "and calendars show it as cancelled. A cancelled meeting can then be deleted."
            )
        return ""

    # --- Changes members hear about: explicit verbs, never a side effect of save() ---

    def cancel(self, reason, now=None):
        """Cancel the meeting; True if it was scheduled until now.

        Calendars see STATUS:CANCELLED (SEQUENCE rises), the topics gathered
        into it go back to the backlog (meeting_cancelled), and members who
        said they would come are told (notices_cancelled: meetings/emails.py
        queues them) — unless the meeting is already over. The emails join the
        queue in this transaction: all of it or nothing.
        """
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().filter(pk=self.pk, status=self.Status.SCHEDULED)
            if not locked.exists():
                return False
            self.status = self.Status.CANCELLED
            self.cancellation_reason = reason
            self.save()
            if not self.has_ended(now):
                notices_cancelled.send(sender=Meeting, meeting=self)
            meeting_cancelled.send(sender=Meeting, meeting=self)
        return True

    def move(self, starts_at, now=None):
        """Give the meeting a new start (its length stays); True if it really moved.

        Members who said they would come are told (notices_moved: meetings/emails.py
        queues them, in this transaction), unless the meeting is cancelled or
        already over; calendars see a new SEQUENCE.
        """
        with transaction.atomic():
            previous = Meeting.objects.select_for_update().values_list("starts_at", flat=True).get(pk=self.pk)
            if previous == starts_at:
                return False
            self.starts_at = starts_at
            self.save()
            if not self.is_cancelled and not self.has_ended(now):
                notices_moved.send(sender=Meeting, meeting=self, previous_start=previous)
        return True

    def agenda_changed(self):
        """Recompute the end from the stored agenda; calendars see a new version."""
        minutes = self.agenda_items.aggregate(total=Sum("minutes"))["total"] or 0
        Meeting.objects.filter(pk=self.pk).update(
            ends_at=F("starts_at") + timedelta(minutes=minutes),
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        self.refresh_from_db(fields=["ends_at", "sequence", "updated_at"])
        agenda_updated.send(sender=Meeting, meeting=self)

    def apply_agenda_template(self, template=None):
        """Copy a template's items (the default template's unless one is given) into an empty agenda."""
        if self.agenda_items.exists():
            return
        template = template or AgendaTemplate.objects.default_or_standard()
        self._copy_agenda(template.items.all())

    def _copy_agenda(self, items):
        """Copy agenda items (a template's or another meeting's) into this meeting."""
        fields = ["position", "title", "minutes", "description", "holds_topics"]
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=self, **{name: getattr(item, name) for name in fields}) for item in items
        )
        self.agenda_changed()

    def copy(self, starts_at):
        """A new scheduled meeting like this one (agenda included), without notes or RSVPs."""
        with transaction.atomic():
            twin = Meeting.objects.create(
                title=self.title,
                format=self.format,
                starts_at=starts_at,
                description=self.description,
                video_link=self.video_link,
                link_visible_minutes_before=self.link_visible_minutes_before,
                facilitator=self.facilitator,
            )
            twin._copy_agenda(self.agenda_items.all())
        return twin

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def duration(self):
        return self.ends_at.astimezone(UTC) - self.starts_at.astimezone(UTC)

    @property
    def duration_minutes(self):
        return int(self.duration.total_seconds() // 60)

    @property
    def crosses_dst(self):
        """Whether the club's UTC offset changes during the meeting (clock times then need PST/PDT)."""
        zone = club_zone()
        return self.starts_at.astimezone(zone).utcoffset() != self.ends_at.astimezone(zone).utcoffset()

    def has_ended(self, now=None):
        return self.ends_at <= (now or timezone.now())

    def accepts_rsvp(self, now=None):
        """The one rule for "may RSVP now": the meeting is neither cancelled nor over.

        Whether this person may answer is members.standing.may_take_part's question;
        the meeting page, the home page's buttons and the RSVP view all ask both.
        """
        return not self.is_cancelled and not self.has_ended(now)

    def agenda_schedule(self, zone=None):
        """Each agenda item with its clock times, computed in UTC, shown in `zone` (the club's)."""
        zone = zone or club_zone()
        rows, start = [], self.starts_at.astimezone(UTC)
        for item in self.agenda_items.all():
            end = start + timedelta(minutes=item.minutes)
            rows.append(ScheduledItem(item, start.astimezone(zone), end.astimezone(zone)))
            start = end
        return rows

    @property
    def link_opens_at(self):
        if self.link_visible_minutes_before is None:
            return None
        try:
            return self.starts_at.astimezone(UTC) - timedelta(minutes=self.link_visible_minutes_before)
        except OverflowError:
            # Only a value written past full_clean (raw SQL) gets here: so early means open already.
            return datetime.min.replace(tzinfo=UTC)

    def video_link_for(self, user, now=None):
        """The video link if this person may see it right now, else "".

        The one place that decides: a member in good standing, a meeting that
        is neither cancelled nor over, and — when the organizer asked for it —
        no earlier than N minutes before the start.
        """
        if not self.video_link or self.is_cancelled or not may_take_part(user):
            return ""
        now = now or timezone.now()
        if self.has_ended(now):
            return ""
        if self.link_opens_at is not None and now < self.link_opens_at:
            return ""
        return self.video_link

    def reminder_due_at(self, hours=None):
        hours = settings.MEETING_REMINDER_HOURS if hours is None else hours
        return self.starts_at.astimezone(UTC) - timedelta(hours=hours)


class AgendaItem(AgendaItemBase):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )

    class Meta(AgendaItemBase.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        pass

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.meeting.agenda_changed()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            if not self.meeting.agenda_items.exists():
                raise ValidationError(
                    _("A meeting needs at least one agenda item: its length comes from the agenda."),
                    code="empty_agenda",
                )
            self.meeting.agenda_changed()
        return result

    def agenda_siblings(self):
        return self.meeting.agenda_items.all() if self.meeting_id else None


class RSVP(models.Model):
    class Answer(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        CANT = "cant", _("Can't make it")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="rsvps"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="meeting_rsvps",
    )
    answer = models.CharField(verbose_name=_("answer"), max_length=5, choices=Answer.choices)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    # Those told when the meeting moves or is cancelled.
    COMING = (Answer.GOING, Answer.MAYBE)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_rsvp_per_member")
        ]

    def __str__(self):
        return f"{self.user} → {self.meeting}: {self.get_answer_display()}"


class ReminderSent(models.Model):
    """One row per member and meeting start: a reminder is never sent twice.

    The start time is part of the key, so a meeting that moves gets a fresh
    reminder before its new time.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reminders_sent"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(verbose_name=_("starts at"))
    sent_at = models.DateTimeField(verbose_name=_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "starts_at"], name="meetings_one_reminder_per_start"
            )
        ]

    def __str__(self):
        return gettext("Reminder for %(meeting)s to %(member)s") % {
            "meeting": self.meeting,
            "member": self.user,
        }


# --- The live meeting (meetings/live.py runs it) -----------------------------------


class LiveMeeting(models.Model):
    """The meeting as it happens: one row per meeting, changed only by meetings/live.py.

    Time left is never stored: it follows from the current item's start, the
    pauses and the extensions, so every web process and every browser computes
    the same countdown. `version` rises with every change anyone can see (the
    ETag of the live updates); `step` rises only with the facilitator's moves,
    so two facilitators pressing "next" at once move one step, not two.
    """

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Not started")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, primary_key=True, related_name="live"
    )
    phase = models.CharField(
        verbose_name=_("phase"), max_length=7, choices=Phase.choices, default=Phase.WAITING
    )
    current_item = models.ForeignKey(
        "LiveItem",
        verbose_name=_("current item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The current visit of the current item: when it began, and its pauses.
    item_started_at = models.DateTimeField(verbose_name=_("item started at"), null=True, blank=True)
    paused_at = models.DateTimeField(verbose_name=_("paused at"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(verbose_name=_("paused seconds"), default=0)
    started_at = models.DateTimeField(verbose_name=_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)
    step = models.PositiveIntegerField(verbose_name=_("step"), default=0)
    version = models.PositiveBigIntegerField(verbose_name=_("version"), default=0)

    class Meta:
        verbose_name = _("live meeting")

    def __str__(self):
        return f"{self.meeting} ({self.get_phase_display().lower()})"

    @property
    def is_started(self):
        return self.phase in (self.Phase.RUNNING, self.Phase.PAUSED)


class LiveItem(models.Model):
    """One agenda item of a live meeting: its planned and its actual time (the pacing record)."""

    MAX_EXTRA_MINUTES = 120

    live = models.ForeignKey(
        LiveMeeting, verbose_name=_("live"), on_delete=models.CASCADE, related_name="items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_records",
    )
    # Copied when the meeting starts, so the record stays true if the agenda changes later.
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    title = models.CharField(verbose_name=_("title"), max_length=120)
    description = models.CharField(verbose_name=_("description"), max_length=500, blank=True)
    holds_topics = models.BooleanField(verbose_name=_("holds topics"), default=False)
    planned_minutes = models.PositiveSmallIntegerField(verbose_name=_("planned minutes"))
    extra_minutes = models.PositiveSmallIntegerField(
        verbose_name=_("extra minutes"), default=0, validators=[MaxValueValidator(MAX_EXTRA_MINUTES)]
    )
    # Seconds spent in finished visits (going back to an item adds a visit), pauses excluded.
    actual_seconds = models.PositiveIntegerField(verbose_name=_("actual seconds"), default=0)
    first_started_at = models.DateTimeField(verbose_name=_("first started at"), null=True, blank=True)
    last_ended_at = models.DateTimeField(verbose_name=_("last ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live agenda item")
        verbose_name_plural = _("live agenda items")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extra_minutes__lte=120), name="meetings_liveitem_extra_minutes_bounded"
            )
        ]

    def __str__(self):
        return gettext("%(title)s: %(actual)s of %(planned)s minutes") % {
            "title": self.title,
            "actual": self.actual_minutes,
            "planned": self.planned_minutes,
        }

    @property
    def budget_seconds(self):
        return (self.planned_minutes + self.extra_minutes) * 60

    @property
    def actual_minutes(self):
        return round(self.actual_seconds / 60)
