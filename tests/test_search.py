"""Search in any script, facets that never count what is hidden, annotation moments, similar recordings."""
import numpy as np
import pytest

from archive.analysis import ANALYSER, VERSION
from archive.models import Analysis, Annotation, Instrument, Language, Narrative
from tests import factories as f
from tests.factories import api_client as client

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "memory"])
def catalogue(request, monkeypatch, settings, django_capture_on_commit_callbacks):
    """The conformance suite: every test runs against each implementation, which must answer
    alike: the database's engine (engine.py: SQLite's FTS5 or PostgreSQL's pg_trgm, as the suite
    runs on both databases) and the in-memory accelerator (the snapshot, built afresh for every
    search here, as these writes never commit; FEW_ANNOTATIONS 0: annotations checked against the
    caller's answer for all of them)."""
    if request.param == "memory":
        settings.SEARCH_SNAPSHOT, settings.SEARCH_SNAPSHOT_CACHED = "sync", False
        monkeypatch.setattr("archive.search.engine.search", _not_from_the_database)
        monkeypatch.setattr("archive.search.memory_search.FEW_ANNOTATIONS", 0)
    with django_capture_on_commit_callbacks(execute=True):  # the documents are built as the writes commit
        return _catalogue()


def _not_from_the_database(**kwargs):
    raise AssertionError(f"{kwargs['terms']!r} was matched by the database, not the snapshot")


def _catalogue():
    member = f.make_user("member")
    community = f.make_community(members=[member], stewards=[f.make_user()])
    tradition = f.make_tradition(community)
    make = lambda **kw: f.make_recording(community, tradition, **kw)  # noqa: E731
    recs = {
        "vi": make(title="Hát nói của Nguyễn Thị Lan"),
        "bs": make(title="Sevdàh u mahali", description="Sevdalinka sung at a sijelo"),
        "hi": make(title="राग भैरवी में ख़याल"),
        "ar": make(title="نوبة رمل الماية"),
        "ru": make(title="Емина", alt_titles=["Emina"]),
        "ja": make(title="日本民謡集より"),
        "desc": make(title="Work song", description="a song about the river and nguyen's boat"),
        "hidden": make(title="Nguyen family secret song", record_protocol="community"),
    }
    zither = Instrument.objects.create(slug="secret-zither", name="secret zither")
    recs["hidden"].instruments.add(zither)
    recs["hidden"].languages.add(Language.objects.create(code="xyz"))
    recs["bs"].languages.add(Language.objects.create(code="bos"))
    Narrative.objects.create(recording=recs["bs"], community=community, title="Naša pjesma", text="pjevale su nane")
    Annotation.objects.create(recording=recs["ar"], start=30.5, end=40, body="بداية الميزان")
    Annotation.objects.create(recording=recs["vi"], start=12, end=14, body="phách enters here", protocol="community")
    return member, recs


def titles(response):
    return [h["recording"]["title"] for h in response.json()["results"] if h["type"] == "recording"]


@pytest.mark.parametrize("query,expected", [
    ("nguyen", "Hát nói của Nguyễn Thị Lan"),
    ("NGUYỄN", "Hát nói của Nguyễn Thị Lan"),
    ("sevdah", "Sevdàh u mahali"),
    ("भैरवी", "राग भैरवी में ख़याल"),
    ("रवी", "राग भैरवी में ख़याल"),          # a run of characters inside a word
    ("الماية", "نوبة رمل الماية"),
    ("емина", "Емина"),
    ("emina", "Емина"),                      # through the alternative title
    ("民謡", "日本民謡集より"),                # CJK: a run of characters
    ("pjevale", "Sevdàh u mahali"),          # found through the narrative
])
def test_any_script_case_and_diacritics(catalogue, query, expected):
    assert expected in titles(client().get("/api/search/", {"q": query}))


def test_title_matches_rank_above_description_matches(catalogue):
    found = titles(client().get("/api/search/", {"q": "nguyen"}))
    assert found == ["Hát nói của Nguyễn Thị Lan", "Work song"]  # and the hidden one is absent


