"""Site-wide middleware: organizers' second factor before the admin opens."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class OrganizerTwoFactorMiddleware:
    """With CLUB_REQUIRE_ORGANIZER_2FA, an organizer without an authenticator app sets one up first.

    The admin's own sign-in goes through allauth (solidarityclub/urls.py), so an
    organizer who has one is always asked for its code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.CLUB_REQUIRE_ORGANIZER_2FA
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            messages.info(
                request,
                _(
                    "Organizers sign in with a second factor before the admin opens. "
                    "Set up an authenticator app here, then open the admin again."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
