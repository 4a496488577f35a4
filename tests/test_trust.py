"""Trust by construction: decisions made by the one policy (archive/policy.py, the label table in
archive/labels.py) and enforced by the database where a write must be followed whoever makes it.
Each test is a way an outsider found derived data leaking, or a decision not holding."""
import csv
import io
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from archive import versions
from archive.analysis import ANALYSER, VERSION
from archive.exports.manifest import row_to_input
from archive.labels import INHERITED, MEMBERS_TRAINING, NO_TRAINING, POLICY
from archive.models import Analysis, Annotation, Recording, RecordingLabel, SearchDocument, SearchRow
from archive.policy import recordings_trainable
from archive.services.contributions import annotations_import
from archive.services.errors import ServiceError
from archive.services.recordings import recording_create, recording_withdraw
from archive.services.share_links import share_link_create
from archive.tasks import search_sweep
from generation.models import ModelSource, StudyExample, StyleModel
from tests import factories as f
from tests.factories import api_client
from tests.oracle import sees_details

pytestmark = pytest.mark.django_db


def _analysed(community, tradition, **fields):
    recording = f.make_recording(community, tradition, training_consent="allowed", **fields)
    Analysis.objects.create(recording=recording, analyser=ANALYSER, version=VERSION, status="ok", tonic_hz=220.0,
                            tempo_bpm=90.0, summary={"pitch_set": [{"cents": 0.0}, {"cents": 700.0}]})
    Recording.objects.filter(pk=recording.pk).update(tonic_hz=220.0, tempo_bpm=90.0)
    return recording


def _raw(pk):
    """An id as raw SQL writes it (SQLite stores UUIDs as 32 hex digits)."""
    return pk.hex if connection.vendor == "sqlite" else pk


def _model(recording, user, *, status=StyleModel.Status.READY) -> StyleModel:
    """A model that learned from ``recording`` (rows as training writes them)."""
    model = StyleModel.objects.create(tradition=recording.tradition, created_by=user, status=status,
                                      manifest={"recordings": [{"recording": str(recording.pk)}]},
                                      pitch_set=[0.0, 700.0], tonic_hz=220.0)
    ModelSource.objects.create(model=model, recording=recording, recording_uuid=recording.pk,
                               community_id=recording.community_id)
    StudyExample.objects.create(model=model, index=0, seed=1)
    return model


@pytest.fixture
def world():
    f.ensure_labels()
    steward, member, outsider = f.make_user("trust-steward"), f.make_user("trust-member"), f.make_user("trust-outsider")
    community = f.make_community(stewards=[steward], members=[member], name="Valley singers")
    tradition = f.make_tradition(community, name="Valley songs")
    return {"steward": steward, "member": member, "outsider": outsider, "community": community, "tradition": tradition}


def test_the_label_table_says_what_each_enforced_label_does_and_training_follows_it(world):
    assert {"tk_secret_sacred", "tk_men_restricted", "tk_women_restricted"} <= NO_TRAINING
    assert MEMBERS_TRAINING == {"tk_community_use_only"}
    assert {"tk_non_commercial", "tk_attribution", "tk_community_use_only"} <= INHERITED
    community, tradition = world["community"], world["tradition"]
    open_song = _analysed(community, tradition, title="Open")
    by_label = {code: _analysed(community, tradition, title=code, labels=[code]) for code in NO_TRAINING | MEMBERS_TRAINING}
    for who in ("member", "outsider", "steward"):
        allowed = set(recordings_trainable(user=world[who], tradition=tradition).values_list("title", flat=True))
        assert "Open" in allowed and not allowed & NO_TRAINING, who
        assert ("tk_community_use_only" in allowed) == (who != "outsider"), who
    assert open_song.pk in set(recordings_trainable(user=world["outsider"]).values_list("pk", flat=True))
    assert by_label  # every such label made a recording above


def test_an_outsider_cannot_train_on_community_use_only_recordings(world):
    only = _analysed(world["community"], world["tradition"], title="For the valley", labels=["tk_community_use_only"])
    answer = api_client(world["outsider"]).post("/api/style-models/", {"tradition": str(world["tradition"].pk)},
                                                format="json")
    assert answer.status_code == 400 and "may be learned from" in answer.json()["detail"] + str(answer.json())
    assert not StyleModel.objects.exists()
    assert only.pk in set(recordings_trainable(user=world["member"], tradition=world["tradition"])
                          .values_list("pk", flat=True))


