"""HTTP as a guest of another archive: one request at a time to a host (the caller's lock, shared
by every worker), retries with exponential backoff for what a retry can fix (no connection, 429,
5xx), and a server's Retry-After honoured. A wait longer than ``max_wait`` is not slept through
in a worker: ``Throttled`` says how long, and the harvest resumes later from where it stopped."""
import contextlib
import email.utils
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

RETRIED_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "Songkeeper-harvester/1.0 (+https://github.com/songkeeper; bringing recordings home)"


class Throttled(Exception):
    def __init__(self, url: str, wait: float):
        super().__init__(f"{urlsplit(url).netloc} asks to wait {wait:.0f} s")
        self.wait = wait


class Unreachable(Exception):
    """Retries did not help: the message says what the host answered last."""


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else datetime.now(UTC).timestamp()))


class PoliteClient:
    def __init__(self, *, host_lock: Callable[[str], contextlib.AbstractContextManager] | None = None,
                 retries: int = 4, backoff: float = 1.0, max_wait: float = 120.0, timeout: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.host_lock = host_lock or (lambda host: contextlib.nullcontext())
        self.retries, self.backoff, self.max_wait, self.timeout, self.sleep = retries, backoff, max_wait, timeout, sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.requests_sent = 0

    def get(self, url: str, *, params: dict | None = None, headers: dict | None = None,
            consume: Callable[[requests.Response], object] | None = None) -> requests.Response:
        """The answer, once it is not one worth retrying; raises Throttled or Unreachable. With
        ``consume``, the body is streamed to it while the host is still ours (a long download is
        still one request at a time); its return value is the response's ``consumed``."""
        host = urlsplit(url).netloc
        last = "no answer"
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2 ** attempt
            try:
                with self.host_lock(host):
                    self.requests_sent += 1
                    response = self.session.get(url, params=params, headers=headers, stream=consume is not None,
                                                timeout=self.timeout)
                    if response.status_code in RETRIED_STATUSES or consume is None:
                        response.content  # noqa: B018 (read the body while the host is ours)
                    elif response.status_code < 400:
                        response.consumed = consume(response)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in RETRIED_STATUSES:
                    return response
                last = f"HTTP {response.status_code}"
                asked = retry_after(response.headers.get("Retry-After"))
                response.close()
                if asked is not None:
                    if asked > self.max_wait:
                        raise Throttled(url, asked)
                    wait = asked
            if attempt < self.retries:
                self.sleep(wait)
        raise Unreachable(f"{host}: {last} after {self.retries + 1} tries")
