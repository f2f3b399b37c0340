"""`python manage.py import_wecom_archive FILE`: WeCom chat-archive messages (JSON lines) as events."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from customers.wecom.archive import wecom_archive_import


class Command(BaseCommand):
    help = (
        "Import the decrypted messages of WeCom's chat archive (one JSON object a line), with a progress "
        "bar; idempotent by msgid. Prints the events answer: accepted, duplicates, skipped, errors."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--chunk-lines", type=int, default=None, help="lines stored per batch (default 50,000)")

    def handle(self, *args, file: Path, chunk_lines: int | None, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        with (
            file.open("rb") as lines,
            tqdm(
                total=file.stat().st_size,
                unit="B",
                unit_scale=True,
                desc=file.name,
                disable=options["verbosity"] == 0,
            ) as bar,
        ):
            result = wecom_archive_import(lines=lines, chunk_lines=chunk_lines, progress=bar.update)
        for error in result.errors:
            self.stderr.write(error["error"])
        summary = {k: v for k, v in result.as_dict().items() if k != "errors"} | {"errors": len(result.errors)}
        self.stdout.write(json.dumps(summary))
