import pytest
from django.db import connections


def test_it_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.fixture
def database_down(tmp_path):
    """Swap in a connection to a database that cannot be reached, then restore the real one."""
    real = connections["default"]
    unreachable = dict(real.settings_dict)
    if real.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "missing-folder" / "db.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT="9")  # nothing listens on port 9
    connections["default"] = real.__class__(unreachable, alias="default")
    yield
    connections["default"].close()
    connections["default"] = real


def test_it_answers_503_when_the_database_does_not(client, db, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content
