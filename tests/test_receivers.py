"""Signals are wired one way: @receiver in each app's receivers.py, imported by AppConfig.ready()."""

import re
import weakref
from pathlib import Path

import pytest
from allauth.account.signals import password_changed, password_reset, password_set
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from meetings.live import collect_live_panels
from meetings.signals import agenda_updated, meeting_cancelled, notices_cancelled, notices_moved
from members import receivers as members_receivers
from members.signals import (
    collect_digest_sections,
    collect_personal_data,
    collect_settings_sections,
    collect_welcome_context,
    erase_personal_data,
)
from solidarityclub.cache import shared_cache_recovered
from solidarityclub.signals import publish_post

ROOT = Path(__file__).resolve().parent.parent
APPS = ["solidarityclub", "members", "meetings", "topics", "blog"]


def _uids(signal):
    return [key[0] for key, *_ in signal.receivers if isinstance(key[0], str)]


def _functions(signal):
    functions = []
    for _key, ref, *_ in signal.receivers:
        functions.append(ref() if isinstance(ref, weakref.ReferenceType) else ref)
    return functions


EXPECTED = [
    (post_save, ["pagecache-save", "meetings_live_saved", "topics_live_topic_saved"]),
    (agenda_updated, ["meetings_live_agenda"]),
    (post_delete, ["pagecache-delete", "meetings_skip_deleted_date", "meetings_live_deleted"]),
    (pre_delete, ["topics_forget_supports", "topics_return_gathered"]),
    (m2m_changed, ["pagecache-m2m"]),
    (shared_cache_recovered, ["pagecache-redis-back"]),
    (collect_welcome_context, ["meetings_welcome_context"]),
    (collect_settings_sections, ["meetings_settings_section"]),
    (
        collect_personal_data,
        [
            "meetings_personal_data",
            "topics_decisions_personal_data",
            "topics_personal_data",
            "blog_personal_data",
        ],
    ),
    (erase_personal_data, ["meetings_forget_member", "topics_decisions_erase", "topics_forget_member"]),
    (
        collect_digest_sections,
        [
            "meetings_digest_section",
            "topics_digest_waiting",
            "topics_digest_mine",
            "topics_digest_decisions",
            "topics_digest_returned",
            "blog_digest_section",
        ],
    ),
    (meeting_cancelled, ["topics_return_when_cancelled"]),
    (notices_cancelled, ["meetings_cancelled_notices"]),
    (notices_moved, ["meetings_time_changed_notices"]),
    (collect_live_panels, ["topics_live_dot_vote", "topics_live_agenda_topics", "topics_live_decisions"]),
    (publish_post, ["blog_publish_post"]),
    (password_changed, ["members_feed"]),
    (password_reset, ["members_feed"]),
    (password_set, ["members_feed"]),
]


@pytest.mark.parametrize(("signal", "uids"), EXPECTED)
def test_every_receiver_is_connected_once_in_order(signal, uids):
    assert [uid for uid in _uids(signal) if not uid.startswith("test")] == uids


def test_receivers_without_a_dispatch_uid_are_connected_once():
    for signal, function in [
        (collect_settings_sections, members_receivers.outreach_settings_section),
        (collect_personal_data, members_receivers.outreach_personal_data),
        (erase_personal_data, members_receivers.outreach_erase),
    ]:
        assert _functions(signal).count(function) == 1
        # Reaching out answers first, as it did when members/outreach/data.py connected itself.
        assert _functions(signal)[0] is function


def test_ready_again_connects_nothing_twice():
    before = {id(signal): len(signal.receivers) for signal, _ in EXPECTED}
    for label in APPS:
        apps.get_app_config(label).ready()
    assert {id(signal): len(signal.receivers) for signal, _ in EXPECTED} == before


def test_signals_are_connected_only_in_receivers_modules():
    offenders = []
    for label in APPS:
        for path in (ROOT / label).rglob("*.py"):
            text = path.read_text()
            if re.search(r"\.connect\(", text) or ("@receiver(" in text and path.name != "receivers.py"):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
