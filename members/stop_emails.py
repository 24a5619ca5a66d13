"""/emails/stop/<token>/: one click stops one kind of email (RFC 8058), without signing in.

Mail clients POST `List-Unsubscribe=One-Click` to the URL of the `List-Unsubscribe`
header, with no session and no CSRF token: the signed token is what authorizes the
change, so this one view is CSRF-exempt. A GET only shows what would stop and the
button, so link scanners that fetch every URL in an email stop nothing.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import email_kinds
from .models import User


def _member_for(token):
    """(member, kind) while the member still has an account, else (None, kind or None)."""
    found = email_kinds.read_stop_token(token)
    if found is None:
        return None, None
    user_id, kind = found
    user = User.objects.filter(pk=user_id, is_active=True, erased_at__isnull=True).first()
    return user, kind


@csrf_exempt  # authorized by the signed token, not by a session (RFC 8058 one-click)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_emails(request, token):
    user, kind = _member_for(token)
    if user is None:
        return render(request, "members/stop_emails_nothing.html", status=404 if kind is None else 200)
    state = "ask"
    if request.method == "POST":
        undo = request.POST.get("action") == "undo"
        email_kinds.set_wanted(user, kind.key, undo)
        state = "resumed" if undo else "stopped"
    elif not email_kinds.wants(user, kind.key):
        state = "stopped"
    return render(request, "members/stop_emails.html", {"kind": kind, "state": state})
