"""The harvester as a guest, against a real HTTP server: one request at a time to a host whatever
the number of harvests (the lock lives in the test Redis, as it does for every worker), retries for
what a retry can fix, and a server's Retry-After honoured or handed back to the job queue."""
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from archive.harvest.polite import PoliteClient, Throttled, Unreachable, retry_after
from archive.services.harvest import polite_client


class Host(BaseHTTPRequestHandler):
    in_flight = 0
    most_in_flight = 0
    answers: dict[str, list[tuple[int, dict]]] = {}
    lock = threading.Lock()

    def do_GET(self):  # noqa: N802 (http.server's name)
        with Host.lock:
            Host.in_flight += 1
            Host.most_in_flight = max(Host.most_in_flight, Host.in_flight)
            queued = Host.answers.get(self.path.split("?")[0], [])
            status, headers = queued.pop(0) if queued else (200, {})
        time.sleep(0.03)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        with Host.lock:
            Host.in_flight -= 1

    def log_message(self, *args):
        pass


@pytest.fixture
def host():
    Host.in_flight = Host.most_in_flight = 0
    Host.answers = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_harvests_share_a_host_one_request_at_a_time(host, settings):
    settings.HARVEST_RETRIES = 0

    def harvest():
        client = polite_client()  # each harvest its own client; the lock is shared through Redis
        for n in range(6):
            assert client.get(f"{host}/oai", params={"n": n}).status_code == 200

    harvests = [threading.Thread(target=harvest) for _ in range(3)]
    for thread in harvests:
        thread.start()
    for thread in harvests:
        thread.join()
    assert Host.most_in_flight == 1


def test_a_busy_host_is_retried_after_the_time_it_asks(host):
    Host.answers = {"/busy": [(503, {"Retry-After": "1"}), (502, {})]}
    slept = []
    client = PoliteClient(retries=3, backoff=0.01, sleep=lambda s: (slept.append(s), time.sleep(s)))
    assert client.get(f"{host}/busy").status_code == 200
    assert slept == [1.0, 0.02]  # the asked second, then backoff (doubling) for the plain 502
    assert client.requests_sent == 3


def test_a_long_wait_goes_back_to_the_queue_and_a_dead_host_says_so(host):
    later = format_datetime(datetime.now(UTC) + timedelta(hours=2), usegmt=True)
    Host.answers = {"/later": [(429, {"Retry-After": later})], "/down": [(500, {})] * 3}
    with pytest.raises(Throttled) as throttled:
        PoliteClient(max_wait=60).get(f"{host}/later")
    assert 7000 < throttled.value.wait <= 7200
    with pytest.raises(Unreachable, match="HTTP 500 after 3 tries"):
        PoliteClient(retries=2, backoff=0.01).get(f"{host}/down")
    assert PoliteClient(retries=0).get(f"{host}/missing").status_code == 200  # an unqueued path answers


def test_retry_after_reads_seconds_and_dates():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC).timestamp()
    assert retry_after("120") == 120.0
    assert retry_after("Tue, 01 Dec 2026 12:01:30 GMT", now=now) == 90.0
    assert retry_after("Tue, 01 Dec 2026 11:00:00 GMT", now=now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None
