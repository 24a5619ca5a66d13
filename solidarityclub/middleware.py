"""Site-wide middleware: headers on every response, no file uploads, organizers' second factor."""

import contextlib

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from members.standing import is_organizer


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
            and is_organizer(request.user)
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            speak_their_language(request)  # before any view: MemberLanguageMiddleware has not switched yet
            messages.info(
                request,
                _(
                    "Organizers sign in with a second factor before the admin opens. "
                    "Set up an authenticator app here, then open the admin again."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class MemberLanguageMiddleware:
    """A signed-in member's chosen language wins over the switcher's cookie and Accept-Language.

    After LocaleMiddleware (which chose from the cookie or the header) and the
    authentication middleware; a blank preference leaves LocaleMiddleware's choice.
    A view marked `@language_once_user_is_read` (one that answers some requests without
    reading the session, such as a 304) switches only when it reads who the member is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "language_once_user_is_read", False):
            user = request.user
            request.user = SimpleLazyObject(lambda: _speak_their_language(request, user))
        else:
            _speak_their_language(request, request.user)


def speak_their_language(request):
    """For what answers before a view runs (a 404 with no view, a CSRF refusal, the middleware
    below): MemberLanguageMiddleware.process_view never ran, so switch to the member's language now."""
    user = getattr(request, "user", None)
    if user is not None:
        _speak_their_language(request, user)


def keep_language_after_sign_out(response, language):
    """The switcher's cookie set to a member's preference, for the pages after they sign out (or leave)."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _speak_their_language(request, user):
    if user.is_authenticated:
        language = getattr(user, "language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
    return user


def language_once_user_is_read(view):
    """For MemberLanguageMiddleware: this view may answer without the session (no query for it)."""
    view.language_once_user_is_read = True
    return view


# The site uses none of these; an injected frame or script cannot either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; nothing for a signed-in person is ever stored by a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if self._signed_in(request, response):
            directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= directives:
                response["Cache-Control"] = "private, no-store"
                if response.has_header("Expires"):
                    del response["Expires"]
        return response

    @staticmethod
    def _signed_in(request, response):
        # The session cookie tells without loading the session: a 304 for a member
        # following a live meeting stays one query.
        name = settings.SESSION_COOKIE_NAME
        if name in request.COOKIES or name in response.cookies:
            return True
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


class RefuseFileUploads(FileUploadHandler):
    """The one upload handler (settings.FILE_UPLOAD_HANDLERS): the first file part stops the upload.

    The rest of the body is left unread (connection_reset), so a huge file is
    neither kept in memory nor spooled to disk.
    """

    def new_file(self, *args, **kwargs):
        self.request.upload_refused = True
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


class NoUploadsMiddleware:
    """The site has no file fields: a form that carries a file is refused before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            # Parsed now, with RefuseFileUploads; a malformed body leaves the view an empty form.
            with contextlib.suppress(MultiPartParserError):
                request.POST  # noqa: B018
            if getattr(request, "upload_refused", False):
                speak_their_language(request)
                return HttpResponse(
                    _("This site takes no file uploads: send the form as it is shown."),
                    status=415,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL byte has no place in a URL or a form (PostgreSQL refuses it in text): a clear 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
                and _has_nul(request.POST)
            )
        ):
            speak_their_language(request)
            message = _(
                "The request holds a NUL character (%00), which no page here accepts. Remove it and try again."
            )
            if request.accepts("application/json") and not request.accepts("text/html"):
                return JsonResponse({"error": message}, status=400)  # the live page's scripts read this
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())
