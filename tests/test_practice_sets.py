"""Practice sets: one request makes examples graded from easy to hard, each keeping to its own
constraints, with the teacher's title and note and one bundle (MusicXML, MIDI, WAV, Ogg, a PDF of
every engraved score, a README with provenance and credits); seen by whoever may see the model,
withdrawn with it. Recordings are synthetic melodies analysed by the real pipeline."""
import io
import zipfile

import numpy as np
import pytest
import soundfile as sf
from django.core.files.storage import default_storage

from archive.services.recordings import recording_update
from generation.models import PracticeSet, StudyExample
from generation.selectors import style_models_visible
from generation.services.examples import Request
from generation.services.practice_sets import practice_set_generate, practice_set_start
from generation.services.training import style_model_create, style_model_train
from tests import factories as f
from tests.factories import api_client
from tests.official_schemas import assert_valid_xml
from tests.test_generation import world  # noqa: F401 (the fixture: analysed recordings of a hicaz-like tradition)
from worker.models import Job

pytestmark = pytest.mark.django_db
UNLIMITED = 10**6


@pytest.fixture
def model(world):  # noqa: F811
    made = style_model_create(user=world["member"], tradition=world["tradition"])
    style_model_train(model=made)
    made.refresh_from_db()
    assert made.status == "ready"
    return made


def _span(steps):
    return min(steps), max(steps)


def test_a_set_is_graded_each_example_keeps_its_constraints_and_the_bundle_holds_everything(world, model):  # noqa: F811
    practice_set = practice_set_start(model=model, user=world["member"], title="Hicaz, first steps",
                                      note="Sing each one twice before you move on.",
                                      request=Request(count=6, length_notes=20, seed=3))
    assert Job.objects.get(pk=practice_set.job_id).kind == "generation.practice_set"
    result = practice_set_generate(practice_set=practice_set)
    assert practice_set_generate(practice_set=practice_set)["examples"] == 6  # redelivered: nothing made twice
    examples = list(StudyExample.objects.filter(practice_set=practice_set).order_by("index"))
    assert len(examples) == 6 == result["examples"]

    graded = [e.constraints["graded"] for e in examples]
    lengths = [len(e.notes) for e in examples]
    assert lengths == [g["length_notes"] for g in graded] and lengths[0] == 8 and lengths[-1] == 20
    assert lengths == sorted(lengths)
    leaps = [g["max_leap"] if g["max_leap"] is not None else UNLIMITED for g in graded]
    assert leaps == sorted(leaps) and leaps[0] < leaps[-1]
    assert [g["high_step"] for g in graded] == sorted(g["high_step"] for g in graded)
    assert [g["low_step"] for g in graded] == sorted((g["low_step"] for g in graded), reverse=True)
    for example, asked in zip(examples, graded, strict=True):
        steps = [n["step"] for n in example.notes if n["step"] is not None]
        low, high = _span(steps)
        assert asked["low_step"] <= low and high <= asked["high_step"], (example.index, low, high, asked)
        if asked["max_leap"] is not None:
            assert all(abs(b - a) <= asked["max_leap"] for a, b in zip(steps, steps[1:], strict=False))
        assert example.labels == ["tk_attribution", "tk_non_commercial"]
    first, last = (_span([n["step"] for n in e.notes if n["step"] is not None]) for e in (examples[0], examples[-1]))
    assert first[1] - first[0] <= graded[-1]["high_step"] - graded[-1]["low_step"]

    practice_set.refresh_from_db()
    with default_storage.open(practice_set.bundle_file, "rb") as handle:
        bundle = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = set(bundle.namelist())
    assert names == {f"{n:02d}-example.{kind}" for n in range(1, 7) for kind in ("musicxml", "mid", "wav", "ogg")} | {
        "scores.pdf", "README.txt"}
    pdf = bundle.read("scores.pdf")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(
        b"/Type /Page>") >= 6
    assert_valid_xml("musicxml", bundle.read("03-example.musicxml"))
    wav, rate = sf.read(io.BytesIO(bundle.read("06-example.wav")))
    ogg, ogg_rate = sf.read(io.BytesIO(bundle.read("06-example.ogg")))
    assert rate == ogg_rate and abs(len(wav) - len(ogg)) < rate * 0.1 and np.abs(ogg).max() > 0.05
    readme = bundle.read("README.txt").decode()
    assert "Hicaz, first steps" in readme and "Sing each one twice" in readme
    assert "Learned from recordings of Hicaz singers." in readme and "Sung by the Hicaz singers of the valley." in readme
    assert world["rec"]["open"].files.get(role="master").sha256 in readme and "tk_non_commercial" in readme


def test_the_api_makes_sets_for_those_who_may_see_the_model_and_withdraws_them_with_it(world, model):  # noqa: F811
    member, outsider = world["member"], world["outsider"]
    client = api_client(member)
    url = f"/api/style-models/{model.pk}/practice-sets/"
    assert client.post(url, {"title": "x", "count": 1}, format="json").status_code == 400
    assert client.post(url, {"count": 4}, format="json").status_code == 400
    assert client.post(url, {"title": "x", "count": 4, "range": [1200, 0]}, format="json").status_code == 400
    made = client.post(url, {"title": "Evening set", "note": "Slowly.", "count": 3, "length_notes": 12, "seed": 9},
                       format="json")
    assert made.status_code == 202, made.content
    body = made.json()
    assert body["state"] == "queued" and body["bundle"] is None
    assert client.get(f"/api/practice-sets/{body['id']}/bundle/").status_code == 409
    practice_set_generate(practice_set=PracticeSet.objects.get(pk=body["id"]))
    shown = client.get(f"/api/practice-sets/{body['id']}/").json()
    assert shown["state"] == "ready" and [e["index"] for e in shown["examples"]] == [0, 1, 2]
    assert all("ogg" in e["files"] for e in shown["examples"])
    ogg = client.get(shown["examples"][0]["files"]["ogg"])
    assert ogg.status_code == 200 and ogg["Content-Type"] == "audio/ogg"
    bundle = client.get(shown["bundle"])
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"
    assert "scores.pdf" in zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))).namelist()

    for user in (None, outsider, member, world["steward"], f.make_user("staff", staff=True)):
        sees_model = style_models_visible(user=user).filter(pk=model.pk).exists()
        answer = api_client(user).get(f"/api/practice-sets/{body['id']}/")
        assert (answer.status_code == 200) == sees_model, (user, answer.status_code)
        if not sees_model:
            assert api_client(user).get(shown["bundle"]).status_code in (401, 404)
            assert api_client(user).post(url, {"title": "mine", "count": 2}, format="json").status_code in (401, 404)
    assert not style_models_visible(user=outsider).filter(pk=model.pk).exists()  # the matrix above tried both sides

    # consent withdrawn from a source: the model retires, and its sets with it
    recording_update(recording=world["rec"]["open"], data={"training_consent": "not_allowed"}, user=world["steward"])
    assert client.get(shown["bundle"]).status_code == 410
    assert client.get(f"/api/practice-sets/{body['id']}/").json()["state"] == "withdrawn"
