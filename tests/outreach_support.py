"""Helpers shared by the reaching-out tests: members listed in the directory."""

from members.accounts import create_member
from members.outreach.models import DirectoryProfile
from tests.conftest import PASSWORD


def listed(email, name, *, languages="", ask_me_about="", **fields):
    user = create_member(email, password=PASSWORD, display_name=name, **fields)
    DirectoryProfile.objects.update_or_create(
        user=user, defaults={"listed": True, "languages": languages, "ask_me_about": ask_me_about}
    )
    return user
