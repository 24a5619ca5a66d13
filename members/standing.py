"""The one place that answers: may this person take part as a member right now?

Seeing a meeting's video link, getting member emails, proposing and supporting
topics all ask this question, so a break or leaving takes effect everywhere.
"""


def may_take_part(user):
    """A signed-in, active member who is not on a break."""
    return bool(getattr(user, "is_authenticated", False) and user.in_good_standing)


def is_organizer(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_organizer)