def test_a_model_learns_only_what_its_trainer_may_hear(world):
    """Visible record, audio for stewards: not trainable by a registered user, and a model that
    learned from it is hidden from them with its manifest, pitch set and tonic."""
    quiet = _analysed(world["community"], world["tradition"], title="Quiet", record_protocol="registered",
                      media_protocol="stewards")
    assert not recordings_trainable(user=world["outsider"], tradition=world["tradition"]).exists()
    assert recordings_trainable(user=world["steward"], tradition=world["tradition"]).filter(pk=quiet.pk).exists()
    model = _model(quiet, world["steward"])
    outsider = api_client(world["outsider"])
    assert outsider.get(f"/api/recordings/{quiet.pk}/").status_code == 200
    assert outsider.get(f"/api/recordings/{quiet.pk}/analysis/").status_code == 403
    assert outsider.get(f"/api/style-models/{model.pk}/").status_code == 404
    assert str(model.pk) not in outsider.get("/api/style-models/").content.decode()
    record = outsider.get(f"/api/recordings/{quiet.pk}/").json()
    assert record["tonic_hz"] is None and record["tempo_bpm"] is None and record["analysis"] is None
    found = outsider.get("/api/recordings/?tonic_min=200&tonic_max=240").json()
    assert str(quiet.pk) not in str(found)  # a filter does not tell what the audio holds
    assert str(quiet.pk) in str(api_client(world["steward"]).get("/api/recordings/?tonic_min=200&tonic_max=240").json())
    assert api_client(world["steward"]).get(f"/api/style-models/{model.pk}/").status_code == 200


def test_a_community_use_only_model_stays_inside_the_community(world):
    only = _analysed(world["community"], world["tradition"], title="Ours", labels=["tk_community_use_only"])
    model = _model(only, world["member"])
    assert api_client(world["member"]).get(f"/api/style-models/{model.pk}/").status_code == 200
    assert api_client(world["outsider"]).get(f"/api/style-models/{model.pk}/").status_code == 404
    assert Client().get(f"/api/style-models/{model.pk}/").status_code == 404


@pytest.mark.parametrize("code", sorted(NO_TRAINING))
def test_a_label_that_forbids_training_retires_models_in_the_writing_transaction(world, code):
    song = _analysed(world["community"], world["tradition"], title="Later restricted")
    model = _model(song, world["member"])
    with transaction.atomic():
        RecordingLabel.objects.bulk_create([RecordingLabel(recording=song, label_id=code)])  # no signal is sent
        model.refresh_from_db()
        assert model.status == StyleModel.Status.RETIRED  # before the commit: the same transaction
        assert "forbids training" in model.retired_reason
    assert not StudyExample.objects.filter(model=model, withdrawn_at__isnull=True).exists()


def test_a_community_use_only_label_retires_what_outsiders_trained_and_keeps_the_members_models(world):
    song = _analysed(world["community"], world["tradition"], title="Becomes ours")
    outsiders, members = _model(song, world["outsider"]), _model(song, world["member"])
    with connection.cursor() as cursor:  # raw SQL, as another program would write
        cursor.execute("INSERT INTO archive_recordinglabel (recording_id, label_id, added) VALUES (%s, %s, %s)",
                       [_raw(song.pk), "tk_community_use_only", timezone.now().isoformat()])
    outsiders.refresh_from_db()
    members.refresh_from_db()
    assert outsiders.status == StyleModel.Status.RETIRED and "community's use only" in outsiders.retired_reason
    assert members.status == StyleModel.Status.READY


@pytest.mark.parametrize("write", ["withdrawn", "consent", "erased"])
def test_withdrawal_consent_and_erasure_retire_models_whatever_wrote_them(world, write):
    song = _analysed(world["community"], world["tradition"], title="Taken back")
    model = _model(song, world["member"])
    if write == "withdrawn":
        Recording.objects.filter(pk=song.pk).update(status=Recording.Status.WITHDRAWN)
        expected = "was withdrawn"
    elif write == "consent":
        song.training_consent = Recording.Consent.NOT_ALLOWED
        song.save()  # a direct save, as the admin does
        expected = "withdrew training consent"
    else:
        song.delete()
        expected = "was erased"
    model.refresh_from_db()
    assert model.status == StyleModel.Status.RETIRED and expected in model.retired_reason
    assert model.retired_at is not None
    assert StudyExample.objects.get(model=model).withdrawn_at is not None


