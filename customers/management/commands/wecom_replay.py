"""`python manage.py wecom_replay [--id N ...]`: process failed or waiting WeCom callbacks again."""

import json

from django.core.management.base import BaseCommand

from customers.wecom.services import callbacks_replay


class Command(BaseCommand):
    help = (
        "Process again the WeCom callbacks that failed (e.g. an unknown UserID, now set as a staff member's "
        "wecom_userid) or still wait; prints how many ended processed, ignored or failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="only this callback (repeatable)")

    def handle(self, *args, ids: list[int] | None, **options):
        counts = callbacks_replay(ids=ids)
        self.stdout.write(json.dumps(counts))
