"""What people write (posts, meeting descriptions) is shown as written, in the language it is written in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def written_language_field():
    """The language a text is written in; blank means the site's own (settings.LANGUAGE_CODE)."""
    return models.CharField(
        verbose_name=_("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language this is written in; leave empty for the site's own language."),
    )


class WrittenInALanguage:
    """A model mixin: `written_in` is what its container says as `lang`, always.

    A blank language is the site's own, not the reader's: English text on a Spanish page
    must still be marked English, for screen readers, spelling and hyphenation.
    """

    @property
    def written_in(self):
        return self.language or settings.LANGUAGE_CODE