def test_events_and_history_tell_outsiders_what_happened_not_who_or_what_was_there(world):
    steward = world["steward"]
    song = f.make_recording(world["community"], world["tradition"], title="A name the family asked to replace")
    api_client(steward).patch(f"/api/recordings/{song.pk}/", {"title": "Song of the valley"}, format="json")
    recording_withdraw(recording=song, user=steward, reason="the family asked")
    Recording.objects.filter(pk=song.pk).update(status=Recording.Status.PUBLISHED)
    for who, full in ((steward, True), (world["outsider"], False), (None, False)):
        client = api_client(who) if who else Client()
        history = client.get(f"/api/recordings/{song.pk}/history/").content.decode()
        events = client.get(f"/api/recordings/{song.pk}/events/").json()
        assert ("A name the family asked to replace" in history) == full
        assert (steward.username in history) == full
        assert any(e["type"] == "withdrawal" for e in events)
        assert any("the family asked" in e["detail"] for e in events) == full
        assert any(e["agent"] == steward.username for e in events) == full
        premis = client.get(f"/api/recordings/{song.pk}/events/?format=premis").content.decode()  # the same, as PREMIS 3
        assert "<premis:eventType>withdrawal</premis:eventType>" in premis
        assert ("the family asked" in premis) == (steward.username in premis) == full == sees_details(who, song)


def test_oai_announces_as_deleted_only_what_was_once_public(world):
    steward = world["steward"]
    base = {"tradition": world["tradition"], "community": world["community"], "record_protocol": ("public", None),
            "media_protocol": ("public", None)}
    draft = recording_create(data={**base, "title": "Never shown", "status": "draft"}, user=steward)
    shown = recording_create(data={**base, "title": "Once shown", "status": "published"}, user=steward)
    for recording in (draft, shown):
        recording_withdraw(recording=recording, user=steward)
    answer = Client().get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").content.decode()
    assert str(shown.pk) in answer and str(draft.pk) not in answer
    assert Client().get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:songkeeper:{draft.pk}"
                        ).content.decode().count("idDoesNotExist") == 1


def test_a_share_link_for_one_person_does_not_name_them_to_whoever_holds_it(world):
    song = f.make_recording(world["community"], world["tradition"], record_protocol="stewards")
    _, token = share_link_create(recording=song, user=world["steward"], until=timezone.localdate() + timedelta(days=3),
                                 person=world["member"].username)
    holder = Client()
    holder.force_login(world["outsider"])
    page = holder.get(f"/share/{token}/").content.decode()
    assert "another person" in page and world["member"].username not in page


def test_a_csv_export_never_hands_a_spreadsheet_a_formula_and_ingests_back_as_it_was(world):
    steward = world["steward"]
    f.make_recording(world["community"], world["tradition"], title="=HYPERLINK(\"http://x\",\"click\")",
                     description="@SUM(1+1)", genre="-lament")
    rows = list(csv.DictReader(io.StringIO(api_client(steward).get("/api/recordings/export/").content.decode())))
    row = rows[0]
    assert row["title"].startswith("'=") and row["description"].startswith("'@") and row["genre"] == "'-lament"
    data, _ = row_to_input(row)
    assert data["title"] == "=HYPERLINK(\"http://x\",\"click\")"


def test_annotations_cannot_be_imported_under_another_communitys_protocol(world):
    song = f.make_recording(world["community"], world["tradition"])
    elsewhere = f.make_protocol(f.make_community(name="Elsewhere"), name="their elders")
    vtt = b"WEBVTT\n\n00:00.000 --> 00:02.000\nfirst line\n"
    with pytest.raises(ServiceError, match="belong to the recording's community"):
        annotations_import(recording=song, user=world["member"], data=vtt, protocol=("custom", elsewhere))
    assert not song.annotations.exists()


