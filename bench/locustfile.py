"""Locust users for `make bench`'s load row: anonymous visitors and signed-in community members
browsing pages, searching (pages and API) and listening (audio with Range requests, as a player
seeks). The recordings to open and stream come from the bench in LOAD_RECORDINGS / LOAD_AUDIBLE
(comma-separated ids); members sign in through the login form as LOAD_MEMBERS (comma-separated
usernames) with LOAD_PASSWORD."""
import os
import random
import re

from locust import HttpUser, between, task

RECORDINGS = [r for r in os.environ.get("LOAD_RECORDINGS", "").split(",") if r]
AUDIBLE = [r for r in os.environ.get("LOAD_AUDIBLE", "").split(",") if r]
SIZES: dict[str, int] = {}  # recording id -> bytes of its access copy, learnt from Content-Range
WORDS = ["song", "river", "harvest", "lament", "varnam", "lobo", "candombe", "sevdah", "nguyen", "drum", "voice"]


MEMBERS = [m for m in os.environ.get("LOAD_MEMBERS", "").split(",") if m]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(HttpUser):
    """Anonymous: what the page cache serves (archive/page_cache.py)."""
    weight = 4
    wait_time = between(0.5, 1.5)

    @task(3)
    def browse(self):
        self.client.get("/", name="browse: home")
        self.client.get("/browse/", name="browse: browse page")
        if RECORDINGS:
            self.client.get(f"/recordings/{random.choice(RECORDINGS)}/", name="browse: a recording")

    @task(3)
    def search(self):
        word = random.choice(WORDS)
        self.client.get(f"/api/search/?q={word}&limit=20", name="search: api")
        self.client.get(f"/search/?q={word}", name="search: page")

    @task(2)
    def listen(self):
        """A player seeking: the first request learns the file's size from Content-Range, later ones
        ask for 64 KiB at random places inside it."""
        if not AUDIBLE:
            return
        recording = random.choice(AUDIBLE)
        size = SIZES.get(recording)
        start = random.randrange(0, max(1, size - 65536)) if size else 0
        with self.client.get(f"/api/recordings/{recording}/audio/", headers={"Range": f"bytes={start}-{start + 65535}"},
                             name="stream: range", catch_response=True) as response:
            if response.status_code != 206:
                response.failure(f"expected 206, got {response.status_code}")
            else:
                SIZES[recording] = int(response.headers["Content-Range"].rsplit("/", 1)[1])


class Member(Visitor):
    """Signed in through the form: every page is rendered for them, with their access."""
    weight = 1 if MEMBERS else 0

    def on_start(self):
        form = self.client.get("/login/", name="sign-in: form")
        token = CSRF.search(form.text).group(1)
        signed_in = self.client.post("/login/", {"username": random.choice(MEMBERS), "csrfmiddlewaretoken": token,
                                                 "password": os.environ["LOAD_PASSWORD"]}, name="sign-in: post",
                                     allow_redirects=False)
        if signed_in.status_code != 302:
            raise RuntimeError(f"signing in failed: {signed_in.status_code}")
