"""People correct a recording's transcription: every save a new version with who and when, a
stale save refused, a return to the automatic notes; /notes/ and its MIDI and MusicXML serve the
newest correction and say so; a style model learns from it and its manifest names the version;
re-analysis leaves it alone. A real recording (synthetic melody) analysed by the real pipeline."""
import io
import json

import mido
import pytest

from archive.exports.bag import export_bag
from archive.models import Collection
from archive.services.analysis import recording_analyse
from archive.services.ingest import recording_attach_master
from generation.services.training import style_model_create
from tests import factories as f
from tests.audio.melody import write_melody
from tests.factories import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    steward, member, listener = f.make_user("steward"), f.make_user("member"), f.make_user("listener")
    community = f.make_community(stewards=[steward], members=[member], name="Valley singers")
    tradition = f.make_tradition(community, name="Valley songs")
    song = f.make_recording(community, tradition, title="River song", training_consent="allowed")
    path = tmp_path / "song.wav"
    write_melody(path, 7, scale="hicaz-like", seconds=9.0, tonic_hz=200.0)
    recording_attach_master(recording=song, path=path, original_name=path.name, user=steward)
    recording_analyse(recording=song)
    hidden = f.make_recording(community, tradition, title="Elders' song", record_protocol="community",
                              media_protocol="community")
    return {"steward": steward, "member": member, "listener": listener, "song": song, "hidden": hidden,
            "tradition": tradition}


def _url(recording, tail=""):
    return f"/api/recordings/{recording.pk}/{tail}"


def test_a_member_corrects_a_split_note_and_a_wrong_degree(world):
    song, api = world["song"], api_client(world["member"])
    automatic = api.get(_url(song, "transcriptions/0/")).json()["notes_list"]
    assert api.get(_url(song, "notes/"))["Songkeeper-Transcription"].startswith("automatic")
    first, second = automatic[0], automatic[1]
    merged = {"onset": first["onset"], "duration": round(second["onset"] + second["duration"] - first["onset"], 3),
              "cents": first["cents"]}  # two halves of one held note made one
    moved = {**automatic[2], "cents": automatic[2]["cents"] + 200}  # a note heard on the wrong degree
    corrected = [merged, moved, *automatic[3:]]
    saved = api.post(_url(song, "transcriptions/"), {"notes": corrected, "based_on": 0, "comment": "one held note"},
                     format="json")
    assert saved.status_code == 201, saved.content
    assert saved.json()["number"] == 1 and saved.json()["notes"] == len(automatic) - 1
    notes = api.get(_url(song, "notes/"))
    assert notes["Songkeeper-Transcription"] == "corrected, version 1"
    served = notes.json()
    assert len(served) == len(automatic) - 1
    assert served[0]["onset"] == merged["onset"] and served[0]["duration"] == merged["duration"]
    assert abs(served[1]["cents"] - moved["cents"]) < 0.05 and served[1]["degree"] is not None
    assert served[1]["hz"] == pytest.approx(200.0 * 2 ** (moved["cents"] / 1200), rel=0.02)  # read in the tonic
    versions = api.get(_url(song, "transcriptions/")).json()
    assert [(v["number"], v["source"]) for v in versions] == [(1, "corrected"), (0, "automatic")]
    assert versions[0]["author"] is None  # who saved is a steward's detail, as in the history
    by_steward = api_client(world["steward"]).get(_url(song, "transcriptions/")).json()
    assert by_steward[0]["author"] == "member" and by_steward[0]["comment"] == "one held note"


def test_a_stale_save_is_refused_and_nothing_is_written(world):
    song, api = world["song"], api_client(world["member"])
    notes = api.get(_url(song, "transcriptions/0/")).json()["notes_list"]
    assert api.post(_url(song, "transcriptions/"), {"notes": notes[1:], "based_on": 0}, format="json").status_code == 201
    stale = api_client(world["steward"]).post(_url(song, "transcriptions/"), {"notes": notes[2:], "based_on": 0},
                                              format="json")
    assert stale.status_code == 409 and "version 1" in stale.json()["detail"]
    assert [v["number"] for v in api.get(_url(song, "transcriptions/")).json()] == [1, 0]


def test_bad_notes_are_clear_400s(world):
    song, api = world["song"], api_client(world["member"])
    for body, says in (({"notes": [], "based_on": 0}, "list"),
                       ({"notes": [{"onset": "x", "duration": 1, "cents": 0}], "based_on": 0}, "onset"),
                       ({"notes": [{"onset": 1, "duration": -1, "cents": 0}], "based_on": 0}, "duration"),
                       ({"notes": [{"onset": 500, "duration": 1, "cents": 0}], "based_on": 0}, "ends after"),
                       ({"notes": [{"onset": 1, "duration": 1, "cents": 0}, {"onset": 1.5, "duration": 1, "cents": 200}],
                         "based_on": 0}, "note 2 begins before"),
                       ({"notes": [{"onset": 1, "duration": 1, "cents": 0}], "based_on": "one"}, "whole number")):
        answer = api.post(_url(song, "transcriptions/"), body, format="json")
        assert answer.status_code == 400 and says in answer.json()["detail"], (body, answer.content)
    assert [v["number"] for v in api.get(_url(song, "transcriptions/")).json()] == [0]


