"""`manage.py run_scheduler`: every job in settings.SCHEDULED_COMMANDS, one failing job harms no other."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_it_runs_every_job_and_survives_one_that_fails(settings, capsys, caplog):
    settings.SCHEDULED_COMMANDS = [
        ("no_such_command", 60),
        ("send_meeting_reminders", 60),
        ("delete_unconfirmed_requests --days 7", 60),
    ]
    call_command("run_scheduler", "--once")
    out = capsys.readouterr().out
    assert "Queued 0 reminder(s)" in out
    assert "Deleted 0 unconfirmed access requests." in out
    assert "no_such_command failed" in caplog.text


def test_the_compose_scheduler_and_the_settings_name_real_commands(settings):
    from django.core.management import get_commands

    commands = get_commands()
    assert [name for name, _ in settings.SCHEDULED_COMMANDS if name.split()[0] not in commands] == []
    assert all(every > 0 for _, every in settings.SCHEDULED_COMMANDS)
