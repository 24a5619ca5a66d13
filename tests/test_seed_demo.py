"""`seed_demo` never leaves a known password on a production site."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD
from members.models import User
from tests.conftest import seed_demo
from tests.test_security import PRODUCTION_ENV, run_manage


def test_it_refuses_with_debug_off(db):
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_it_refuses_in_production_settings():
    result = run_manage("seed_demo", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "--allow-production" in result.stderr


def test_allowed_in_production_it_prints_a_random_password_once(db):
    out = io.StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)
    output = out.getvalue()
    assert DEMO_PASSWORD not in output
    password = output.split(f"{DEMO_ORGANIZER_EMAIL} / ")[1].split()[0]
    assert len(password) >= 20
    assert "shown only this once" in output
    assert authenticate(email=DEMO_ORGANIZER_EMAIL, password=DEMO_PASSWORD) is None
    assert authenticate(email=DEMO_ORGANIZER_EMAIL, password=password) is not None
    for user in User.objects.all():
        assert not user.check_password(DEMO_PASSWORD), user.email


def test_allowed_in_production_it_replaces_a_known_password_left_by_a_local_run(db):
    seed_demo()
    assert User.objects.get(email="ana@example.org").check_password(DEMO_PASSWORD)
    call_command("seed_demo", "--allow-production", stdout=io.StringIO())
    assert not any(user.check_password(DEMO_PASSWORD) for user in User.objects.all())


def test_with_debug_on_the_published_demo_login_works(db):
    out = io.StringIO()
    seed_demo(stdout=out)
    assert f"{DEMO_ORGANIZER_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()
    assert User.objects.get(email=DEMO_ORGANIZER_EMAIL).check_password(DEMO_PASSWORD)
