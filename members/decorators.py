"""View decorators about who is signed in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url


def login_required_back_to(page):
    """login_required for a POST-only action: a visitor signs in and comes back to `page`.

    `page` is the page the action's form is on (a URL name, or a callable taking
    the view's arguments and returning a URL). After signing in, `next` leads there,
    with the form ready, rather than to the action's URL, which only answers a POST.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                target = page(*args, **kwargs) if callable(page) else resolve_url(page)
                return redirect_to_login(target)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
