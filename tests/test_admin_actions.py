"""Every admin action that asks first: one page (admin/action_confirmation.html), one flag ("apply").

The first press only asks; a post without the flag (or with an old one) asks again and changes nothing.
"""

from datetime import time, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from blog.models import Kind
from meetings.models import Meeting, Series, Weekday
from members.models import AccessRequest
from solidarityclub.admin_actions import APPLY
from tests.factories import make_access_request, make_meeting, make_post, make_topic
from topics.models import Topic

BASE = "admin/action_confirmation.html"


def _cases(member):
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    series = Series.objects.create(title="Club", weekday=Weekday.THURSDAY, ordinals=[1], local_time=time(18))
    return [
        ("/admin/members/accessrequest/", "approve_selected", make_access_request()),
        ("/admin/members/accessrequest/", "decline_selected", make_access_request("sam@example.org", "Sam")),
        ("/admin/members/user/", "advise_break", member),
        ("/admin/topics/topic/", "hide_topics", make_topic(member, "Off topic")),
        ("/admin/topics/topic/", "merge_topics", make_topic(member, "A duplicate")),
        ("/admin/meetings/meeting/", "cancel_meetings", make_meeting(starts, title="Movie night")),
        ("/admin/meetings/series/", "generate_meetings", series),
        ("/admin/blog/post/", "send_to_members", make_post("Picnic", kind=Kind.ANNOUNCEMENT)),
    ]


def _state():
    return (
        list(AccessRequest.objects.values_list("status", flat=True)),
        list(Topic.objects.values_list("status", flat=True)),
        list(Meeting.objects.values_list("status", flat=True)),
        Meeting.objects.count(),
    )


@pytest.mark.parametrize("old_flag", [{}, {"confirm": "yes"}, {"confirm": "1"}])
def test_every_action_asks_on_the_one_page_and_only_the_one_flag_acts(
    organizer_client, member, mailoutbox, old_flag
):
    for changelist, action, obj in _cases(member):
        before = _state()
        response = organizer_client.post(
            changelist, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], **old_flag}
        )
        assert response.status_code == 200, action
        assert BASE in [template.name for template in response.templates], action
        html = response.content.decode()
        assert f'<input type="hidden" name="{APPLY}" value="1">' in html, action
        assert f'<input type="hidden" name="action" value="{action}">' in html, action
        assert f'<input type="hidden" name="{ACTION_CHECKBOX_NAME}" value="{obj.pk}">' in html, action
        assert 'name="confirm"' not in html, action
        assert _state() == before, action
    assert mailoutbox == []


def test_an_objects_own_confirmation_pages_use_the_one_page_too(organizer_client, member):
    access_request = make_access_request()
    meeting = make_meeting((timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0))
    series = Series.objects.create(title="Club", weekday=Weekday.THURSDAY, ordinals=[1], local_time=time(18))
    for url in [
        f"/admin/members/accessrequest/{access_request.pk}/approve/",
        f"/admin/members/accessrequest/{access_request.pk}/decline/",
        f"/admin/meetings/meeting/{meeting.pk}/cancel/",
        f"/admin/meetings/series/{series.pk}/apply/",
    ]:
        response = organizer_client.get(url)
        assert response.status_code == 200, url
        assert BASE in [template.name for template in response.templates], url
        assert 'name="action"' not in response.content.decode(), (
            url
        )  # posted to its own view, not the changelist
