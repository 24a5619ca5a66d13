"""The weekly digest's decisions and returned-topics sections, read as their recipient reads them."""

from datetime import timedelta

import pytest
from django.core import mail

from members import digest
from members.accounts import create_member
from tests.factories import ensure_standard_template, make_decision, make_meeting
from tests.members_support import html_body
from tests.test_members_digest import MONDAY, digests_to, make_reader, travel
from topics import backlog
from topics.decision_models import Decision
from topics.models import Topic


def returned(topic, title, by, when):
    """`topic` gathered into a meeting that is then cancelled: back in the backlog."""
    meeting = make_meeting(when, title=title)
    backlog.gather(meeting, [backlog.Pick(topic.pk, 20)], by)
    backlog.return_all_gathered(meeting, backlog.CANCELLED, notify=True)


@pytest.mark.django_db
def test_a_spanish_readers_digest_has_its_section_titles_in_spanish(organizer):
    with travel(MONDAY - timedelta(days=3)):
        ensure_standard_template()
        rosa = make_reader("rosa@example.org", language="es")
        make_decision(organizer, "¿Leemos Calibán y la bruja?", closes_at=MONDAY + timedelta(days=3))
        returned(backlog.propose(Topic(title="Tema uno", description="x"), rosa), "M", organizer, MONDAY)
        backlog.propose(Topic(title="Tema de Olga", description="x"), organizer)
        mail.outbox.clear()
    with travel(MONDAY):
        digest.send_due_digests()
    [message] = digests_to("rosa@example.org")
    for body in (message.body, html_body(message)):
        assert "Decisiones abiertas a tu voto" in body
        assert "Tus temas de vuelta en la lista de temas" in body
        assert "Temas que esperan apoyo" in body
        for english in ("Decisions open for your vote", "Your topics back in", "Topics waiting for support"):
            assert english not in body


@pytest.mark.django_db
def test_a_topic_returned_again_and_again_leaves_room_for_the_members_other_topics(organizer):
    with travel(MONDAY - timedelta(days=3)):
        ensure_standard_template()
        dana = make_reader()
        often = backlog.propose(Topic(title="Returned six times", description="x"), dana)
        once = backlog.propose(Topic(title="Returned once", description="x"), dana)
        for n in range(6):
            returned(often, f"Meeting {n}", organizer, MONDAY + timedelta(hours=n))
        returned(once, "The last meeting", organizer, MONDAY + timedelta(days=1))
        mail.outbox.clear()
    with travel(MONDAY):
        digest.send_due_digests()
    [message] = digests_to(dana.email)
    for body in (message.body, html_body(message)):
        assert body.count("Returned six times") == 1
        assert "Returned once" in body


@pytest.mark.django_db
def test_a_thousand_open_decisions_cost_the_digest_a_bounded_number_of_queries(
    organizer, django_assert_max_num_queries
):
    with travel(MONDAY - timedelta(days=3)):
        dana = make_reader()
        Decision.objects.bulk_create(
            Decision(
                question=f"Question {n} <b>&</b>",
                status=Decision.Status.OPEN,
                closes_at=MONDAY + timedelta(days=3, minutes=n),
                is_secret=n % 2 == 0,
                hide_results_until_close=True,
            )
            for n in range(1000)
        )
        create_member("omar@example.org", display_name="Omar")
    with travel(MONDAY), django_assert_max_num_queries(20):
        digest.send_due_digests()
    [message] = digests_to(dana.email)
    assert "- Question 0 <b>&</b> (Consent)" in message.body
    assert "Question 0 &lt;b&gt;&amp;&lt;/b&gt;" in html_body(message)
    assert "…and 995 more" in message.body


@pytest.mark.django_db
def test_each_sections_see_them_all_link_agrees_with_its_noun_in_spanish(organizer):
    from tests.test_members_digest import make_post

    with travel(MONDAY - timedelta(days=3)):
        ensure_standard_template()
        make_reader("rosa@example.org", language="es")
        make_meeting(MONDAY + timedelta(days=3), title="Club de lectura")
        make_post("Noticias del fondo de huelga", MONDAY - timedelta(days=2))
        make_decision(organizer, "¿Leemos Calibán y la bruja?", closes_at=MONDAY + timedelta(days=3))
        backlog.propose(Topic(title="Tema de Olga", description="x"), organizer)
        mail.outbox.clear()
    with travel(MONDAY):
        digest.send_due_digests()
    [message] = digests_to("rosa@example.org")
    for body in (message.body, html_body(message)):
        # "Decisiones", "reuniones" and "publicaciones" are feminine, "temas" masculine.
        for label in (
            "Ver todas las decisiones",
            "Ver todas las reuniones",
            "Ver todas las publicaciones",
            "Ver todos los temas",
        ):
            assert body.count(label) == 1, label
        assert "Verlos todos" not in body


def returned_seven(dana, organizer):
    for n in range(7):
        topic = backlog.propose(Topic(title=f"Returned topic {n}", description="x"), dana)
        returned(topic, f"Meeting {n}", organizer, MONDAY + timedelta(hours=n))
    for n in range(3):  # the last one came back four times: still one more topic
        returned(topic, f"Again {n}", organizer, MONDAY + timedelta(days=1, hours=n))


def gathered_seven(dana, organizer):
    for n in range(7):
        topic = backlog.propose(Topic(title=f"Gathered topic {n}", description="x"), dana)
        meeting = make_meeting(MONDAY + timedelta(days=2, hours=n), title=f"Meeting {n}")
        backlog.gather(meeting, [backlog.Pick(topic.pk, 20)], organizer)


@pytest.mark.django_db
@pytest.mark.parametrize(("seven", "title"), [(returned_seven, "Returned"), (gathered_seven, "Gathered")])
def test_seven_topics_of_a_section_show_five_and_say_how_many_more(organizer, seven, title):
    with travel(MONDAY - timedelta(days=3)):
        ensure_standard_template()
        dana = make_reader()
        seven(dana, organizer)
        mail.outbox.clear()
    with travel(MONDAY):
        digest.send_due_digests()
    [message] = digests_to(dana.email)
    assert "…and 2 more" in message.body
    assert "…and 2 more." in html_body(message)
    for body in (message.body, html_body(message)):
        assert [n for n in range(7) if f"{title} topic {n}" in body] == [0, 1, 2, 3, 4]
