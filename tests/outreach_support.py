"""Helpers shared by the reaching-out tests: listed members and a left member's client."""

from members.accounts import create_member, leave
from members.outreach.models import DirectoryProfile
from tests.conftest import PASSWORD


def listed(email, name, *, languages="", ask_me_about="", **fields):
    user = create_member(email, password=PASSWORD, display_name=name, **fields)
    DirectoryProfile.objects.update_or_create(
        user=user, defaults={"listed": True, "languages": languages, "ask_me_about": ask_me_about}
    )
    return user


def left_member(email="lee@example.org"):
    user = create_member(email, password=PASSWORD, display_name="Lee")
    return leave(user)


def client_as(client, role, *, member=None, member_on_break=None, organizer=None):
    """A client signed in as one of the five roles of a permission matrix."""
    users = {
        "member": member,
        "member_on_break": member_on_break,
        "organizer": organizer,
    }
    if role == "left_member":
        client.force_login(left_member())
    elif role != "visitor":
        client.force_login(users[role])
    return client


ROLES = ["visitor", "member", "member_on_break", "left_member", "organizer"]
