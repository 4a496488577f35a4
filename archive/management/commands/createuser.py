"""manage.py createuser NAME --password P [--email E]: an ordinary user, for scripts and tests."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create an ordinary (non-staff) user."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")

    def handle(self, name, password, email, **options):
        User = get_user_model()
        if User.objects.filter(username=name).exists():
            raise CommandError(f"a user called {name!r} exists")
        User.objects.create_user(username=name, password=password, email=email)
        self.stdout.write(f"created user {name}")
