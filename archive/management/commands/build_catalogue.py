"""manage.py build_catalogue N: a generated catalogue of N recordings (with annotations, search
documents and feature vectors) for measuring search at scale. Adds to what is there."""
import contextlib
import random

import numpy as np
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F

from archive.analysis import ANALYSER, VERSION
from archive.labels import labels_sync
from archive.models import (
    Analysis,
    Annotation,
    Community,
    Instrument,
    Label,
    Language,
    Membership,
    Recording,
    RecordingLabel,
    SearchDocument,
    SearchRow,
    Tradition,
)
from archive.search import document_columns, policy_columns, words
from archive.search.index import search_rows
from archive.search.normalize import fold
from archive.search.statistics import statistics_refresh

WORDS = ("song river mountain harvest wedding lament lullaby dance prayer evening morning boat sea village "
         "festival drum flute voice circle ancestors rain moon sun fire bird forest road bridge market").split()
SCRIPTS = ["Nguyễn", "Sevdàh", "भैरवी", "الماية", "Емина", "民謡", "Γιάννης", "Þórr", "Łódź", "Čapek"]
LEVELS = ["public", "public", "public", "registered", "community", "stewards"]
# built once, after the load
SLOW_INDEXES = ("archive_searchdocument_folded_trgm", "archive_searchrow_folded_trgm", "archive_analysis_embedding_hnsw",
                "archive_searchrow_words", "archive_searchdocument_words")


@contextlib.contextmanager
def bulk_load():
    """On PostgreSQL as a superuser, load as one would restore a dump: without the row triggers
    (this command writes the search documents itself, clean, and the rows' copy of the record
    rule's columns and the vocabulary once at the end) and with the trigram, word and HNSW indexes
    built once afterwards (row by row they made 500,000 recordings a two-hour load); then one
    ordinary write per scope moves the versions as any write would. Elsewhere, the plain load."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            yield
            return
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(SLOW_INDEXES)])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            cursor.execute(policy_columns.COPY_ALL)  # what the row triggers would have copied, if anything
            cursor.execute(document_columns.COPY_ALL)
            cursor.execute(words.FILL)  # ... and the vocabulary's statement triggers added
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _, definition in indexes:
                cursor.execute(definition)
    Tradition.objects.filter(slug="gen-t0").update(name=F("name"))  # catalogue, visibility, search
    Analysis.objects.filter(pk=Analysis.objects.order_by("pk").values("pk")[:1]).update(status=F("status"))  # vectors


class Command(BaseCommand):
    help = "Generate N recordings with annotations, search documents and feature vectors (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, count, seed, **options):
        rng = random.Random(seed)
        vectors = np.random.default_rng(seed)
        labels_sync(Label)
        User = get_user_model()
        member, _ = User.objects.get_or_create(username="catalogue-member")
        communities = [Community.objects.get_or_create(slug=f"gen-{i}", defaults={"name": f"Generated {i}"})[0]
                       for i in range(30)]
        Membership.objects.get_or_create(community=communities[0], user=member, defaults={"role": "member"})
        traditions = [Tradition.objects.get_or_create(slug=f"gen-t{i}", defaults={"name": f"Tradition {i}"})[0]
                      for i in range(15)]
        instruments = [Instrument.objects.get_or_create(slug=f"gen-i{i}", defaults={"name": f"instrument {i}"})[0]
                       for i in range(20)]
        languages = [Language.objects.get_or_create(code=c)[0] for c in ("eng", "vie", "bos", "hin", "ara", "rus", "jpn")]
        with bulk_load():
            self._load(count, rng, vectors, communities, traditions, instruments, languages)
        statistics_refresh()  # the planner must know the new tables' shapes (archive/search/statistics.py)
        self.stdout.write(f"catalogue now holds {Recording.objects.count()} recordings")

    def _load(self, count, rng, vectors, communities, traditions, instruments, languages):
        made = 0
        while made < count:
            batch = min(2000, count - made)
            with transaction.atomic():
                recs = []
                for _ in range(batch):
                    level = rng.choice(LEVELS)
                    year = rng.randint(1930, 2024)
                    title = " ".join(rng.sample(WORDS, 3)).capitalize() + " " + rng.choice(SCRIPTS)
                    recs.append(Recording(
                        title=title, description=" ".join(rng.choices(WORDS, k=12)), community=rng.choice(communities),
                        tradition=rng.choice(traditions), status="published", record_protocol=level,
                        media_protocol=level, date=str(year), year_from=year, year_to=year,
                        tonic_hz=round(rng.uniform(90, 400), 2), tempo_bpm=rng.choice([None, rng.uniform(50, 180)]),
                        duration_seconds=rng.uniform(30, 3600), search_dirty=False))
                Recording.objects.bulk_create(recs)
                through_i = Recording.instruments.through
                through_l = Recording.languages.through
                through_i.objects.bulk_create([through_i(recording=r, instrument=rng.choice(instruments)) for r in recs])
                through_l.objects.bulk_create([through_l(recording=r, language=rng.choice(languages)) for r in recs])
                RecordingLabel.objects.bulk_create([RecordingLabel(recording=r, label_id="tk_attribution")
                                                    for r in recs if rng.random() < 0.2])
                notes = [Annotation(recording=r, start=float(s), end=float(s) + 5, body=" ".join(rng.sample(WORDS, 4)),
                                    protocol="community" if rng.random() < 0.1 else "public")  # 1 in 10 kept inside
                         for r in recs for s in range(0, 30, 10)]
                Annotation.objects.bulk_create(notes)
                docs = []
                for r in recs:
                    docs.append(SearchDocument(recording=r, kind="title", text=r.title, folded=fold(r.title)))
                    docs.append(SearchDocument(recording=r, kind="record", text=r.description, folded=fold(r.description)))
                by_id = {r.pk: r for r in recs}  # an annotation's copy of its recording's columns, written with it
                docs += [SearchDocument(recording_id=a.recording_id, kind="annotation", annotation=a, start=a.start,
                                        text=a.body, folded=fold(a.body),
                                        **{c: getattr(by_id[a.recording_id], c) for c in document_columns.COLUMNS})
                         for a in notes]
                SearchDocument.objects.bulk_create(docs, batch_size=2000)
                features = vectors.normal(size=(len(recs), 80))
                features /= np.linalg.norm(features, axis=1, keepdims=True)
                Analysis.objects.bulk_create([
                    Analysis(recording=r, analyser=ANALYSER, version=VERSION, status="ok",
                             features=[round(float(x), 5) for x in f], tonic_hz=r.tonic_hz, tempo_bpm=r.tempo_bpm)
                    for r, f in zip(recs, features, strict=True)])
                rows = search_rows([r.pk for r in recs])
                for row in rows:  # the rule's columns written with the row, as a restore writes them
                    for column in policy_columns.COLUMNS:
                        setattr(row, column, getattr(by_id[row.recording_id], column))
                SearchRow.objects.bulk_create(rows)
                # written whole here: what the stale triggers flagged (SQLite) is current
                Recording.objects.filter(pk__in=[r.pk for r in recs]).update(search_dirty=False)
            made += batch
            self.stdout.write(f"{made} of {count}")