def test_only_the_communitys_members_correct_and_outsiders_never_see_versions(world):
    song, hidden = world["song"], world["hidden"]
    notes = api_client(world["member"]).get(_url(song, "transcriptions/0/")).json()["notes_list"]
    listener = api_client(world["listener"])
    assert listener.get(_url(song, "transcriptions/")).status_code == 200  # a public song: anyone may read
    refused = listener.post(_url(song, "transcriptions/"), {"notes": notes, "based_on": 0}, format="json")
    assert refused.status_code == 403
    assert api_client().post(_url(song, "transcriptions/"), {"notes": notes, "based_on": 0},
                             format="json").status_code in (401, 403)
    for tail in ("transcriptions/", "transcriptions/0/", "transcriptions/1/"):
        assert listener.get(_url(hidden, tail)).status_code == 404  # hidden answers as missing


def test_returning_to_the_automatic_notes_is_a_new_version(world):
    song, api = world["song"], api_client(world["member"])
    automatic = api.get(_url(song, "transcriptions/0/")).json()["notes_list"]
    api.post(_url(song, "transcriptions/"), {"notes": automatic[:3], "based_on": 0}, format="json")
    back = api.post(_url(song, "transcriptions/"), {"revert_to": 0, "based_on": 1}, format="json")
    assert back.status_code == 201 and back.json()["number"] == 2
    assert len(api.get(_url(song, "notes/")).json()) == len(automatic)
    assert api.get(_url(song, "transcriptions/1/")).json()["notes"] == 3  # the old version is kept


def test_exports_carry_the_correction_and_say_so(world, tmp_path):
    song, api = world["song"], api_client(world["member"])
    automatic = api.get(_url(song, "transcriptions/0/")).json()["notes_list"]
    api.post(_url(song, "transcriptions/"), {"notes": automatic[:4], "based_on": 0}, format="json")
    midi = api.get(_url(song, "notes/midi/"))
    assert midi["Songkeeper-Transcription"] == "corrected, version 1"
    track = mido.MidiFile(file=io.BytesIO(midi.content)).tracks
    names = [m.name for t in track for m in t if m.type == "track_name"]
    played = [m for t in track for m in t if m.type == "note_on" and m.velocity > 0]
    assert any("corrected, version 1" in n for n in names) and len(played) == 4
    xml = api.get(_url(song, "notes/musicxml/"))
    assert b"transcription: corrected, version 1" in xml.content
    song.collection = Collection.objects.create(community=song.community, title="Valley, 2026")
    song.save()
    export_bag(collection=song.collection, dest=tmp_path / "bag", user=world["steward"])
    kept = json.loads((tmp_path / "bag" / "data" / "recordings" / str(song.pk) / "notes.json").read_text())
    assert kept["transcription"] == "corrected, version 1" and len(kept["notes"]) == 4


def test_a_model_learns_from_the_correction_and_reanalysis_leaves_it(world):
    song, api = world["song"], api_client(world["member"])
    automatic = api.get(_url(song, "transcriptions/0/")).json()["notes_list"]
    saved = api.post(_url(song, "transcriptions/"), {"notes": automatic[1:], "based_on": 0}, format="json").json()
    recording_analyse(recording=song)  # a re-analysis makes the automatic notes again
    assert api.get(_url(song, "notes/"))["Songkeeper-Transcription"] == "corrected, version 1"
    model = style_model_create(user=world["member"], tradition=world["tradition"])
    source = next(s for s in model.manifest["recordings"] if s["recording"] == str(song.pk))
    assert source["transcription"] == {"number": 1, "source": "corrected", "sha256": saved["sha256"]}
    assert source["notes_sha256"] == saved["sha256"]


def test_a_steward_allows_someone_outside_the_community_to_correct(world):
    from django.test import Client

    song, linguist = world["song"], world["listener"]
    notes = api_client(world["member"]).get(_url(song, "transcriptions/0/")).json()["notes_list"]
    as_linguist = api_client(linguist)
    assert as_linguist.post(_url(song, "transcriptions/"), {"notes": notes, "based_on": 0}, format="json").status_code == 403
    member_page = Client()
    member_page.force_login(world["member"])
    url = f"/dashboard/communities/{song.community_id}/note-correctors/"
    member_page.post(url, {"username": "listener", "action": "add"})  # only stewards choose
    assert not song.community.note_correctors.exists()
    steward_page = Client()
    steward_page.force_login(world["steward"])
    steward_page.post(url, {"username": "listener", "action": "add"})
    assert list(song.community.note_correctors.all()) == [linguist]
    assert "listener" in steward_page.get("/dashboard/").content.decode()
    saved = as_linguist.post(_url(song, "transcriptions/"), {"notes": notes[1:], "based_on": 0}, format="json")
    assert saved.status_code == 201
    steward_page.post(url, {"username": "listener", "action": "remove"})
    again = as_linguist.post(_url(song, "transcriptions/"), {"notes": notes[2:], "based_on": 1}, format="json")
    assert again.status_code == 403
    missing = steward_page.post(url, {"username": "nobody", "action": "add"}, follow=True)
    assert "no user called" in missing.content.decode()
