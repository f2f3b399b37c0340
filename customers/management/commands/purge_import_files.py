from django.core.management.base import BaseCommand

from customers.privacy.retention import import_files_purge


class Command(BaseCommand):
    help = "Delete uploaded lead files of finished imports and of any import older than IMPORT_FILE_RETENTION_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {import_files_purge()} uploaded files")
