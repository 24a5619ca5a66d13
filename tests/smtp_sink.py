"""A real SMTP server that records every message it accepts: for tests where delivery is the subject.

In a test:  with SmtpSink() as sink: … sink.port … sink.messages (email.message.Message objects)
Standalone (make scale-test):  python -m tests.smtp_sink --port 2525 --out delivered.jsonl
appends one JSON line per delivered message (Message-ID, recipients, subject).
"""

import argparse
import json
import signal
import socket
import threading
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Recorder:
    def __init__(self, on_message):
        self.on_message = on_message

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        self.on_message(message, list(envelope.rcpt_tos))
        return "250 OK"


class SmtpSink:
    def __init__(self, port=None, on_message=None):
        self.port = port or free_port()
        self.messages = []
        self._lock = threading.Lock()
        self._on_message = on_message
        self._controller = Controller(_Recorder(self._record), hostname="127.0.0.1", port=self.port)

    def _record(self, message, recipients):
        with self._lock:
            self.messages.append(message)
        if self._on_message:
            self._on_message(message, recipients)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    def message_ids(self):
        with self._lock:
            return [message["Message-ID"] for message in self.messages]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = open(args.out, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open for the server's life)
    lock = threading.Lock()

    def write(message, recipients):
        line = {"message_id": message["Message-ID"], "to": recipients, "subject": str(message["Subject"])}
        with lock:
            out.write(json.dumps(line) + "\n")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with SmtpSink(args.port, on_message=write):
        print(f"smtp sink listening on 127.0.0.1:{args.port}", flush=True)
        stop.wait()
    out.close()


if __name__ == "__main__":
    main()
