"""The club's inbox: emails to the club's address join the access-request queue.

The club's page asks people to "email us for more info or meeting access", so
`manage.py read_club_inbox` (run by the scheduler every few minutes) reads new
messages from the club's mailbox over IMAP with TLS (settings.CLUB_IMAP_URL):

- a message from a person becomes an unconfirmed access request ("arrived by
  email", the original kept), and the sender gets the same confirmation email
  as from /join/, since an email does not prove its sender's address;
- a message from a member, or from an address with an open request, becomes a
  note on that member or request;
- auto-replies, bounces, list mail, spam and the site's own emails are set aside;
- a member's reply to a message the club relayed between members is dropped unread
  (a stranger's email naming one is still a request: the header proves nothing);
- a message that cannot be read stays in the mailbox, unflagged, and is listed
  for organizers in the admin.

Nothing is lost and nothing is done twice: each message is taken in by one
transaction that first claims its Message-ID (unique in the database) and
queues its email (django-mailer's queue is in the same database). Only after
that commit is the message flagged in the mailbox. A run that stops in between
leaves the message unflagged; the next run finds its Message-ID taken and only
flags it. Two runs at once both try to claim it; the database lets one win.

The standard library's imaplib speaks IMAP here: the reader needs five
commands (SELECT, UID SEARCH, UID FETCH, UID STORE, LOGOUT), which it covers
with TLS and STARTTLS, so no dependency is added for them.
"""

import contextlib
import email
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC
from email import policy
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solidarityclub.emails import is_reply_to_relayed

from . import access
from .models import AccessRequest, InboxMessage, User

logger = logging.getLogger(__name__)

# The IMAP keyword set on a message once it has been taken in.
FLAG = "SolidarityClubProcessed"
# Larger messages are not downloaded: they stay in the mailbox, listed for organizers.
MAX_BYTES = 10 * 1024 * 1024
# Messages read per run; the rest wait for the next run.
BATCH = 200
# The motivation of a request is cut here (the whole text stays on the inbox message).
MOTIVATION_CHARS = 2000
TEXT_CHARS = 100_000
IMAP_TIMEOUT = 60

AUTOMATIC_SENDERS = {"mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply"}
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}


class Reason(str):
    """Why a message was set aside or is unreadable: stored in English, shown in each organizer's language.

    The template (marked for translation) and its values are kept beside the text, so that
    the admin can say it again in Spanish (InboxMessage.reason_in_language).
    """

    def __new__(cls, template, **values):
        reason = super().__new__(cls, template % values if values else template)
        reason.template, reason.values = template, values
        return reason


class UnreadableMessageError(Exception):
    """The message cannot become a request or a note; the reason is for organizers."""

    def __init__(self, template, **values):
        self.reason = Reason(template, **values)
        super().__init__(self.reason)


class InboxError(Exception):
    """The mailbox cannot be read (settings, connection, server)."""


# --- Reading one message (no database, no network) ---------------------------------


@dataclass
class ParsedMessage:
    message_id: str
    from_name: str
    from_address: str
    subject: str
    sent_at: object  # an aware datetime, or None
    text: str
    automatic: str = ""  # why this is automatic mail; empty for a message a person wrote
    replies_to_relayed: bool = False  # an answer to a member's message the club relayed


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _unescape(value):
    """Text as str without the surrogates the email package uses for raw 8-bit bytes in headers."""
    value = str(value or "")
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _clean_line(value, limit):
    """One line of header text: no control characters (PostgreSQL refuses NUL), trimmed, cut."""
    value = " ".join(_CONTROL.sub(" ", _unescape(value)).split())
    return value[:limit]


def _clean_text(value, limit=TEXT_CHARS):
    value = _unescape(value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value.replace("\t", "    "))
    lines = [line.rstrip() for line in value.split("\n")]
    value = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return value[:limit]


