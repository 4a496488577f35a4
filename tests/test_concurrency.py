"""Real concurrency, two threads with their own database connections released at the same
instant: two stewards approving one proposal, two uploads of the same master. One wins, the
other gets a clear conflict, and nothing is doubled or corrupted."""
import threading

import pytest
from django.db import connection

from archive.models import PreservationEvent, Proposal, RecordingFile
from archive.services.errors import Conflict
from archive.services.ingest import recording_attach_master
from archive.services.proposals import proposal_decide
from tests import factories as f
from tests.audio import synth

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except Exception as exc:  # the loser's answer is part of what is tested
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def outcome(results):
    wins = [r for kind, r in results if kind == "ok"]
    losses = [r for kind, r in results if kind == "error"]
    return wins, losses


def test_two_stewards_approving_at_once(settings):
    first, second, member = f.make_user("first"), f.make_user("second"), f.make_user("member")
    community = f.make_community(stewards=[first, second], members=[member])
    recording = f.make_recording(community, title="Old title")
    proposal = Proposal.objects.create(recording=recording, proposer=member, changes={"title": "New title"})
    results = race(lambda: proposal_decide(proposal_id=proposal.pk, user=first, approve=True),
                   lambda: proposal_decide(proposal_id=proposal.pk, user=second, approve=False))
    wins, losses = outcome(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], Conflict) and "already" in losses[0].message
    proposal.refresh_from_db()
    recording.refresh_from_db()
    assert proposal.status in ("approved", "rejected") and proposal.decided_by in (first, second)
    assert recording.title == ("New title" if proposal.status == "approved" else "Old title")


def test_two_uploads_of_the_same_master_at_once(tmp_path):
    member = f.make_user("member")
    community = f.make_community(members=[member], stewards=[f.make_user("steward")])
    recording = f.make_recording(community)
    paths = [synth.write(tmp_path / f"take-{i}.wav", seconds=3.0) for i in range(2)]  # the same audio twice
    results = race(*(lambda p=p: recording_attach_master(recording=recording, path=p, original_name="take.wav", user=member)
                     for p in paths))
    wins, losses = outcome(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], Conflict) and "already has its preservation master" in losses[0].message
    assert RecordingFile.objects.filter(recording=recording).count() == 1
    assert PreservationEvent.objects.filter(recording=recording, type="ingestion").count() == 1
    from django.core.files.storage import default_storage

    assert len(default_storage.listdir(f"recordings/{recording.pk}")[1]) == 1  # the loser left no file
