"""The catalogue's versions: one row, moved by database triggers in the transaction of every write.

Caches (anonymous pages, kept access answers, the search snapshot, the similar-recordings vectors)
name the version they were built under, so whatever wrote (a service, the admin, a bulk update,
raw SQL, psql, another program) the next reader after the commit finds a new version and builds
afresh. The epoch changes when the row is made again (an emptied database; a restore from a
backup must delete the row so that it is made again), so counters that start over never meet a
cache built before."""
from django.db import models


class CatalogueVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.CharField(max_length=32)
    catalogue = models.BigIntegerField(default=0, help_text="any write to a catalogue table")
    visibility = models.BigIntegerField(default=0, help_text="a write to a table access or a filter reads")
    search = models.BigIntegerField(default=0, help_text="a write to a table the search rows are built from")
    vectors = models.BigIntegerField(default=0, help_text="a write to the analyses")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_catalogue_version_row")]

    def __str__(self):
        return f"catalogue version {self.epoch}.{self.catalogue}"
