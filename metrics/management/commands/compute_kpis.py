"""`python manage.py compute_kpis --date-from YYYY-MM-DD --date-to YYYY-MM-DD` or `--missing`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from metrics.engine.compute import kpi_missing_days, kpis_compute_days
from sitadmin.dates import kpi_days


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Compute the daily KPI rows now, in this process (idempotent: a day's rows are replaced)."

    def add_arguments(self, parser):
        parser.add_argument("--date-from", type=_date)
        parser.add_argument("--date-to", type=_date)
        parser.add_argument(
            "--missing",
            action="store_true",
            help="every day from the first event to yesterday not computed yet, plus the last W days",
        )

    def handle(self, *args, date_from=None, date_to=None, missing=False, **options):
        if missing:
            days = kpi_missing_days()
        else:
            if date_from is None or date_to is None:
                raise CommandError("give --date-from and --date-to, or --missing")
            if date_to < date_from:
                raise CommandError("--date-to is before --date-from")
            days = kpi_days(date_from, date_to)
        rows = kpis_compute_days(days=days, progress=True)
        self.stdout.write(f"computed {len(days)} day(s), {rows} KPI row(s)")
