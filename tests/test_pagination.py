"""Every paginated list follows one rule (solidarityclub/pagination.py): a page that does not exist is a 404.

Found by an outsider: some lists answered 404 and others a silent last (or first) page.
"""

import pytest
from django.urls import reverse

LISTS = [
    "blog:list",
    "meetings:list",
    "meetings:past",
    "topics:list",
    "decisions:list",
    "members:directory",
    "members:conversations",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("page", ["99999999999", "abc", "0", "-1", "²"])
def test_a_page_that_does_not_exist_is_a_404_on_every_list(member_client, name, page):
    assert member_client.get(reverse(name), {"page": page}).status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_the_first_page_is_there_asked_for_or_not(member_client, name):
    assert member_client.get(reverse(name)).status_code == 200
    assert member_client.get(reverse(name), {"page": "1"}).status_code == 200
