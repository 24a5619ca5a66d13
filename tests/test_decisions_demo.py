"""`seed_demo` puts three decisions in the register, and nothing more the second time."""

from django.core import mail

from tests.conftest import seed_demo
from topics.decision_models import Ballot, Decision, Participation


def test_the_demo_has_a_decided_consent_a_three_round_ranked_choice_and_an_open_dot_vote(db, client):
    seed_demo()
    consent = Decision.objects.get(method="consent")
    assert consent.status == "decided"
    assert consent.result["outcome"] == "consented"
    ranked = Decision.objects.get(method="ranked")
    assert ranked.status == "decided"
    assert len(ranked.result["rounds"]) == 3
    assert ranked.result["options"][ranked.result["winner"]] == "Member-led workshop"
    assert ranked.is_secret
    assert not Ballot.objects.filter(decision=ranked, voter__isnull=False).exists()
    dots = Decision.objects.get(method="dots")
    assert dots.status == "open"
    assert Participation.objects.filter(decision=dots).count() == 4
    assert not mail.outbox  # demo decisions email nobody
    counts = (Decision.objects.count(), Ballot.objects.count(), Participation.objects.count())
    seed_demo()
    assert (Decision.objects.count(), Ballot.objects.count(), Participation.objects.count()) == counts
    from members.models import User

    client.force_login(User.objects.get(email="ana@example.org"))
    for decision in (consent, ranked, dots):
        assert client.get(decision.get_absolute_url()).status_code == 200
    html = client.get("/decisions/").content.decode()
    assert "Member-led workshop won in round 3." in html
