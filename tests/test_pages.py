import pytest
from django.urls import reverse

SITE_PAGES = ["home", "about", "code-of-conduct"]


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
@pytest.mark.parametrize("name", SITE_PAGES)
def test_it_serves_site_pages_to_everyone(client_for, role, name):
    response = client_for(role).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert 'href="mailto:us@solidarityclub.org"' in html


def test_it_invites_visitors_to_request_access(client, db):
    html = client.get("/").content.decode()
    assert "Request meeting access" in html
    assert f'href="{reverse("members:join")}"' in html
    assert "Welcoming Our Radical Kin" in html


def test_it_shows_a_member_their_settings_link_instead_of_join(member_client):
    html = member_client.get("/").content.decode()
    assert "Come check it out" not in html
    assert reverse("members:settings") in html
    assert "Sign out" in html


def test_about_page_has_the_frame_and_origin(client, db):
    html = client.get("/about/").content.decode()
    for text in [
        'Intro, check-in and welcome <span class="frame-minutes">20 min</span>',
        'Meeting <span class="frame-minutes">60 min</span>',
        'Process, check-out <span class="frame-minutes">15 min</span>',
        "NAVEL",
        "Are.na",
    ]:
        assert text in html
    assert "Future of Labor" in html


def test_code_of_conduct_page_says_anyone_may_take_a_break(client, db):
    html = client.get("/code-of-conduct/").content.decode()
    assert "take a break" in html
    assert "democratic method" in html


def test_navigation_reaches_every_section(client, db):
    html = client.get("/").content.decode()
    for name in ["home", "meetings:list", "blog:list", "topics:list", "members:join", "account_login"]:
        assert f'href="{reverse(name)}"' in html


def test_it_answers_unknown_pages_with_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_site_pages_refuse_a_post(client, db):
    assert client.post("/about/").status_code == 405


def test_403_page_is_friendly(client, db):
    from django.template.loader import render_to_string

    html = render_to_string("403.html")
    assert "isn’t open to you" in html


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_a_failing_view_answers_with_the_friendly_500(client, db, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import solidarityclub.urls as root

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("broken/", broken), *root.urlpatterns]})
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_favicon_ico_sends_browsers_to_the_site_icon(client, db):
    """The admin's pages link no icon, so browsers ask for /favicon.ico: no 404 in their console."""
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    icon.close()  # a file response
    assert icon.status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_the_frame_is_written_one_way_on_home_and_about(client, db):
    for path in ["/", "/about/"]:
        html = client.get(path).content.decode()
        assert 'class="frame-bar"' in html, path
        assert 'Process, check-out <span class="frame-minutes">15 min</span>' in html, path
        assert ">:20<" not in html


def test_home_is_whats_next_for_each_role(client_for, django_assert_max_num_queries):
    from members.models import AccessRequest
    from tests.factories import make_meeting, make_topic

    meeting = make_meeting(title="Movie night", days=4)
    visitor = client_for("visitor").get("/").content.decode()
    assert "What’s next for you" not in visitor
    assert "Movie night" in visitor
    assert visitor.index("Movie night") < visitor.index("Who we are")  # the next meeting leads
    client = client_for("organizer")
    from members.models import User

    organizer = User.objects.get(email="olga@example.org")
    make_topic(organizer, "Reading together")
    make_topic(organizer, "Watching together")
    AccessRequest.objects.create(name="Nia", email="nia@example.org", motivation="x" * 30, status="pending")
    with django_assert_max_num_queries(15):
        html = client.get("/").content.decode()
    assert "2 open topics: help choose what we talk about" in html
    assert "1 access request waiting for a decision" in html
    assert f"2 topics to gather into {meeting.title}" in html
    assert f"/meetings/{meeting.pk}/gather/" in html
    assert 'name="answer" value="going"' in html  # one tap to RSVP


def test_home_tells_a_member_on_a_break(break_client):
    html = break_client.get("/").content.decode()
    assert "You are on a break: take all the time you need." in html
    assert "access request" not in html
    assert 'name="answer"' not in html
