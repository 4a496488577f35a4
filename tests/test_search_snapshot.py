"""The in-memory search snapshot (archive/search/snapshot.py): its word index answers exactly the
substring match the database answers, its facet table counts what a Counter counts, and a kept
snapshot follows committed writes (text, protocol, annotations, facets) through the database's versions."""
import time
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from archive import versions
from archive.labels import labels_sync
from archive.models import Instrument, Label, Recording, RecordingFile, RecordingLabel
from archive.search import snapshot as snapshots
from archive.search.memory_facets import FacetTable
from archive.search.memory_text import TextIndex
from archive.services.contributions import annotation_create
from archive.services.recordings import recording_update
from tests import factories as f
from tests.factories import api_client as client

LETTERS = st.sampled_from(list("abcé日本ــ-'"))
WORDS = st.text(LETTERS, min_size=1, max_size=6)
TEXTS = st.lists(WORDS, max_size=6).map(" ".join)


@hsettings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXTS, max_size=12), term=st.text(LETTERS, min_size=1, max_size=3))
def test_the_word_index_finds_what_a_substring_search_finds(texts, term):
    found = TextIndex(texts).documents_with(term)
    assert found.tolist() == [i for i, text in enumerate(texts) if term in text]


def test_a_phrase_is_left_to_the_database():
    assert not TextIndex.answers("two words")
    with pytest.raises(ValueError):
        TextIndex(["two words"]).documents_with("two words")


@given(entries=st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["x", "y", "z"])), max_size=40),
       rows=st.sets(st.integers(0, 9)))
def test_facet_counts_count_each_recording_once_per_value(entries, rows):
    table = FacetTable(10)
    table.add("f", entries)
    expected = Counter(value for row, value in set(entries) if row in rows)
    counted = table.counts(sorted(rows))["f"]
    assert dict(counted) == dict(expected)
    assert counted == sorted(counted, key=lambda pair: (-pair[1], pair[0]))


def search(who=None, **params):
    return client(who).get("/api/search/", params).json()


def titles(found):
    return [h["recording"]["title"] for h in found["results"] if h["type"] == "recording"]


@pytest.fixture
def kept(settings):
    settings.SEARCH_SNAPSHOT, settings.SEARCH_SNAPSHOT_CACHED = "sync", True
    snapshots._state.update(key=None, snapshot=None)


@pytest.mark.django_db(transaction=True)
def test_a_kept_snapshot_follows_every_committed_write(kept):
    steward = f.make_user("snapshot-steward")
    community = f.make_community(stewards=[steward])
    recording = f.make_recording(community, title="Lament of the ferryman")
    assert titles(search(q="ferryman")) == ["Lament of the ferryman"]
    first, key = snapshots._state["snapshot"], snapshots._state["key"]
    assert titles(search(q="ferryman")) == ["Lament of the ferryman"]
    if versions.current().key("search") == key[0]:  # (the suite's live worker may have written meanwhile)
        assert snapshots._state["snapshot"] is first

    recording_update(user=steward, recording=recording, data={"description": "sung at the Drina crossing"})
    assert titles(search(q="drina")) == ["Lament of the ferryman"]
    assert snapshots._state["snapshot"] is not first

    zither = Instrument.objects.create(slug="zither", name="zither")
    recording.instruments.add(zither)
    assert [x["count"] for x in search(q="ferryman")["facets"]["instrument"] if x["value"] == "zither"] == [1]

    annotation_create(recording=recording, user=steward,
                      data={"start": 61, "end": 70, "body": "the second verse", "protocol": ("community", None)})
    assert not [h for h in search(q="verse")["results"] if h["type"] == "annotation"]
    assert [h["start"] for h in search(steward, q="verse")["results"] if h["type"] == "annotation"] == [61]

    labels_sync(Label)  # an earlier transactional test may have flushed the catalogue of labels
    RecordingLabel.objects.create(recording=recording, label_id="tk_secret_sacred")  # the same query, other data
    assert titles(search(q="ferryman")) == []
    RecordingLabel.objects.filter(recording=recording).delete()
    assert titles(search(q="ferryman")) == ["Lament of the ferryman"]

    Recording.objects.filter(pk=recording.pk).update(record_protocol="community")  # a bulk write counts too
    hidden = search(q="ferryman")
    assert titles(hidden) == [] and hidden["facets"]["instrument"] == []
    assert titles(search(steward, q="ferryman")) == ["Lament of the ferryman"]


