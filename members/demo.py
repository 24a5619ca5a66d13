"""Demo content for `manage.py seed_demo`: an organizer and a few members."""

from .accounts import create_member
from .models import User

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_PASSWORD = "solidarity-demo"  # noqa: S105 (printed for demo logins)

DEMO_MEMBERS = [
    ("ana@example.org", "Ana", "she/her"),
    ("kofi@example.org", "Kofi", "he/him"),
    ("rue@example.org", "Rue", "they/them"),
]


def seed(stdout):
    if not User.objects.filter(email=DEMO_ORGANIZER_EMAIL).exists():
        create_member(
            DEMO_ORGANIZER_EMAIL,
            password=DEMO_PASSWORD,
            display_name="Demo Organizer",
            is_staff=True,
            is_superuser=True,
        )
    for email, name, pronouns in DEMO_MEMBERS:
        if not User.objects.filter(email=email).exists():
            create_member(email, password=DEMO_PASSWORD, display_name=name, pronouns=pronouns)
    stdout.write(f"Demo organizer: {DEMO_ORGANIZER_EMAIL} / {DEMO_PASSWORD}")
    stdout.write(f"Demo members: {', '.join(m[0] for m in DEMO_MEMBERS)} / {DEMO_PASSWORD}")
