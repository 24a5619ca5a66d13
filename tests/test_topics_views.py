"""The backlog pages: list, detail, propose, edit, withdraw, support."""

import pytest
from django.urls import reverse

from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import bulk_backlog, make_meeting, make_members, make_topic
from topics import backlog
from topics.models import Support, Topic, TopicEvent

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def carol(db):
    """A second member in good standing, who proposes topics in these tests."""
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def topic(carol):
    return make_topic(carol, "Reading “Mutual Aid”", description="Chapters 1–3, *solidarity not charity*.")


def signed_in(client, request, role):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    return client


def login_redirect(response, next_path):
    return (
        response.status_code == 302 and response["Location"] == f"{reverse('account_login')}?next={next_path}"
    )


# --- Permission matrix --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 200), ("member", 200), ("member_on_break", 200), ("organizer", 200)],
)
def test_it_shows_the_backlog_to_members_only(client, request, topic, role, expected):
    response = signed_in(client, request, role).get(reverse("topics:list"))
    assert response.status_code == expected
    html = response.content.decode()
    if role == "visitor":
        # An explanation of the backlog and how to join, not its topics nor a bare sign-in form.
        assert topic.title not in html
        assert "gathered at the start of each meeting" in html
        assert reverse("members:join") in html
        assert f"{reverse('account_login')}?next=/topics/" in html
    else:
        assert topic.title in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("organizer", 200)],
)
def test_it_shows_a_topic_to_members_only(client, request, topic, role, expected):
    url = reverse("topics:detail", args=[topic.pk])
    response = signed_in(client, request, role).get(url)
    assert response.status_code == expected
    if role == "visitor":
        assert login_redirect(response, url)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 200), ("member_on_break", 403), ("organizer", 200)],
)
def test_only_members_taking_part_may_open_the_proposal_form(client, request, db, role, expected):
    response = signed_in(client, request, role).get(reverse("topics:new"))
    assert response.status_code == expected
    if role == "visitor":
        assert login_redirect(response, "/topics/new/")
    if role == "member_on_break":
        assert "You are on a break" in response.content.decode()


