"""The meetings app's extension points: other apps (topics) react without meetings importing them."""

from django.dispatch import Signal

# Sent by Meeting.cancel() inside its transaction, with `meeting`: topics return what was gathered.
meeting_cancelled = Signal()

# The verbs' notices to the members who said they would come. Meeting.cancel() and Meeting.move()
# send these inside their transaction (never save()); meetings.receivers queues the emails
# (meetings/emails.py), so the models import neither the emails nor the template tags.
notices_cancelled = Signal()  # with `meeting`, when it is not over yet; sent before meeting_cancelled
# Sent by Meeting.agenda_changed() (an update, which sends no post_save), with `meeting`.
agenda_updated = Signal()
notices_moved = Signal()  # with `meeting` and `previous_start`, when it is neither cancelled nor over
