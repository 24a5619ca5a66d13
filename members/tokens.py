"""Signed links in the emails of the access-request flow.

Confirm and decide links carry a signed, timestamped request id; they expire
after a few days and cannot be forged or altered. The welcome link signs a
member in once: its hash includes `last_login`, so the first sign-in (by any
means) ends it.
"""

import time
from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import AccessRequest

_CONFIRM_SALT = "members.access-request.confirm"
CONFIRM_MAX_AGE = timedelta(days=3)
_DECIDE_SALT = "members.access-request.decide"
_DECIDE_MAX_AGE = timedelta(days=30)


class LinkExpired(Exception):  # noqa: N818 (a link's state, not a program error)
    pass


class LinkInvalid(Exception):  # noqa: N818
    pass


class _Signer(signing.TimestampSigner):
    """A TimestampSigner that can sign as of another moment (`now`, seconds since the epoch)."""

    def __init__(self, *, salt, now=None):
        super().__init__(salt=salt)
        self.now = now

    def timestamp(self):
        return signing.b62_encode(int(self.now if self.now is not None else time.time()))


def _address_digest(email):
    """Binds a link to its address without showing it: a signed payload is only base64, not secret."""
    return salted_hmac("members.tokens.address", email.lower()).hexdigest()[:20]


def _make_token(access_request, salt, *, revision=None, now=None):
    payload = {"r": access_request.pk, "a": _address_digest(access_request.email)}
    if revision is not None:
        payload["v"] = revision.pk
    return _Signer(salt=salt, now=now).sign_object(payload, compress=True)


def confirm_token(access_request, *, revision=None, now=None):
    """The token of the link that confirms a request (or exactly that revision of it)."""
    return _make_token(access_request, _CONFIRM_SALT, revision=revision, now=now)


def decide_token(access_request, *, now=None):
    """The token of the link an organizer decides a request by."""
    return _make_token(access_request, _DECIDE_SALT, now=now)


def _matches_address(payload, email):
    if "a" in payload:
        return constant_time_compare(payload["a"], _address_digest(email))
    # Links sent before addresses were hashed carry the address itself.
    return isinstance(payload.get("e"), str) and payload["e"] == email.lower()


def _read(token, salt, max_age):
    """The request a signed link points at, and its payload; LinkExpired or LinkInvalid otherwise.

    The payload is {"r": id, "a": address digest[, "v": revision id]}.
    """
    try:
        payload = _Signer(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError):
        raise LinkInvalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise LinkInvalid
    if not isinstance(payload.get("v", 0), int):
        raise LinkInvalid
    access_request = AccessRequest.objects.filter(pk=payload["r"]).first()
    if access_request is None or not _matches_address(payload, access_request.email):
        raise LinkInvalid
    return access_request, payload


def read_confirm_token(token):
    """The request a confirm link points at, and the revision it confirms (None for the request's own text).

    LinkExpired or LinkInvalid otherwise.
    """
    access_request, payload = _read(token, _CONFIRM_SALT, CONFIRM_MAX_AGE)
    revision = None
    if "v" in payload:
        revision = access_request.revisions.filter(pk=payload["v"]).first()
        if revision is None and access_request.status == AccessRequest.Status.UNCONFIRMED:
            raise LinkInvalid
        # Otherwise it was confirmed already (or the request decided): nothing left to confirm.
    return access_request, revision


def read_decide_token(token):
    """The request a decide link points at; LinkExpired or LinkInvalid otherwise."""
    return _read(token, _DECIDE_SALT, _DECIDE_MAX_AGE)[0]


class WelcomeLinkTokenGenerator(PasswordResetTokenGenerator):
    """A one-time sign-in link for a newly approved member (valid for PASSWORD_RESET_TIMEOUT)."""

    key_salt = "members.tokens.WelcomeLinkTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        login_timestamp = (
            "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        )
        return f"{user.pk}{user.is_active}{user.password}{login_timestamp}{timestamp}{user.email}"


welcome_link_tokens = WelcomeLinkTokenGenerator()


def welcome_link_args(user):
    return [urlsafe_base64_encode(force_bytes(user.pk)), welcome_link_tokens.make_token(user)]
