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

CONFIRM_SALT = "members.access-request.confirm"
CONFIRM_MAX_AGE = timedelta(days=3)
DECIDE_SALT = "members.access-request.decide"
DECIDE_MAX_AGE = timedelta(days=30)


class LinkExpiredError(Exception):
    pass


class LinkInvalidError(Exception):
    pass


class _Signer(signing.TimestampSigner):
    """A TimestampSigner that can sign as of another moment (`now`, seconds since the epoch)."""

    def __init__(self, *, salt, now=None):
        super().__init__(salt=salt)
        self.now = now

    def timestamp(self):
        return signing.b62_encode(int(self.now if self.now is not None else time.time()))


def address_digest(email):
    """Binds a link to its address without showing it: a signed payload is only base64, not secret."""
    return salted_hmac("members.tokens.address", email.lower()).hexdigest()[:20]


def make_request_token(access_request, salt, *, revision=None, now=None):
    payload = {"r": access_request.pk, "a": address_digest(access_request.email)}
    if revision is not None:
        payload["v"] = revision.pk
    return _Signer(salt=salt, now=now).sign_object(payload, compress=True)


def token_matches_address(payload, email):
    if "a" in payload:
        return constant_time_compare(payload["a"], address_digest(email))
    # Links sent before addresses were hashed carry the address itself.
    return isinstance(payload.get("e"), str) and payload["e"] == email.lower()


def read_request_token(token, salt, max_age):
    """The signed payload ({"r": id, "a": address digest[, "v": revision id]}).

    LinkExpiredError or LinkInvalidError otherwise.
    """
    try:
        payload = _Signer(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except (signing.BadSignature, ValueError):
        raise LinkInvalidError from None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise LinkInvalidError
    if not isinstance(payload.get("v", 0), int):
        raise LinkInvalidError
    return payload


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
