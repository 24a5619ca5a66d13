"""The image's HEALTHCHECK: exit 0 when /healthz answers 200 `ok`, 1 otherwise.

Standard library only (the slim image has no curl). It asks as a proxy would: with
the first of DJANGO_ALLOWED_HOSTS as Host and `X-Forwarded-Proto: https`, so that
neither ALLOWED_HOSTS nor the SSL redirect turns the answer away.
"""

import os
import sys
import urllib.request


def main():
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts else "localhost"  # ".example.org" allows its subdomains
    if host == "*":
        host = "localhost"
    port = os.environ.get("PORT", "").strip() or "8000"
    request = urllib.request.Request(  # noqa: S310 (a fixed http:// URL)
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            body = response.read(100)
            status = response.status
    except OSError as error:  # URLError, HTTPError (e.g. 503), timeouts
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200 or body.strip() != b"ok":
        print(f"healthcheck: {status} {body!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
