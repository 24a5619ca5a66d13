"""The meetings app's extension points: other apps (topics) react without meetings importing them."""

from django.dispatch import Signal

# Sent by Meeting.cancel() inside its transaction, with `meeting`: topics return what was gathered.
meeting_cancelled = Signal()
