"""Members: the club's accounts and each member's standing and preferences.

Every account is a member (accounts come from approved access requests);
organizers are staff. This app knows nothing of meetings, topics or posts.
"""

import secrets
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


def new_feed_token():
    return secrets.token_urlsafe(32)


def validate_time_zone(value):
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, such as Europe/Berlin.")


class MemberQuerySet(models.QuerySet):
    def on_break(self):
        today = timezone.localdate()
        return self.filter(break_since__isnull=False).filter(
            Q(break_until__isnull=True) | Q(break_until__gte=today)
        )

    def in_good_standing(self):
        """Active accounts not on a break: they get links, emails and topic actions."""
        today = timezone.localdate()
        return self.filter(is_active=True).filter(Q(break_since__isnull=True) | Q(break_until__lt=today))


class UserManager(BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Leave empty to see times in the club's time zone.",
    )
    is_staff = models.BooleanField(
        "organizer",
        default=False,
        help_text="Organizers can sign in to the admin.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Unticked when a member leaves; the account can no longer sign in.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    # Taking a break, as the code of conduct promises: no emails, no video
    # links, no topic actions until the break ends.
    break_since = models.DateTimeField(null=True, blank=True)
    break_until = models.DateField(
        null=True, blank=True, help_text="The break ends after this day; empty means until they come back."
    )
    break_note = models.TextField(
        blank=True, help_text="When an organizer advises a break, a note the member will see."
    )

    wants_announcements = models.BooleanField("announcements by email", default=True)
    wants_meeting_reminders = models.BooleanField("meeting reminders by email", default=True)
    wants_topic_news = models.BooleanField("news about my topics by email", default=True)

    # The secret in the member's private calendar feed URL; resetting it
    # invalidates the old URL.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "member"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def is_on_break(self):
        if self.break_since is None:
            return False
        return self.break_until is None or self.break_until >= timezone.localdate()

    @property
    def in_good_standing(self):
        return self.is_active and not self.is_on_break

    def reset_feed_token(self):
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])