def test_a_member_on_a_break_cannot_propose_by_posting(break_client):
    response = break_client.post(
        reverse("topics:new"), {"title": "Sneaky", "description": "x", "format": "other"}
    )
    assert response.status_code == 403
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("organizer", 403), ("proposer", 200)],
)
def test_only_the_proposer_may_edit(client, request, carol, topic, role, expected):
    if role == "proposer":
        client.force_login(carol)
    else:
        signed_in(client, request, role)
    response = client.get(reverse("topics:edit", args=[topic.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("organizer", 403), ("proposer", 302)],
)
def test_only_the_proposer_may_withdraw(client, request, carol, topic, role, expected):
    if role == "proposer":
        client.force_login(carol)
    else:
        signed_in(client, request, role)
    response = client.post(reverse("topics:withdraw", args=[topic.pk]))
    assert response.status_code == expected
    topic.refresh_from_db()
    assert topic.status == ("withdrawn" if role == "proposer" else "open")


@pytest.mark.parametrize(
    ("role", "expected", "counted"),
    [("visitor", 302, 0), ("member", 302, 1), ("member_on_break", 403, 0), ("organizer", 302, 1)],
)
def test_only_members_taking_part_may_support(client, request, topic, role, expected, counted):
    response = signed_in(client, request, role).post(reverse("topics:support", args=[topic.pk]))
    assert response.status_code == expected
    if role == "visitor":
        # Signing in brings the visitor back to the topic page, not to a POST-only URL.
        assert login_redirect(response, reverse("topics:detail", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.support_count == counted
    assert Support.objects.filter(topic=topic).count() == counted


@pytest.mark.parametrize("name", ["topics:support", "topics:discussed", "topics:return"])
def test_post_only_views_refuse_a_get(member_client, topic, name):
    assert member_client.get(reverse(name, args=[topic.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "args"),
    [("topics:list", []), ("topics:detail", [1]), ("topics:support", [1]), ("topics:new", [])],
)
def test_wrong_methods_are_405_even_for_visitors(client, db, name, args):
    assert client.put(reverse(name, args=args)).status_code == 405
    assert client.delete(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("name", ["topics:detail", "topics:edit", "topics:withdraw"])
def test_unknown_topics_are_404(member_client, name):
    assert member_client.get(reverse(name, args=[999999])).status_code == 404


def test_support_of_an_unknown_topic_is_404(member_client):
    assert member_client.post(reverse("topics:support", args=[999999])).status_code == 404


# --- The backlog ------------------------------------------------------------------


def test_it_lists_open_topics_most_supported_first_then_oldest(member_client, carol):
    older = make_topic(carol, "Older, unsupported")
    newer = make_topic(carol, "Newer, unsupported")
    popular = make_topic(carol, "Popular")
    backlog.add_support(popular, carol)
    gone = make_topic(carol, "Withdrawn one")
    backlog.withdraw(gone, carol)
    html = member_client.get(reverse("topics:list")).content.decode()
    assert html.index("Popular") < html.index("Older, unsupported") < html.index("Newer, unsupported")
    assert "Withdrawn one" not in html
    assert "proposed by Carol" in html
    assert '<span class="js-count">1</span> <span class="js-count-noun">supporter</span>' in html
    assert '<span class="support-tally js-count-mirror" aria-hidden="true">1</span>' in html
    assert older.get_format_display() in html
    assert newer.pk


def test_it_filters_by_format_and_searches_words_in_title_and_description(member_client, carol):
    make_topic(carol, "Harlan County, USA", format="movie_night", description="A documentary about miners.")
    make_topic(
        carol, "Mutual aid reading", format="reading_club", description="Dean Spade's book on miners too."
    )
    make_topic(carol, "Four-day week", format="chit_chat", description="Care work and time.")
    list_url = reverse("topics:list")

    html = member_client.get(list_url, {"format": "movie_night"}).content.decode()
    assert "Harlan County" in html
    assert "Mutual aid reading" not in html
    assert "Four-day week" not in html

    html = member_client.get(list_url, {"q": "MINERS"}).content.decode()
    assert "Harlan County" in html
    assert "Mutual aid reading" in html
    assert "Four-day week" not in html

    html = member_client.get(list_url, {"q": "miners spade"}).content.decode()
    assert "Mutual aid reading" in html
    assert "Harlan County" not in html

    html = member_client.get(list_url, {"q": "miners", "format": "reading_club"}).content.decode()
    assert "Mutual aid reading" in html
    assert "Harlan County" not in html


def test_a_bad_format_filter_is_ignored_with_a_message(member_client, topic):
    response = member_client.get(reverse("topics:list"), {"format": "<script>"})
    assert response.status_code == 200
    assert topic.title in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_it_paginates_and_answers_404_for_a_bad_page(member_client, carol):
    for i in range(30):
        make_topic(carol, f"Topic {i:02d}")
    first = member_client.get(reverse("topics:list")).content.decode()
    assert "Page 1 of 2" in first
    assert "Topic 24" in first
    assert "Topic 25" not in first
    assert 'href="?page=2"' in first
    second = member_client.get(reverse("topics:list"), {"page": 2}).content.decode()
    assert "Topic 25" in second
    assert "Topic 29" in second
    for bad in ["3", "0", "abc", "-1"]:
        assert member_client.get(reverse("topics:list"), {"page": bad}).status_code == 404


def test_pagination_keeps_the_filters(member_client, carol):
    for i in range(30):
        make_topic(carol, f"Film {i:02d}", format="movie_night")
    html = member_client.get(reverse("topics:list"), {"format": "movie_night"}).content.decode()
    assert 'href="?format=movie_night&amp;page=2"' in html


def test_the_list_shows_whether_i_support_each_topic(member_client, member, carol):
    supported = make_topic(carol, "One I support")
    make_topic(carol, "One I do not")
    backlog.add_support(supported, member)
    html = member_client.get(reverse("topics:list")).content.decode()
    assert html.count('aria-pressed="true"') == 1
    assert html.count('aria-pressed="false"') == 1
    assert html.index("Supported ✓") < html.index("One I do not")


def test_a_member_on_a_break_reads_the_list_without_support_buttons(break_client, topic):
    html = break_client.get(reverse("topics:list")).content.decode()
    assert topic.title in html
    assert "You are on a break" in html
    assert reverse("topics:support", args=[topic.pk]) not in html
    assert reverse("topics:new") not in html


def test_the_list_needs_a_bounded_number_of_queries_with_5000_topics_and_50000_supports(
    client, member, carol, django_assert_max_num_queries
):
    supporters = make_members(20)
    bulk_backlog(carol, supporters, topics=5000, supports=50000)
    assert Support.objects.count() == 50000
    backlog.add_support(Topic.objects.get(title="Topic number 4999"), member)
    client.force_login(member)
    for params in [{}, {"page": 7}, {"q": "thing 49"}, {"format": "movie_night", "page": 2}]:
        with django_assert_max_num_queries(8):
            response = client.get(reverse("topics:list"), params)
        assert response.status_code == 200
    html = client.get(reverse("topics:list")).content.decode()
    assert html.count('class="card topic-card"') == 25
    # The topic with the most supports comes first.
    top = Topic.objects.backlog().first()
    assert html.index(top.title) < html.index("Page 1 of 200")


# --- A topic's page ---------------------------------------------------------------


def test_the_topic_page_shows_the_rendered_description_links_and_history(member_client, carol):
    topic = make_topic(
        carol,
        "Harlan County, USA",
        description="# Why\n\nA **documentary**. <script>alert(1)</script>",
        link_1="https://example.org/film",
    )
    html = member_client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "<strong>documentary</strong>" in html
    assert "<script>alert" not in html
    assert "<h2>Why</h2>" in html  # headings sit below the page's one h1
    assert html.count("<h1") == 1
    assert 'href="https://example.org/film"' in html
    assert "proposed by Carol" in html
    assert "History" in html


def test_hidden_and_withdrawn_topics_are_seen_only_by_the_proposer_and_organizers(
    client, carol, member, organizer, topic
):
    backlog.hide(topic, organizer, "Please keep topics about the club's purpose.")
    url = reverse("topics:detail", args=[topic.pk])
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(carol)
    html = client.get(url).content.decode()
    assert "Hidden by the organizers" in html
    assert "Please keep topics about the club&#x27;s purpose." in html
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_a_merged_topic_points_to_the_one_it_was_merged_into(member_client, carol, organizer, topic):
    duplicate = make_topic(carol, "Mutual Aid by Spade")
    backlog.merge([duplicate], topic, organizer)
    html = member_client.get(reverse("topics:detail", args=[duplicate.pk])).content.decode()
    assert "Merged into" in html
    assert reverse("topics:detail", args=[topic.pk]) in html


def test_the_topic_page_needs_a_bounded_number_of_queries(
    member_client, carol, organizer, topic, django_assert_max_num_queries
):
    for _ in range(30):
        backlog.save_edit(topic, carol)
    for i in range(5):
        other = make_topic(carol, f"Dup {i}")
        backlog.merge([other], topic, organizer)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("topics:detail", args=[topic.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("took in the duplicate") == 5


# --- Proposing ----------------------------------------------------------------------


def test_a_member_proposes_a_topic(member_client, member):
    response = member_client.post(
        reverse("topics:new"),
        {
            "title": "  Reading:   the  Problem with Work ",
            "description": "Kathi Weeks' *introduction*.",
            "format": "reading_club",
            "link_1": "https://example.org/weeks",
            "link_2": "",
            "link_3": "",
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:detail", args=[topic.pk])
    assert topic.title == "Reading: the Problem with Work"
    assert topic.proposer == member
    assert topic.status == "open"
    assert topic.description_html == "<p>Kathi Weeks’ <em>introduction</em>.</p>"
    assert topic.links == ["https://example.org/weeks"]
    assert list(topic.events.values_list("kind", flat=True)) == ["proposed"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Give the topic a title."),
        ({"title": "   "}, "title", "Give the topic a title."),
        ({"title": "x" * 121}, "title", "Keep the title to 120 characters (it has 121)."),
        ({"description": ""}, "description", "Say in a few words what the topic is about."),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
        ({"format": "disco"}, "format", "Select a valid choice"),
        ({"link_1": "javascript:alert(1)"}, "link_1", "Enter a full web address, starting with https://"),
        ({"link_2": "ftp://example.org/file"}, "link_2", "Enter a full web address, starting with https://"),
        ({"link_3": "not a url"}, "link_3", "Enter a full web address, starting with https://"),
    ],
)
def test_it_explains_what_is_wrong_with_a_proposal(member_client, data, field, message):
    valid = {"title": "A topic", "description": "About it.", "format": "other"}
    response = member_client.post(reverse("topics:new"), {**valid, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Topic.objects.exists()


def test_a_title_matching_an_open_topic_is_refused_with_a_link_to_support_it(member_client, topic):
    response = member_client.post(
        reverse("topics:new"),
        {"title": "reading  “MUTUAL aid”", "description": "Same again.", "format": "reading_club"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "An open topic already has this title" in html
    assert f'href="{reverse("topics:detail", args=[topic.pk])}"' in html
    assert "support “Reading “Mutual Aid””" in html
    assert Topic.objects.count() == 1


def test_a_title_of_a_topic_no_longer_open_may_be_proposed_again(member_client, carol, topic):
    backlog.withdraw(topic, carol)
    response = member_client.post(
        reverse("topics:new"), {"title": topic.title, "description": "Again.", "format": "reading_club"}
    )
    assert response.status_code == 302
    assert Topic.objects.filter(title=topic.title).count() == 2


# --- Editing and withdrawing ----------------------------------------------------------


def test_the_proposer_edits_an_open_topic(client, carol, topic):
    client.force_login(carol)
    response = client.post(
        reverse("topics:edit", args=[topic.pk]),
        {"title": "Reading “Mutual Aid”, part 2", "description": "Chapters 4–6.", "format": "reading_club"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Reading “Mutual Aid”, part 2"
    assert topic.description_html == "<p>Chapters 4–6.</p>"
    assert topic.events.filter(kind=TopicEvent.Kind.EDITED).count() == 1


def test_editing_keeps_its_own_title_but_not_another_open_topics(client, carol, topic):
    other = make_topic(carol, "Another topic")
    client.force_login(carol)
    same = client.post(
        reverse("topics:edit", args=[topic.pk]),
        {"title": topic.title.upper(), "description": "Still.", "format": "reading_club"},
    )
    assert same.status_code == 302
    taken = client.post(
        reverse("topics:edit", args=[topic.pk]),
        {"title": other.title, "description": "Still.", "format": "reading_club"},
    )
    assert taken.status_code == 200
    assert "An open topic already has this title" in taken.content.decode()


def test_a_topic_that_left_the_backlog_can_no_longer_be_edited_or_withdrawn(client, carol, topic):
    backlog.withdraw(topic, carol)
    client.force_login(carol)
    for name in ["topics:edit", "topics:withdraw"]:
        response = client.get(reverse(name, args=[topic.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("topics:detail", args=[topic.pk])
        assert "left the backlog" in response.content.decode()


def test_withdrawing_asks_first_then_withdraws(client, carol, topic):
    client.force_login(carol)
    page = client.get(reverse("topics:withdraw", args=[topic.pk]))
    assert page.status_code == 200
    assert "Withdraw “Reading “Mutual Aid””?" in page.content.decode()
    topic.refresh_from_db()
    assert topic.status == "open"  # a GET never changes anything
    client.post(reverse("topics:withdraw", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.status == "withdrawn"
    assert topic.events.last().kind == "withdrawn"


def test_a_proposer_on_a_break_may_still_withdraw_but_not_edit(client, carol, topic):
    carol.break_since = topic.created_at
    carol.save()
    client.force_login(carol)
    assert client.get(reverse("topics:edit", args=[topic.pk])).status_code == 403
    assert client.post(reverse("topics:withdraw", args=[topic.pk])).status_code == 302
    topic.refresh_from_db()
    assert topic.status == "withdrawn"


# --- Supporting -------------------------------------------------------------------------


def test_supporting_twice_counts_once_and_taking_it_back_twice_removes_once(member_client, member, topic):
    url = reverse("topics:support", args=[topic.pk])
    for _ in range(2):
        member_client.post(url, {"action": "support"})
    topic.refresh_from_db()
    assert topic.support_count == 1
    assert Support.objects.filter(topic=topic, user=member).count() == 1
    for _ in range(2):
        member_client.post(url, {"action": "unsupport"})
    topic.refresh_from_db()
    assert topic.support_count == 0
    assert not Support.objects.exists()


def test_support_answers_json_when_asked(member_client, topic):
    url = reverse("topics:support", args=[topic.pk])
    response = member_client.post(url, {"action": "support"}, **JSON)
    assert response.status_code == 200
    assert response.json() == {"supported": True, "support_count": 1}
    response = member_client.post(url, {"action": "support"}, **JSON)
    assert response.json() == {"supported": True, "support_count": 1}
    response = member_client.post(url, {"action": "unsupport"}, **JSON)
    assert response.json() == {"supported": False, "support_count": 0}


def test_support_without_javascript_goes_back_where_it_came_from(member_client, topic):
    url = reverse("topics:support", args=[topic.pk])
    response = member_client.post(url, {"action": "support", "next": "/topics/?page=1"})
    assert response["Location"] == "/topics/?page=1"
    response = member_client.post(url, {"action": "support", "next": "https://evil.example/"})
    assert response["Location"] == reverse("topics:detail", args=[topic.pk])
    page = member_client.get(response["Location"])
    assert "You support “Reading “Mutual Aid””." in page.content.decode()


def test_a_member_on_a_break_gets_json_403_from_the_enhanced_button(break_client, topic):
    response = break_client.post(reverse("topics:support", args=[topic.pk]), **JSON)
    assert response.status_code == 403
    assert "break" in response.json()["error"]


def test_support_is_frozen_once_a_topic_leaves_the_backlog(member_client, carol, organizer, topic):
    backlog.add_support(topic, carol)
    backlog.gather(make_meeting(), [backlog.Pick(topic.pk, 30)], organizer)
    url = reverse("topics:support", args=[topic.pk])
    response = member_client.post(url, {"action": "support"}, **JSON)
    assert response.status_code == 409
    response = member_client.post(url, {"action": "support"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.support_count == 1


def test_an_unknown_support_action_is_a_400(member_client, topic):
    response = member_client.post(reverse("topics:support", args=[topic.pk]), {"action": "boost"})
    assert response.status_code == 400


def test_support_of_a_hidden_topic_by_another_member_is_404(member_client, organizer, topic):
    backlog.hide(topic, organizer, "Off topic.")
    assert member_client.post(reverse("topics:support", args=[topic.pk])).status_code == 404


def test_a_proposer_is_not_invited_to_support_their_own_topic(client, carol, member):
    own = make_topic(carol, "My own idea")
    make_topic(member, "Alice's idea")
    client.force_login(carol)
    html = client.get(reverse("topics:list")).content.decode()
    assert f'data-topic="{own.pk}"' not in html
    assert "Your topic · 0 supporters" in html
    assert html.count('class="support-form js-support"') == 1
    detail = client.get(reverse("topics:detail", args=[own.pk])).content.decode()
    assert "support-button" not in detail
    assert "Your topic · 0 supporters" in detail
