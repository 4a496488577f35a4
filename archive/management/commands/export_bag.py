"""manage.py export_bag COLLECTION DEST [--as USERNAME]: a BagIt bag of a collection.

Without --as, only what anyone may see and hear goes in; with a steward of the owning
community (or staff), its restricted recordings too, with their protocols and labels."""
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archive.exports.bag import export_bag
from archive.models import Collection


class Command(BaseCommand):
    help = "Write a valid BagIt bag of a collection (masters, metadata, events, sha256+sha512 manifests)."

    def add_arguments(self, parser):
        parser.add_argument("collection", help="the collection's id")
        parser.add_argument("dest")
        parser.add_argument("--as", dest="username", help="export as this user (a steward includes restricted items)")

    def handle(self, collection, dest, username=None, **options):
        found = Collection.objects.filter(pk=collection).first() if _is_uuid(collection) else None
        if found is None:
            raise CommandError(f"no collection with id {collection!r}")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user called {username!r}")
        try:
            result = export_bag(collection=found, dest=dest, user=user)
        except FileExistsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"bag written to {dest}: {result['recordings']} recording(s), "
                          f"restricted included: {result['restricted_included']}, valid: {result['valid']}")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False
