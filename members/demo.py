"""Demo content for `manage.py seed_demo`: an organizer, members (one on a break) and access requests."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .accounts import create_member
from .models import AccessRequest, User
from .outreach.models import Conversation, DirectoryProfile, RelayedMessage

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_PASSWORD = "solidarity-demo"  # noqa: S105 (printed for demo logins)

DEMO_MEMBERS = [
    ("ana@example.org", "Ana", "she/her"),
    ("kofi@example.org", "Kofi", "he/him"),
    ("rue@example.org", "Rue", "they/them"),
]
DEMO_MEMBER_ON_BREAK = ("sam@example.org", "Sam", "")

# Members who opted in to the directory: (email, languages, ask me about).
DEMO_DIRECTORY = [
    ("kofi@example.org", "English, Twi", "Shop-floor organizing, bike repair"),
    ("rue@example.org", "English, Spanish", "Worker cooperatives, the Are.na reading lists"),
    ("sam@example.org", "English", "Hidden while on a break"),
]

DEMO_REQUESTS = [
    {
        "name": "Jun",
        "email": "jun@example.org",
        "pronouns": "she/they",
        "motivation": "I organize with my tenants' union and want to learn how other people build solidarity at work.",
        "heard_from": "A friend who came to the Q3 Assembly",
        "status": AccessRequest.Status.PENDING,
    },
    {
        "name": "Mateo",
        "email": "mateo@example.org",
        "pronouns": "he/him",
        "motivation": "Cooperatives fascinate me; I would love to read and discuss alternatives to capitalism together.",
        "heard_from": "Are.na",
        "status": AccessRequest.Status.PENDING,
    },
    {
        "name": "Rue",
        "email": "rue@example.org",
        "pronouns": "they/them",
        "motivation": "After the Future of Labor assembly I want to keep working on these questions with others.",
        "heard_from": "NAVEL",
        "status": AccessRequest.Status.APPROVED,
    },
    {
        "name": "Spam Bot",
        "email": "offers@example.net",
        "pronouns": "",
        "motivation": "Great website! Buy followers and grow your brand fast with our marketing package.",
        "heard_from": "",
        "status": AccessRequest.Status.DECLINED,
    },
]


_production_password = None


def seed(stdout):
    # With DEBUG off (seed_demo --allow-production) no account gets the published password:
    # a random one, printed once, replaces it on every demo account, old or new.
    global _production_password  # noqa: PLW0603 (after_all gives it to later apps' demo accounts)
    production = not settings.DEBUG
    password = secrets.token_urlsafe(18) if production else DEMO_PASSWORD
    _production_password = password if production else None
    if not User.objects.filter(email=DEMO_ORGANIZER_EMAIL).exists():
        create_member(
            DEMO_ORGANIZER_EMAIL,
            password=password,
            display_name="Demo Organizer",
            is_staff=True,
            is_superuser=True,
        )
    organizer = User.objects.get(email=DEMO_ORGANIZER_EMAIL)
    for email, name, pronouns in DEMO_MEMBERS:
        if not User.objects.filter(email=email).exists():
            create_member(email, password=password, display_name=name, pronouns=pronouns)
    email, name, pronouns = DEMO_MEMBER_ON_BREAK
    if not User.objects.filter(email=email).exists():
        create_member(
            email,
            password=password,
            display_name=name,
            break_since=timezone.now() - timedelta(days=3),
            break_until=timezone.localdate() + timedelta(days=30),
        )
    for email, languages, ask_me_about in DEMO_DIRECTORY:
        DirectoryProfile.objects.get_or_create(
            user=User.objects.get(email=email),
            defaults={"listed": True, "languages": languages, "ask_me_about": ask_me_about},
        )
    ana, kofi = User.objects.get(email="ana@example.org"), User.objects.get(email="kofi@example.org")
    if not Conversation.objects.between(ana, kofi).exists():
        conversation = Conversation.objects.create(starter=kofi, recipient=ana)
        RelayedMessage.objects.create(
            conversation=conversation,
            sender=kofi,
            body="Hi Ana! I saw you are reading about worker cooperatives too. Want to compare notes before the next meeting?",
        )
    now = timezone.now()
    for days_ago, fields in enumerate(DEMO_REQUESTS, start=1):
        if AccessRequest.objects.filter(email__iexact=fields["email"]).exists():
            continue
        decided = fields["status"] in (AccessRequest.Status.APPROVED, AccessRequest.Status.DECLINED)
        AccessRequest.objects.create(
            **fields,
            agreed_to_code_of_conduct=True,
            created_at=now - timedelta(days=days_ago),
            confirmed_at=now - timedelta(days=days_ago, hours=-1),
            decided_by=organizer if decided else None,
            decided_at=now - timedelta(days=days_ago - 1) if decided else None,
            member=User.objects.filter(email=fields["email"]).first(),
        )
    if production:
        demo_emails = [DEMO_ORGANIZER_EMAIL, *(m[0] for m in DEMO_MEMBERS), DEMO_MEMBER_ON_BREAK[0]]
        for user in User.objects.filter(email__in=demo_emails):
            user.set_password(password)
            user.save(update_fields=["password"])
    stdout.write(f"Demo organizer: {DEMO_ORGANIZER_EMAIL} / {password}")
    stdout.write(
        f"Demo members: {', '.join(m[0] for m in DEMO_MEMBERS)}, {DEMO_MEMBER_ON_BREAK[0]} (on a break) / {password}"
    )
    if production:
        stdout.write("These passwords are shown only this once.")


def after_all(stdout):
    """Once every app has seeded: no account keeps the published password on a production site.

    Other apps' demos (the directory, decisions) create their own accounts with
    DEMO_PASSWORD; with DEBUG off they get the random password printed above.
    """
    if _production_password is None:
        return
    for user in User.objects.exclude(password__startswith="!"):  # noqa: S106 (unusable ones)
        if user.check_password(DEMO_PASSWORD):
            user.set_password(_production_password)
            user.save(update_fields=["password"])
