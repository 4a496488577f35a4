"""The search index: folded text per recording and per narrative and annotation, rebuilt for a
recording whenever it changes (and by a sweep for any whose rebuild was missed)."""
from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        TITLE = "title"
        RECORD = "record"
        NARRATIVE = "narrative"
        ANNOTATION = "annotation"

    recording = models.ForeignKey("archive.Recording", on_delete=models.CASCADE, related_name="search_documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    annotation = models.ForeignKey("archive.Annotation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    narrative = models.ForeignKey("archive.Narrative", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    start = models.FloatField(null=True, blank=True)
    text = models.TextField()
    folded = models.TextField()
    # an annotation's copy of its recording's record-rule columns and tradition, kept by the
    # database's triggers (archive/search/document_columns.py), so the annotation search applies
    # the rule and the filters to its own rows (NULL until copied: seen by staff only)
    status = models.CharField(max_length=16, null=True)
    record_protocol = models.CharField(max_length=16, null=True)
    record_custom_protocol_id = models.UUIDField(null=True)
    created_by_id = models.IntegerField(null=True)
    community_id = models.UUIDField(null=True)
    tradition_id = models.UUIDField(null=True)

    class Meta:
        # and on PostgreSQL, for annotations, a GIN index of their tradition, community and words
        # (archive/search/words.py), which answers a filtered annotation search in one index scan
        indexes = [models.Index(fields=["recording", "kind"])]

    def __str__(self):
        return f"{self.kind} of {self.recording_id}"


class SearchRow(models.Model):
    """One row per recording for the search engines (archive/search/engine.py): its folded text to
    match (indexed by FTS5 on SQLite, pg_trgm on PostgreSQL), the texts a term is weighed by, and its
    facet values, so a search matches, ranks and counts in one statement over one table. Rebuilt
    with the recording's documents (archive/search/index.py). Whether the caller may see a row is
    archive/access.py's record rule, applied to the recording's columns it reads, which database
    triggers copy here in every writing transaction (archive/search/policy_columns.py)."""
    id = models.BigAutoField(primary_key=True)  # FTS5's content rowid on SQLite
    recording = models.OneToOneField("archive.Recording", on_delete=models.CASCADE, related_name="search_row")
    folded = models.TextField()  # title, record and narratives, each folded, one per line
    title = models.TextField()  # the folded title (and other titles): a term here weighs most
    record = models.TextField()  # the folded record: description, people, places, instruments...
    sort_title = models.CharField(max_length=300)  # browsing order
    tradition_id = models.UUIDField(null=True)
    community_id = models.UUIDField(null=True)
    country = models.CharField(max_length=2, blank=True)
    decade = models.IntegerField(null=True)
    instruments = models.JSONField(default=list)  # slugs
    languages = models.JSONField(default=list)  # ISO 639-3 codes
    labels = models.JSONField(default=list)  # label ids
    has_audio = models.BooleanField(default=False)
    analysed = models.JSONField(default=list)  # the analyser versions it has a good analysis of
    # the record rule's columns, kept by the database's triggers (NULL until copied: seen by staff only)
    status = models.CharField(max_length=16, null=True)
    record_protocol = models.CharField(max_length=16, null=True)
    record_custom_protocol_id = models.UUIDField(null=True)
    created_by_id = models.IntegerField(null=True)

    class Meta:
        # tradition and community: catalogue.narrowed_by's filters on them meet the word index in a
        # bitmap AND (at 500,000 recordings the faceted statement 243 -> 98 ms). No index of the
        # record rule's columns (migration 0033 dropped it): the rule is checked on the matched
        # rows as they are read, where PostgreSQL had read half the index to AND it with the
        # words (at 500,000 recordings 75 of the 270 ms of "harvest song", README's bench)
        indexes = [models.Index(fields=["tradition_id"], name="search_row_tradition"),
                   models.Index(fields=["community_id"], name="search_row_community")]

    def __str__(self):
        return f"search row of {self.recording_id}"