def message_key(message_id, raw=None):
    """What makes a message the same message twice: its Message-ID, else a digest of its bytes."""
    message_id = _clean_line(message_id, 998)
    if len(message_id.encode()) > 255:
        # A database index holds a few thousand bytes: a hostile, huge Message-ID must not block the inbox.
        return f"sha256-id:{hashlib.sha256(message_id.encode()).hexdigest()}"
    if message_id:
        return message_id
    if raw is None:
        return ""
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


class _TextFromHTML(HTMLParser):
    BLOCKS = {
        "p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer",
    }  # fmt: skip
    HIDDEN = {"script", "style", "head", "title", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag == "p" else "\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href.startswith(("http://", "https://")) and href not in self.parts[-1:]:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self):
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(lines)


def html_to_text(html):
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    return parser.text()


def _part_text(part):
    """A text part's content as str, whatever its charset and transfer encoding."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError, ValueError):
        # An unknown or wrong charset: decode the bytes as best we can.
        payload = part.get_payload(decode=True) or b""
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


def body_text(message):
    """The text a person wrote: the plain part preferred, HTML converted, attachments left out."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _part_text(part)
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return _clean_text(content)


def automatic_reason(message, from_address):
    """Why a message was sent by a machine (auto-reply, bounce, list, spam), or ""."""
    auto_submitted = _clean_line(message.get("Auto-Submitted", ""), 100).lower()
    if auto_submitted and auto_submitted != "no":
        return Reason("Auto-Submitted: %(value)s", value=auto_submitted)
    precedence = _clean_line(message.get("Precedence", ""), 100).lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return Reason("Precedence: %(value)s", value=precedence)
    for header in ("List-Id", "List-Unsubscribe"):
        if message.get(header) is not None:
            return Reason(gettext_noop("mailing list (%(header)s)"), header=header)
    if message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None:
        return Reason(gettext_noop("auto-reply (%(header)s)"), header="X-Autoreply")
    if message.get_content_type() == "multipart/report":
        return Reason(gettext_noop("delivery report (%(type)s)"), type="multipart/report")
    if _clean_line(message.get("Return-Path", ""), 300) == "<>":
        return Reason(gettext_noop("bounce (empty %(header)s)"), header="Return-Path")
    if from_address.partition("@")[0].lower() in AUTOMATIC_SENDERS:
        return Reason(
            gettext_noop("automatic sender (%(name)s)"), name=from_address.partition("@")[0].lower()
        )
    if _clean_line(message.get("X-Spam-Flag", ""), 20).lower() == "yes":
        return Reason(gettext_noop("marked as spam (%(header)s)"), header="X-Spam-Flag")
    return ""


def _subject(message):
    for name, value in message.raw_items():
        if name.lower() == "subject":
            if any("\udc80" <= char <= "\udcff" for char in value):
                # Raw 8-bit bytes instead of encoded words: guess their charset ourselves.
                return _unescape(value)
            return message.get("Subject", "")
    return ""


def _sender(message):
    raw_from = message.get("From")
    if raw_from is None:
        return "", ""
    addresses = getattr(raw_from, "addresses", ())
    if addresses:
        return addresses[0].display_name, addresses[0].addr_spec
    return parseaddr(str(raw_from))


def _sent_at(message):
    value = message.get("Date")
    if value is None:
        return None
    try:
        moment = getattr(value, "datetime", None) or parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def parse(raw):
    """Read a message's bytes; UnreadableMessageError when no request or note can come of it."""
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
        from_name, from_address = _sender(message)
        from_address = _clean_line(from_address, 254)
        parsed = ParsedMessage(
            message_id=message_key(message.get("Message-ID", ""), raw),
            from_name=_clean_line(from_name, 200),
            from_address=from_address,
            subject=_clean_line(_subject(message), 300),
            sent_at=_sent_at(message),
            text=body_text(message),
        )
        parsed.automatic = automatic_reason(message, from_address)
        parsed.replies_to_relayed = is_reply_to_relayed(
            [str(message.get(name, "")) for name in ("In-Reply-To", "References")]
        )
    except UnreadableMessageError:
        raise
    except Exception as error:  # the email package raises many kinds on broken input
        raise UnreadableMessageError(
            gettext_noop("the message could not be parsed (%(error)s)"), error=type(error).__name__
        ) from error
    if not parsed.automatic:
        try:
            validate_email(parsed.from_address)
        except ValidationError:
            raise UnreadableMessageError(
                gettext_noop("no sender address to answer (From: %(sender)s)"),
                sender=parsed.from_address or "—",
            ) from None
    return parsed


# --- Taking one message in (one transaction) ------------------------------------------


def _own_addresses():
    return {
        address.lower()
        for address in (parseaddr(settings.DEFAULT_FROM_EMAIL)[1], settings.CLUB_CONTACT_EMAIL)
        if address
    }


def _request_name(parsed):
    name = parsed.from_name.strip(" \"'")
    return (name or parsed.from_address.partition("@")[0])[:100]


def _motivation(parsed):
    text = parsed.text or parsed.subject or _("(The email had no text.)")
    if len(text) > MOTIVATION_CHARS:
        text = text[: MOTIVATION_CHARS - 1].rstrip() + "…"
    return text


def _new_request(parsed):
    """The unconfirmed request for a new address, or None when one opened meanwhile (a race)."""
    access_request = AccessRequest(
        name=_request_name(parsed),
        email=User.objects.normalize_email(parsed.from_address).lower(),
        motivation=_motivation(parsed),
        source=AccessRequest.Source.EMAIL,
    )
    access_request.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            access_request.save()
    except IntegrityError:
        return None  # someone used /join/ with this address a moment ago
    access.ask_to_confirm(access_request, at_once=True)
    return access_request


def _classify(row, parsed):
    """Fill in what became of the message (inside the transaction that claimed it)."""
    if parsed.automatic or parsed.from_address.lower() in _own_addresses():
        row.outcome = InboxMessage.Outcome.AUTOMATIC
        _give_reason(row, parsed.automatic or Reason(gettext_noop("sent by this site")))
        return
    member = User.objects.filter(email__iexact=parsed.from_address, is_active=True).first()
    if member is not None:
        row.outcome, row.member = InboxMessage.Outcome.MEMBER_NOTE, member
        return
    for _attempt in range(2):
        open_request = (
            AccessRequest.objects.open().for_address(parsed.from_address).select_for_update().first()
        )
        if open_request is not None:
            row.outcome, row.access_request = InboxMessage.Outcome.REQUEST_NOTE, open_request
            return
        new_request = _new_request(parsed)
        if new_request is not None:
            row.outcome, row.access_request = InboxMessage.Outcome.REQUEST, new_request
            return
    raise UnreadableMessageError(gettext_noop("an open request for this address kept changing; try again"))


def _has_an_account(address):
    """Whether `address` is a member's, or was (members who left are still a party to what they received)."""
    return bool(address) and User.objects.filter(email__iexact=address).exists()


def take_in(raw, *, message_id=None):
    """Take one message in; returns (InboxMessage, taken) where taken is False when it was already.

    One transaction claims the message's key, creates the request or note and
    queues the confirmation email: all of it or none of it.
    """
    try:
        parsed = parse(raw)
    except UnreadableMessageError as error:
        return _unreadable(raw, error.reason, message_id=message_id)
    if parsed.replies_to_relayed and _has_an_account(parsed.from_address):
        # Between two members: organizers never read it. Only that it came is kept.
        # The mark is in headers anyone can write, so it counts only from a member's
        # address (or a former member's): a stranger's email is never dropped for it.
        parsed.automatic = Reason(gettext_noop("a reply to a member's relayed message (not kept)"))
        parsed.subject, parsed.text, raw = "", "", b""
    with transaction.atomic():
        row = InboxMessage(
            message_id=parsed.message_id,
            outcome=InboxMessage.Outcome.UNREADABLE,
            from_name=parsed.from_name,
            from_address=parsed.from_address,
            subject=parsed.subject,
            sent_at=parsed.sent_at,
            text=parsed.text,
            original=raw,
            size=len(raw),
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return InboxMessage.objects.get(message_id=parsed.message_id), False
        try:
            with transaction.atomic():
                _classify(row, parsed)
        except (UnreadableMessageError, ValidationError) as error:
            row.outcome = InboxMessage.Outcome.UNREADABLE
            _give_reason(row, getattr(error, "reason", None) or Reason(_clean_line(error, 200)))
            row.access_request = row.member = None
        row.save()
    return row, True


def _give_reason(row, reason):
    row.reason, row.reason_parts = _reason_fields(reason).values()


def _reason_fields(reason):
    """What InboxMessage stores of a Reason: its English text, and what it takes to translate it."""
    return {
        "reason": _clean_line(reason, 200),
        "reason_parts": {"template": reason.template, "values": reason.values},
    }


def _unreadable(raw, reason, *, message_id=None, size=None):
    """Remember a message that cannot be taken in, so organizers see it (it stays in the mailbox)."""
    key = message_key(message_id or "", raw)
    if raw is not None:
        try:
            headers = email.message_from_bytes(raw, policy=policy.compat32)
            from_name, from_address = parseaddr(str(headers.get("From", "")))
            subject = str(headers.get("Subject", ""))
        except Exception:  # noqa: BLE001 (best effort: the reason says it is unreadable)
            from_name = from_address = subject = ""
    else:
        from_name = from_address = subject = ""
    row, created = InboxMessage.objects.get_or_create(
        message_id=key,
        defaults={
            "outcome": InboxMessage.Outcome.UNREADABLE,
            **_reason_fields(reason),
            "from_name": _clean_line(from_name, 200),
            "from_address": _clean_line(from_address, 254),
            "subject": _clean_line(subject, 300),
            "original": raw or b"",
            "size": len(raw) if raw is not None else (size or 0),
        },
    )
    return row, created


# --- The mailbox ---------------------------------------------------------------------


@dataclass
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    mailbox: str
    implicit_tls: bool

    @classmethod
    def from_url(cls, url):
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise InboxError(f"CLUB_IMAP_URL is not a valid address ({error}).") from None
        if parts.scheme not in ("imaps", "imap") or not parts.hostname:
            raise InboxError("CLUB_IMAP_URL must look like imaps://user:password@host:993/INBOX.")
        if not parts.username or parts.password is None:
            raise InboxError("CLUB_IMAP_URL needs a user name and a password.")
        implicit_tls = parts.scheme == "imaps"
        if any(ord(char) < 32 or ord(char) == 127 for char in unquote(parts.path) + unquote(parts.username)):
            raise InboxError("CLUB_IMAP_URL must not hold control characters.")
        return cls(
            host=parts.hostname,
            port=port or (993 if implicit_tls else 143),
            user=unquote(parts.username),
            password=unquote(parts.password),
            mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
            implicit_tls=implicit_tls,
        )


def _tls_context():
    context = ssl.create_default_context(cafile=settings.CLUB_IMAP_CA_FILE or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _connect(config):
    if config.implicit_tls:
        imap = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=_tls_context(), timeout=IMAP_TIMEOUT)
    else:
        imap = imaplib.IMAP4(config.host, config.port, timeout=IMAP_TIMEOUT)
    try:
        if not config.implicit_tls:
            # Never log in over plain text: STARTTLS or nothing.
            imap.starttls(ssl_context=_tls_context())
        imap.login(config.user, config.password)
        # A quoted name, so that a mailbox with spaces works.
        mailbox = '"' + config.mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'
        status, data = imap.select(mailbox)
        if status != "OK":
            raise InboxError(f"The mailbox {config.mailbox!r} cannot be opened: {data!r}")
        _, permanent = imap.response("PERMANENTFLAGS")
        flags = b" ".join(item for item in permanent if item)
        if b"\\*" not in flags and FLAG.encode() not in flags:
            raise InboxError(f"The mailbox {config.mailbox!r} does not keep the flag {FLAG}.")
    except BaseException:
        imap.shutdown()
        raise
    return imap


def _check(response, what):
    status, data = response
    if status != "OK":
        raise InboxError(f"{what} failed: {data!r}")
    return data


_FETCH_UID = re.compile(rb"\bUID (\d+)")
_FETCH_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


def _fetched(data):
    """(uid, size, literal) for each message in an imaplib FETCH answer."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            uid, size = _FETCH_UID.search(item[0]), _FETCH_SIZE.search(item[0])
            yield (int(uid.group(1)) if uid else None), (int(size.group(1)) if size else None), item[1]


def _header_message_id(literal):
    headers = email.message_from_bytes(literal or b"", policy=policy.default)
    try:
        return message_key(headers.get("Message-ID", ""))
    except Exception:  # noqa: BLE001 (a broken header: the whole message decides later)
        return ""


def _mark_processed(imap, uid):
    """Flag a message once what it became is committed (the next run skips it)."""
    _check(imap.uid("STORE", str(uid), "+FLAGS.SILENT", f"({FLAG})"), f"Flagging message {uid}")


@dataclass
class Report:
    requests: int = 0
    notes: int = 0
    automatic: int = 0
    unreadable: list = field(default_factory=list)
    already: int = 0

    @property
    def read(self):
        return self.requests + self.notes + self.automatic + len(self.unreadable) + self.already


OUTCOME_COUNTERS = {
    InboxMessage.Outcome.REQUEST: "requests",
    InboxMessage.Outcome.REQUEST_NOTE: "notes",
    InboxMessage.Outcome.MEMBER_NOTE: "notes",
    InboxMessage.Outcome.AUTOMATIC: "automatic",
}


def read_inbox(url=None, *, limit=BATCH):
    """Read the club's mailbox once: every message not flagged yet, at most `limit` of them."""
    config = MailboxSettings.from_url(url or settings.CLUB_IMAP_URL)
    report = Report()
    try:
        imap = _connect(config)
    except (OSError, imaplib.IMAP4.error) as error:
        raise InboxError(f"Cannot read {config.mailbox} on {config.host}:{config.port}: {error}") from error
    try:
        [found] = _check(imap.uid("SEARCH", "UNDELETED", "UNKEYWORD", FLAG), "Searching the mailbox")
        uids = [int(uid) for uid in (found or b"").split()][:limit]
        if not uids:
            return report
        headers = _check(
            imap.uid(
                "FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
            ),
            "Reading the headers",
        )
        for uid, size, literal in _fetched(headers):
            if uid is None:
                continue
            _read_one(imap, uid, size or 0, _header_message_id(literal), report)
    except (OSError, imaplib.IMAP4.error) as error:
        raise InboxError(f"Reading {config.mailbox} on {config.host} stopped: {error}") from error
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()
    return report


def _read_one(imap, uid, size, message_id, report):
    if message_id:
        known = InboxMessage.objects.filter(message_id=message_id).only("outcome").first()
        if known is not None:
            if known.outcome == InboxMessage.Outcome.UNREADABLE:
                report.unreadable.append(known)
            else:
                # Taken in by an earlier run that stopped before flagging, or by a run alongside.
                _mark_processed(imap, uid)
                report.already += 1
            return
    if size > MAX_BYTES:
        row, _ = _unreadable(
            None,
            Reason(
                gettext_noop("too large to read (%(size)s MB; at most %(most)s MB)"),
                size=size // (1024 * 1024),
                most=MAX_BYTES // (1024 * 1024),
            ),
            message_id=message_id or f"imap-uid:{uid}",
            size=size,
        )
        report.unreadable.append(row)
        return
    [*literals] = (
        literal for _, _, literal in _fetched(_check(imap.uid("FETCH", str(uid), "(BODY.PEEK[])"), "Reading"))
    )
    if not literals:
        return  # deleted by someone else since the search
    row, taken = take_in(literals[0], message_id=message_id)
    if row.outcome == InboxMessage.Outcome.UNREADABLE:
        report.unreadable.append(row)
        return
    _mark_processed(imap, uid)
    if taken:
        setattr(report, OUTCOME_COUNTERS[row.outcome], getattr(report, OUTCOME_COUNTERS[row.outcome]) + 1)
    else:
        report.already += 1