@pytest.mark.django_db(transaction=True)
def test_the_fixity_sweep_leaves_searches_and_access_answers_kept():
    """A fixity check's update changes nothing a search or an access rule reads; a new file does."""
    from archive.services.fixity import file_check_fixity

    recording = f.make_recording(f.make_community(), title="Kept")
    file = RecordingFile.objects.create(recording=recording, role="master", storage_name="kept/master.wav",
                                        sha256="0" * 64, size=1)
    keys = ("search", "visibility", "catalogue")
    before = [versions.current().key(k) for k in keys]
    file_check_fixity(file=file)  # the file is missing: the check fails, and is recorded
    after = [versions.current().key(k) for k in keys]
    assert after[:2] == before[:2] and after[2] != before[2]  # pages show fixity; searches do not
    RecordingFile.objects.create(recording=recording, role="access", storage_name="kept/access.ogg",
                                 sha256="1" * 64, size=1)
    assert [versions.current().key(k) for k in keys[:2]] != after[:2]


@pytest.mark.django_db(transaction=True)
def test_in_the_background_the_database_answers_until_the_snapshot_is_built(settings):
    settings.SEARCH_SNAPSHOT, settings.SEARCH_SNAPSHOT_CACHED = "background", True
    snapshots._state.update(key=None, snapshot=None)
    f.make_recording(f.make_community(), title="Song of the salt road")
    assert titles(search(q="salt")) == ["Song of the salt road"]  # the database, while a thread builds
    deadline = time.monotonic() + 30
    while snapshots.current_snapshot() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert snapshots.current_snapshot() is not None
    assert titles(search(q="salt")) == ["Song of the salt road"]  # now from memory


@pytest.mark.django_db
def test_annotations_open_with_their_recording_are_exactly_what_access_shows_everyone_who_sees_it():
    """Search asks the database only about annotations access.annotation_open_with_its_recording
    calls restricted; for every caller, the open ones on a recording they see are visible."""
    from archive.access import annotation_open_with_its_recording, annotations_visible, recordings_visible
    from archive.models import Annotation

    member, registered, author = f.make_user("m"), f.make_user("r"), f.make_user("a")
    community = f.make_community(members=[member, author], stewards=[f.make_user()])
    for protocol in ("public", "registered", "community"):
        for level in ("public", "registered", "community", "stewards"):
            recording = f.make_recording(community, record_protocol=protocol)
            Annotation.objects.create(recording=recording, start=1, end=2, body="x", protocol=level, author=author)
    for user in (None, registered, member, author):
        seen = set(recordings_visible(user=user).values_list("pk", flat=True))
        shown = set(annotations_visible(user=user).values_list("pk", flat=True))
        for annotation in Annotation.objects.filter(recording__in=seen):
            if annotation_open_with_its_recording(annotation.protocol):
                assert annotation.pk in shown
        assert any(not annotation_open_with_its_recording(a.protocol) for a in Annotation.objects.all())


@pytest.mark.django_db(transaction=True)
def test_past_its_bound_no_snapshot_is_held_and_the_database_answers(kept, settings):
    """A web process never holds a snapshot of a catalogue larger than SEARCH_SNAPSHOT_MAX_RECORDINGS:
    the same answers come from the database, and the snapshot comes back when the bound allows it."""
    community = f.make_community()
    for title in ("Harvest song", "Harvest dance", "River song"):
        f.make_recording(community, title=title)
    settings.SEARCH_SNAPSHOT_MAX_RECORDINGS = 2
    assert sorted(titles(search(q="harvest"))) == ["Harvest dance", "Harvest song"]
    assert snapshots._state["snapshot"] is None and snapshots._state["key"] is not None
    with CaptureQueriesContext(connection) as asked:
        assert search(q="song")["count"] == 2 and snapshots._state["snapshot"] is None
    counts = [q["sql"] for q in asked.captured_queries if q["sql"].strip() == 'SELECT COUNT(*) AS "__count" FROM "archive_recording"']
    assert counts == []  # the bound was asked once for this version, not per search
    settings.SEARCH_SNAPSHOT_MAX_RECORDINGS = 3
    f.make_recording(community, title="Harvest lullaby")  # a write moves the version: the bound is asked again
    settings.SEARCH_SNAPSHOT_MAX_RECORDINGS = 4
    assert sorted(titles(search(q="harvest"))) == ["Harvest dance", "Harvest lullaby", "Harvest song"]
    assert snapshots._state["snapshot"] is not None


LONG_WORDS = st.text(LETTERS, min_size=1, max_size=140)


@pytest.mark.django_db
@hsettings(max_examples=200, deadline=None)
@given(texts=st.lists(st.lists(LONG_WORDS, max_size=4).map(" ".join), min_size=1, max_size=4),
       term=st.text(LETTERS, min_size=3, max_size=32))
def test_postgresqls_word_index_finds_what_a_substring_search_finds(texts, term):
    """The words the database generates for a text (archive/search/words.py, long words as
    overlapping pieces) hold a term exactly when the text does."""
    from archive.search import words

    if connection.vendor != "postgresql":
        pytest.skip("the word index is PostgreSQL's; SQLite matches through FTS5")
    text = "\n".join(texts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {words.FUNCTION}(%s)", [text])
        (held,) = cursor.fetchone()
    assert words.indexed(term)
    assert any(term in word for word in held) == (term in text)