@pytest.mark.django_db(transaction=True)
def test_a_direct_save_or_raw_sql_marks_search_documents_stale_and_search_finds_the_new_text(world):
    """A save through the ORM outside the services (the admin's change form) is indexed as it
    commits; raw SQL is flagged by the triggers and indexed by the worker's sweep; a search only reads."""
    song = f.make_recording(world["community"], world["tradition"], title="Old name of the song")
    assert Client().get("/api/search/?q=old name").json()["count"] == 1
    song.refresh_from_db()
    song.title = "Riverbank lullaby"
    song.save()  # the admin's change form does this
    assert not Recording.objects.get(pk=song.pk).search_dirty  # rebuilt as the save committed
    assert Client().get("/api/search/?q=riverbank").json()["count"] == 1
    assert Client().get("/api/search/?q=old name").json()["count"] == 0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_tradition SET name = 'Hill songs' WHERE id = %s", [_raw(world["tradition"].pk)])
    assert Recording.objects.get(pk=song.pk).search_dirty  # the trigger's flag
    assert Client().get("/api/search/?q=hill songs").json()["count"] == 0  # a GET writes nothing
    assert Recording.objects.get(pk=song.pk).search_dirty
    assert search_sweep() >= 1  # what beat runs every SEARCH_SWEEP_EVERY_SECONDS
    assert Client().get("/api/search/?q=hill songs").json()["count"] == 1
    assert SearchDocument.objects.filter(recording=song, folded__contains="hill").exists()


