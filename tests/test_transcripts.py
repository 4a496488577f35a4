"""Transcripts in and out: SRT and WebVTT files (as subtitle editors and ELAN export them)
become a layer of annotations, all or nothing; the layer goes out again as WebVTT."""
import pytest
import webvtt
from rest_framework.test import APIClient

from archive.models import Annotation
from tests import factories as f

pytestmark = pytest.mark.django_db

SRT = """1
00:00:01,000 --> 00:00:02,500
Ako ay may lobo

2
00:00:03,250 --> 00:00:05,000
lumipad sa langit
"""
VTT = """WEBVTT

NOTE transcribed in the village, 1998

00:00:06.000 --> 00:00:08.750
Di ko na nakita

00:00:09.000 --> 00:00:10.500
pumutok na pala
"""


@pytest.fixture
def setting():
    member, outsider = f.make_user("member"), f.make_user("outsider")
    community = f.make_community(members=[member], stewards=[f.make_user()])
    recording = f.make_recording(community, record_protocol="public", duration_seconds=33.2)
    api = APIClient()
    api.force_authenticate(member)
    return recording, api, outsider


def post(api, recording, name, text, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.post(f"/api/recordings/{recording.pk}/annotations/import/",
                    {"file": SimpleUploadedFile(name, text.encode()), **fields}, format="multipart")


def test_srt_and_vtt_become_layers_and_go_out_as_vtt(setting):
    recording, api, _ = setting
    first = post(api, recording, "lyrics.srt", SRT, layer="lyrics", language="tgl")
    assert first.status_code == 201 and first.json() == {"created": 2, "layer": "lyrics", "format": "srt"}
    second = post(api, recording, "verse-two.txt", VTT, layer="lyrics")  # the format comes from the content
    assert second.status_code == 201 and second.json()["format"] == "vtt"
    rows = list(Annotation.objects.filter(recording=recording).order_by("start").values_list("start", "end", "body"))
    assert rows[0] == (1.0, 2.5, "Ako ay may lobo") and rows[3] == (9.0, 10.5, "pumutok na pala")
    out = APIClient().get(f"/api/recordings/{recording.pk}/annotations/export/", {"layer": "lyrics"})
    assert out.status_code == 200 and out["Content-Type"].startswith("text/vtt")
    import io

    cues = webvtt.from_buffer(io.StringIO(out.content.decode()), format="vtt").captions
    assert [(c.start, c.end, c.text) for c in cues] == [
        ("00:00:01.000", "00:00:02.500", "Ako ay may lobo"), ("00:00:03.250", "00:00:05.000", "lumipad sa langit"),
        ("00:00:06.000", "00:00:08.750", "Di ko na nakita"), ("00:00:09.000", "00:00:10.500", "pumutok na pala")]


def test_a_bad_transcript_adds_nothing(setting):
    recording, api, _ = setting
    assert post(api, recording, "x.vtt", "not a transcript").status_code == 400
    late = SRT.replace("00:00:03,250 --> 00:00:05,000", "00:00:40,000 --> 00:00:41,000")  # past the end
    response = post(api, recording, "late.srt", late)
    assert response.status_code == 400 and "duration" in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_outsiders_cannot_import_and_exports_follow_annotation_protocols(setting):
    recording, api, outsider = setting
    other = APIClient()
    other.force_authenticate(outsider)
    assert post(other, recording, "a.srt", SRT).status_code == 403
    assert post(api, recording, "a.srt", SRT, protocol="community").status_code == 201
    exported = APIClient().get(f"/api/recordings/{recording.pk}/annotations/export/").content.decode()
    assert "Ako ay may lobo" not in exported
    hidden = f.make_recording(recording.community, record_protocol="community")
    assert APIClient().get(f"/api/recordings/{hidden.pk}/annotations/export/").status_code == 404
