"""Demo content for `manage.py seed_demo`: a few announcements and projects.

Running it again adds nothing: each post is looked up by its slug.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import Meeting

from .models import Kind, Post

WELCOME = """\
We are **W.O.R.K. (Welcoming Our Radical Kin) Solidarity Club** – a solidarity incubator!
We make (online) space once or twice a month to process what's going on in the world,
explore complex ideas, learn from each other, and reinforce our values in a culture
constantly pulling us away from them.

Meetings may entail:

- a reading club or a movie night
- project work
- member-led workshops and guest speakers
- or just chit chat

Every meeting has the same frame:

| Part | Minutes |
| :--- | ---: |
| Intro, check-in and welcome | 20 |
| Meeting | 60 |
| Process, check-out | 15 |

> Anyone with honest, positive intention can check it out. Feel free to leave or take a
> break from a meeting or group project at any time for any reason.

Read more about the [format and process](/about/) and our
[code of conduct](/code-of-conduct/), or email <us@solidarityclub.org> for meeting access.
"""

NEXT_MEETING = """\
Our next meeting is coming up. Potential topics are organized between meetings and
**gathered at the beginning of a meeting**, so bring yours:

1. Propose a topic on the [topics page](/topics/) (members only).
2. Support the topics you want to talk about.
3. Join the call: the video link is on the meeting page once you are signed in.

| Time | What |
| :--- | :--- |
| :20 | Intro, check-in and welcome |
| 1:00 | Meeting: the gathered topics |
| :15 | Process, check-out |

> We are all always in flux!
"""

READING_LIST = """\
Solidarity Club came together in the Q3 Assembly *Workshopping Work Beyond Capitalism*
at the Los Angeles non-profit cultural organization and multipurpose community space
[NAVEL](https://navel.la/). That grew out of the Q2 Assembly *Future of Labor*.

This project gathers what we read and watched into one shared list:

- reading materials, notes and reference links on [Are.na](https://www.are.na/)
- exercises from the assemblies, written up so that anyone can run them
- a short note on each piece: why it matters to us

| Source | Status |
| :--- | :--- |
| Q2 Assembly: Future of Labor | collected |
| Q3 Assembly: Workshopping Work Beyond Capitalism | in progress |

> We share theory, culture, strategies and tactics to support each other and co-create
> new things.

Want to help? Propose it as a topic for the next meeting.
"""

HOW_WE_DECIDE = """\
Our code of conduct says:

> If we ever have to decide anything of importance, we'll figure out some democratic
> method of doing it and then document it.

This project is where that documentation will live. So far:

1. Topics are proposed between meetings and gathered at the start of each meeting.
2. Members support the topics they want to discuss; the most supported come first.
3. Anything bigger gets discussed in the check-out before anyone acts on it.

Ideas for methods to try:

- consent-based decisions (no strong objections)
- rotating facilitation
- a short written proposal, shared a week ahead

| Method | Tried? |
| :--- | :---: |
| Gathering topics | yes |
| Rotating facilitation | not yet |
"""


def seed(stdout):
    now = timezone.now()
    author = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    next_meeting = Meeting.objects.next_meeting()
    posts = [
        {
            "slug": "welcome-to-solidarity-club",
            "title": "Welcome to W.O.R.K. Solidarity Club",
            "kind": Kind.ANNOUNCEMENT,
            "summary": "Who we are, what meetings are like, and how to check it out.",
            "body": WELCOME,
            "publish_at": now - timedelta(days=21),
        },
        {
            "slug": "reading-list-work-beyond-capitalism",
            "title": "Project: a shared reading list for Work Beyond Capitalism",
            "kind": Kind.PROJECT,
            "summary": "Gathering the readings, notes and exercises from the assemblies we grew out of.",
            "body": READING_LIST,
            "publish_at": now - timedelta(days=14),
        },
        {
            "slug": "how-we-decide",
            "title": "Project: documenting how we decide",
            "kind": Kind.PROJECT,
            "summary": "Some democratic method of deciding things of importance, written down as we find it.",
            "body": HOW_WE_DECIDE,
            "publish_at": now - timedelta(days=7),
        },
        {
            "slug": "next-meeting-bring-your-topics",
            "title": "Next meeting: bring your topics",
            "kind": Kind.ANNOUNCEMENT,
            "summary": "Topics are gathered at the beginning of the meeting: propose and support yours.",
            "body": NEXT_MEETING,
            "publish_at": now - timedelta(days=1),
            "meeting": next_meeting,
        },
    ]
    created = 0
    for fields in posts:
        slug = fields.pop("slug")
        _, was_created = Post.objects.get_or_create(
            slug=slug, defaults={**fields, "author": author, "status": Post.Status.PUBLISHED}
        )
        created += was_created
    stdout.write(f"Blog: {created} demo post(s) added.")