@pytest.mark.django_db(transaction=True)
def test_raw_sql_that_closes_or_moves_a_recording_hides_it_from_the_very_next_search(world):
    """The search applies the record rule to the rule's columns on its rows, which the database
    copies in the writing transaction, whoever writes: no sweep, no rebuild, and the search
    version stands where only the rule's columns changed (the accelerator's snapshot is kept)."""
    other = f.make_community(name="Other valley")
    song = f.make_recording(world["community"], world["tradition"], title="Shepherd call", record_protocol="public")
    Annotation.objects.create(recording=song, start=3, end=4, body="the shepherd answers")  # a hit of its own
    member = api_client(world["member"])
    assert Client().get("/api/search/?q=shepherd").json()["count"] == 2
    before = versions.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_recording SET record_protocol = 'community' WHERE id = %s", [_raw(song.pk)])
    assert Client().get("/api/search/?q=shepherd").json()["count"] == 0
    assert member.get("/api/search/?q=shepherd").json()["count"] == 2
    assert versions.current().search == before.search
    with connection.cursor() as cursor:  # into a community the member is not in
        cursor.execute("UPDATE archive_recording SET community_id = %s WHERE id = %s", [_raw(other.pk), _raw(song.pk)])
    assert member.get("/api/search/?q=shepherd").json()["count"] == 0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_recording SET status = 'withdrawn', record_protocol = 'public' WHERE id = %s",
                       [_raw(song.pk)])
    assert Client().get("/api/search/?q=shepherd").json()["count"] == 0
    assert SearchRow.objects.get(recording=song).status == "withdrawn"
    assert SearchDocument.objects.get(recording=song, kind="annotation").status == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_every_catalogue_table_moves_the_versions_in_its_own_transaction(world):
    from django.apps import apps

    tables = {m._meta.db_table for label in ("archive", "generation")
              for m in apps.get_app_config(label).get_models(include_auto_created=True)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname LIKE 'sk\\_v\\_%%'")
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sk_v_%'")
        watched = {row[0] for row in cursor.fetchall()}
    assert tables - watched == {"archive_upload", "archive_ingestbatch", "archive_filecopy", "archive_sharelinkuse",
                                "archive_catalogueversion", "archive_harvestsource", "archive_harvestcandidate",
                                "archive_hubproject"}
    before = versions.current()
    with transaction.atomic():
        Recording.objects.filter(pk__in=[]).update(title="x")  # a statement that changes nothing may count
        f.make_recording(world["community"], world["tradition"])
        inside = versions.current()
        assert inside.catalogue > before.catalogue and inside.visibility > before.visibility
    assert versions.current().search > before.search and versions.current().vectors == before.vectors
    song = Recording.objects.filter(community=world["community"]).first()
    before = versions.current()
    Recording.objects.filter(pk=song.pk).update(record_protocol="stewards", media_protocol="stewards")
    after = versions.current()  # who may see it changed; nothing the search rows are built from did
    assert after.visibility > before.visibility and after.search == before.search
    Recording.objects.filter(pk=song.pk).update(title="Renamed")
    assert versions.current().search > after.search
    assert POLICY["tk_secret_sacred"].training == "forbidden"


def _admin_form(page: str) -> dict:
    """The values a browser would send from an admin change form (inputs, selects, textareas)."""
    from lxml import html

    form = html.fromstring(page).xpath("//form[@id='recording_form']")[0]
    data: dict = {}
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = field.get("name"), field.get("type", "")
        if kind in ("submit", "button", "file") or (kind in ("checkbox", "radio") and field.get("checked") is None):
            continue
        if field.tag == "select":
            chosen = [o.get("value") for o in field.xpath(".//option[@selected]")]
            data.setdefault(name, []).extend(chosen)
        else:
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append((field.text or "") if field.tag == "textarea" else field.get("value", default))
    return data


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_the_django_admin_is_followed_like_any_other_write(world):
    """The admin's change form: the next search finds the new title and not the hidden one,
    and a model that learned from the recording retires when the admin withdraws its consent."""
    song = _analysed(world["community"], world["tradition"], title="Song before the admin")
    model = _model(song, world["member"])
    assert Client().get("/api/search/?q=before the admin").json()["count"] == 1
    staff = f.make_user("trust-admin", staff=True)
    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    url = f"/admin/archive/recording/{song.pk}/change/"
    data = _admin_form(admin.get(url).content.decode())
    data.update(title=["Song after the admin"], training_consent=["not_allowed"], _save=["Save"])
    answer = admin.post(url, data)
    assert answer.status_code == 302, [e for e in answer.content.decode().split("\n") if "error" in e.lower()][:20]
    assert Client().get("/api/search/?q=after the admin").json()["count"] == 1
    assert Client().get("/api/search/?q=before the admin").json()["count"] == 0
    model.refresh_from_db()
    assert model.status == StyleModel.Status.RETIRED and "withdrew training consent" in model.retired_reason
    data.update(record_protocol=["stewards"], media_protocol=["stewards"])
    assert admin.post(url, data).status_code == 302
    assert Client().get("/api/search/?q=after the admin").json()["count"] == 0


def test_similar_recordings_are_derived_data_and_show_on_the_page_only_to_who_may_hear(world):
    from archive.analysis.features import DIMENSIONS

    def analysed(title, vector, **fields):
        recording = f.make_recording(world["community"], world["tradition"], title=title, **fields)
        Analysis.objects.create(recording=recording, analyser=ANALYSER, version=VERSION, status="ok",
                                features=[*vector, *[0.0] * (DIMENSIONS - len(vector))])
        return recording

    source = analysed("Source", [1.0, 0.0])
    analysed("Open neighbour", [0.9, 0.3])
    quiet = analysed("Quiet neighbour", [1.0, 0.05], record_protocol="registered", media_protocol="stewards")
    outsider, steward = api_client(world["outsider"]), api_client(world["steward"])
    assert [r["title"] for r in outsider.get(f"/api/recordings/{source.pk}/similar/").json()["results"]] == [
        "Open neighbour"]  # the quiet one is nearer, but its audio is the stewards'
    assert [r["title"] for r in steward.get(f"/api/recordings/{source.pk}/similar/").json()["results"]] == [
        "Quiet neighbour", "Open neighbour"]
    assert outsider.get(f"/api/recordings/{quiet.pk}/similar/").status_code == 403
    assert Client().get(f"/api/recordings/{quiet.pk}/similar/").status_code == 404  # anonymous: not even the record
    page = Client().get(f"/recordings/{source.pk}/").content.decode()
    assert 'id="similar"' in page and "Open neighbour" in page and "Quiet neighbour" not in page
    signed_in = Client()
    signed_in.force_login(world["outsider"])
    assert 'id="similar"' not in signed_in.get(f"/recordings/{quiet.pk}/").content.decode()


def test_a_label_the_archive_only_shows_says_so_where_it_is_shown(world):
    song = f.make_recording(world["community"], world["tradition"], labels=["tk_community_voice", "tk_seasonal"])
    page = Client().get(f"/recordings/{song.pk}/").content.decode()
    voice = page.split('id="label-tk_community_voice"', 1)[1].split('class="label ', 1)[0]
    seasonal = page.split('id="label-tk_seasonal"', 1)[1].split("</section>", 1)[0]
    assert "Shown only" in voice and 'href="/labels/#tk_community_voice"' in voice
    assert "Shown only" not in seasonal


def test_the_worker_means_by_staff_what_the_policy_means():
    """The worker imports no app, so its job list states the meaning of staff again: held equal here."""
    from archive.policy import is_staff_user
    from worker.models import Job
    from worker.selectors import jobs_visible

    Job.objects.create(kind="recording.analyse", target_type="x", target_id="1")
    for flags in ({"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_active": False}, {}):
        user = f.make_user()
        for name, value in flags.items():
            setattr(user, name, value)
        user.save()
        assert jobs_visible(user=user).exists() == is_staff_user(user), flags
