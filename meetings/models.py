"""Meetings and their agendas.

Every meeting gets the club's frame — intro, check-in and welcome (20) ·
meeting (60) · process, check-out (15) — copied from an agenda template, then
organizers may edit it. One agenda item is the main block that gathered topics
go into (`holds_topics`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from solidarityclub.markdown import render_markdown


class Format(models.TextChoices):
    READING_CLUB = "reading_club", "Reading club"
    MOVIE_NIGHT = "movie_night", "Movie night"
    PROJECT_WORK = "project_work", "Project work"
    WORKSHOP = "workshop", "Member-led workshop"
    GUEST_SPEAKER = "guest_speaker", "Guest speaker"
    CHIT_CHAT = "chit_chat", "Chit chat"
    OTHER = "other", "Other"


class AgendaTemplate(models.Model):
    name = models.CharField(max_length=100, unique=True)
    is_default = models.BooleanField(
        default=False, help_text="New meetings get this template's items unless another is chosen."
    )

    class Meta:
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

    @property
    def total_minutes(self):
        return sum(item.minutes for item in self.items.all())


class AgendaItemBase(models.Model):
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    minutes = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500, blank=True)
    holds_topics = models.BooleanField(
        default=False, help_text="The main block: topics gathered at the meeting are scheduled inside it."
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.title} ({self.minutes} min)"


class AgendaTemplateItem(AgendaItemBase):
    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="items")

    class Meta(AgendaItemBase.Meta):
        pass


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.CHIT_CHAT)
    starts_at = models.DateTimeField(
        db_index=True, help_text="Entered in the club's time zone, stored in UTC."
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    video_link = models.URLField(blank=True, help_text="Shown only to members in good standing.")
    link_visible_minutes_before = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Reveal the video link only this many minutes before the start; empty means always.",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_meetings",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    notes = models.TextField(
        blank=True, help_text="Markdown: notes and check-out reflections, recorded afterwards."
    )
    notes_html = models.TextField(blank=True, editable=False)
    # iCalendar SEQUENCE: rises whenever the meeting changes in a way calendars should see.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Markdown source → stored HTML; `manage.py rerender_markdown` re-renders them all.
    MARKDOWN_FIELDS = {"description": "description_html", "notes": "notes_html"}

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        self.notes_html = render_markdown(self.notes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html", "notes_html"}
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def duration(self):
        return timedelta(minutes=sum(item.minutes for item in self.agenda_items.all()))

    @property
    def ends_at(self):
        return self.starts_at + self.duration


class AgendaItem(AgendaItemBase):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")

    class Meta(AgendaItemBase.Meta):
        pass