def test_snippets_mark_the_match(catalogue):
    hit = client().get("/api/search/", {"q": "nguyen"}).json()["results"][0]
    assert "<mark>Nguyễn</mark>" in hit["snippet"]


def test_snippets_begin_and_end_on_whole_words(django_capture_on_commit_callbacks):
    words = "morning tide carries the boats past the lighthouse while nets are mended on the quay " * 3
    with django_capture_on_commit_callbacks(execute=True):  # indexed as the writes commit
        community = f.make_community()
        f.make_recording(community, title="Harbour", description=f"{words}the ferryman sings {words}")
    snippet = client().get("/api/search/", {"q": "ferryman"}).json()["results"][0]["snippet"]
    text = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert "<mark>ferryman</mark>" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert all(word in words.split() + ["ferryman", "sings", "the"] for word in text.split())  # no word cut


def test_annotation_hits_come_with_their_moment(catalogue):
    member, recs = catalogue
    hits = client().get("/api/search/", {"q": "الميزان"}).json()["results"]
    note = next(h for h in hits if h["type"] == "annotation")
    assert note["start"] == 30.5 and note["link"] == f"/recordings/{recs['ar'].pk}/#t=30.5"
    assert not [h for h in client().get("/api/search/", {"q": "phách"}).json()["results"] if h["type"] == "annotation"]
    assert [h for h in client(member).get("/api/search/", {"q": "phách"}).json()["results"] if h["type"] == "annotation"]


def test_pages_walk_the_recording_hits_then_the_annotation_hits(catalogue, django_capture_on_commit_callbacks):
    """Annotation moments follow every recording hit; page after page gives exactly what one long
    page gives, and the count is every hit the caller may see (a community-only moment counted
    for the member alone)."""
    member, recs = catalogue
    with django_capture_on_commit_callbacks(execute=True):  # indexed as the writes commit
        for at, recording in enumerate(("bs", "ru", "ja", "desc")):
            Annotation.objects.create(recording=recs[recording], start=at, end=at + 1, body="the boat leaves")
        Annotation.objects.create(recording=recs["ru"], start=9, end=10, body="boat song", protocol="community")
        Annotation.objects.create(recording=recs["hidden"], start=1, end=2, body="a boat")
    for caller, expected in ((None, 5), (member, 7)):  # "Work song" and the notes; the hidden one's for the member
        whole = client(caller).get("/api/search/", {"q": "boat", "limit": 50}).json()
        pages = [client(caller).get("/api/search/", {"q": "boat", "limit": 2, "offset": offset}).json()
                 for offset in range(0, 10, 2)]
        assert whole["count"] == expected == pages[0]["count"] == pages[-1]["count"]
        walked = [(h["type"], h["recording"]["id"] if h["type"] == "recording" else h["start"])
                  for page in pages for h in page["results"]]
        assert walked == [(h["type"], h["recording"]["id"] if h["type"] == "recording" else h["start"])
                          for h in whole["results"]]
        assert [t for t, _ in walked][:1] == ["recording"] and len(walked) == expected


