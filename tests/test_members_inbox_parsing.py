"""Reading real-world messages sent to the club's address (files in tests/emails/)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from members.inbox import UnreadableMessageError, html_to_text, parse

EMAILS = Path(__file__).parent / "emails"


def read(name):
    return (EMAILS / name).read_bytes()


def test_it_prefers_the_plain_part_and_leaves_attachments_out():
    message = parse(read("multipart_with_attachment.eml"))
    assert message.from_name == "Zoë Ng"
    assert message.from_address == "zoe.ng@example.net"
    assert message.subject == "Meeting access?"
    assert message.message_id == "<CAF3k9xQ2m=Lp8eT5rV@mail.example.net>"
    assert message.sent_at == datetime(2026, 11, 10, 17, 14, 9, tzinfo=UTC)
    assert message.text.startswith("Hi there,\n\nI heard about the club at the NAVEL assembly")
    assert "at a café" in message.text
    assert message.text.endswith("Thanks!\nZoë")
    assert "HTML VERSION ONLY" not in message.text
    assert "ATTACHMENT SECRET" not in message.text
    assert "PDF" not in message.text
    assert message.automatic == ""


def test_an_html_only_message_is_converted_to_text():
    message = parse(read("html_only.eml"))
    assert message.from_name == "Ravi Patel"
    assert message.from_address == "Ravi.Patel@Example.COM"
    assert message.text == (
        "Hello,\n\n"
        "I would like to join the reading club & the movie nights.\n"
        "I found you through Are.na (https://www.are.na/solidarity).\n\n"
        "- Shop steward\n"
        "- Night shift\n\n"
        "Best, Ravi"
    )
    # Neither the stylesheet nor the script shows up as text.
    assert "margin" not in message.text
    assert "alert" not in message.text


def test_an_iso_8859_1_message_and_its_encoded_headers_are_decoded():
    message = parse(read("iso_8859_1.eml"))
    assert message.from_name == "José Muñoz"
    assert message.subject == "Petición de acceso"
    assert "me gustaría participar" in message.text
    assert "organización sindical. ¿Cómo funciona?" in message.text


def test_quoted_printable_soft_line_breaks_and_utf8_are_decoded():
    message = parse(read("quoted_printable.eml"))
    assert message.from_name == "Amara O."
    assert "join the meetings and learn how others keep going — especially the café workers" in message.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto_reply.eml", "Auto-Submitted: auto-replied"),
        ("bounce.eml", "Auto-Submitted: auto-replied"),
        ("mailing_list.eml", "Precedence: bulk"),
    ],
)
def test_automatic_mail_is_recognised(name, reason):
    assert parse(read(name)).automatic == reason


def message(headers="", body="Hello, I would like meeting access please.", sender="Nia <nia@example.org>"):
    return (
        f"From: {sender}\r\nTo: us@solidarityclub.org\r\nSubject: Hi\r\nMessage-ID: <m1@example.org>\r\n"
        f"{headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ("Auto-Submitted: auto-generated\r\n", "Nia <nia@example.org>", "Auto-Submitted: auto-generated"),
        ("Precedence: junk\r\n", "Nia <nia@example.org>", "Precedence: junk"),
        ("List-Id: <talk.example.org>\r\n", "Nia <nia@example.org>", "mailing list (List-Id)"),
        ("X-Autoreply: yes\r\n", "Nia <nia@example.org>", "auto-reply (X-Autoreply)"),
        ("Return-Path: <>\r\n", "Nia <nia@example.org>", "bounce (empty Return-Path)"),
        ("", "Mail Delivery Subsystem <MAILER-DAEMON@example.org>", "automatic sender (mailer-daemon)"),
        ("", "postmaster@example.org", "automatic sender (postmaster)"),
        ("X-Spam-Flag: YES\r\n", "Nia <nia@example.org>", "marked as spam (X-Spam-Flag)"),
    ],
)
def test_each_sign_of_automatic_mail(headers, sender, reason):
    assert parse(message(headers, sender=sender)).automatic == reason


def test_a_person_saying_auto_submitted_no_is_a_person():
    assert parse(message("Auto-Submitted: no\r\nPrecedence: first-class\r\n")).automatic == ""


def test_a_message_without_message_id_is_known_by_a_digest_of_its_bytes():
    raw = message().replace(b"Message-ID: <m1@example.org>\r\n", b"")
    first, again = parse(raw), parse(raw)
    assert first.message_id.startswith("sha256:")
    assert first.message_id == again.message_id
    assert parse(raw + b"more").message_id != first.message_id


def test_nul_bytes_and_control_characters_never_reach_the_database():
    parsed = parse(
        message(body="Hello\x00 there\x07, I would like to join.", sender="Ni\x00a <nia@example.org>")
    )
    assert "\x00" not in parsed.text
    assert "\x07" not in parsed.text
    assert "\x00" not in parsed.from_name


def test_an_unknown_charset_is_read_as_well_as_possible():
    raw = message(body="caf\xe9 workers unite, I want to join").replace(
        b"charset=utf-8", b"charset=x-unknown"
    )
    assert "workers unite" in parse(raw.replace("é".encode(), b"\xe9")).text


@pytest.mark.parametrize(
    "sender", ["", "not an address", "Nia <nia@>", "<@example.org>", "undisclosed-recipients:;"]
)
def test_a_message_without_an_address_to_answer_is_unreadable(sender):
    raw = message(sender=sender) if sender else message().replace(b"From: Nia <nia@example.org>\r\n", b"")
    with pytest.raises(UnreadableMessageError, match="no sender address"):
        parse(raw)


def test_garbage_is_unreadable_not_a_crash():
    with pytest.raises(UnreadableMessageError):
        parse(b"\x00\xff\xfe garbage without headers")


def test_html_conversion_keeps_paragraphs_lists_and_link_targets():
    html = "<p>One</p><p>Two <a href='https://x.example/'>link</a></p><ul><li>a</li></ul>"
    assert parse(message(body=html).replace(b"text/plain", b"text/html")).text == (
        "One\n\nTwo link (https://x.example/)\n\n- a"
    )
    # A link whose text is its address is not repeated.
    assert html_to_text("<a href='https://x.example/'>https://x.example/</a>").strip() == "https://x.example/"


@pytest.mark.parametrize(("encoding", "name"), [("utf-8", "José Muñoz"), ("latin-1", "José Muñoz")])
def test_raw_8bit_headers_are_decoded_not_left_as_surrogates(encoding, name):
    raw = message(sender="José Muñoz <jose@example.es>").decode().encode(encoding)
    parsed = parse(raw.replace(b"Subject: Hi", "Subject: Petición".encode(encoding)))
    assert parsed.from_name == name
    assert parsed.subject == "Petición"
    parsed.from_name.encode("utf-8")  # no lone surrogate left


def test_a_huge_message_id_becomes_a_short_stable_key():
    huge = "<" + "ü" * 2000 + "@example.org>"
    raw = message().replace(b"<m1@example.org>", huge.encode())
    key = parse(raw).message_id
    assert key.startswith("sha256-id:")
    assert len(key) < 100
    assert parse(raw).message_id == key
