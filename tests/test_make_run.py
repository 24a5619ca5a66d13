"""`make run PORT=8001` serves on that port and the links in emails (SITE_URL) follow it."""

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_takes_a_port_and_site_url_follows():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    assert "runserver 127.0.0.1:8001" in plan
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8001}" in plan
    assert "run_mail_queue" in plan
    default = subprocess.run(
        ["make", "-n", "run"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    assert "runserver 127.0.0.1:8000" in default
