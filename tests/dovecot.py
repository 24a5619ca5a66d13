"""A real IMAP server for the inbox tests: Debian's Dovecot on loopback, with TLS.

Each test session starts its own Dovecot (one per xdist worker) on a free port,
with a throw-away configuration, certificate, password file and mail folder,
all under a temporary folder: no root service, no system configuration is
touched. Messages are delivered with IMAP APPEND, as a mail server would.
"""

import datetime
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER = "club"
PASSWORD = "imap-test-password"  # noqa: S105 (a throw-away server's only account)


def dovecot_binary():
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.path.exists(path)), None
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _certificate(folder):
    """A self-signed certificate for 127.0.0.1 and localhost; the client trusts exactly it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    return cert_file, key_file


class Dovecot:
    def __init__(self, binary):
        self.binary = binary
        # Dovecot reads its files as its own users, so the folder is not pytest's private one.
        self.folder = Path(tempfile.mkdtemp(prefix="sc-dovecot-"))
        self.port = _free_port()
        self.cert_file, key_file = _certificate(self.folder)
        mail_root = self.folder / "mail"
        mail_root.mkdir()
        (self.folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        running_as_root = os.geteuid() == 0
        if running_as_root:
            # Dovecot never reads mail as root: the mailbox belongs to an unprivileged user.
            owner = pwd.getpwnam("nobody")
            self.folder.chmod(0o755)
            os.chown(mail_root, owner.pw_uid, owner.pw_gid)
            users = ""
        else:
            owner = pwd.getpwuid(os.geteuid())
            users = (
                f"default_internal_user = {owner.pw_name}\n"
                f"default_internal_group = {owner.pw_name}\n"
                f"default_login_user = {owner.pw_name}\n"
            )
        self.config = self.folder / "dovecot.conf"
        self.config.write_text(
            f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.folder}/run
state_dir = {self.folder}/state
instance_name = sc-test-{self.port}
log_path = {self.folder}/dovecot.log
{users}
ssl = required
ssl_cert = <{self.cert_file}
ssl_key = <{key_file}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:{mail_root}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.folder}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={mail_root}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_ready()

    @property
    def url(self):
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def _wait_until_ready(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot stopped: {self.process.stderr.read().decode()} {self.log()}")
            try:
                with self.connect():
                    return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not answer on port {self.port}: {self.log()}")

    def log(self):
        path = self.folder / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def connect(self):
        context = ssl.create_default_context(cafile=str(self.cert_file))
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        imap.login(USER, PASSWORD)
        imap.select("INBOX")
        return imap

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Mailbox:
    """The club's INBOX as a test sees it: empty at the start, filled with APPEND."""

    def __init__(self, server):
        self.server = server
        with server.connect() as imap:
            imap.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
            imap.expunge()

    def deliver(self, raw):
        with self.server.connect() as imap:
            status, data = imap.append("INBOX", None, None, raw)
            assert status == "OK", data

    def flags(self):
        """{uid: set of flags} of every message in the mailbox."""
        with self.server.connect() as imap:
            status, data = imap.uid("FETCH", "1:*", "(UID FLAGS)")
        result = {}
        if status != "OK":
            return result
        for line in data:
            if not line:
                continue
            text = line.decode()
            uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
            result[uid] = set(text.split("FLAGS (")[1].split(")")[0].split())
        return result
