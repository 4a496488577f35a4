"""Variations on a real phrase: a passage of a recording the model learned from (read from the notes
it learned), varied with its opening and cadence kept, or continued; each example names the
passage in its provenance and carries the recording's inherited labels. Only a passage of a
source the educator may hear."""
import pytest

from generation.models import StudyExample
from generation.services.variations import passage_of, variation_start, variations_generate
from tests import factories as f
from tests.factories import api_client
from tests.test_generation import world  # noqa: F401 (the fixture: analysed recordings of a hicaz-like tradition)
from tests.test_practice_sets import model  # noqa: F401 (the fixture: a ready model of that tradition)
from worker.models import Job

pytestmark = pytest.mark.django_db


def _steps(notes):
    return [n["step"] if isinstance(n, dict) else n.step for n in notes]


def test_a_passage_is_varied_with_its_opening_and_cadence_kept_or_continued(world, model):  # noqa: F811
    source = world["rec"]["open"]
    passage = passage_of(model, source, 0.0, 5.0)
    assert len(passage.notes) >= 4 and passage.notes[-1].phrase_end
    assert model.metrics["tonic_moves"] == {}  # the three singers' tonics agreed: none was turned at training
    fifth = min(range(len(model.pitch_set)), key=lambda d: abs(model.pitch_set[d] - 702))
    model.metrics["tonic_moves"] = {str(source.pk): model.pitch_set[fifth]}  # as if its tonic had been read on the fifth
    turned = passage_of(model, source, 0.0, 5.0)  # then its passage is read as training read its notes
    assert all(b.step < a.step for a, b in zip(passage.notes, turned.notes, strict=True))  # a fifth lower, each
    model.metrics["tonic_moves"] = {}
    job = variation_start(model=model, user=world["member"], recording=source, start=0.0, end=5.0, mode="vary",
                          count=2, seed=4)
    assert job.kind == "generation.variation"
    result = variations_generate(model=model, job=job)
    assert variations_generate(model=model, job=job)["examples"] == result["examples"]  # redelivered: nothing twice
    phrase = _steps(passage.notes)
    opening, cadence = phrase[:max(1, len(phrase) // 4)], phrase[-2:]
    varied = [StudyExample.objects.get(pk=pk) for pk in result["examples"]]
    for example in varied:
        steps = _steps(example.notes)
        assert len(steps) == len(phrase) and steps[:len(opening)] == opening and steps[-2:] == cadence
        told = example.provenance["source_passage"]
        assert told["recording"] == str(source.pk) and (told["start"], told["end"]) == (0.0, 5.0)
        assert told["title"] == source.title and told["community"] == "Hicaz singers"
        assert {"tk_non_commercial", "tk_attribution"} <= set(example.labels)  # inherited from the recording
    assert _steps(varied[0].notes) != _steps(varied[1].notes) or len(phrase) - len(opening) - 2 <= 1

    other = variation_start(model=model, user=world["member"], recording=source, start=0.0, end=5.0, mode="continue",
                            count=1, length_notes=6, seed=9)
    continued = StudyExample.objects.get(pk=variations_generate(model=model, job=other)["examples"][0])
    assert _steps(continued.notes)[:len(phrase)] == phrase and len(continued.notes) == len(phrase) + 6

    # the API: a source the model never learned from, a passage too short, a recording hidden from the caller
    client = api_client(world["member"])
    url = f"/api/style-models/{model.pk}/variations/"
    unlearned = client.post(url, {"recording": str(world["rec"]["no_consent"].pk), "start": 0, "end": 5}, format="json")
    assert unlearned.status_code == 400 and "recording" in unlearned.json()["fields"]
    short = client.post(url, {"recording": str(source.pk), "start": 0, "end": 0.2}, format="json")
    assert short.status_code == 400 and "end" in short.json()["fields"]
    made = client.post(url, {"recording": str(source.pk), "start": 1, "end": 6, "mode": "continue"}, format="json")
    assert made.status_code == 202 and Job.objects.get(pk=made.json()["job"]).params["mode"] == "continue"
    outsider = f.make_user("someone")
    assert api_client(outsider).post(url, {"recording": str(source.pk), "start": 0, "end": 5},
                                     format="json").status_code == 404


def test_call_and_response_plays_the_real_passage_then_the_answer_or_the_students_silence(world, model):  # noqa: F811
    import io

    import numpy as np
    import soundfile as sf
    from django.core.files.storage import default_storage

    from archive.services.derivatives import recording_derive

    source = world["rec"]["open2"]
    recording_derive(recording=source)  # the access copy the call is played from
    passage = passage_of(model, source, 1.0, 5.0)
    degrees = len(model.pitch_set)
    for silent in (False, True):
        job = variation_start(model=model, user=world["member"], recording=source, start=1.0, end=5.0, mode="answer",
                              count=1, length_notes=6, seed=2, end_degree=0, silent=silent)
        example = StudyExample.objects.get(pk=variations_generate(model=model, job=job)["examples"][0])
        steps = _steps(example.notes)
        assert steps[:len(passage.notes)] == _steps(passage.notes) and len(steps) == len(passage.notes) + 6
        assert steps[-1] % degrees == 0  # the answer ends on the degree asked
        with default_storage.open(example.audio_file, "rb") as handle:
            audio, rate = sf.read(io.BytesIO(handle.read()))
        call_end = int(4.0 * rate)
        assert np.abs(audio[:call_end]).max() > 0.2  # the real passage, at the answer's level
        tail = audio[call_end + int(0.5 * rate):]
        assert len(tail) > rate * 0.5
        assert (np.abs(tail).max() < 1e-4) == silent  # the answer, or the student's turn in silence
        assert example.constraints["mode"] == "answer" and example.provenance["source_passage"]["start"] == 1.0
    client = api_client(world["member"])
    bad = client.post(f"/api/style-models/{model.pk}/variations/",
                      {"recording": str(source.pk), "start": 1, "end": 5, "mode": "answer", "end_degree": 99},
                      format="json")
    assert bad.status_code == 400 and "end_degree" in bad.json()["fields"]
