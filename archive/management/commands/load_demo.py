"""manage.py load_demo: the demo archive, once (a second run adds nothing)."""
from django.core.management.base import BaseCommand

from archive.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo communities, users, traditions and recordings (idempotent)."

    def handle(self, **options):
        result = demo_load()
        if result["loaded"]:
            self.stdout.write(f"demo archive loaded: {result['recordings']} recordings")
        else:
            self.stdout.write("demo archive already present")
        self.stdout.write(f"demo logins (password: {result['password']}): {', '.join(result['users'])}")
