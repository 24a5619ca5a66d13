"""What keeps members' pages fast: the zone list read once, shared fragments, one query for a member's own state."""

import zoneinfo
from datetime import timedelta

from django.utils import timezone

from members.models import valid_time_zones
from tests.meetings_factories import make_meeting


def test_the_time_zone_list_is_read_from_disk_once_per_process(client, member, monkeypatch):
    member.time_zone = "Europe/Berlin"
    member.save()
    for days in range(1, 4):
        make_meeting(timezone.now() + timedelta(days=days))
    scans = []
    real_scan = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: scans.append(1) or real_scan())
    valid_time_zones.cache_clear()
    client.force_login(member)
    for _ in range(3):
        html = client.get("/meetings/").content.decode()
        assert "your time" in html
    assert client.get("/members/settings/").status_code == 200
    assert len(scans) == 1