def test_annotation_hits_stop_at_their_cap_alike_whether_counted_or_listed(catalogue, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    """Past MAX_DOCS annotation hits a search stops: the count a page gives when the recording
    hits fill it (the database then stops at the cap instead of reading every match) is the count
    of the page that lists them, and the cap holds both for the open moments and for those the
    caller is asked about (a community-only one, the member's alone)."""
    member, recs = catalogue
    with django_capture_on_commit_callbacks(execute=True):
        for at, recording in enumerate(("bs", "ru", "ja", "desc")):
            Annotation.objects.create(recording=recs[recording], start=at, end=at + 1, body="the boat leaves")
        Annotation.objects.create(recording=recs["ru"], start=9, end=10, body="boat song", protocol="community")
        Annotation.objects.create(recording=recs["hidden"], start=1, end=2, body="a boat")
    visible = {None: 4, member: 6}  # moments each may see; "Work song" is the one recording hit
    for cap in (3, 5, 6):
        for module in ("archive.search.query", "archive.search.memory_search", "archive.search.visible_rows"):
            monkeypatch.setattr(f"{module}.MAX_DOCS", cap)
        for caller, moments in visible.items():
            counted = client(caller).get("/api/search/", {"q": "boat", "limit": 1}).json()
            listed = client(caller).get("/api/search/", {"q": "boat", "limit": 50}).json()
            shown = [h for h in listed["results"] if h["type"] == "annotation"]
            assert counted["count"] == listed["count"] == 1 + min(cap, moments), (cap, caller)
            assert len(shown) == min(cap, moments) and [h["type"] for h in counted["results"]] == ["recording"]


def test_tradition_and_community_filters_keep_their_recordings_and_follow_a_move(catalogue,
                                                                                django_capture_on_commit_callbacks):
    """The tradition and community filters (read from the search row's own columns by the
    engine) keep exactly that tradition's or community's recordings the caller may see, with
    the other filters and the facets alike, and follow a recording moved to another tradition."""
    member, recs = catalogue
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere = f.make_community(members=[member])
        other = f.make_tradition(elsewhere)
        moved = f.make_recording(elsewhere, other, title="Song of the river ferry")
        f.make_recording(elsewhere, other, title="River song for members", record_protocol="community")
        Annotation.objects.create(recording=moved, start=7, end=8, body="the ferry song begins")
    home = recs["desc"].tradition
    query = lambda caller, **filters: client(caller).get("/api/search/", {"q": "song", **filters})  # noqa: E731
    moments = lambda **filters: [h["start"] for h in client().get("/api/search/", {"q": "ferry", **filters})  # noqa: E731
                                 .json()["results"] if h["type"] == "annotation"]
    assert moments(tradition=other.pk) == [7] and moments(community=elsewhere.pk) == [7]
    assert moments(tradition=home.pk) == [] and moments(tradition=other.pk, community=recs["desc"].community.pk) == []
    assert sorted(titles(query(None, tradition=other.pk))) == ["Song of the river ferry"]
    assert sorted(titles(query(member, tradition=other.pk))) == ["River song for members", "Song of the river ferry"]
    assert sorted(titles(query(member, community=elsewhere.pk))) == ["River song for members", "Song of the river ferry"]
    assert titles(query(None, tradition=home.pk)) == ["Work song"]
    assert titles(query(member, tradition=home.pk, community=elsewhere.pk)) == []
    assert titles(query(None, tradition=other.pk, language="bos")) == []
    faceted = query(None, tradition=other.pk).json()["facets"]["tradition"]
    assert [(x["value"], x["count"]) for x in faceted] == [(str(other.pk), 1)]
    with django_capture_on_commit_callbacks(execute=True):  # moved through the ORM, as the admin would
        moved.tradition = home
        moved.save()
    assert sorted(titles(query(None, tradition=home.pk))) == ["Song of the river ferry", "Work song"]
    assert titles(query(None, tradition=other.pk)) == []
    assert moments(tradition=home.pk) == [7] and moments(tradition=other.pk) == []  # the annotation moved with it
    assert client().get("/api/search/", {"q": "song", "tradition": "not-a-uuid"}).status_code == 400


def test_facets_never_reveal_hidden_recordings(catalogue):
    member, recs = catalogue
    anonymous = client().get("/api/search/", {"q": ""}).json()["facets"]
    assert "secret-zither" not in [x["value"] for x in anonymous["instrument"]]
    assert "xyz" not in [x["value"] for x in anonymous["language"]]
    assert sum(x["count"] for x in anonymous["tradition"]) == 7
    inside = client(member).get("/api/search/", {"q": ""}).json()["facets"]
    assert [x["count"] for x in inside["instrument"] if x["value"] == "secret-zither"] == [1]
    assert sum(x["count"] for x in inside["tradition"]) == 8
    filtered = client().get("/api/search/", {"q": "", "language": "bos"}).json()
    assert [h["recording"]["title"] for h in filtered["results"]] == ["Sevdàh u mahali"]


def test_facets_count_the_matched_recordings_and_the_total_every_hit(catalogue):
    """A moment found in an annotation is a hit of its own; the facets count the recordings the
    terms matched in their titles, records and narratives, in both implementations alike."""
    found = client().get("/api/search/", {"q": "الميزان"}).json()
    assert [h["type"] for h in found["results"]] == ["annotation"] and found["count"] == 1
    assert sum(x["count"] for x in found["facets"]["tradition"]) == 0
    found = client().get("/api/search/", {"q": "nguyen"}).json()
    assert sum(x["count"] for x in found["facets"]["tradition"]) == 2 == found["count"]
    assert found["facets"]["has_audio"] == [{"value": "yes", "label": "has audio", "count": 0},
                                            {"value": "no", "label": "no audio", "count": 2}]


def test_a_recording_counts_once_for_each_of_its_instruments_and_languages(catalogue, django_capture_on_commit_callbacks):
    """Facet arrays holding one value, several or none (PostgreSQL counts each array's first value
    with the scalar facets and unnests only the rest)."""
    member, recs = catalogue
    steward = recs["vi"].community.memberships.get(role="steward").user
    with django_capture_on_commit_callbacks(execute=True):  # each request's transaction commits
        for name, instruments, languages in (("vi", ["drum", "flute"], ["vie", "bos"]), ("desc", ["flute"], [])):
            client(steward).patch(f"/api/recordings/{recs[name].pk}/", {"instruments": instruments,
                                                                         "languages": languages}, format="json")
    facets = client().get("/api/search/", {"q": "nguyen"}).json()["facets"]
    assert {x["value"]: x["count"] for x in facets["instrument"]} == {"drum": 1, "flute": 2}
    assert {x["value"]: x["count"] for x in facets["language"]} == {"bos": 1, "vie": 1}


def test_edits_are_searchable_at_once(catalogue, django_capture_on_commit_callbacks):
    member, recs = catalogue
    steward = recs["ru"].community.memberships.get(role="steward").user
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        client(steward).patch(f"/api/recordings/{recs['ru'].pk}/", {"description": "sung by the Kozarac choir"},
                          format="json")
    assert "Емина" in titles(client().get("/api/search/", {"q": "kozarac"}))


def _analysed(rec, vector):
    v = np.asarray(vector, dtype=float)
    Analysis.objects.create(recording=rec, analyser=ANALYSER, version=VERSION, status="ok",
                            features=list(v / np.linalg.norm(v)))


@pytest.mark.parametrize("snapshot", ["off", "sync"])
def test_similar_recordings_skip_hidden_neighbours_and_still_fill_the_list(snapshot, settings):
    """Candidates are checked by the database, or against the caller's answer kept with the snapshot."""
    settings.SEARCH_SNAPSHOT, settings.SEARCH_SNAPSHOT_CACHED = snapshot, False
    owner = f.make_user()
    community = f.make_community(members=[owner], stewards=[f.make_user()])
    source = f.make_recording(community, title="source")
    _analysed(source, [1, 0, 0, 0])
    for i in range(8):  # the nearest eight are hidden from outsiders
        _analysed(f.make_recording(community, title=f"hidden {i}", record_protocol="community"),
                  [1, 0.01 * i, 0, 0])
    for i in range(6):
        _analysed(f.make_recording(community, title=f"open {i}"), [1, 0.5 + 0.2 * i, 0, 0])  # further with i
    outside = client().get(f"/api/recordings/{source.pk}/similar/", {"limit": 5}).json()
    assert [r["title"] for r in outside["results"]] == [f"open {i}" for i in range(5)]
    scores = [r["similarity"] for r in outside["results"]]
    assert scores == sorted(scores, reverse=True)
    inside = client(owner).get(f"/api/recordings/{source.pk}/similar/", {"limit": 5}).json()
    assert [r["title"] for r in inside["results"]] == [f"hidden {i}" for i in range(5)]
    hidden = f.make_recording(community, record_protocol="community")
    assert client().get(f"/api/recordings/{hidden.pk}/similar/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_kept_feature_matrix_follows_new_and_withdrawn_analyses(settings):
    """The similar-recordings matrix is kept between requests (SIMILAR_VECTORS_CACHED), and a
    committed write to the analyses makes the next request read it afresh."""
    settings.SIMILAR_VECTORS_CACHED = True
    community = f.make_community()
    source = f.make_recording(community, title="source")
    _analysed(source, [1, 0, 0, 0])
    _analysed(f.make_recording(community, title="far"), [0, 1, 0, 0])
    assert [r["title"] for r in client().get(f"/api/recordings/{source.pk}/similar/").json()["results"]] == ["far"]
    near = f.make_recording(community, title="near")
    _analysed(near, [1, 0.1, 0, 0])
    titles = [r["title"] for r in client().get(f"/api/recordings/{source.pk}/similar/").json()["results"]]
    assert titles == ["near", "far"]
    Analysis.objects.filter(recording=near).delete()
    assert [r["title"] for r in client().get(f"/api/recordings/{source.pk}/similar/").json()["results"]] == ["far"]


def test_the_vector_index_covers_the_analysers_vectors():
    import importlib

    from archive.analysis.features import DIMENSIONS
    from archive.search import similar_pgvector

    migration = importlib.import_module("archive.migrations.0016_analysis_embedding_hnsw")
    assert migration.DIMENSIONS == similar_pgvector.DIMENSIONS == DIMENSIONS


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_similar_recordings_come_from_the_hnsw_index_and_skip_what_is_hidden():
    """Committed rows and a vacuumed index, as in production (autovacuum): the vectors that earlier
    tests inserted and rolled back stay in the graph until a vacuum, and with enough of them an
    approximate index misses true neighbours, which is not what this test is about."""
    from django.db import connection, transaction

    from archive.access import recordings_visible
    from archive.analysis.features import DIMENSIONS
    from archive.search import similar_pgvector

    if not similar_pgvector.available():
        pytest.skip("PostgreSQL with pgvector only (scripts/install_pgvector.sh)")
    owner = f.make_user()
    community = f.make_community(members=[owner], stewards=[f.make_user()])
    rng = np.random.default_rng(5)
    base = rng.normal(size=DIMENSIONS)
    source = f.make_recording(community, title="source")
    _analysed(source, base)
    for i in range(12):  # the nearest twelve are hidden from outsiders
        _analysed(f.make_recording(community, title=f"hidden {i}", record_protocol="community"),
                  base + 0.01 * (i + 1) * rng.normal(size=DIMENSIONS))
    similarity = {}
    for i in range(8):
        vector = base + (0.5 + 0.2 * i) * rng.normal(size=DIMENSIONS)
        _analysed(f.make_recording(community, title=f"open {i}"), vector)
        similarity[f"open {i}"] = vector @ base / np.linalg.norm(vector) / np.linalg.norm(base)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE archive_analysis")
    outside = client().get(f"/api/recordings/{source.pk}/similar/", {"limit": 5}).json()["results"]
    assert [r["title"] for r in outside] == sorted(similarity, key=similarity.get, reverse=True)[:5]
    assert [r["similarity"] for r in outside] == pytest.approx(sorted(similarity.values(), reverse=True)[:5], abs=1e-4)
    inside = client(owner).get(f"/api/recordings/{source.pk}/similar/", {"limit": 5}).json()["results"]
    assert {r["title"] for r in inside} <= {f"hidden {i}" for i in range(12)} and len(inside) == 5

    sql, params = similar_pgvector.query(recording_id=source.pk, visible=recordings_visible(user=None), limit=5)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned otherwise
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "archive_analysis_embedding_hnsw" in plan, plan


def _facet(name: str, user=None) -> dict:
    return {x["value"]: x["count"] for x in client(user).get("/api/search/", {"q": ""}).json()["facets"][name]}


@pytest.mark.django_db(transaction=True)
def test_facets_follow_files_labels_and_analyses_whoever_writes_them():
    """A search row's facets (audio, labels, analysed) are rebuilt as an ORM write commits and, for
    raw SQL, by the sweep the triggers' flags call for; the fixity sweep's bookkeeping rebuilds nothing."""
    from django.db import connection

    from archive.models import Recording, RecordingFile
    from archive.tasks import search_sweep

    community = f.make_community()
    song = f.make_recording(community, f.make_tradition(community), title="Morning song")
    assert _facet("has_audio") == {"yes": 0, "no": 1} and _facet("analysed") == {"yes": 0, "no": 1}
    master = RecordingFile.objects.create(recording=song, role="master", storage_name="m/1.wav", sha256="0" * 64, size=1)
    Analysis.objects.create(recording=song, analyser=ANALYSER, version=VERSION, status="ok", features=[1.0, 0.0])
    assert _facet("has_audio") == {"yes": 1, "no": 0} and _facet("analysed") == {"yes": 1, "no": 0}
    f.ensure_labels()
    with connection.cursor() as cursor:  # another program, past the ORM
        cursor.execute("INSERT INTO archive_recordinglabel (recording_id, label_id, added) VALUES (%s, %s, %s)",
                       [song.pk.hex if connection.vendor == "sqlite" else song.pk, "tk_seasonal", "2026-12-02"])
    assert Recording.objects.get(pk=song.pk).search_dirty and "tk_seasonal" not in _facet("label")
    assert search_sweep() == 1
    assert _facet("label") == {"tk_seasonal": 1}
    RecordingFile.objects.filter(pk=master.pk).update(fixity_checked_at="2026-12-02T00:00:00Z", fixity_ok=True)
    assert not Recording.objects.get(pk=song.pk).search_dirty
    RecordingFile.objects.filter(pk=master.pk).delete()
    assert _facet("has_audio") == {"yes": 0, "no": 1}


def _plan(where: str, params: list) -> str:
    from django.db import connection, transaction

    sql = f"SELECT s.id FROM archive_searchrow s WHERE {where}"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned otherwise
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_database_engine_matches_through_its_databases_text_index(django_capture_on_commit_callbacks):
    """SQLite's FTS5 table (migration 0023); on PostgreSQL the word index (migration 0032) for a
    term it answers, pg_trgm's GIN index for a phrase; the annotations' word index holds their
    tradition and community too."""
    from django.db import connection

    from archive.search import engine

    with django_capture_on_commit_callbacks(execute=True):
        f.make_recording(f.make_community(), title="Harvest song")
    dialect = engine.DIALECTS[connection.vendor]
    with connection.cursor() as cursor:
        words, phrase = dialect.matching(cursor, ["harvest", "song"]), dialect.matching(cursor, ["harvest song"])
    if connection.vendor == "postgresql":
        assert "archive_searchrow_words" in _plan(*words) and "archive_searchrow_folded_trgm" in _plan(*phrase)
        with connection.cursor() as cursor:  # at scale the planner scans it for a filtered annotation search
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'archive_searchdocument_words'")
            (definition,) = cursor.fetchone()
        assert "gin (tradition_id, community_id, songkeeper_search_words(folded))" in definition, definition
    else:
        assert "archive_searchrow_fts" in _plan(*words) and "archive_searchrow_fts" in _plan(*phrase)


def test_a_run_of_characters_is_found_wherever_it_lies_in_a_long_word(catalogue, django_capture_on_commit_callbacks):
    """A text written without spaces is one long word, which PostgreSQL's word index keeps as
    overlapping pieces (words.py): a run across a piece's edge, one longer than a piece's overlap
    (matched by LIKE), the word's end, and what is not there."""
    member, recs = catalogue
    text = "".join(chr(0x4E00 + (i * 7) % 500) for i in range(150))
    with django_capture_on_commit_callbacks(execute=True):
        f.make_recording(recs["ja"].community, recs["ja"].tradition, title="Long", description=text)
    for start, size in ((0, 3), (20, 32), (60, 10), (50, 45), (140, 10)):
        assert "Long" in titles(client().get("/api/search/", {"q": text[start:start + size]})), (start, size)
    assert "Long" not in titles(client().get("/api/search/", {"q": text[10:20] + "x"}))
    assert "Long" not in titles(client().get("/api/search/", {"q": "%" + text[5:9]}))  # no wildcard
