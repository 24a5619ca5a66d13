"""One rule for every paginated list (drawn by templates/_pagination.html)."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext


def page_or_404(request, items, per_page):
    """The page of `items` that ?page= asks for; no page 1 means the first, a page that does not exist a 404.

    A 404 rather than a silent last page: a link to page 7 of a list that shrank is told so.
    """
    try:
        return Paginator(items, per_page).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(gettext("No such page.")) from None
