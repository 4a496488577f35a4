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


def elan_file(tmp_path) -> bytes:
    """An ELAN document as ELAN writes it: a lyrics tier, a translation tier that refers to it
    (symbolic association), and a drum-stroke tier."""
    from pympi.Elan import Eaf

    eaf = Eaf(author="fieldworker")
    eaf.remove_tier("default")
    eaf.add_linguistic_type("translation", "Symbolic_Association", timealignable=False)
    eaf.add_tier("lyrics")
    eaf.add_tier("english", ling="translation", parent="lyrics")
    eaf.add_tier("drum")
    eaf.add_annotation("lyrics", 1000, 2500, "Ako ay may lobo")
    eaf.add_annotation("lyrics", 3250, 5000, "lumipad sa langit")
    eaf.add_ref_annotation("english", "lyrics", 1500, "I have a balloon")
    eaf.add_annotation("drum", 6000, 6100, "tak")
    path = tmp_path / "song.eaf"
    eaf.to_file(str(path))
    return path.read_bytes()


def textgrid_file(tmp_path) -> bytes:
    from pympi.Praat import TextGrid

    grid = TextGrid(xmin=0, xmax=12)
    syllables = grid.add_tier("syllables")
    syllables.add_interval(1.0, 1.4, "a")
    syllables.add_interval(1.4, 1.9, "ko")
    beats = grid.add_tier("beats", tier_type="TextTier")
    beats.add_point(2.0, "1")
    beats.add_point(2.5, "2")
    path = tmp_path / "song.TextGrid"
    grid.to_file(str(path))
    return path.read_bytes()


def test_elan_and_textgrid_tiers_become_layers_and_go_out_as_elan(setting, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pympi.Elan import Eaf

    recording, api, outsider = setting
    url = f"/api/recordings/{recording.pk}/annotations/import/"
    response = api.post(url, {"file": SimpleUploadedFile("export.xml", elan_file(tmp_path))}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 4, "layer": ["drum", "english", "lyrics"], "format": "eaf"}
    english = Annotation.objects.get(layer="english")
    assert (english.start, english.end, english.body) == (1.0, 2.5, "I have a balloon")  # the parent's times
    response = api.post(url, {"file": SimpleUploadedFile("grid.txt", textgrid_file(tmp_path))}, format="multipart")
    assert response.status_code == 201 and response.json()["format"] == "textgrid"
    assert list(Annotation.objects.filter(layer="beats").values_list("start", "end", "body")) == [(2.0, 2.0, "1"), (2.5, 2.5, "2")]
    assert list(Annotation.objects.filter(layer="syllables").order_by("start").values_list("body", flat=True)) == ["a", "ko"]

    out = APIClient().get(f"/api/recordings/{recording.pk}/annotations/export/", {"as": "eaf"})
    assert out.status_code == 200 and out["Content-Disposition"].startswith("attachment")
    path = tmp_path / "back.eaf"
    path.write_bytes(out.content)
    back = Eaf(str(path))
    assert set(back.get_tier_names()) == {"lyrics", "english", "drum", "syllables", "beats"}
    assert sorted(back.get_annotation_data_for_tier("lyrics")) == [(1000, 2500, "Ako ay may lobo"), (3250, 5000, "lumipad sa langit")]
    assert post(APIClient(), recording, "a.eaf", elan_file(tmp_path).decode()).status_code in (401, 403)


@pytest.mark.parametrize("data", [
    b"<?xml version='1.0'?><ANNOTATION_DOCUMENT><TIME_ORDER><TIME_SLOT TIME_SLOT_ID='ts1'",  # cut off
    b"File type = \"ooTextFile\"\nObject class = \"TextGrid\"\nxmin = nonsense\n",
    b"<?xml version='1.0'?><ANNOTATION_DOCUMENT></ANNOTATION_DOCUMENT>",
])
def test_broken_elan_and_textgrid_files_add_nothing(setting, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    recording, api, _ = setting
    response = api.post(f"/api/recordings/{recording.pk}/annotations/import/",
                        {"file": SimpleUploadedFile("x.eaf", data)}, format="multipart")
    assert response.status_code == 400, response.content
    assert "could not be read" in response.json()["detail"] or "holds no" in response.json()["detail"]
    assert not Annotation.objects.exists()
