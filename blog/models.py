"""Blog: announcements and projects, written in Markdown by organizers.

A post is visible when it is published and its publish time has come; a future
publish time schedules it. `Post.objects.published()` is the one rule for that,
used by the list, the post page, the feed, the sitemap and the home page.
"""

import html

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidarityclub.markdown import RendersMarkdown
from solidarityclub.written import WrittenInALanguage, written_language_field

SLUG_MAX_LENGTH = 200
# Paths under /blog/ that a post's slug must not take.
RESERVED_SLUGS = {"feed"}


class Kind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    PROJECT = "project", _("Project")


class PostQuerySet(models.QuerySet):
    def published(self):
        """Published posts whose time has come: what visitors and members see."""
        return self.filter(status=Post.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Published posts whose time has not come yet: organizers see them, visitors not yet."""
        return self.filter(status=Post.Status.PUBLISHED, publish_at__gt=timezone.now())


def validate_slug_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("“%(slug)s” is used by another page of the blog; choose another slug."),
            params={"slug": value},
        )


class Post(RendersMarkdown, WrittenInALanguage, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(verbose_name=_("title"), max_length=200)
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        validators=[validate_slug_not_reserved],
        help_text=_("The post's address, /blog/this-part/. Leave it empty to make it from the title."),
    )
    kind = models.CharField(
        verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNOUNCEMENT
    )
    summary = models.CharField(
        verbose_name=_("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for the list, the feed and link previews."),
    )
    body = models.TextField(verbose_name=_("body"), help_text=_("Markdown."))
    body_html = models.TextField(verbose_name=_("body (HTML)"), blank=True, editable=False)
    language = written_language_field()  # said as `lang` on its container (see written_in)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        verbose_name=_("publish at"),
        default=timezone.now,
        help_text=_("A future time schedules the post: it appears by itself then."),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("The meeting this post announces, if any."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    # Markdown source → stored HTML (RendersMarkdown).
    MARKDOWN_FIELDS = {"body": "body_html"}

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug or self.slug in RESERVED_SLUGS:
            base = self.slug or slugify(self.title)[: SLUG_MAX_LENGTH - 10] or "post"
            self.slug = self._unique_slug(base)
        before = None
        if self.pk is not None:
            before = Post.objects.filter(pk=self.pk).values("slug", "status", "publish_at").first()
        if (
            before is not None
            and self.status == self.Status.PUBLISHED
            and before["status"] == self.Status.DRAFT
        ):
            # Publishing a draft: a publish time left as it was and already past (the draft's
            # creation time) becomes now; one the organizer set or scheduled stays.
            now = timezone.now()
            # (to the second: the admin's form shows no microseconds)
            unchanged = self.publish_at.replace(microsecond=0) == before["publish_at"].replace(microsecond=0)
            if unchanged and self.publish_at <= now:
                self.publish_at = now
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug", "publish_at"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if before is not None and before["slug"] != self.slug:
                # The old address keeps working: it redirects (301) to the new one.
                FormerSlug.objects.update_or_create(slug=before["slug"], defaults={"post": self})
                FormerSlug.objects.filter(slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("blog:detail", args=[self.slug])

    def publish(self):
        """Publish a draft (see save() for its publish time); True if it was a draft."""
        if self.status != self.Status.DRAFT:
            return False
        self.status = self.Status.PUBLISHED
        self.save()
        return True

    def _unique_slug(self, base):
        """`base`, or `base-2`, `base-3`… whichever is free (the unique index settles a race)."""
        taken = set(
            Post.objects.filter(slug__startswith=base).exclude(pk=self.pk).values_list("slug", flat=True)
        )
        taken |= RESERVED_SLUGS
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    @property
    def description(self):
        """The summary, or the start of the text: for description and Open Graph tags."""
        if self.summary:
            return self.summary
        text = " ".join(html.unescape(strip_tags(self.body_html)).split())
        return Truncator(text).chars(200)

    @property
    def byline(self):
        """Who wrote it, as readers see it: a display name, never an email address."""
        author = self.author
        if author is not None and author.display_name and author.erased_at is None:
            return author.display_name
        return gettext("the organizers")

    @property
    def is_visible(self):
        """The instance form of PostQuerySet.published(), for a post already loaded."""
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def state_label(self):
        if self.status == self.Status.DRAFT:
            return gettext("Draft")
        return gettext("Scheduled") if self.is_scheduled else gettext("Published")


class FormerSlug(models.Model):
    """An address a post had before its slug changed: /blog/<slug>/ redirects to the post."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="former_slugs"
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")

    def __str__(self):
        return f"/blog/{self.slug}/ → {self.post}"


class AnnouncementDelivery(models.Model):
    """One row per member who was sent a post by email: never twice.

    The row is written in the same transaction that puts the email in the
    queue, so a re-run, or a run resumed after an interruption, skips them.
    """

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="announcement_deliveries",
    )
    queued_at = models.DateTimeField(verbose_name=_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement delivery")
        verbose_name_plural = _("announcement deliveries")
        verbose_name_plural = _("announcement deliveries")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="blog_one_delivery_per_member"),
        ]

    def __str__(self):
        return f"{self.post} → {self.user}"
